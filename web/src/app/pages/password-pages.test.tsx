import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { forgetPasswordPolicy } from '../../features/password/policy-client';
import { fakeApi, json, noContent, noSession, sampleUser, token } from '../../test/fake-api';
import { renderRoutes } from '../../test/render';
import { routes } from '../router';

const policy = {
  min_length: 8,
  max_bytes: 72,
  min_score: 3,
  max_scored_chars: 64,
  breach_check: 'off',
  blocklist: false,
};

const weak = {
  loc: ['body', 'password'],
  msg: 'This password is one of the most common passwords, so attackers try it first: choose another.',
  type: 'value_error.password.common',
  ctx: {
    score: 0,
    warning: 'This is a top-10 common password',
    suggestions: ['Add another word or two. Uncommon words are better.'],
  },
};

const meterLine = (text: string) =>
  screen.findByText((_, element) => element?.tagName === 'P' && element.textContent === text);

describe('the password pages', () => {
  beforeEach(() => {
    forgetPasswordPolicy();
    sessionStorage.clear();
  });

  it('register: the policy sets the hint, the meter judges, and the server decides', async () => {
    const server = fakeApi({
      'POST /api/auth/session/refresh': noSession(),
      'GET /api/auth/password-policy': json(200, { ...policy, min_length: 10 }),
      'POST /api/auth/register': [
        json(422, { detail: [weak] }),
        json(201, { message: 'User registered successfully' }),
      ],
      'POST /api/auth/session': token(),
      'GET /api/users/me': json(200, sampleUser),
      'GET /api/email-accounts': json(200, []),
      'GET /api/users/me/sessions': json(200, []),
    });
    const { router } = renderRoutes(routes, '/auth/register');
    const password = screen.getByLabelText('Password');
    await waitFor(() => expect(password).toHaveAccessibleDescription('At least 10 characters.'));
    await userEvent.type(screen.getByLabelText('Email'), 'ada@example.com');
    await userEvent.type(screen.getByLabelText('First name'), 'Ada');
    await userEvent.type(screen.getByLabelText('Last name'), 'Lovelace');

    await userEvent.type(password, 'password123');
    await userEvent.type(screen.getByLabelText('Confirm password'), 'password123');
    expect(await meterLine('Too guessable: not strong enough yet')).toBeInTheDocument();
    // The meter never holds the form back.
    const button = screen.getByRole('button', { name: 'Create account' });
    expect(button).toBeEnabled();
    expect(button).not.toHaveAttribute('aria-disabled');

    await userEvent.click(button);
    await waitFor(() =>
      expect(password).toHaveAccessibleDescription(
        'This password is one of the most common passwords, so attackers try it first: choose another. This is a top-10 common password. Add another word or two. Uncommon words are better.',
      ),
    );

    await userEvent.clear(password);
    await userEvent.type(password, 'violet-kayak-mercury-19');
    await userEvent.clear(screen.getByLabelText('Confirm password'));
    await userEvent.type(screen.getByLabelText('Confirm password'), 'violet-kayak-mercury-19');
    expect(await meterLine('Very strong: strong enough')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));

    expect(await screen.findByRole('heading', { name: 'Welcome, Ada' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/accounts');
    expect(server.calls('GET /api/auth/password-policy')).toHaveLength(1);
  });

  it('accounts: the prompt leads to the change-password card, and goes once the password is changed', async () => {
    sessionStorage.setItem(
      'gatehouse.password-change',
      JSON.stringify({ user: sampleUser.id, reason: 'value_error.password.breached' }),
    );
    const server = fakeApi({
      'POST /api/auth/session/refresh': token(),
      'GET /api/auth/password-policy': json(200, policy),
      'GET /api/users/me': json(200, sampleUser),
      'GET /api/email-accounts': json(200, []),
      'GET /api/users/me/sessions': json(200, []),
      'POST /api/users/me/password': noContent(),
    });
    renderRoutes(routes, '/accounts');
    expect(await screen.findByText(/Your password has appeared in a data breach\./)).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Choose a new password' }));
    const card = screen.getByRole('region', { name: 'Password' });
    expect(within(card).getByLabelText('Current password')).toHaveFocus();

    await userEvent.type(within(card).getByLabelText('Current password'), 'password123');
    await userEvent.type(within(card).getByLabelText('New password'), 'violet-kayak-mercury-19');
    expect(await meterLine('Very strong: strong enough')).toBeInTheDocument();
    await userEvent.type(within(card).getByLabelText('Confirm new password'), 'violet-kayak-mercury-19');
    await userEvent.click(within(card).getByRole('button', { name: 'Change password' }));

    expect(await within(card).findByText(/Password changed\./)).toBeInTheDocument();
    expect(screen.queryByText(/Please change your password/)).not.toBeInTheDocument();
    expect(sessionStorage.length).toBe(0);
    expect(server.calls('POST /api/users/me/password')).toHaveLength(1);
  });
});
