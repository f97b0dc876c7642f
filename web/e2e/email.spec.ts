import type { Browser } from '@playwright/test';
import { expect, newPerson, registerThroughUi, signInThroughUi, test as base } from './fixtures';
import { startGatehouse, type Gatehouse } from './gatehouse-server';
import { codeIn, freePort, linkIn, startMailServer, type MailServer, type ReceivedMail } from './mail-server';

// The mail flows end to end: Gatehouse delivers through its outbox to a real SMTP server (an
// smtp-server on loopback, over TCP), the test reads the mail it received, and the browser
// opens the link as a person would. Each worker runs its own SMTP server and its own
// Gatehouse, whose public URL is its own address, so the mails' links are used as they are.

const test = base.extend<{ mail: MailServer }, { stack: { mail: MailServer; gatehouse: Gatehouse } }>({
  stack: [
    // Playwright requires an object pattern here even when no other fixture is used.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const mail = await startMailServer();
      const port = await freePort();
      const gatehouse = await startGatehouse({
        GATEHOUSE_ADDR: `127.0.0.1:${port}`,
        GATEHOUSE_PUBLIC_URL: `http://localhost:${port}`,
        GATEHOUSE_SMTP_URL: mail.url,
        GATEHOUSE_MAIL_FROM: 'Gatehouse <noreply@example.com>',
      });
      await use({ mail, gatehouse });
      await gatehouse.stop();
      await mail.stop();
    },
    { scope: 'worker' },
  ],
  mail: async ({ stack }, use) => {
    await use(stack.mail);
  },
  baseURL: async ({ stack }, use) => {
    await use(stack.gatehouse.url);
  },
});

/** mailTo waits for the relay (which polls every 2 s) to deliver a mail to `to` matching subject. */
async function mailTo(mail: MailServer, to: string, subject: RegExp): Promise<ReceivedMail> {
  await expect
    .poll(() => mail.find(to, subject) !== undefined, { message: `a mail to ${to} matching ${String(subject)}` })
    .toBe(true);
  const found = mail.find(to, subject);
  if (found === undefined) throw new Error('the mail went away');
  return found;
}

async function newSignedInPage(browser: Browser, baseURL: string, person: ReturnType<typeof newPerson>) {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await signInThroughUi(page, person);
  await expect(page).toHaveURL(/\/accounts$/);
  return { context, page };
}

test('register, read the verification mail, open its link and confirm: the address is verified', async ({
  page,
  mail,
}) => {
  const person = newPerson();
  await registerThroughUi(page, person);
  const banner = page.getByRole('region', { name: 'Confirm your email' });
  await expect(banner).toContainText(person.email);

  const verification = await mailTo(mail, person.email, /^Confirm your email address/);
  expect(codeIn(verification)).toMatch(/^\d{6}$/);
  await page.goto(linkIn(verification, '/auth/verify-email'));
  // The token is read, then dropped from the address bar (and so from history).
  await expect(page).toHaveURL(/\/auth\/verify-email$/);
  await page.getByRole('button', { name: 'Confirm my email' }).click();
  await expect(page.getByRole('status')).toHaveText('Your email address is confirmed.');

  const me = page.waitForResponse((r) => r.url().endsWith('/api/users/me') && r.request().method() === 'GET');
  await page.getByRole('link', { name: 'Go to your accounts' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Welcome, ${person.firstName}`);
  await expect(banner).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Welcome, ${person.firstName}`);
  await expect(banner).toHaveCount(0);
  expect(((await (await me).json()) as { email_verified: boolean }).email_verified).toBe(true);
});

test('forgot password, mail, reset with its link: signed in with the new password, every other session gone', async ({
  page,
  browser,
  baseURL,
  mail,
}) => {
  const person = newPerson('Grace');
  const registered = await browser.newContext({ baseURL });
  await registerThroughUi(await registered.newPage(), person);
  const other = await newSignedInPage(browser, baseURL, person);

  await page.goto('/auth/login');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.getByLabel('Email').fill(person.email);
  await page.getByRole('button', { name: 'Send the reset mail' }).click();
  await expect(page.getByRole('status')).toContainText(`If an account exists for ${person.email}`);

  const reset = await mailTo(mail, person.email, /^Reset your .* password$/);
  const link = linkIn(reset, '/auth/reset-password');
  // A scanner fetching the link spends nothing (the fragment never even reaches the server).
  expect((await page.request.get(link)).status()).toBe(200);
  await page.goto(link);
  await expect(page).toHaveURL(/\/auth\/reset-password$/);
  const newPassword = 'violet-kayak-mercury-19';
  await page.getByLabel('New password', { exact: true }).fill(newPassword);
  await page.getByLabel('Confirm new password').fill(newPassword);
  await page.getByRole('button', { name: 'Set new password' }).click();

  await expect(page).toHaveURL(/\/auth\/login$/);
  await expect(page.getByRole('status')).toHaveText('Your password has been changed. Sign in with your new password.');
  await signInThroughUi(page, { ...person, password: newPassword });
  await expect(page).toHaveURL(/\/accounts$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Welcome, ${person.firstName}`);
  await mailTo(mail, person.email, /password was changed$/);

  // The sessions from before the reset are over: their next load goes to sign-in.
  for (const context of [registered, other.context]) {
    const before = context.pages()[0] ?? (await context.newPage());
    await before.goto('/accounts');
    await expect(before).toHaveURL(/\/auth\/login/);
    await context.close();
  }
  // The old password no longer works.
  const stale = await browser.newContext({ baseURL });
  const stalePage = await stale.newPage();
  await signInThroughUi(stalePage, person);
  await expect(stalePage.getByRole('alert')).toContainText('Incorrect email or password');
  await stale.close();
});

test('fetching a link, and loading its page without pressing the button, leave it valid', async ({
  page,
  browser,
  baseURL,
  mail,
}) => {
  const person = newPerson('Mary');
  await registerThroughUi(page, person);
  const link = linkIn(await mailTo(mail, person.email, /^Confirm your email address/), '/auth/verify-email');

  // What a link scanner does: GET and HEAD, cookies and all, following any redirect.
  const got = await page.request.get(link);
  expect(got.status()).toBe(200);
  expect(await got.text()).not.toContain('confirmed');
  expect((await page.request.head(link)).status()).toBe(200);
  // A scanner that runs the page's script: it loads, shows its button, and is left alone.
  const scanner = await browser.newContext({ baseURL });
  const scanned = await scanner.newPage();
  await scanned.goto(link);
  await expect(scanned.getByRole('button', { name: 'Confirm my email' })).toBeVisible();
  await scanned.waitForLoadState('networkidle');
  await scanner.close();

  // Its owner's click still works.
  await page.goto(link);
  await page.getByRole('button', { name: 'Confirm my email' }).click();
  await expect(page.getByRole('status')).toHaveText('Your email address is confirmed.');
});
