import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeApi, json, noContent, noSession, sampleUser, token } from '../../test/fake-api';
import { renderRoutes } from '../../test/render';
import { routes } from '../router';

const dashboard = {
  'GET /api/users/me': json(200, sampleUser),
  'GET /api/email-accounts': json(200, []),
  'GET /api/users/me/sessions': json(200, []),
};

describe('pages around the session', () => {
  it('offers a retry, not the sign-in page, when the session cannot be checked', async () => {
    fakeApi({ ...dashboard, 'POST /api/auth/session/refresh': [json(503, { detail: 'Down' }), token()] });
    const { router } = renderRoutes(routes, '/accounts');

    await userEvent.click(await screen.findByRole('button', { name: 'Retry' }));

    expect(await screen.findByRole('heading', { name: 'Welcome, Ada' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/accounts');
  });

  it('warns and stays signed in when signing out fails, and can try again', async () => {
    const server = fakeApi({
      ...dashboard,
      'POST /api/auth/session/refresh': token(),
      'DELETE /api/auth/session': [json(503, { detail: 'Down' }), noContent()],
    });
    const { router } = renderRoutes(routes, '/accounts');
    await screen.findByRole('heading', { name: 'Welcome, Ada' });

    await userEvent.click(screen.getByRole('button', { name: 'Sign out' }));

    expect(await screen.findByText('This device may still be signed in. Try again.')).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/accounts');
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('You have signed out.')).toBeInTheDocument();
    expect(server.calls('DELETE /api/auth/session')).toHaveLength(2);

    await router.navigate('/auth/register');
    expect(await screen.findByRole('heading', { name: 'Create your account' })).toBeInTheDocument();
    await router.navigate('/auth/login');
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(screen.queryByText('You have signed out.')).not.toBeInTheDocument();
  });

  it('replaces the lists when another tab signs in as someone else', async () => {
    const mailbox = (id: string, email_address: string) => ({
      id,
      email_address,
      provider: 'gmail',
      display_name: '',
      created_at: '2026-02-01T10:00:00Z',
      updated_at: '2026-02-01T10:00:00Z',
    });
    fakeApi({
      ...dashboard,
      'POST /api/auth/session/refresh': token(),
      'GET /api/users/me': [json(200, sampleUser), json(200, { ...sampleUser, id: 'grace', first_name: 'Grace' })],
      'GET /api/email-accounts': [
        json(200, [mailbox('a', 'ada@mail.example')]),
        json(200, [mailbox('g', 'grace@mail.example')]),
      ],
    });
    renderRoutes(routes, '/accounts');
    expect(await screen.findByText('ada@mail.example')).toBeInTheDocument();

    const otherTab = new BroadcastChannel('gatehouse:session');
    otherTab.postMessage({ event: 'signed-in', from: 'another-tab' });
    otherTab.close();

    expect(await screen.findByText('grace@mail.example')).toBeInTheDocument();
    expect(screen.queryByText('ada@mail.example')).not.toBeInTheDocument();
  });

  it('sends a new user to sign in, email filled in, when the automatic sign-in fails', async () => {
    fakeApi({
      'POST /api/auth/session/refresh': noSession(),
      'POST /api/auth/register': json(201, { message: 'User registered successfully' }),
      'POST /api/auth/session': json(503, { detail: 'Down' }),
    });
    const { router } = renderRoutes(routes, '/auth/register');
    await userEvent.type(screen.getByLabelText('Email'), 'ada@example.com');
    await userEvent.type(screen.getByLabelText('First name'), 'Ada');
    await userEvent.type(screen.getByLabelText('Last name'), 'Lovelace');
    await userEvent.type(screen.getByLabelText('Password'), 'orbit-lantern-quince-58');
    await userEvent.type(screen.getByLabelText('Confirm password'), 'orbit-lantern-quince-58');

    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));

    expect(await screen.findByText('Your account was created. Sign in to continue.')).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/auth/login');
    expect(screen.getByLabelText('Email')).toHaveValue('ada@example.com');
  });

  it('shows one message at a time: a wrong password replaces "You have signed out."', async () => {
    fakeApi({
      ...dashboard,
      'POST /api/auth/session/refresh': token(),
      'DELETE /api/auth/session': noContent(),
      'POST /api/auth/session': json(401, { detail: 'Incorrect email or password', code: 'invalid_credentials' }),
    });
    renderRoutes(routes, '/accounts');
    await userEvent.click(await screen.findByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('status')).toHaveTextContent('You have signed out.');

    await userEvent.type(screen.getByLabelText('Email'), 'ada@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'not-the-password');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Incorrect email or password.');
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  });
});
