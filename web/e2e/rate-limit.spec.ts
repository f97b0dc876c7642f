import { expect, newPerson, test } from './fixtures';
import { startGatehouse, type Gatehouse } from './gatehouse-server';

// The web app's side of the sign-in rate limit, against the real binary: a server of its own
// whose per-client limit allows two attempts a minute, so the third is answered 429 with
// Retry-After and the form counts the wait down.

let gatehouse: Gatehouse;

test.beforeAll(async () => {
  gatehouse = await startGatehouse({ GATEHOUSE_RATE_SIGN_IN_IP: '2/m,2' });
});

test.afterAll(async () => {
  await gatehouse.stop();
});

test('the third sign-in attempt shows a live countdown and refuses to submit', async ({ page }) => {
  const person = newPerson();
  await page.goto(`${gatehouse.url}/auth/login`);
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill('not-the-password');
  const button = page.getByRole('button', { name: 'Sign in' });

  for (let attempt = 1; attempt <= 2; attempt++) {
    await button.click();
    await expect(page.getByRole('alert')).toContainText('Incorrect email or password.');
  }

  const limited = page.waitForResponse((r) => r.url().endsWith('/api/auth/session') && r.status() === 429);
  await button.click();
  expect((await limited).headers()['retry-after']).toMatch(/^\d+$/);

  const timer = page.getByRole('timer');
  await expect(timer).toHaveText(/^Too many attempts\. Try again in \d+ seconds?\.$/);
  await expect(button).toBeDisabled();
  await expect(button).toHaveAttribute('aria-disabled', 'true');
  // One message at a time: the countdown replaces the earlier error.
  await expect(page.getByRole('alert')).toHaveCount(0);

  const secondsIn = async () => Number(/in (\d+) second/.exec((await timer.textContent()) ?? '')?.[1]);
  const first = await secondsIn();
  expect(first).toBeGreaterThan(0);
  // The number goes down while the page sits there (no assertion on how fast).
  await expect.poll(secondsIn).toBeLessThan(first);
});
