import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  captchaAnswer,
  captchaOff,
  fakeApi,
  json,
  noSession,
  rateLimited,
  sampleUser,
  token,
} from '../../test/fake-api';
import { challengeFor, solutionNumber } from '../../test/pow-challenge';
import { renderRoutes } from '../../test/render';
import { LoginForm } from './login-form';
import { GuestOnly, RequireAuth } from './route-guards';

const routes = [
  { path: '/auth', element: <GuestOnly />, children: [{ path: 'login', element: <LoginForm /> }] },
  { path: '/accounts', element: <RequireAuth />, children: [{ index: true, element: <h1>Accounts</h1> }] },
  { path: '/billing', element: <RequireAuth />, children: [{ index: true, element: <h1>Billing</h1> }] },
];

describe('LoginForm', () => {
  it('asks for an email and a password before sending', async () => {
    const server = fakeApi({ 'POST /api/auth/session/refresh': noSession() });
    renderRoutes(routes, '/auth/login');

    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(screen.getByLabelText('Email')).toHaveFocus();
    expect(screen.getByLabelText('Email')).toHaveAccessibleDescription('Enter your email address.');
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('Enter your password.');
    expect(server.calls('POST /api/auth/session')).toHaveLength(0);
  });

  it('announces a wrong password in an alert', async () => {
    fakeApi({
      'POST /api/auth/session/refresh': noSession(),
      'POST /api/auth/session': json(401, { detail: 'Incorrect email or password', code: 'invalid_credentials' }),
    });
    renderRoutes(routes, '/auth/login');
    await userEvent.type(screen.getByLabelText('Email'), 'ada@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'wrong-password');

    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Incorrect email or password.');
    expect(alert).toHaveFocus();
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeEnabled();
  });

  it('offers a new confirmation mail when the address must be confirmed first', async () => {
    fakeApi({
      'POST /api/auth/session/refresh': noSession(),
      'POST /api/auth/session': json(403, {
        detail: 'Confirm your email address before signing in',
        code: 'email_not_verified',
      }),
    });
    renderRoutes(routes, '/auth/login');
    await userEvent.type(screen.getByLabelText('Email'), 'ada@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'violet-kayak-mercury-19');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Confirm your email address before signing in.');
    expect(within(alert).getByRole('link', { name: 'Confirm your address or get a new mail' })).toHaveAttribute(
      'href',
      '/auth/verify-email',
    );
  });

  it('goes to the page first asked for after signing in', async () => {
    fakeApi({
      'POST /api/auth/session/refresh': noSession(),
      'POST /api/auth/session': token(),
      'GET /api/users/me': json(200, sampleUser),
    });
    const { router } = renderRoutes(routes, '/billing');
    await screen.findByLabelText('Email');
    expect(router.state.location.pathname).toBe('/auth/login');
    expect(router.state.location.search).toBe('?next=%2Fbilling');

    await userEvent.type(screen.getByLabelText('Email'), 'ada@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'correct-horse');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('heading', { name: 'Billing' })).toBeInTheDocument();
  });

  it('ignores a next that leaves the site', async () => {
    fakeApi({
      'POST /api/auth/session/refresh': noSession(),
      'POST /api/auth/session': token(),
      'GET /api/users/me': json(200, sampleUser),
    });
    renderRoutes(routes, `/auth/login?next=${encodeURIComponent('//evil.example')}`);
    await userEvent.type(screen.getByLabelText('Email'), 'ada@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'correct-horse');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('heading', { name: 'Accounts' })).toBeInTheDocument();
  });

  it('sends a signed-in visitor on to /accounts', async () => {
    fakeApi({ 'POST /api/auth/session/refresh': token(), 'GET /api/users/me': json(200, sampleUser) });
    renderRoutes(routes, '/auth/login');
    expect(await screen.findByRole('heading', { name: 'Accounts' })).toBeInTheDocument();
  });

  describe('when rate limited', () => {
    /** liveRegion is the form's polite region that announces the wait's start and end. */
    const liveRegion = () => document.querySelector('form [aria-live="polite"]');

    afterEach(() => {
      vi.useRealTimers();
    });

    it('counts the wait down live, refuses to submit, and re-enables when it ends', async () => {
      // shouldAdvanceTime keeps Testing Library's polling alive; the test moves the clock itself.
      vi.useFakeTimers({ shouldAdvanceTime: true });
      const user = userEvent.setup({ advanceTimers: (ms) => vi.advanceTimersByTime(ms) });
      const server = fakeApi({
        'POST /api/auth/session/refresh': noSession(),
        'POST /api/auth/session': [
          rateLimited(2),
          json(401, { detail: 'Incorrect email or password', code: 'invalid_credentials' }),
        ],
      });
      renderRoutes(routes, '/auth/login');
      await user.type(await screen.findByLabelText('Email'), 'ada@example.com');
      await user.type(screen.getByLabelText('Password'), 'guess');
      await user.click(screen.getByRole('button', { name: 'Sign in' }));

      const timer = await screen.findByRole('timer');
      expect(timer).toHaveTextContent('Too many attempts. Try again in 2 seconds.');
      expect(liveRegion()).toHaveTextContent('Too many attempts. Try again in 2 seconds.');
      // One message: no alert next to the countdown.
      expect(screen.queryByRole('alert')).not.toBeInTheDocument();
      const button = screen.getByRole('button', { name: 'Sign in' });
      expect(button).toHaveAttribute('aria-disabled', 'true');
      expect(button).toHaveAccessibleDescription('Too many attempts. Try again in 2 seconds.');

      // Refused, by click and by Enter.
      await user.click(button);
      await user.type(screen.getByLabelText('Password'), '{Enter}');
      expect(server.calls('POST /api/auth/session')).toHaveLength(1);

      await act(() => vi.advanceTimersByTimeAsync(1000));
      expect(timer).toHaveTextContent('Too many attempts. Try again in 1 second.');
      // The live region spoke at the start and stays quiet while the number changes.
      expect(liveRegion()).toHaveTextContent('Too many attempts. Try again in 2 seconds.');

      await act(() => vi.advanceTimersByTimeAsync(1000));
      expect(screen.queryByRole('timer')).not.toBeInTheDocument();
      expect(liveRegion()).toHaveTextContent('You can try again now.');
      expect(button).not.toHaveAttribute('aria-disabled');

      await user.click(button);
      expect(await screen.findByRole('alert')).toHaveTextContent('Incorrect email or password.');
      expect(liveRegion()).toHaveTextContent('');
      expect(screen.queryByText('You can try again now.')).not.toBeInTheDocument();
      expect(server.calls('POST /api/auth/session')).toHaveLength(2);
    });
  });
  describe('CAPTCHA', () => {
    const captchaOf = (body: string | null) => new URLSearchParams(body ?? '').get('captcha');
    async function signIn() {
      renderRoutes(routes, '/auth/login');
      await userEvent.type(screen.getByLabelText('Email'), 'ada@example.com');
      await userEvent.type(screen.getByLabelText('Password'), 'violet-kayak-mercury-19');
      await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    }

    it('fetches nothing until the server asks', async () => {
      const server = fakeApi({
        'POST /api/auth/session/refresh': noSession(),
        'POST /api/auth/session': token(),
        'GET /api/users/me': json(200, sampleUser),
      });
      await signIn();

      expect(await screen.findByRole('heading', { name: 'Accounts' })).toBeInTheDocument();
      expect(server.calls('GET /api/auth/captcha')).toHaveLength(0);
      expect(captchaOf(server.calls('POST /api/auth/session')[0]?.body ?? null)).toBeNull();
    });

    it('solves the challenge when asked and signs in again by itself', async () => {
      const server = fakeApi({
        'POST /api/auth/session/refresh': noSession(),
        'POST /api/auth/session': [captchaAnswer('captcha_required'), token()],
        'GET /api/auth/captcha': json(200, challengeFor(4321, { action: 'sign_in' })),
        'GET /api/users/me': json(200, sampleUser),
      });
      await signIn();

      expect(await screen.findByRole('heading', { name: 'Accounts' })).toBeInTheDocument();
      const sent = server.calls('POST /api/auth/session');
      expect(sent).toHaveLength(2);
      expect(captchaOf(sent[0]?.body ?? null)).toBeNull();
      expect(solutionNumber(captchaOf(sent[1]?.body ?? null) ?? '')).toBe(4321);
      expect(server.calls('GET /api/auth/captcha').map((r) => r.search)).toEqual(['?action=sign_in']);
    });

    it('once asked, solves one before each attempt', async () => {
      const server = fakeApi({
        'POST /api/auth/session/refresh': noSession(),
        'POST /api/auth/session': [
          captchaAnswer('captcha_required'),
          json(401, { detail: 'Incorrect email or password', code: 'invalid_credentials' }),
          token(),
        ],
        'GET /api/auth/captcha': [
          json(200, challengeFor(1, { action: 'sign_in' })),
          json(200, challengeFor(2, { action: 'sign_in' })),
        ],
        'GET /api/users/me': json(200, sampleUser),
      });
      await signIn();
      expect(await screen.findByRole('alert')).toHaveTextContent('Incorrect email or password.');
      expect(screen.getByText('Verified')).toBeInTheDocument();

      await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));

      expect(await screen.findByRole('heading', { name: 'Accounts' })).toBeInTheDocument();
      const sent = server.calls('POST /api/auth/session').map((r) => captchaOf(r.body));
      expect(sent.map((c) => (c === null ? null : solutionNumber(c)))).toEqual([null, 1, 2]);
    });

    it("shows the server's answer when it asks but the CAPTCHA is off for challenges", async () => {
      const server = fakeApi({
        'POST /api/auth/session/refresh': noSession(),
        'POST /api/auth/session': captchaAnswer('captcha_required'),
        'GET /api/auth/captcha': captchaOff(),
      });
      await signIn();

      expect(await screen.findByRole('alert')).toHaveTextContent(
        "We couldn't confirm you're not a bot. Please try again.",
      );
      expect(server.calls('POST /api/auth/session')).toHaveLength(1);
    });
  });
});
