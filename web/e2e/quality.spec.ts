import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';
import { expect, newPerson, registerThroughUi, test } from './fixtures';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** accessibilityViolations runs axe-core's WCAG 2.x A and AA rules on the page as it is. */
async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (ctx: Document, options: object) => Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return result.violations;
  });
  return violations.map(
    (v) => `${v.id} (${v.impact ?? 'n/a'}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

/** cspErrors collects the page's Content-Security-Policy violations. */
function watchCsp(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) errors.push(message.text());
  });
  return errors;
}

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`${scheme} mode`, () => {
    test.use({ colorScheme: scheme });

    test('every page passes axe (WCAG 2.2 AA) and the CSP', async ({ page }) => {
      const csp = watchCsp(page);
      await page.goto('/auth/register');
      await page.getByRole('button', { name: 'Create account' }).click();
      await expect(page.getByLabel('Email', { exact: true })).toBeFocused();
      expect(await accessibilityViolations(page)).toEqual([]);
      // The strength meter, in each of its tones.
      for (const [password, word] of [
        ['password123', 'Too guessable'],
        ['kayak-19', 'Somewhat guessable'],
        ['violet-kayak-mercury-19', 'Very strong'],
      ] as const) {
        await page.getByLabel('Password', { exact: true }).fill(password);
        await expect(page.getByText(word, { exact: true })).toBeVisible();
        expect(await accessibilityViolations(page)).toEqual([]);
      }

      await page.goto('/auth/login');
      await page.getByLabel('Email', { exact: true }).fill('nobody@example.com');
      await page.getByLabel('Password', { exact: true }).fill('wrong-password');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await expect(page.getByRole('alert')).toBeVisible();
      expect(await accessibilityViolations(page)).toEqual([]);

      // The pages the mails link to: code entry with its errors, a link's button, the reset form.
      await page.goto('/auth/verify-email');
      await page.getByRole('button', { name: 'Confirm my email' }).click();
      await expect(page.getByLabel('Email', { exact: true })).toBeFocused();
      expect(await accessibilityViolations(page)).toEqual([]);
      await page.goto('/auth/confirm-email#token=not-a-real-token');
      await expect(page.getByRole('button', { name: 'Confirm my new email' })).toBeVisible();
      expect(await accessibilityViolations(page)).toEqual([]);
      await page.goto('/auth/reset-password');
      await page.getByRole('button', { name: 'Set new password' }).click();
      await expect(page.getByLabel('Email', { exact: true })).toBeFocused();
      expect(await accessibilityViolations(page)).toEqual([]);
      await page.goto('/auth/forgot-password');
      await page.getByRole('button', { name: 'Send the reset mail' }).click();
      await expect(page.getByLabel('Email', { exact: true })).toBeFocused();
      expect(await accessibilityViolations(page)).toEqual([]);

      await registerThroughUi(page, newPerson());
      const form = page.getByRole('form', { name: 'Connect an email account' });
      await form.getByLabel('Email address').fill('ada@work.example');
      await form.getByLabel('Display name').fill('Work');
      await form.getByRole('button', { name: 'Add account' }).click();
      await expect(page.getByRole('list', { name: 'Connected email accounts' })).toBeVisible();
      await expect(page.getByRole('list', { name: 'Signed-in devices' })).toBeVisible();
      await page.getByRole('button', { name: 'Remove ada@work.example' }).click();
      await page.getByRole('button', { name: 'Delete account…' }).click();
      expect(await accessibilityViolations(page)).toEqual([]);

      expect(csp).toEqual([]);
    });
  });
}

test('registering works with the keyboard alone, with visible focus', async ({ page }) => {
  const person = newPerson('Keys');
  await page.goto('/auth/register');
  const email = page.getByLabel('Email', { exact: true });
  // A focus ring is a difference between focused and resting styles: a resting box-shadow alone
  // must not pass for one.
  const ring = (el: Element) => {
    const style = getComputedStyle(el);
    return [style.boxShadow, style.outlineStyle, style.outlineWidth, style.outlineColor, style.borderColor].join(' | ');
  };
  const resting = await email.evaluate(ring);
  await page.keyboard.press('Tab');
  await expect(email).toBeFocused();
  await expect.poll(() => email.evaluate(ring)).not.toBe(resting);

  await page.keyboard.type(person.email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(person.firstName);
  await page.keyboard.press('Tab');
  await page.keyboard.type(person.lastName);
  await page.keyboard.press('Tab');
  await page.keyboard.type(person.password);
  await page.keyboard.press('Tab');
  await page.keyboard.type(person.password);
  await page.keyboard.press('Enter');

  await expect(page).toHaveURL(/\/accounts$/);
  await expect(page.getByRole('heading', { name: `Welcome, ${person.firstName}` })).toBeFocused();
  // On a fresh load of the dashboard the skip link is the first stop, and it skips the header.
  await page.reload();
  await expect(page.getByRole('heading', { name: `Welcome, ${person.firstName}` })).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  // A new account's address is not confirmed yet: the banner's button comes first.
  await expect(page.getByRole('button', { name: 'Send the mail again' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('main').getByLabel('Email address')).toBeFocused();
});

test('the API reference at /docs loads under the CSP', async ({ page }) => {
  const csp = watchCsp(page);
  await page.goto('/docs/');
  await expect(page.getByRole('heading', { name: /Gatehouse/ }).first()).toBeVisible();
  await expect(page.getByText('/api/auth/register').first()).toBeVisible();
  expect(csp).toEqual([]);
});

test("the web app's API types were generated from this server's OpenAPI document", async ({ request }) => {
  // src/lib/api-types.ts is generated from web/openapi.json; if the server's document changed,
  // the types may be stale. Fix: `make openapi-types`, then commit both files.
  // info.version is the binary's build stamp (the git revision), not part of the contract.
  const contract = (document: { info?: Record<string, unknown> }) => ({
    ...document,
    info: { ...document.info, version: undefined },
  });
  const served = (await (await request.get('/openapi.json')).json()) as { info?: Record<string, unknown> };
  const committed = JSON.parse(readFileSync(new URL('../openapi.json', import.meta.url), 'utf8')) as {
    info?: Record<string, unknown>;
  };
  expect(contract(served), 'web/openapi.json is out of date: run `make openapi-types`').toEqual(contract(committed));
});
