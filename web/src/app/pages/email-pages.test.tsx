import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeApi, json, noSession, rateLimited, sampleUser, token } from '../../test/fake-api';
import { renderRoutes } from '../../test/render';
import { routes } from '../router';

// The pages the mails' links open. Their one rule: opening a page sends nothing but the
// session check; only the button spends a token.

const ok = (detail: string) => json(200, { detail });
const bad = (code: string, detail: string) => json(400, { detail, code });
const password = 'violet-kayak-mercury-19';

/** bodiesOf returns the JSON bodies sent to a route. */
function bodiesOf(server: ReturnType<typeof fakeApi>, key: string): unknown[] {
  return server.calls(key).map((r) => JSON.parse(r.body ?? 'null') as unknown);
}

describe('/auth/verify-email', () => {
  it('reads the token from the fragment, drops it from the address, and sends nothing on load', async () => {
    const server = fakeApi({ 'POST /api/auth/session/refresh': noSession() });
    const { router } = renderRoutes(routes, '/auth/verify-email#token=tok-123');

    expect(await screen.findByRole('button', { name: 'Confirm my email' })).toBeInTheDocument();
    await waitFor(() => expect(router.state.location.hash).toBe(''));
    expect(router.state.location.pathname).toBe('/auth/verify-email');
    await waitFor(() => expect(server.calls('POST /api/auth/session/refresh')).toHaveLength(1));
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/auth/session/refresh']);
  });

  it('posts the token when the button is pressed, and says so', async () => {
    const server = fakeApi({
      'POST /api/auth/session/refresh': noSession(),
      'POST /api/auth/verify-email': ok('Email address confirmed'),
    });
    renderRoutes(routes, '/auth/verify-email#token=tok-123');
    await userEvent.click(await screen.findByRole('button', { name: 'Confirm my email' }));

    const done = await screen.findByRole('status');
    expect(done).toHaveTextContent('Your email address is confirmed.');
    expect(done).toHaveFocus();
    expect(bodiesOf(server, 'POST /api/auth/verify-email')).toEqual([{ token: 'tok-123' }]);
    expect(server.calls('POST /api/auth/verify-email')[0]?.headers.get('Authorization')).toBeNull();
    expect(screen.getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/auth/login');
  });

  it('shows why a link failed and offers the code instead', async () => {
    const server = fakeApi({
      'POST /api/auth/session/refresh': noSession(),
      'POST /api/auth/verify-email': [
        bad('invalid_token', 'This link is invalid or has expired'),
        ok('Email address confirmed'),
      ],
    });
    renderRoutes(routes, '/auth/verify-email#token=old');
    await userEvent.click(await screen.findByRole('button', { name: 'Confirm my email' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('This link is invalid or has expired.');
    expect(alert).toHaveTextContent('enter the code from the mail instead');
    expect(alert).toHaveFocus();

    await userEvent.click(screen.getByRole('button', { name: 'Enter a code instead' }));
    await userEvent.type(screen.getByLabelText('Email'), 'ada@example.com');
    await userEvent.type(screen.getByLabelText('Code'), '123 456');
    await userEvent.click(screen.getByRole('button', { name: 'Confirm my email' }));

    expect(await screen.findByText('Your email address is confirmed.')).toBeInTheDocument();
    expect(bodiesOf(server, 'POST /api/auth/verify-email')).toEqual([
      { token: 'old' },
      { email: 'ada@example.com', code: '123456' },
    ]);
  });

  it('asks for the address and code without a token, and checks them first', async () => {
    const server = fakeApi({
      'POST /api/auth/session/refresh': noSession(),
      'POST /api/auth/verify-email': bad('invalid_code', 'The code is wrong or has expired'),
    });
    renderRoutes(routes, '/auth/verify-email');
    await userEvent.click(await screen.findByRole('button', { name: 'Confirm my email' }));
    expect(screen.getByLabelText('Email')).toHaveFocus();
    expect(screen.getByLabelText('Code')).toHaveAccessibleDescription('Enter the code from the mail.');
    expect(server.calls('POST /api/auth/verify-email')).toHaveLength(0);

    await userEvent.type(screen.getByLabelText('Email'), 'ada@example.com');
    await userEvent.type(screen.getByLabelText('Code'), '12345678');
    await userEvent.click(screen.getByRole('button', { name: 'Confirm my email' }));
    await waitFor(() =>
      expect(screen.getByLabelText('Code')).toHaveAccessibleDescription('The code is wrong or has expired.'),
    );
    expect(screen.getByLabelText('Code')).toHaveFocus();
  });

  it('reloads the signed-in user after confirming, so the dashboard knows', async () => {
    const server = fakeApi({
      'POST /api/auth/session/refresh': token(),
      'GET /api/users/me': [json(200, sampleUser), json(200, { ...sampleUser, email_verified: true })],
      'POST /api/auth/verify-email': ok('Email address confirmed'),
    });
    renderRoutes(routes, '/auth/verify-email#token=tok-123');
    await waitFor(() => expect(server.calls('GET /api/users/me')).toHaveLength(1));
    await userEvent.click(await screen.findByRole('button', { name: 'Confirm my email' }));

    expect(await screen.findByRole('link', { name: 'Go to your accounts' })).toHaveAttribute('href', '/accounts');
    expect(server.calls('GET /api/users/me')).toHaveLength(2);
  });

  it('waits out a rate limit before trying again', async () => {
    fakeApi({ 'POST /api/auth/session/refresh': noSession(), 'POST /api/auth/verify-email': rateLimited(30) });
    renderRoutes(routes, '/auth/verify-email#token=tok-123');
    await userEvent.click(await screen.findByRole('button', { name: 'Confirm my email' }));
    expect(await screen.findByRole('timer')).toHaveTextContent('Too many attempts. Try again in 30 seconds.');
    expect(screen.getByRole('button', { name: 'Confirm my email' })).toHaveAttribute('aria-disabled', 'true');
  });
});

describe('/auth/verify-email, asking for a new mail', () => {
  it('signed out: sends a new mail to an address, answered the same whatever it is', async () => {
    const server = fakeApi({
      'POST /api/auth/session/refresh': noSession(),
      'POST /api/auth/verify-email/resend': json(202, {
        detail: 'If an unverified account has this address, a mail with a confirmation link is on its way',
      }),
    });
    renderRoutes(routes, '/auth/verify-email');
    await userEvent.click(await screen.findByRole('button', { name: 'Send me a new mail' }));
    await userEvent.type(screen.getByLabelText('Email'), 'ada@example.com');
    await userEvent.click(screen.getByRole('button', { name: 'Send a new mail' }));

    expect(await screen.findByRole('status')).toHaveTextContent('a new mail with a link and a code is on its way');
    const sent = server.calls('POST /api/auth/verify-email/resend');
    expect(bodiesOf(server, 'POST /api/auth/verify-email/resend')).toEqual([{ email: 'ada@example.com' }]);
    expect(sent[0]?.headers.get('Authorization')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Enter the code from the new mail' }));
    expect(screen.getByLabelText('Code')).toBeInTheDocument();
  });

  it('signed in: leaves resending to the dashboard', async () => {
    const server = fakeApi({ 'POST /api/auth/session/refresh': token(), 'GET /api/users/me': json(200, sampleUser) });
    renderRoutes(routes, '/auth/verify-email');
    await waitFor(() => expect(server.calls('GET /api/users/me')).toHaveLength(1));
    expect(await screen.findByRole('button', { name: 'Confirm my email' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Send me a new mail' })).not.toBeInTheDocument();
  });
});

describe('/auth/confirm-email', () => {
  it('confirms a new address with its button and shows a taken address', async () => {
    const server = fakeApi({
      'POST /api/auth/session/refresh': noSession(),
      'POST /api/auth/verify-email': bad('email_taken', 'User with this email already exists'),
    });
    renderRoutes(routes, '/auth/confirm-email#token=change-1');
    await userEvent.click(await screen.findByRole('button', { name: 'Confirm my new email' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('User with this email already exists.');
    expect(bodiesOf(server, 'POST /api/auth/verify-email')).toEqual([{ token: 'change-1' }]);
  });
});

describe('/auth/report-email-change', () => {
  it('cancels the change only when asked, and points to a password reset', async () => {
    const server = fakeApi({
      'POST /api/auth/session/refresh': noSession(),
      'POST /api/auth/email-change/report': ok('The change was cancelled; change your password now'),
    });
    const { router } = renderRoutes(routes, '/auth/report-email-change#token=report-1');
    const button = await screen.findByRole('button', { name: 'Cancel the change' });
    await waitFor(() => expect(router.state.location.hash).toBe(''));
    expect(server.calls('POST /api/auth/email-change/report')).toHaveLength(0);

    await userEvent.click(button);
    expect(await screen.findByRole('status')).toHaveTextContent('The change was cancelled');
    expect(bodiesOf(server, 'POST /api/auth/email-change/report')).toEqual([{ token: 'report-1' }]);
    expect(screen.getByRole('link', { name: 'Reset your password' })).toHaveAttribute('href', '/auth/forgot-password');
  });

  it('says when the link came without its token', async () => {
    fakeApi({ 'POST /api/auth/session/refresh': noSession() });
    renderRoutes(routes, '/auth/report-email-change');
    expect(await screen.findByRole('status')).toHaveTextContent('This link is incomplete.');
    expect(screen.queryByRole('button', { name: 'Cancel the change' })).not.toBeInTheDocument();
  });
});

describe('/auth/forgot-password', () => {
  it('is linked from the sign-in form', async () => {
    fakeApi({ 'POST /api/auth/session/refresh': noSession() });
    const { router } = renderRoutes(routes, '/auth/login');
    await userEvent.click(await screen.findByRole('link', { name: 'Forgot your password?' }));
    expect(await screen.findByRole('heading', { name: 'Forgot your password?' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/auth/forgot-password');
  });

  it('gives the same answer whatever the address', async () => {
    const server = fakeApi({
      'POST /api/auth/session/refresh': noSession(),
      'POST /api/auth/password-reset': json(202, {
        detail: 'If an account has this address, a mail with a reset link is on its way',
      }),
    });
    renderRoutes(routes, '/auth/forgot-password');
    await userEvent.type(await screen.findByLabelText('Email'), 'nobody@example.com');
    await userEvent.click(screen.getByRole('button', { name: 'Send the reset mail' }));

    const done = await screen.findByRole('status');
    expect(done).toHaveTextContent('If an account exists for nobody@example.com, we have sent it a mail');
    expect(done).toHaveFocus();
    expect(bodiesOf(server, 'POST /api/auth/password-reset')).toEqual([{ email: 'nobody@example.com' }]);
    expect(screen.getByRole('link', { name: 'I have a code from the mail' })).toHaveAttribute(
      'href',
      '/auth/reset-password',
    );
  });
});

describe('/auth/reset-password', () => {
  it('with a link: sets the new password, then sends the person to sign in', async () => {
    const server = fakeApi({
      'POST /api/auth/session/refresh': noSession(),
      'POST /api/auth/password-reset/confirm': ok('Password changed; sign in with your new password'),
    });
    const { router } = renderRoutes(routes, '/auth/reset-password#token=reset-1');
    await waitFor(() => expect(router.state.location.hash).toBe(''));
    expect(screen.queryByLabelText('Code')).not.toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('New password'), password);
    await userEvent.type(screen.getByLabelText('Confirm new password'), password);
    await userEvent.click(screen.getByRole('button', { name: 'Set new password' }));

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('Your password has been changed.');
    expect(bodiesOf(server, 'POST /api/auth/password-reset/confirm')).toEqual([
      { token: 'reset-1', new_password: password },
    ]);
  });

  it('checks the confirmation before sending', async () => {
    const server = fakeApi({ 'POST /api/auth/session/refresh': noSession() });
    renderRoutes(routes, '/auth/reset-password#token=reset-1');
    await userEvent.type(await screen.findByLabelText('New password'), password);
    await userEvent.type(screen.getByLabelText('Confirm new password'), 'violet-kayak-mercury-18');
    await userEvent.click(screen.getByRole('button', { name: 'Set new password' }));
    expect(screen.getByLabelText('Confirm new password')).toHaveAccessibleDescription("The passwords don't match.");
    expect(server.calls('POST /api/auth/password-reset/confirm')).toHaveLength(0);
  });

  it('shows a used link, and where to ask for a new one', async () => {
    fakeApi({
      'POST /api/auth/session/refresh': noSession(),
      'POST /api/auth/password-reset/confirm': bad('token_used', 'This link has already been used'),
    });
    renderRoutes(routes, '/auth/reset-password#token=reset-1');
    await userEvent.type(await screen.findByLabelText('New password'), password);
    await userEvent.type(screen.getByLabelText('Confirm new password'), password);
    await userEvent.click(screen.getByRole('button', { name: 'Set new password' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('This link has already been used.');
    expect(screen.getByRole('link', { name: 'Ask for a new one' })).toHaveAttribute('href', '/auth/forgot-password');
  });

  it('with a code: sets the new password and signs in with it', async () => {
    const server = fakeApi({
      'POST /api/auth/session/refresh': noSession(),
      'POST /api/auth/password-reset/confirm': ok('Password changed; sign in with your new password'),
      'POST /api/auth/session': token(),
      'GET /api/users/me': json(200, sampleUser),
      'GET /api/email-accounts': json(200, []),
      'GET /api/users/me/sessions': json(200, []),
    });
    const { router } = renderRoutes(routes, '/auth/reset-password');
    await userEvent.type(await screen.findByLabelText('Email'), 'ada@example.com');
    await userEvent.type(screen.getByLabelText('Code'), '12345678');
    await userEvent.type(screen.getByLabelText('New password'), password);
    await userEvent.type(screen.getByLabelText('Confirm new password'), password);
    await userEvent.click(screen.getByRole('button', { name: 'Set new password' }));

    expect(await screen.findByRole('heading', { name: 'Welcome, Ada' }, { timeout: 10_000 })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/accounts');
    expect(bodiesOf(server, 'POST /api/auth/password-reset/confirm')).toEqual([
      { email: 'ada@example.com', code: '12345678', new_password: password },
    ]);
    const signIn = server.calls('POST /api/auth/session')[0];
    expect(new URLSearchParams(signIn?.body ?? '').get('password')).toBe(password);
  });

  it('puts a wrong code under its field', async () => {
    fakeApi({
      'POST /api/auth/session/refresh': noSession(),
      'POST /api/auth/password-reset/confirm': bad('invalid_code', 'The code is wrong or has expired'),
    });
    renderRoutes(routes, '/auth/reset-password');
    await userEvent.type(await screen.findByLabelText('Email'), 'ada@example.com');
    await userEvent.type(screen.getByLabelText('Code'), '12345678');
    await userEvent.type(screen.getByLabelText('New password'), password);
    await userEvent.type(screen.getByLabelText('Confirm new password'), password);
    await userEvent.click(screen.getByRole('button', { name: 'Set new password' }));
    await waitFor(() =>
      expect(screen.getByLabelText('Code')).toHaveAccessibleDescription('The code is wrong or has expired.'),
    );
    const form = screen.getByRole('form', { name: 'Choose a new password' });
    expect(within(form).queryByRole('alert')).not.toBeInTheDocument();
  });
});
