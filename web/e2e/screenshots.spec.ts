import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, newPerson, registerThroughUi, test } from './fixtures';

// The README's screenshots, made from the real binary on every run.

const viewports = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;

function shotPath(name: string): string {
  const dir = join(dirname(test.info().config.configFile ?? '.'), '..', 'docs', 'screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, `${name}.png`);
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
        await page.goto('/auth/register');
        await page.getByLabel('Email', { exact: true }).fill('ada@example');
        await page.getByLabel('First name').fill('Ada');
        await page.getByLabel('Last name').fill('Lovelace');
        await page.getByLabel('Password', { exact: true }).fill('short');
        await page.getByRole('button', { name: 'Create account' }).click();
        await expect(page.getByLabel('Email', { exact: true })).toHaveAttribute('aria-invalid', 'true');
        await settle(page);
        await page.screenshot({ path: shotPath(`register-${suffix}`) });

        await page.goto('/auth/login');
        await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
        await settle(page);
        await page.screenshot({ path: shotPath(`sign-in-${suffix}`) });

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
        await page.screenshot({ path: shotPath(`accounts-${suffix}`), fullPage: device === 'desktop' });
      });
    });
  }
}
