import type { User } from './auth-client';

// The states a visitor's session moves through, and every move between them, as a plain
// reducer: no React, no HTTP. AuthProvider feeds it what it learns (a restore's answer, a
// sign-in, another tab's news) and renders what it says. New states (a second factor, an
// unverified email) are added here first, with their tests, before any component sees them.

/**
 * AuthStatus is where the visitor stands: still being worked out, signed in, not signed in, or
 * unknown because the server could not be asked (the visitor may well still have a session).
 */
export type AuthStatus = 'loading' | 'authenticated' | 'anonymous' | 'unavailable';

/** SignedOutReason says why a visitor is anonymous, so the sign-in page can tell them. */
export type SignedOutReason = 'none' | 'signed-out' | 'expired' | 'deleted';

/** AuthState is one state of the machine: only an authenticated state has a user. */
export type AuthState =
  | { status: 'loading'; user: null; reason: 'none' }
  | { status: 'unavailable'; user: null; reason: 'none' }
  | { status: 'authenticated'; user: User; reason: 'none' }
  | { status: 'anonymous'; user: null; reason: SignedOutReason };

/** AuthEvent is something the provider learned; authReducer decides what it changes. */
export type AuthEvent =
  /** The session is being asked about again (Retry after 'unavailable'). */
  | { type: 'checking' }
  /** The server vouched for this user: a restored session, a sign-in, a sign-in in another tab. */
  | { type: 'signed-in'; user: User }
  /** The session is over, or there never was one ('none'); the reason is shown once. */
  | { type: 'signed-out'; reason: SignedOutReason }
  /** The server could not say whether there is a session. */
  | { type: 'unreachable' }
  /** The signed-in user's profile changed. */
  | { type: 'user-updated'; user: User }
  /** The sign-in page has shown why the visitor is signed out. */
  | { type: 'reason-shown' };

/** initialAuthState is where every page load starts: the session is not known yet. */
export const initialAuthState: AuthState = { status: 'loading', user: null, reason: 'none' };

/**
 * authReducer returns the state after event. It returns the same object when nothing changes,
 * so React skips the render. Events that make no sense in a state are ignored there: a profile
 * update cannot sign anyone in, and a server that cannot be reached cannot sign out a user it
 * has already vouched for.
 */
export function authReducer(state: AuthState, event: AuthEvent): AuthState {
  switch (event.type) {
    case 'checking':
      return state.status === 'loading' ? state : initialAuthState;
    case 'signed-in':
      return { status: 'authenticated', user: event.user, reason: 'none' };
    case 'signed-out':
      return state.status === 'anonymous' && state.reason === event.reason
        ? state
        : { status: 'anonymous', user: null, reason: event.reason };
    case 'unreachable':
      return state.status === 'authenticated' || state.status === 'unavailable'
        ? state
        : { status: 'unavailable', user: null, reason: 'none' };
    case 'user-updated':
      return state.status === 'authenticated' ? { ...state, user: event.user } : state;
    case 'reason-shown':
      return state.status === 'anonymous' && state.reason !== 'none' ? { ...state, reason: 'none' } : state;
  }
}
