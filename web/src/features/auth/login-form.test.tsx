import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeApi, json, noSession, sampleUser, token } from '../../test/fake-api';
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
});
