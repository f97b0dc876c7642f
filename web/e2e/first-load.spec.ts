import type { ConsoleMessage, Page } from '@playwright/test';
import { expect, newPerson, registerThroughUi, test } from './fixtures';

// What a visitor sees and what the console says on the first load, signed out and signed in.

/** watchConsole collects console errors and uncaught exceptions. */
function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') errors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

test('a signed-out load logs no error: the session probe answers 204', async ({ page }) => {
  const errors = watchConsole(page);
  const probe = page.waitForResponse((r) => r.url().endsWith('/api/auth/session/refresh'));
  await page.goto('/');

  expect((await probe).status()).toBe(204);
  await expect(page).toHaveURL(/\/auth\/login\?next=%2Faccounts$/);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  for (const path of ['/auth/register', '/accounts', '/nope']) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  }
  // Nothing but the server's deliberate 404 for /nope, which the browser reports as a resource error.
  expect(errors.filter((e) => !/\/nope\b/.test(e))).toEqual([]);
});

test('the first paint of / is the app frame, not a bare spinner, while the session check runs', async ({ page }) => {
  // Hold the session probe, so what is on screen is what shows while it runs.
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  let probed: () => void = () => undefined;
  const probing = new Promise<void>((resolve) => (probed = resolve));
  await page.route('**/api/auth/session/refresh', async (route) => {
    probed();
    await held;
    await route.continue();
  });

  await page.goto('/');
  await probing;
  await expect(page.getByRole('banner')).toContainText('Gatehouse');
  await expect(page.getByRole('main')).toBeVisible();
  await expect(page.getByRole('status')).toHaveText('Loading your account…');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeAttached();

  release();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});

test('a signed-in reload of /accounts shows the frame, then the dashboard, with no console error', async ({ page }) => {
  const person = newPerson();
  await registerThroughUi(page, person);
  const errors = watchConsole(page);
  await page.reload();
  await expect(page.getByRole('heading', { name: `Welcome, ${person.firstName}` })).toBeVisible();
  expect(errors).toEqual([]);
});

test('an unknown path shows the not-found page with ways on', async ({ page }) => {
  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  const next = page.getByRole('navigation', { name: 'Where to go next' });
  await next.getByRole('link', { name: 'Create an account' }).click();
  await expect(page).toHaveURL(/\/auth\/register$/);
  await page.goBack();
  await page.getByRole('navigation', { name: 'Where to go next' }).getByRole('link', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/auth\/login$/);
});
