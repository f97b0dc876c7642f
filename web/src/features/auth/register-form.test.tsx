import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
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
import { RegisterForm } from './register-form';
import { GuestOnly } from './route-guards';

// The server's policy as GET /api/auth/password-policy states it; the page passes it in.
const rules = { min_length: 8, max_bytes: 72 };

const routes = [
  {
    path: '/auth',
    element: <GuestOnly />,
    children: [{ path: 'register', element: <RegisterForm passwordRules={rules} /> }],
  },
  { path: '/accounts', element: <h1>Accounts</h1> },
];

async function fill(
  values: Partial<Record<'Email' | 'First name' | 'Last name' | 'Password' | 'Confirm password', string>>,
) {
  for (const [label, value] of Object.entries(values)) {
    const input = screen.getByLabelText(label);
    await userEvent.clear(input);
    if (value !== '') await userEvent.type(input, value);
  }
}

const valid = {
  Email: 'ada@example.com',
  'First name': 'Ada',
  'Last name': 'Lovelace',
  Password: 'orbit-lantern-quince-58',
  'Confirm password': 'orbit-lantern-quince-58',
};

// The CAPTCHA is off unless a test says otherwise: its own tests are below.
function setup() {
  const server = fakeApi({ 'POST /api/auth/session/refresh': noSession(), 'GET /api/auth/captcha': captchaOff() });
  renderRoutes(routes, '/auth/register');
  return server;
}

describe('RegisterForm', () => {
  it('has the labelled fields and the Create account button', () => {
    setup();
    for (const label of ['Email', 'First name', 'Last name', 'Password', 'Confirm password']) {
      expect(screen.getByLabelText(label)).toBeInTheDocument();
    }
    expect(screen.getByRole('button', { name: 'Create account' })).toBeEnabled();
  });

  it('checks every field before sending, and focuses the first invalid one', async () => {
    const server = setup();
    await fill({
      Email: 'not-an-email',
      'First name': '',
      'Last name': 'Lovelace',
      Password: 'short',
      'Confirm password': 'other',
    });
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('At least 8 characters.');

    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));

    const email = screen.getByLabelText('Email');
    expect(email).toHaveFocus();
    expect(email).toHaveAttribute('aria-invalid', 'true');
    expect(email).toHaveAccessibleDescription(/valid email address/);
    expect(screen.getByLabelText('First name')).toHaveAccessibleDescription('Enter your first name.');
    expect(screen.getByLabelText('Last name')).not.toHaveAttribute('aria-invalid');
    // One message: the error replaces the hint that says the same thing.
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('Use at least 8 characters.');
    expect(screen.getByLabelText('Confirm password')).toHaveAccessibleDescription("The passwords don't match.");
    expect(server.calls('POST /api/auth/register')).toHaveLength(0);
  });

  it('clears a message as soon as the field is fixed', async () => {
    setup();
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect(screen.getByLabelText('First name')).toHaveAttribute('aria-invalid', 'true');

    await userEvent.type(screen.getByLabelText('First name'), 'Ada');

    expect(screen.getByLabelText('First name')).not.toHaveAttribute('aria-invalid');
  });

  it('registers, signs in and goes to /accounts', async () => {
    const server = setup();
    server.on('POST /api/auth/register', json(201, { message: 'User registered successfully' }));
    server.on('POST /api/auth/session', token());
    server.on('GET /api/users/me', json(200, sampleUser));
    await fill({ ...valid, 'First name': '  Ada  ' });

    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));

    expect(await screen.findByRole('heading', { name: 'Accounts' })).toBeInTheDocument();
    expect(JSON.parse(server.calls('POST /api/auth/register')[0]?.body ?? '')).toEqual({
      email: 'ada@example.com',
      first_name: 'Ada',
      last_name: 'Lovelace',
      password: 'orbit-lantern-quince-58',
    });
    expect(server.calls('POST /api/auth/session')[0]?.body).toBe(
      'username=ada%40example.com&password=orbit-lantern-quince-58',
    );
  });

  it('shows progress while pending, ignores more clicks, and keeps focus on the button', async () => {
    const server = setup();
    let answer: (response: Response) => void = () => {};
    server.on('POST /api/auth/register', () => new Promise<Response>((resolve) => (answer = resolve)));
    await fill(valid);

    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));

    const button = screen.getByRole('button', { name: 'Creating account…' });
    expect(button).toHaveAttribute('aria-disabled', 'true');
    expect(button).toHaveFocus();
    await userEvent.click(button);
    expect(server.calls('POST /api/auth/register')).toHaveLength(1);
    answer(json(400, { detail: 'User with this email already exists', code: 'email_taken' }));
    expect(await screen.findByRole('button', { name: 'Create account' })).toBeEnabled();
  });

  it('does not cut a long name short: it says what is wrong instead', async () => {
    const server = setup();
    await fill({ ...valid, 'First name': 'x'.repeat(101) });

    expect(screen.getByLabelText('First name')).toHaveValue('x'.repeat(101));
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));

    expect(screen.getByLabelText('First name')).toHaveAccessibleDescription(/at most 100 characters/);
    expect(server.calls('POST /api/auth/register')).toHaveLength(0);
  });

  it("shows the server's duplicate-email message under Email", async () => {
    const server = setup();
    server.on(
      'POST /api/auth/register',
      json(400, { detail: 'User with this email already exists', code: 'email_taken' }),
    );
    await fill(valid);

    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));

    const email = screen.getByLabelText('Email');
    await waitFor(() => expect(email).toHaveAccessibleDescription('User with this email already exists.'));
    expect(email).toHaveFocus();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('maps each 422 item to the field its loc names', async () => {
    const server = setup();
    server.on(
      'POST /api/auth/register',
      json(422, {
        detail: [
          {
            loc: ['body', 'last_name'],
            msg: 'ensure this value has at most 100 characters',
            type: 'value_error.any_str.max_length',
          },
          {
            loc: ['body', 'password'],
            msg: 'ensure this value has at most 72 bytes',
            type: 'value_error.any_str.max_length',
          },
        ],
        code: 'invalid_input',
      }),
    );
    await fill(valid);

    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));

    await waitFor(() =>
      expect(screen.getByLabelText('Last name')).toHaveAccessibleDescription('Use at most 100 characters.'),
    );
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription(/Use at most 72 bytes\./);
    expect(screen.getByLabelText('Last name')).toHaveFocus();
  });

  it("shows the server's reason for refusing a password, with zxcvbn's advice, under Password", async () => {
    const server = setup();
    server.on(
      'POST /api/auth/register',
      json(422, {
        detail: [
          {
            loc: ['body', 'password'],
            msg: 'This password is one of the most common passwords, so attackers try it first: choose another.',
            type: 'value_error.password.common',
            ctx: {
              score: 0,
              warning: 'This is a top-10 common password',
              suggestions: ['Add another word or two. Uncommon words are better.'],
            },
          },
        ],
      }),
    );
    await fill({ ...valid, Password: 'password', 'Confirm password': 'password' });

    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));

    const password = screen.getByLabelText('Password');
    await waitFor(() =>
      expect(password).toHaveAccessibleDescription(
        'This password is one of the most common passwords, so attackers try it first: choose another. This is a top-10 common password. Add another word or two. Uncommon words are better.',
      ),
    );
    expect(password).toHaveAttribute('aria-invalid', 'true');
    expect(password).toHaveFocus();
    expect(server.calls('POST /api/auth/register')).toHaveLength(1);
  });

  it('leaves the lengths to the server until the policy is known', async () => {
    const server = fakeApi({ 'POST /api/auth/session/refresh': noSession() });
    server.on(
      'POST /api/auth/register',
      json(400, { detail: 'User with this email already exists', code: 'email_taken' }),
    );
    renderRoutes(
      [{ path: '/auth', element: <GuestOnly />, children: [{ path: 'register', element: <RegisterForm /> }] }],
      '/auth/register',
    );
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('Use a password you use nowhere else.');
    await fill({ ...valid, Password: 'kayak', 'Confirm password': 'kayak' });

    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));

    await waitFor(() => expect(server.calls('POST /api/auth/register')).toHaveLength(1));
  });

  it('shows anything else in a form-level alert', async () => {
    const server = setup();
    server.on('POST /api/auth/register', new Response('upstream down', { status: 502 }));
    await fill(valid);

    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Something went wrong on our side. Please try again.');
  });

  it('shows a rate limit as a live countdown and re-enables Create account when it ends', async () => {
    const server = setup();
    server.on('POST /api/auth/register', rateLimited(3));
    await screen.findByLabelText('Email');
    await fill(valid);
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
      const timer = await screen.findByRole('timer');
      expect(timer).toHaveTextContent('Too many attempts. Try again in 3 seconds.');
      const button = screen.getByRole('button', { name: 'Create account' });
      expect(button).toHaveAttribute('aria-disabled', 'true');

      await act(() => vi.advanceTimersByTimeAsync(1000));
      expect(timer).toHaveTextContent('Too many attempts. Try again in 2 seconds.');
      await act(() => vi.advanceTimersByTimeAsync(2000));
      expect(screen.queryByRole('timer')).not.toBeInTheDocument();
      expect(button).not.toHaveAttribute('aria-disabled');
      expect(server.calls('POST /api/auth/register')).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });
  describe('CAPTCHA', () => {
    function signedInAfterRegister(server: ReturnType<typeof setup>) {
      server.on('POST /api/auth/register', json(201, { message: 'User registered successfully' }));
      server.on('POST /api/auth/session', token());
      server.on('GET /api/users/me', json(200, sampleUser));
    }
    const sentCaptcha = (server: ReturnType<typeof setup>, i = 0) =>
      (JSON.parse(server.calls('POST /api/auth/register')[i]?.body ?? '{}') as { captcha?: string }).captcha;

    it('fetches a challenge on the first input, solves it while the visitor types, and sends it', async () => {
      const server = setup();
      server.on('GET /api/auth/captcha', json(200, challengeFor(1234)));
      signedInAfterRegister(server);
      expect(server.calls('GET /api/auth/captcha')).toHaveLength(0);

      await userEvent.type(screen.getByLabelText('Email'), 'a');

      expect(await screen.findByText('Verified')).toHaveAttribute('aria-live', 'polite');
      expect(server.calls('GET /api/auth/captcha').map((r) => r.search)).toEqual(['?action=register']);
      await fill(valid);
      await userEvent.click(screen.getByRole('button', { name: 'Create account' }));

      expect(await screen.findByRole('heading', { name: 'Accounts' })).toBeInTheDocument();
      expect(solutionNumber(sentCaptcha(server) ?? '')).toBe(1234);
      // One challenge for one registration; the sign-in that follows needs none.
      expect(server.calls('GET /api/auth/captcha')).toHaveLength(1);
      expect(server.calls('POST /api/auth/session')[0]?.body).not.toContain('captcha');
    });

    it('says so when the challenge cannot be fetched, and retries on request', async () => {
      const server = setup();
      server.on('GET /api/auth/captcha', [json(500, { detail: 'boom' }), json(200, challengeFor(7))]);

      await userEvent.type(screen.getByLabelText('Email'), 'a');

      expect(await screen.findByText("Couldn't check you're not a bot.")).toBeInTheDocument();
      await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
      expect(await screen.findByText('Verified')).toBeInTheDocument();
      expect(screen.queryByRole('button', { name: 'Try again' })).not.toBeInTheDocument();
    });

    it('sends nothing when the server has the CAPTCHA off (404)', async () => {
      const server = setup();
      signedInAfterRegister(server);
      await fill(valid);

      await userEvent.click(screen.getByRole('button', { name: 'Create account' }));

      expect(await screen.findByRole('heading', { name: 'Accounts' })).toBeInTheDocument();
      expect(server.calls('GET /api/auth/captcha')).toHaveLength(1);
      expect(sentCaptcha(server)).toBeUndefined();
      expect(screen.queryByText('Verified')).not.toBeInTheDocument();
    });

    it("says when the server's check is a vendor's widget, and sends nothing", async () => {
      const server = setup();
      server.on('GET /api/auth/captcha', json(200, { provider: 'turnstile', site_key: '1x00000000000000000000AA' }));
      signedInAfterRegister(server);
      await fill(valid);

      expect(await screen.findByText(/checks for bots with Cloudflare Turnstile/)).toHaveAttribute(
        'aria-live',
        'polite',
      );
      await userEvent.click(screen.getByRole('button', { name: 'Create account' }));

      expect(await screen.findByRole('heading', { name: 'Accounts' })).toBeInTheDocument();
      expect(sentCaptcha(server)).toBeUndefined();
    });

    it('solves a new challenge at submit when the one ready has expired', async () => {
      const server = setup();
      server.on('GET /api/auth/captcha', [json(200, challengeFor(5, { expires: 1 })), json(200, challengeFor(6))]);
      signedInAfterRegister(server);
      await fill(valid);
      expect(await screen.findByText('Verified')).toBeInTheDocument();

      await userEvent.click(screen.getByRole('button', { name: 'Create account' }));

      expect(await screen.findByRole('heading', { name: 'Accounts' })).toBeInTheDocument();
      expect(server.calls('GET /api/auth/captcha')).toHaveLength(2);
      expect(solutionNumber(sentCaptcha(server) ?? '')).toBe(6);
    });

    it('solves a new challenge once and sends again when the server refuses the solution', async () => {
      const server = setup();
      server.on('GET /api/auth/captcha', [json(200, challengeFor(1)), json(200, challengeFor(2))]);
      signedInAfterRegister(server);
      server.on('POST /api/auth/register', [
        captchaAnswer('captcha_invalid'),
        json(201, { message: 'User registered successfully' }),
      ]);
      await fill(valid);

      await userEvent.click(screen.getByRole('button', { name: 'Create account' }));

      expect(await screen.findByRole('heading', { name: 'Accounts' })).toBeInTheDocument();
      expect(solutionNumber(sentCaptcha(server, 0) ?? '')).toBe(1);
      expect(solutionNumber(sentCaptcha(server, 1) ?? '')).toBe(2);
    });

    it('shows the refusal when the second solution is refused too', async () => {
      const server = setup();
      server.on('GET /api/auth/captcha', json(200, challengeFor(3)));
      server.on('POST /api/auth/register', captchaAnswer('captcha_invalid'));
      await fill(valid);

      await userEvent.click(screen.getByRole('button', { name: 'Create account' }));

      expect(await screen.findByRole('alert')).toHaveTextContent(
        "We couldn't confirm you're not a bot. Please try again.",
      );
      expect(server.calls('POST /api/auth/register')).toHaveLength(2);
    });

    it('fetches a fresh challenge after a submit: each solution is used once', async () => {
      const server = setup();
      server.on('GET /api/auth/captcha', [json(200, challengeFor(10)), json(200, challengeFor(11))]);
      server.on(
        'POST /api/auth/register',
        json(400, { detail: 'User with this email already exists', code: 'email_taken' }),
      );
      await fill(valid);
      const button = screen.getByRole('button', { name: 'Create account' });

      await userEvent.click(button);
      await waitFor(() => expect(screen.getByLabelText('Email')).toHaveAccessibleDescription(/already exists/));
      await userEvent.click(button);

      await waitFor(() => expect(server.calls('POST /api/auth/register')).toHaveLength(2));
      expect(solutionNumber(sentCaptcha(server, 0) ?? '')).toBe(10);
      expect(solutionNumber(sentCaptcha(server, 1) ?? '')).toBe(11);
    });
  });
});
