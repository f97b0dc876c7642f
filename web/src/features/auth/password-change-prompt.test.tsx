import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeApi, json, noContent, noSession, sampleUser, token } from '../../test/fake-api';
import { renderWithAuth } from '../../test/render';
import { useAuth } from './auth-context';
import { PasswordChangePrompt } from './password-change-prompt';

const weakSignIn = () =>
  json(200, {
    access_token: 'access-1',
    token_type: 'bearer',
    expires_in: 900,
    password_change_required: true,
    password_change_reason: 'value_error.password.common',
  });

const fineSignIn = () =>
  json(200, { access_token: 'access-2', token_type: 'bearer', expires_in: 900, password_change_required: false });

/** Dashboard stands in for /accounts: the prompt, with the session's actions as buttons. */
function Dashboard({ onChoose = () => undefined }: { onChoose?: () => void }) {
  const { status, signIn, signOut, passwordChanged } = useAuth();
  return (
    <div>
      <input readOnly aria-label="Status" value={status} />
      <PasswordChangePrompt onChoose={onChoose} />
      <button type="button" onClick={() => void signIn({ email: 'ada@example.com', password: 'qwerty123' })}>
        Sign in
      </button>
      <button type="button" onClick={() => void signOut()}>
        Sign out
      </button>
      <button type="button" onClick={passwordChanged}>
        Changed
      </button>
    </div>
  );
}

const prompt = () => screen.queryByText(/Please change your password/);

async function signedIn(answer: Response) {
  const server = fakeApi({
    'POST /api/auth/session/refresh': noSession(),
    'POST /api/auth/session': answer,
    'GET /api/users/me': json(200, sampleUser),
    'DELETE /api/auth/session': noContent(),
  });
  const view = renderWithAuth(<Dashboard />);
  await screen.findByDisplayValue('anonymous');
  await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
  await screen.findByDisplayValue('authenticated');
  return { server, view };
}

/** reload renders a fresh provider, as a page load does, restoring the session by cookie. */
async function reload(unmount: () => void) {
  unmount();
  fakeApi({ 'POST /api/auth/session/refresh': token(), 'GET /api/users/me': json(200, sampleUser) });
  const view = renderWithAuth(<Dashboard />);
  await screen.findByDisplayValue('authenticated');
  return view;
}

describe('PasswordChangePrompt', () => {
  beforeEach(() => sessionStorage.clear());

  it('asks for a new password when the sign-in says password_change_required, and why', async () => {
    const onChoose = vi.fn();
    fakeApi({
      'POST /api/auth/session/refresh': noSession(),
      'POST /api/auth/session': weakSignIn(),
      'GET /api/users/me': json(200, sampleUser),
    });
    renderWithAuth(<Dashboard onChoose={onChoose} />);
    await screen.findByDisplayValue('anonymous');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    const status = await screen.findByRole('status');
    expect(status).toHaveTextContent('Please change your password');
    expect(status).toHaveTextContent('Your password is one of the most common passwords.');
    await userEvent.click(screen.getByRole('button', { name: 'Choose a new password' }));
    expect(onChoose).toHaveBeenCalledTimes(1);
  });

  it('can be dismissed, and comes back after a reload until the password is changed', async () => {
    const { view } = await signedIn(weakSignIn());
    expect(await screen.findByText(/Please change your password/)).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Not now' }));
    expect(prompt()).toBeNull();

    const again = await reload(view.unmount);
    expect(await screen.findByText(/Please change your password/)).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Changed' }));
    expect(prompt()).toBeNull();
    await reload(again.unmount);
    expect(prompt()).toBeNull();
  });

  it('goes when the user signs out, and stays gone after a reload', async () => {
    const { view } = await signedIn(weakSignIn());
    expect(await screen.findByText(/Please change your password/)).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    await screen.findByDisplayValue('anonymous');
    expect(prompt()).toBeNull();
    expect(sessionStorage.length).toBe(0);
    await reload(view.unmount);
    expect(prompt()).toBeNull();
  });

  it('does not show for a password the policy accepts, and a later sign-in clears an earlier note', async () => {
    sessionStorage.setItem(
      'gatehouse.password-change',
      JSON.stringify({ user: sampleUser.id, reason: 'value_error.password.weak' }),
    );
    await signedIn(fineSignIn());
    expect(prompt()).toBeNull();
    expect(sessionStorage.length).toBe(0);
  });

  it("is not shown to another user from the tab's note", async () => {
    sessionStorage.setItem(
      'gatehouse.password-change',
      JSON.stringify({ user: 'someone-else', reason: 'value_error.password.weak' }),
    );
    fakeApi({ 'POST /api/auth/session/refresh': token(), 'GET /api/users/me': json(200, sampleUser) });
    renderWithAuth(<Dashboard />);
    await screen.findByDisplayValue('authenticated');
    expect(prompt()).toBeNull();
  });

  it('keeps no credential in the note', async () => {
    await signedIn(weakSignIn());
    await screen.findByText(/Please change your password/);
    const stored = Object.keys(sessionStorage).map((key) => sessionStorage.getItem(key) ?? '');
    expect(stored).toEqual([JSON.stringify({ user: sampleUser.id, reason: 'value_error.password.common' })]);
    expect(stored.join('')).not.toMatch(/qwerty123|access-1/);
  });
});
