import { screen, waitFor } from '@testing-library/react';
import type { RouteObject } from 'react-router';
import { describe, expect, it } from 'vitest';
import appRoutes from '../../app-routes.json';
import { fakeApi, json, noSession, sampleUser, token } from '../test/fake-api';
import { renderRoutes } from '../test/render';
import { routes } from './router';

// app-routes.json is the one list of the app's paths: the Go server answers them with the app
// and status 200, and every other non-API path with status 404 (its own test reads the list
// too). This test keeps the list and the router in step.

/** routedPaths lists every path the route tree gives a page, index routes as their parent's. */
function routedPaths(tree: RouteObject[], parent = ''): string[] {
  return tree.flatMap((route) => {
    if (route.path === '*') return [];
    const path = route.path === undefined ? parent : `${parent.replace(/\/$/, '')}/${route.path}`;
    const own =
      route.index === true || (route.element !== undefined && route.children === undefined) ? [path || '/'] : [];
    return [...own, ...routedPaths(route.children ?? [], path)];
  });
}

const listed = appRoutes.paths;
// The pages mails link to are open to everyone, signed in or not; the rest send a signed-in
// user to the dashboard.
const openToAll = [
  '/auth/verify-email',
  '/auth/confirm-email',
  '/auth/reset-password',
  '/auth/report-email-change',
  '/auth/forgot-password',
];
const toDashboard = listed.filter((path) => !openToAll.includes(path));

describe('app-routes.json', () => {
  it('lists exactly the paths the router routes', () => {
    expect([...routedPaths(routes)].sort()).toEqual([...listed].sort());
  });

  it('has no path twice', () => {
    expect(new Set(listed).size).toBe(listed.length);
  });

  it.each(listed)('routes %s to a real page, signed out', async (path) => {
    fakeApi({ 'POST /api/auth/session/refresh': noSession() });
    renderRoutes(routes, path);
    // The first visit to /accounts loads its code, which takes a while in jsdom.
    const heading = await screen.findByRole('heading', { level: 1 }, { timeout: 10_000 });
    expect(heading).not.toHaveTextContent('Page not found');
  });

  it.each(toDashboard)('routes %s to the dashboard, signed in', async (path) => {
    fakeApi({
      'POST /api/auth/session/refresh': token(),
      'GET /api/users/me': json(200, sampleUser),
      'GET /api/email-accounts': json(200, []),
      'GET /api/users/me/sessions': json(200, []),
    });
    renderRoutes(routes, path);
    expect(await screen.findByRole('heading', { name: 'Welcome, Ada' }, { timeout: 10_000 })).toBeInTheDocument();
  });

  it.each(openToAll)('shows %s to a signed-in user too', async (path) => {
    fakeApi({ 'POST /api/auth/session/refresh': token(), 'GET /api/users/me': json(200, sampleUser) });
    const { router } = renderRoutes(routes, path);
    await waitFor(() =>
      expect(fetch).toHaveBeenCalledWith(expect.stringContaining('/api/users/me'), expect.anything()),
    );
    const heading = await screen.findByRole('heading', { level: 1 });
    expect(heading).not.toHaveTextContent(/Page not found|Welcome/);
    expect(router.state.location.pathname).toBe(path);
  });

  it.each(['/nope', '/auth/nope', '/accounts/nope', '/docs/nope'])('sends %s to the not-found page', async (path) => {
    fakeApi({ 'POST /api/auth/session/refresh': noSession() });
    renderRoutes(routes, path);
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument();
  });
});

describe('the not-found page', () => {
  it('offers sign-in and registration to a visitor who is signed out', async () => {
    fakeApi({ 'POST /api/auth/session/refresh': noSession() });
    const { router } = renderRoutes(routes, '/nope');
    const next = await screen.findByRole('navigation', { name: 'Where to go next' });

    expect(screen.getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/auth/login');
    expect(screen.getByRole('link', { name: 'Create an account' })).toHaveAttribute('href', '/auth/register');
    expect(next).not.toContainElement(screen.queryByRole('link', { name: 'Go to your accounts' }));

    screen.getByRole('link', { name: 'Create an account' }).click();
    expect(await screen.findByRole('heading', { name: 'Create your account' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/auth/register');
  });

  it('offers the accounts page to a signed-in user', async () => {
    fakeApi({ 'POST /api/auth/session/refresh': token(), 'GET /api/users/me': json(200, sampleUser) });
    renderRoutes(routes, '/nope');
    expect(await screen.findByRole('link', { name: 'Go to your accounts' })).toHaveAttribute('href', '/accounts');
    expect(screen.queryByRole('link', { name: 'Sign in' })).not.toBeInTheDocument();
  });
});
