import { render, screen } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeApi, json } from '../../test/fake-api';
import { forgetPasswordPolicy, loadPasswordPolicy, usePasswordPolicy } from './policy-client';

const policy = {
  min_length: 12,
  max_bytes: 72,
  min_score: 3,
  max_scored_chars: 64,
  breach_check: 'off',
  blocklist: false,
};

function Shows({ name }: { name: string }) {
  const answer = usePasswordPolicy();
  return <p>{answer === null ? `${name}: none` : `${name}: at least ${answer.min_length}`}</p>;
}

describe('usePasswordPolicy', () => {
  beforeEach(() => forgetPasswordPolicy());

  it('asks the server once, without a token, and shares the answer', async () => {
    const server = fakeApi({ 'GET /api/auth/password-policy': json(200, policy) });
    const { unmount } = render(
      <>
        <Shows name="register" />
        <Shows name="meter" />
      </>,
    );
    expect(screen.getByText('register: none')).toBeInTheDocument();
    expect(await screen.findByText('register: at least 12')).toBeInTheDocument();
    expect(screen.getByText('meter: at least 12')).toBeInTheDocument();
    unmount();

    // A later page has it at once.
    render(<Shows name="later" />);
    expect(screen.getByText('later: at least 12')).toBeInTheDocument();
    expect(server.calls('GET /api/auth/password-policy')).toHaveLength(1);
    expect(server.requests[0]?.headers.has('Authorization')).toBe(false);
  });

  it('does not remember a failure: the next form asks again', async () => {
    const server = fakeApi({
      'GET /api/auth/password-policy': [json(503, { detail: 'Down', code: 'unavailable' }), json(200, policy)],
    });
    const { unmount } = render(<Shows name="first" />);
    // The same request the page made, shared: wait for it to fail.
    await expect(loadPasswordPolicy()).rejects.toThrow();
    expect(screen.getByText('first: none')).toBeInTheDocument();
    unmount();

    render(<Shows name="second" />);
    expect(await screen.findByText('second: at least 12')).toBeInTheDocument();
    expect(server.calls('GET /api/auth/password-policy')).toHaveLength(2);
  });
});
