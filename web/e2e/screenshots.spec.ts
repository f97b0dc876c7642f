import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, newPerson, registerThroughUi, test } from './fixtures';

// The README's screenshots, made from the real binary on every run. They are written to
// docs/screenshots only when asked (`make screenshots` sets GATEHOUSE_SCREENSHOTS=write), so
// `make test` never changes the tree; otherwise they go to test-results/screenshots, and a
// note says when they differ from the committed ones.
//
// They are byte-stable: the browser's clock is pinned, and every timestamp the API returns is
// pinned to that clock (past ones to two minutes before it, future ones to the same whole
// number of days ahead), so no date or "5 minutes ago" changes from one run to the next.

const write = process.env.GATEHOUSE_SCREENSHOTS === 'write';
const pinnedNow = new Date('2026-03-14T10:00:00Z');
const pinnedPast = new Date(pinnedNow.getTime() - 2 * 60_000).toISOString();
const day = 24 * 3600_000;

function pinTimestamp(iso: string, realNow: number): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  if (time <= realNow) return pinnedPast;
  return new Date(pinnedNow.getTime() + Math.round((time - realNow) / day) * day).toISOString();
}

/** pinTime fixes the page's clock and the API's timestamps (the cookie endpoints pass untouched). */
async function pinTime(page: Page) {
  await page.clock.setFixedTime(pinnedNow);
  await page.route(
    (url) => url.pathname.startsWith('/api/') && !url.pathname.startsWith('/api/auth/'),
    async (route) => {
      const response = await route.fetch();
      if (!(response.headers()['content-type'] ?? '').includes('json')) return route.fulfill({ response });
      const realNow = Date.now();
      const body = (await response.text()).replace(/"(\d{4}-\d\d-\d\dT[^"]*)"/g, (_, iso: string) =>
        JSON.stringify(pinTimestamp(iso, realNow)),
      );
      return route.fulfill({ response, body });
    },
  );
}

const viewports = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;

const webDir = () => dirname(test.info().config.configFile ?? '.');

async function shoot(page: Page, name: string, fullPage = false) {
  const committed = join(webDir(), '..', 'docs', 'screenshots', `${name}.png`);
  const dir = write ? dirname(committed) : join(webDir(), 'test-results', 'screenshots');
  mkdirSync(dir, { recursive: true });
  const shot = await page.screenshot({ path: join(dir, `${name}.png`), fullPage, animations: 'disabled' });
  if (!write && (!existsSync(committed) || !readFileSync(committed).equals(shot))) {
    test.info().annotations.push({
      type: 'screenshot changed',
      description: `${name}.png differs from docs/screenshots: run \`make screenshots\` and commit it`,
    });
  }
}

async function settle(page: Page) {
  await page.evaluate(() => document.fonts.ready);
  // Leave focus rings in; they are part of the design. Hide the caret, which blinks.
  await page.addStyleTag({ content: '* { caret-color: transparent !important; }' }).catch(() => undefined);
}

for (const [device, viewport] of Object.entries(viewports)) {
  for (const scheme of device === 'desktop' ? (['light', 'dark'] as const) : (['light'] as const)) {
    const suffix = scheme === 'dark' ? `${device}-dark` : device;

    test.describe(`screenshots: ${suffix}`, () => {
      test.use({
        viewport,
        colorScheme: scheme,
        isMobile: device === 'phone',
        hasTouch: device === 'phone',
        deviceScaleFactor: 1,
      });

      test('register, sign-in and /accounts', async ({ page }) => {
        await pinTime(page);
        await page.goto('/auth/register');
        await page.getByLabel('Email', { exact: true }).fill('ada@example');
        await page.getByLabel('First name').fill('Ada');
        await page.getByLabel('Last name').fill('Lovelace');
        await page.getByLabel('Password', { exact: true }).fill('short');
        await page.getByRole('button', { name: 'Create account' }).click();
        await expect(page.getByLabel('Email', { exact: true })).toHaveAttribute('aria-invalid', 'true');
        // The bot check started at the first keystroke; its end state makes a stable picture.
        await expect(page.getByText('Verified', { exact: true })).toBeVisible();
        await settle(page);
        await shoot(page, `register-${suffix}`);

        await page.goto('/auth/login');
        await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
        await settle(page);
        await shoot(page, `sign-in-${suffix}`);

        // A readable address for the pictures; each run starts on a fresh database, and each
        // variant uses its own.
        const email =
          { desktop: 'ada@lovelace.example', 'desktop-dark': 'ada@byron.example', phone: 'ada@babbage.example' }[
            suffix
          ] ?? `${suffix}@example.com`;
        await registerThroughUi(page, { ...newPerson(), email, firstName: 'Ada', lastName: 'Lovelace' });
        const form = page.getByRole('form', { name: 'Connect an email account' });
        for (const [email, provider, name] of [
          ['ada@analytical.example', 'Gmail', 'Personal'],
          ['ada.lovelace@work.example', 'Outlook', 'Work'],
          ['notes@babbage.example', 'IMAP', ''],
        ] as const) {
          await form.getByLabel('Email address').fill(email);
          await form.getByLabel('Provider').selectOption({ label: provider });
          await form.getByLabel('Display name').fill(name);
          await form.getByRole('button', { name: 'Add account' }).click();
          await expect(page.getByRole('list', { name: 'Connected email accounts' })).toContainText(email);
        }
        await page.evaluate(() => {
          (document.activeElement as HTMLElement | null)?.blur();
          window.scrollTo(0, 0);
        });
        await settle(page);
        await shoot(page, `accounts-${suffix}`, device === 'desktop');
      });
    });
  }
}
