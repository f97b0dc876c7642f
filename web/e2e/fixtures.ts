import { randomUUID } from 'node:crypto';
import { test as base, expect, type Page } from '@playwright/test';

/** Person is a test user; each test makes its own so tests can share one server. */
export interface Person {
  email: string;
  firstName: string;
  lastName: string;
  password: string;
}

export function newPerson(firstName = 'Ada'): Person {
  return {
    email: `${firstName.toLowerCase()}.${randomUUID().slice(0, 8)}@example.com`,
    firstName,
    lastName: 'Lovelace',
    password: 'analytical-engine-1843',
  };
}

export const test = base.extend<{ baseURL: string }>({
  // Playwright requires an object pattern here even when no other fixture is used.
  // eslint-disable-next-line no-empty-pattern
  baseURL: async ({}, use) => {
    const url = process.env.GATEHOUSE_URL;
    if (url === undefined) throw new Error('GATEHOUSE_URL is not set: the global setup starts the server.');
    await use(url);
  },
});

export { expect };

/** registerThroughUi fills the registration form and waits for /accounts. */
export async function registerThroughUi(page: Page, person: Person): Promise<void> {
  await page.goto('/auth/register');
  await page.getByLabel('Email', { exact: true }).fill(person.email);
  await page.getByLabel('First name').fill(person.firstName);
  await page.getByLabel('Last name').fill(person.lastName);
  await page.getByLabel('Password', { exact: true }).fill(person.password);
  await page.getByLabel('Confirm password').fill(person.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/accounts$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Welcome, ${person.firstName}`);
}

/** signInThroughUi signs in on the current (or the sign-in) page. */
export async function signInThroughUi(page: Page, person: Person, path = '/auth/login'): Promise<void> {
  if (!page.url().includes('/auth/login')) await page.goto(path);
  await page.getByLabel('Email', { exact: true }).fill(person.email);
  await page.getByLabel('Password', { exact: true }).fill(person.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}
