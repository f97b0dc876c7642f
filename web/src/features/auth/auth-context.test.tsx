import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { api } from '../../lib/api-client';
import { fakeApi, json, noContent, noSession, rejectedSession, sampleUser, token } from '../../test/fake-api';
import { renderWithAuth } from '../../test/render';
import { useAuth } from './auth-context';

/** Probe shows the auth state and offers its actions as buttons, so tests use the real provider. */
function Probe() {
  const { status, user, signedOutReason, signIn, signOut, retry } = useAuth();
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
      <button
        type="button"
        onClick={() =>
          signOut().then(
            () => setResult('signed out'),
            () => setResult('sign-out failed'),
          )
        }
      >
        Sign out
      </button>
      <button type="button" onClick={retry}>
        Retry
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

function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
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

  it.each([
    ['no cookie (204)', noSession],
    ['a cookie the server refuses (401)', rejectedSession],
  ])('starts signed out when there is no session: %s', async (_, answer) => {
    const server = fakeApi({ 'POST /api/auth/session/refresh': answer() });
    renderWithAuth(<Probe />);
    await waitFor(() => expect(screen.getByLabelText('Status')).toHaveValue('anonymous'));
    expect(screen.getByLabelText('Reason')).toHaveValue('none');
    expect(server.calls('GET /api/users/me')).toHaveLength(0);
  });

  it('is unavailable, not signed out, when the server cannot be reached, and can retry', async () => {
    fakeApi({
      'POST /api/auth/session/refresh': [() => Promise.reject(new TypeError('Failed to fetch')), token('later')],
      'GET /api/users/me': json(200, sampleUser),
    });
    renderWithAuth(<Probe />);
    await waitFor(() => expect(screen.getByLabelText('Status')).toHaveValue('unavailable'));

    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));

    await waitFor(() => expect(screen.getByLabelText('Status')).toHaveValue('authenticated'));
  });

  it('is unavailable when the refresh answers 5xx at load', async () => {
    fakeApi({ 'POST /api/auth/session/refresh': json(503, { detail: 'Service unavailable' }) });
    renderWithAuth(<Probe />);
    await waitFor(() => expect(screen.getByLabelText('Status')).toHaveValue('unavailable'));
  });

  it('stays signed in when the refresh after a 401 fails with a 429', async () => {
    fakeApi({
      'POST /api/auth/session/refresh': [token('first'), json(429, { detail: 'Too many requests' })],
      'GET /api/users/me': json(200, sampleUser),
      'GET /api/email-accounts': json(401, { detail: 'Not authenticated' }),
    });
    renderWithAuth(<Probe />);
    await waitFor(() => expect(screen.getByLabelText('Status')).toHaveValue('authenticated'));

    await userEvent.click(screen.getByRole('button', { name: 'Load accounts' }));

    await waitFor(() => expect(screen.getByLabelText('Result')).toHaveValue('Too many requests.'));
    expect(screen.getByLabelText('Status')).toHaveValue('authenticated');
  });

  it('keeps a sign-in when the restore started before it answers 401 late', async () => {
    const restore = deferred<Response>();
    fakeApi({
      'POST /api/auth/session/refresh': () => restore.promise,
      'POST /api/auth/session': token('signed-in'),
      'GET /api/users/me': json(200, sampleUser),
    });
    renderWithAuth(<Probe />);
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(screen.getByLabelText('Status')).toHaveValue('authenticated'));

    restore.resolve(rejectedSession());
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(screen.getByLabelText('Status')).toHaveValue('authenticated');
    expect(screen.getByLabelText('User')).toHaveValue('Ada');
  });

  it('keeps a sign-out when a refresh started before it answers late', async () => {
    const late = deferred<Response>();
    const server = fakeApi({
      'POST /api/auth/session/refresh': [token('first'), () => late.promise],
      'GET /api/users/me': json(200, sampleUser),
      'GET /api/email-accounts': json(401, { detail: 'Not authenticated' }),
      'DELETE /api/auth/session': noContent(),
    });
    renderWithAuth(<Probe />);
    await waitFor(() => expect(screen.getByLabelText('Status')).toHaveValue('authenticated'));
    await userEvent.click(screen.getByRole('button', { name: 'Load accounts' }));
    await waitFor(() => expect(server.calls('POST /api/auth/session/refresh')).toHaveLength(2));

    await userEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    await waitFor(() => expect(screen.getByLabelText('Reason')).toHaveValue('signed-out'));
    late.resolve(token('late'));
    await waitFor(() => expect(screen.getByLabelText('Result')).not.toHaveValue('signed out'));

    expect(screen.getByLabelText('Status')).toHaveValue('anonymous');
    expect(screen.getByLabelText('Reason')).toHaveValue('signed-out');
    await api.get('/api/users/me');
    expect(server.calls('GET /api/users/me').at(-1)?.headers.get('Authorization')).toBeNull();
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
      'POST /api/auth/session/refresh': [token('first'), rejectedSession()],
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

  it('stays signed in, and tells no other tab, when the server cannot end the session', async () => {
    const server = fakeApi({
      'POST /api/auth/session/refresh': token(),
      'GET /api/users/me': json(200, sampleUser),
      'DELETE /api/auth/session': [json(503, { detail: 'Service unavailable' }), noContent()],
    });
    const heard: unknown[] = [];
    const otherTab = new BroadcastChannel('gatehouse:session');
    otherTab.onmessage = (message: MessageEvent<unknown>) => heard.push(message.data);
    renderWithAuth(<Probe />);
    await waitFor(() => expect(screen.getByLabelText('Status')).toHaveValue('authenticated'));

    await userEvent.click(screen.getByRole('button', { name: 'Sign out' }));

    await waitFor(() => expect(screen.getByLabelText('Result')).toHaveValue('sign-out failed'));
    expect(screen.getByLabelText('Status')).toHaveValue('authenticated');
    expect(screen.getByLabelText('Reason')).toHaveValue('none');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(heard).toEqual([]);

    await userEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    await waitFor(() => expect(screen.getByLabelText('Reason')).toHaveValue('signed-out'));
    expect(server.calls('DELETE /api/auth/session')).toHaveLength(2);
    otherTab.close();
  });

  it('treats a 401 from sign-out as signed out', async () => {
    fakeApi({
      'POST /api/auth/session/refresh': token(),
      'GET /api/users/me': json(200, sampleUser),
      'DELETE /api/auth/session': rejectedSession(),
    });
    renderWithAuth(<Probe />);
    await waitFor(() => expect(screen.getByLabelText('Status')).toHaveValue('authenticated'));

    await userEvent.click(screen.getByRole('button', { name: 'Sign out' }));

    await waitFor(() => expect(screen.getByLabelText('Reason')).toHaveValue('signed-out'));
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
