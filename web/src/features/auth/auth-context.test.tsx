import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { api } from '../../lib/api-client';
import { fakeApi, json, noContent, noSession, sampleUser, token } from '../../test/fake-api';
import { renderWithAuth } from '../../test/render';
import { useAuth } from './auth-context';

/** Probe shows the auth state and offers its actions as buttons, so tests use the real provider. */
function Probe() {
  const { status, user, signedOutReason, signIn, signOut } = useAuth();
  const [result, setResult] = useState('');
  return (
    <div>
      <input readOnly aria-label="Status" value={status} />
      <input readOnly aria-label="User" value={user ? user.first_name : 'nobody'} />
      <input readOnly aria-label="Reason" value={signedOutReason} />
      <input readOnly aria-label="Result" value={result} />
      <button type="button" onClick={() => void signIn({ email: 'ada@example.com', password: 'correct-horse' })}>
        Sign in
      </button>
      <button type="button" onClick={() => void signOut()}>
        Sign out
      </button>
      <button
        type="button"
        onClick={() =>
          api.get('/api/email-accounts').then(
            (accounts) => setResult(`${accounts.length} accounts`),
            (error: unknown) => setResult(error instanceof Error ? error.message : 'failed'),
          )
        }
      >
        Load accounts
      </button>
    </div>
  );
}

describe('AuthProvider', () => {
  it('restores the session through the refresh cookie on load', async () => {
    const server = fakeApi({
      'POST /api/auth/session/refresh': token('restored'),
      'GET /api/users/me': json(200, sampleUser),
    });
    renderWithAuth(<Probe />);

    expect(screen.getByLabelText('Status')).toHaveValue('loading');
    await waitFor(() => expect(screen.getByLabelText('Status')).toHaveValue('authenticated'));
    expect(screen.getByLabelText('User')).toHaveValue('Ada');
    expect(server.calls('GET /api/users/me')[0]?.headers.get('Authorization')).toBe('Bearer restored');
  });

  it('starts signed out when there is no session', async () => {
    const server = fakeApi({ 'POST /api/auth/session/refresh': noSession() });
    renderWithAuth(<Probe />);
    await waitFor(() => expect(screen.getByLabelText('Status')).toHaveValue('anonymous'));
    expect(screen.getByLabelText('Reason')).toHaveValue('none');
    expect(server.calls('GET /api/users/me')).toHaveLength(0);
  });

  it('starts signed out when the server cannot be reached', async () => {
    fakeApi({ 'POST /api/auth/session/refresh': () => Promise.reject(new TypeError('Failed to fetch')) });
    renderWithAuth(<Probe />);
    await waitFor(() => expect(screen.getByLabelText('Status')).toHaveValue('anonymous'));
  });

  it('signs in with a form post and keeps the token in memory only', async () => {
    const server = fakeApi({
      'POST /api/auth/session/refresh': noSession(),
      'POST /api/auth/session': token('fresh-sign-in'),
      'GET /api/users/me': json(200, sampleUser),
    });
    renderWithAuth(<Probe />);
    await waitFor(() => expect(screen.getByLabelText('Status')).toHaveValue('anonymous'));

    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    await waitFor(() => expect(screen.getByLabelText('Status')).toHaveValue('authenticated'));
    expect(server.calls('POST /api/auth/session')[0]?.body).toBe('username=ada%40example.com&password=correct-horse');
    expect(window.localStorage).toHaveLength(0);
    expect(window.sessionStorage).toHaveLength(0);
  });

  it('refreshes once on a 401 and retries the request', async () => {
    const server = fakeApi({
      'POST /api/auth/session/refresh': [token('first'), token('second')],
      'GET /api/users/me': json(200, sampleUser),
      'GET /api/email-accounts': [json(401, { detail: 'Not authenticated' }), json(200, [])],
    });
    renderWithAuth(<Probe />);
    await waitFor(() => expect(screen.getByLabelText('Status')).toHaveValue('authenticated'));

    await userEvent.click(screen.getByRole('button', { name: 'Load accounts' }));

    await waitFor(() => expect(screen.getByLabelText('Result')).toHaveValue('0 accounts'));
    expect(server.calls('POST /api/auth/session/refresh')).toHaveLength(2);
    expect(server.calls('GET /api/email-accounts').map((r) => r.headers.get('Authorization'))).toEqual([
      'Bearer first',
      'Bearer second',
    ]);
    expect(screen.getByLabelText('Status')).toHaveValue('authenticated');
  });

  it('signs out when the refresh after a 401 fails', async () => {
    fakeApi({
      'POST /api/auth/session/refresh': [token('first'), noSession()],
      'GET /api/users/me': json(200, sampleUser),
      'GET /api/email-accounts': json(401, { detail: 'Not authenticated' }),
    });
    renderWithAuth(<Probe />);
    await waitFor(() => expect(screen.getByLabelText('Status')).toHaveValue('authenticated'));

    await userEvent.click(screen.getByRole('button', { name: 'Load accounts' }));

    await waitFor(() => expect(screen.getByLabelText('Status')).toHaveValue('anonymous'));
    expect(screen.getByLabelText('Reason')).toHaveValue('expired');
    expect(screen.getByLabelText('User')).toHaveValue('nobody');
  });

  it('shares one refresh between concurrent 401s', async () => {
    const server = fakeApi({
      'POST /api/auth/session/refresh': [token('first'), token('second')],
      'GET /api/users/me': json(200, sampleUser),
      'GET /api/email-accounts': [
        json(401, { detail: 'Not authenticated' }),
        json(401, { detail: 'Not authenticated' }),
        json(200, []),
      ],
    });
    renderWithAuth(<Probe />);
    await waitFor(() => expect(screen.getByLabelText('Status')).toHaveValue('authenticated'));

    await Promise.all([api.get('/api/email-accounts'), api.get('/api/email-accounts')]);
    expect(server.calls('POST /api/auth/session/refresh')).toHaveLength(2); // restore + one shared refresh
  });

  it('signs out on the server and forgets the user', async () => {
    const server = fakeApi({
      'POST /api/auth/session/refresh': token(),
      'GET /api/users/me': json(200, sampleUser),
      'DELETE /api/auth/session': noContent(),
    });
    renderWithAuth(<Probe />);
    await waitFor(() => expect(screen.getByLabelText('Status')).toHaveValue('authenticated'));

    await userEvent.click(screen.getByRole('button', { name: 'Sign out' }));

    await waitFor(() => expect(screen.getByLabelText('Status')).toHaveValue('anonymous'));
    expect(screen.getByLabelText('Reason')).toHaveValue('signed-out');
    expect(server.calls('DELETE /api/auth/session')).toHaveLength(1);
  });

  it('signs out when another tab signs out', async () => {
    fakeApi({ 'POST /api/auth/session/refresh': token(), 'GET /api/users/me': json(200, sampleUser) });
    renderWithAuth(<Probe />);
    await waitFor(() => expect(screen.getByLabelText('Status')).toHaveValue('authenticated'));

    const otherTab = new BroadcastChannel('gatehouse:session');
    otherTab.postMessage({ event: 'signed-out', from: 'another-tab' });
    otherTab.close();

    await waitFor(() => expect(screen.getByLabelText('Status')).toHaveValue('anonymous'));
  });

  it('signs in when another tab signs in', async () => {
    fakeApi({
      'POST /api/auth/session/refresh': [noSession(), token('shared-cookie')],
      'GET /api/users/me': json(200, sampleUser),
    });
    renderWithAuth(<Probe />);
    await waitFor(() => expect(screen.getByLabelText('Status')).toHaveValue('anonymous'));

    const otherTab = new BroadcastChannel('gatehouse:session');
    otherTab.postMessage({ event: 'signed-in', from: 'another-tab' });
    otherTab.close();

    await waitFor(() => expect(screen.getByLabelText('User')).toHaveValue('Ada'));
  });

  it('explains itself when used outside its provider', () => {
    const quiet = (event: ErrorEvent) => event.preventDefault();
    window.addEventListener('error', quiet);
    try {
      expect(() => render(<Probe />)).toThrow(/useAuth\(\) must be used inside <AuthProvider>/);
    } finally {
      window.removeEventListener('error', quiet);
    }
  });
});
