import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as http, type Page, type Route } from '@playwright/test';
import { expect, newPerson, signInThroughUi, test } from './fixtures';
import { startGatehouse } from './gatehouse-server';

// The meter under the password on register, against the real server: it scores as the server
// will (one zxcvbn on both sides), so a password it calls too guessable is refused with the
// server's 422 reason and one it calls strong enough is accepted. Its dictionaries load only
// once the field is focused.

const weak = 'password123';
const strong = 'violet-kayak-mercury-19';

/** holdNewScripts holds back every script the page asks for from now on, until released. */
async function holdNewScripts(page: Page): Promise<{ requested: () => number; release: () => void }> {
  const held: Route[] = [];
  let holding = true;
  await page.route('**/assets/*.js', async (route) => {
    if (holding) held.push(route);
    else await route.continue();
  });
  return {
    requested: () => held.length,
    release: () => {
      holding = false;
      for (const route of held.splice(0)) void route.continue();
    },
  };
}

/** meterLine is the meter's line naming the score and, with the policy, the verdict. */
const meterLine = (page: Page, text: string) => page.locator('p').filter({ hasText: new RegExp(`^${text}$`) });

test('the meter and the server agree: a weak password is refused with its reason, a strong one accepted', async ({
  page,
}) => {
  const person = newPerson('Grace');
  await page.goto('/auth/register');
  const password = page.getByLabel('Password', { exact: true });
  const confirm = page.getByLabel('Confirm password');
  // The hint comes from the server's policy: the form has it.
  await expect(password).toHaveAccessibleDescription('At least 8 characters.');
  await expect(page.getByText('Its strength is checked as you type.')).toBeVisible();
  await page.getByLabel('Email', { exact: true }).fill(person.email);
  await page.getByLabel('First name').fill(person.firstName);
  await page.getByLabel('Last name').fill(person.lastName);

  // Nothing of the scorer has loaded yet: focusing the field asks for it.
  const scripts = await holdNewScripts(page);
  const before = await confirm.boundingBox();
  await password.focus();
  await expect(page.getByText('Loading the strength check…')).toBeVisible();
  await expect.poll(scripts.requested).toBeGreaterThan(0);
  expect(await confirm.boundingBox()).toEqual(before);
  scripts.release();

  await password.fill(weak);
  await expect(meterLine(page, 'Too guessable: not strong enough yet')).toBeVisible();
  await expect(page.getByText('This is a very common password.')).toBeVisible();
  // The meter keeps its height whatever it says: the form below does not move.
  expect(await confirm.boundingBox()).toEqual(before);
  await expect(page.getByRole('status', { name: 'Password strength' })).toHaveText(
    'Password strength: Too guessable, not strong enough yet. This is a very common password.',
  );

  await password.fill(strong);
  await expect(meterLine(page, 'Very strong: strong enough')).toBeVisible();
  expect(await confirm.boundingBox()).toEqual(before);

  // The meter never disables the button: the weak one goes to the server, which refuses it.
  await password.fill(weak);
  await confirm.fill(weak);
  await expect(meterLine(page, 'Too guessable: not strong enough yet')).toBeVisible();
  const refused = page.waitForResponse((r) => r.url().endsWith('/api/auth/register'));
  await page.getByRole('button', { name: 'Create account' }).click();
  expect((await refused).status()).toBe(422);
  await expect(password).toHaveAttribute('aria-invalid', 'true');
  await expect(password).toHaveAccessibleDescription(
    /^This password is one of the most common passwords, so attackers try it first: choose another\. This is a very common password\./,
  );
  await expect(password).toBeFocused();

  await password.fill(strong);
  await confirm.fill(strong);
  await expect(meterLine(page, 'Very strong: strong enough')).toBeVisible();
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/accounts$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Welcome, ${person.firstName}`);
});

test('a password built from the account is refused, as the meter warned', async ({ page }) => {
  const person = newPerson('Wilhelmina');
  await page.goto('/auth/register');
  await page.getByLabel('Email', { exact: true }).fill(person.email);
  await page.getByLabel('First name').fill(person.firstName);
  await page.getByLabel('Last name').fill('Quist');
  const password = page.getByLabel('Password', { exact: true });
  await password.fill('wilhelminaquist');
  await page.getByLabel('Confirm password').fill('wilhelminaquist');
  await expect(page.locator('p').filter({ hasText: /guessable: not strong enough yet/ })).toBeVisible();

  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(password).toHaveAccessibleDescription(/built from your email address, your name/);
  await expect(page).toHaveURL(/\/auth\/register$/);
});

test('a sign-in with a password the policy now refuses: the dashboard asks for a new one until it is changed', async ({
  browser,
}) => {
  // An account made while the policy was laxer: one server accepts the password, a second one,
  // on the same database, judges it by today's default.
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-e2e-policy-'));
  const database = join(dir, 'gatehouse.db');
  const person = { ...newPerson('Lax'), password: 'kayak-19' };
  const lax = await startGatehouse({ GATEHOUSE_DATABASE_URL: database, GATEHOUSE_PASSWORD_MIN_SCORE: '0' });
  try {
    const api = await http.newContext({ baseURL: lax.url });
    const created = await api.post('/api/auth/register', {
      data: {
        email: person.email,
        first_name: person.firstName,
        last_name: person.lastName,
        password: person.password,
      },
    });
    expect(created.status()).toBe(201);
    await api.dispose();
  } finally {
    await lax.stop();
  }

  const strict = await startGatehouse({ GATEHOUSE_DATABASE_URL: database });
  const context = await browser.newContext({ baseURL: strict.url });
  try {
    const page = await context.newPage();
    await signInThroughUi(page, person);
    await expect(page).toHaveURL(/\/accounts$/);
    const prompt = page.getByRole('status').filter({ hasText: 'Please change your password' });
    await expect(prompt).toContainText('Your password is too easy to guess.');

    // "Not now" hides it for this page; it is back after a reload, until the password changes.
    await prompt.getByRole('button', { name: 'Not now' }).click();
    await expect(prompt).toBeHidden();
    await page.reload();
    await expect(prompt).toBeVisible();

    await prompt.getByRole('button', { name: 'Choose a new password' }).click();
    const card = page.getByRole('region', { name: 'Password' });
    await expect(card.getByLabel('Current password')).toBeFocused();
    await card.getByLabel('Current password').fill(person.password);
    await card.getByLabel('New password', { exact: true }).fill(strong);
    await expect(meterLine(page, 'Very strong: strong enough')).toBeVisible();
    await card.getByLabel('Confirm new password').fill(strong);
    await card.getByRole('button', { name: 'Change password' }).click();
    await expect(card.getByRole('status').filter({ hasText: 'Password changed.' })).toBeVisible();
    await expect(prompt).toBeHidden();
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Welcome, ${person.firstName}`);
    await expect(prompt).toBeHidden();

    // Signing in with the new password asks nothing.
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await signInThroughUi(page, { ...person, password: strong });
    await expect(page).toHaveURL(/\/accounts$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Welcome, ${person.firstName}`);
    await expect(prompt).toBeHidden();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  } finally {
    await context.close();
    await strict.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
