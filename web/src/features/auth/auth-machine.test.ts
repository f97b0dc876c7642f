// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { sampleUser } from '../../test/fake-api';
import { authReducer, initialAuthState, type AuthEvent, type AuthState } from './auth-machine';

const ada = sampleUser;
const grace = { ...sampleUser, id: 'grace', first_name: 'Grace' };

const states = {
  loading: initialAuthState,
  unavailable: { status: 'unavailable', user: null, reason: 'none' },
  authenticated: { status: 'authenticated', user: ada, reason: 'none' },
  anonymous: { status: 'anonymous', user: null, reason: 'none' },
  signedOut: { status: 'anonymous', user: null, reason: 'signed-out' },
} satisfies Record<string, AuthState>;

function run(start: AuthState, ...events: AuthEvent[]): AuthState {
  return events.reduce(authReducer, start);
}

describe('authReducer', () => {
  it('starts loading, with no user and no reason', () => {
    expect(initialAuthState).toEqual({ status: 'loading', user: null, reason: 'none' });
  });

  it.each([
    ['a restored session', states.loading],
    ['a sign-in after a refused restore', states.anonymous],
    ['a sign-in after an outage', states.unavailable],
    ['another tab signing in as someone else', states.authenticated],
  ])('signs in on %s', (_, start) => {
    expect(run(start, { type: 'signed-in', user: grace })).toEqual({
      status: 'authenticated',
      user: grace,
      reason: 'none',
    });
  });

  it.each(['none', 'signed-out', 'expired', 'deleted'] as const)('signs out with the reason %s', (reason) => {
    expect(run(states.authenticated, { type: 'signed-out', reason })).toEqual({
      status: 'anonymous',
      user: null,
      reason,
    });
  });

  it('shows a sign-out reason once', () => {
    const shown = run(states.authenticated, { type: 'signed-out', reason: 'expired' }, { type: 'reason-shown' });
    expect(shown).toEqual(states.anonymous);
    expect(authReducer(shown, { type: 'reason-shown' })).toBe(shown);
  });

  it('is unavailable when the server cannot be asked, and checks again on retry', () => {
    const down = run(states.loading, { type: 'unreachable' });
    expect(down).toEqual(states.unavailable);
    expect(authReducer(down, { type: 'checking' })).toEqual(states.loading);
  });

  it('never signs out a user over an outage', () => {
    expect(authReducer(states.authenticated, { type: 'unreachable' })).toBe(states.authenticated);
  });

  it('updates the profile of a signed-in user only', () => {
    expect(run(states.authenticated, { type: 'user-updated', user: grace }).user).toBe(grace);
    expect(authReducer(states.signedOut, { type: 'user-updated', user: grace })).toBe(states.signedOut);
    expect(authReducer(states.loading, { type: 'user-updated', user: grace })).toBe(states.loading);
  });

  it('keeps the same object when nothing changes, so React skips the render', () => {
    expect(authReducer(states.loading, { type: 'checking' })).toBe(states.loading);
    expect(authReducer(states.unavailable, { type: 'unreachable' })).toBe(states.unavailable);
    expect(authReducer(states.signedOut, { type: 'signed-out', reason: 'signed-out' })).toBe(states.signedOut);
    expect(authReducer(states.anonymous, { type: 'reason-shown' })).toBe(states.anonymous);
  });
});
