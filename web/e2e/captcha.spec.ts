import type { APIRequestContext, Page, Request } from '@playwright/test';
import { expect, newPerson, registerThroughUi, signInThroughUi, test, type Person } from './fixtures';
import { startGatehouse, type Gatehouse } from './gatehouse-server';

// The web app's side of the CAPTCHA, against the real binary in Debian's Chromium: the
// proof of work is fetched, solved in a Web Worker under the page's strict CSP, and sent.
// Each describe starts a server of its own, since each needs its own CAPTCHA settings.

/** watch records the page's CAPTCHA traffic, its workers and any CSP violation. */
function watch(page: Page) {
  const seen = { challenges: [] as string[], workers: 0, cspErrors: [] as string[] };
  page.on('request', (r: Request) => {
    if (r.url().includes('/api/auth/captcha')) seen.challenges.push(new URL(r.url()).search);
  });
  page.on('worker', () => seen.workers++);
  page.on('console', (m) => {
    if (m.type() === 'error' && m.text().includes('Content Security Policy')) seen.cspErrors.push(m.text());
  });
  return seen;
}

async function registerByApi(request: APIRequestContext, url: string, person: Person): Promise<void> {
  const r = await request.post(`${url}/api/auth/register`, {
    data: { email: person.email, first_name: person.firstName, last_name: person.lastName, password: person.password },
  });
  expect(r.status()).toBe(201);
}

test.describe('registration with GATEHOUSE_CAPTCHA_REGISTER=always', () => {
  let gatehouse: Gatehouse;

  test.beforeAll(async () => {
    gatehouse = await startGatehouse({ GATEHOUSE_CAPTCHA_REGISTER: 'always' });
  });

  test.afterAll(async () => {
    await gatehouse.stop();
  });

  test('the server refuses a registration without a solution', async ({ request }) => {
    const person = newPerson();
    const r = await request.post(`${gatehouse.url}/api/auth/register`, {
      data: { email: person.email, first_name: 'Ada', last_name: 'Lovelace', password: person.password },
    });
    expect(r.status()).toBe(403);
    expect((await r.json()) as unknown).toMatchObject({ code: 'captcha_required' });
  });

  test('a person registers with no extra click: the form solved the challenge while they typed', async ({
    browser,
  }) => {
    const context = await browser.newContext({ baseURL: gatehouse.url });
    const page = await context.newPage();
    const seen = watch(page);
    const sent = page.waitForRequest((r) => r.url().endsWith('/api/auth/register') && r.method() === 'POST');

    await registerThroughUi(page, newPerson());

    const body = (await sent).postDataJSON() as { captcha?: unknown };
    expect(typeof body.captcha).toBe('string');
    const solution = JSON.parse(Buffer.from(body.captcha as string, 'base64').toString()) as Record<string, unknown>;
    expect(solution).toMatchObject({ algorithm: 'SHA-256', number: expect.any(Number) });
    expect(solution.salt).toContain('action=register');
    expect(seen.challenges).toEqual(['?action=register']);
    // Solved in a worker, which the page's CSP admitted.
    expect(seen.workers).toBeGreaterThan(0);
    expect(seen.cspErrors).toEqual([]);
    await context.close();
  });

  test('the status says what is happening, politely, in space kept for it', async ({ browser }) => {
    const context = await browser.newContext({ baseURL: gatehouse.url });
    const page = await context.newPage();
    await page.goto('/auth/register');
    const button = page.getByRole('button', { name: 'Create account' });
    const before = await button.boundingBox();

    await page.getByLabel('Email', { exact: true }).focus();

    const status = page.getByText('Verified', { exact: true });
    await expect(status).toBeVisible();
    await expect(status).toHaveAttribute('aria-live', 'polite');
    // Nothing above the status moved when its text appeared.
    expect(await button.boundingBox()).toEqual(before);
    await context.close();
  });
});

test.describe('sign-in under attack', () => {
  let gatehouse: Gatehouse;

  test.beforeAll(async () => {
    // Three untrusted failures spend the account's budget, which then comes back one attempt
    // every 10 s: long enough for the page to meet the attack, short enough to wait out.
    gatehouse = await startGatehouse({ GATEHOUSE_RATE_SIGN_IN_ACCOUNT: '6/m,3' });
  });

  test.afterAll(async () => {
    await gatehouse.stop();
  });

  test('an unknown browser is asked for the challenge and gets in; a trusted device is not asked', async ({
    browser,
    request,
  }) => {
    const person = newPerson();
    await registerByApi(request, gatehouse.url, person);

    // The owner's browser signs in once, so it holds the account's device cookie.
    const owner = await browser.newContext({ baseURL: gatehouse.url });
    const ownerPage = await owner.newPage();
    await signInThroughUi(ownerPage, person);
    await expect(ownerPage).toHaveURL(/\/accounts$/);
    await ownerPage.getByRole('button', { name: 'Sign out', exact: true }).click();
    await expect(ownerPage).toHaveURL(/\/auth\/login/);

    // A stranger's browser, ready to submit.
    const stranger = await browser.newContext({ baseURL: gatehouse.url });
    const page = await stranger.newPage();
    const seen = watch(page);
    await page.goto('/auth/login');
    await page.getByLabel('Email', { exact: true }).fill(person.email);
    await page.getByLabel('Password', { exact: true }).fill(person.password);

    // Someone guesses at the account through the API until it is under attack.
    for (let i = 0; i < 3; i++) {
      const r = await request.post(`${gatehouse.url}/api/auth/token`, {
        form: { grant_type: 'password', username: person.email, password: 'wrong-guess-violet-kayak' },
      });
      expect(r.status()).toBe(401);
    }
    const guess = await request.post(`${gatehouse.url}/api/auth/token`, {
      form: { grant_type: 'password', username: person.email, password: 'wrong-guess-violet-kayak' },
    });
    expect((await guess.json()) as unknown).toMatchObject({ code: 'captcha_required' });

    const asked = page.waitForResponse((r) => r.url().endsWith('/api/auth/session') && r.status() === 403);
    const solved = page.waitForRequest(
      (r) => r.url().endsWith('/api/auth/session') && r.method() === 'POST' && /(^|&)captcha=/.test(r.postData() ?? ''),
    );
    const button = page.getByRole('button', { name: 'Sign in', exact: true });
    await button.click();
    expect((await (await asked).json()) as unknown).toMatchObject({ code: 'captcha_required' });
    // The form solved one and sent it again by itself.
    const answer = await (await solved).response();
    expect(seen.challenges).toEqual(['?action=sign_in']);
    await expect(page.getByText(/^(Checking you're not a bot…|Verified)$/)).toBeVisible();

    // Meanwhile the owner, on the device the account knows, signs in as if nothing happened.
    const ownerSeen = watch(ownerPage);
    await signInThroughUi(ownerPage, person);
    await expect(ownerPage).toHaveURL(/\/accounts$/);
    expect(ownerSeen.challenges).toEqual([]);
    await owner.close();

    // While the account's budget is spent the solved attempt also meets its delay (a 429 and
    // the countdown); once that runs out, the stranger's next click gets in.
    if (answer?.status() === 429) {
      await expect(button).not.toHaveAttribute('aria-disabled', 'true', { timeout: 20_000 });
      await button.click();
    } else {
      expect(answer?.status()).toBe(200);
    }
    await expect(page).toHaveURL(/\/accounts$/);
    expect(seen.cspErrors).toEqual([]);
    await stranger.close();
  });
});
