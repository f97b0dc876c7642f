import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { expect } from './fixtures';

// Helpers for timing.spec.ts's CAPTCHA figures. They measure and report; nothing here
// asserts a time.

/** SolveRun is one registration form's bot check, timed in the page (ms). */
export interface SolveRun {
  maxnumber: number;
  /** From the challenge's arrival to "Verified": the solve, its lazy chunk and the workers. */
  solve: number;
  /** From the first focus to "Verified": the fetch too. */
  total: number;
}

/** timeRegisterSolve opens the register page in a fresh context and times its proof of work. */
export async function timeRegisterSolve(browser: Browser, url: string): Promise<SolveRun> {
  const context = await browser.newContext({ baseURL: url });
  const page = await context.newPage();
  const challenge = page.waitForResponse((r) => r.url().includes('/api/auth/captcha'));
  await page.goto('/auth/register');
  await expect(page.getByRole('button', { name: 'Create account' })).toBeEnabled();
  await page.evaluate(() => {
    const w = window as unknown as { verifiedAt?: number };
    new MutationObserver((_, observer) => {
      if (Array.from(document.querySelectorAll('[aria-live="polite"]')).some((e) => e.textContent === 'Verified')) {
        w.verifiedAt = performance.now();
        observer.disconnect();
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  const focusedAt = await page.evaluate(() => performance.now());
  await page.getByLabel('Email', { exact: true }).focus();
  const { maxnumber } = (await (await challenge).json()) as { maxnumber: number };
  await expect(page.getByText('Verified', { exact: true })).toBeVisible({ timeout: 60_000 });
  const run = await page.evaluate(
    ({ focusedAt, maxnumber }) => {
      const [entry] = performance
        .getEntriesByType('resource')
        .filter((e) => e.name.includes('/api/auth/captcha')) as PerformanceResourceTiming[];
      const verifiedAt = (window as unknown as { verifiedAt: number }).verifiedAt;
      return {
        maxnumber,
        solve: Math.round(verifiedAt - (entry?.responseEnd ?? focusedAt)),
        total: Math.round(verifiedAt - focusedAt),
      };
    },
    { focusedAt, maxnumber },
  );
  await context.close();
  return run;
}

/**
 * hashRates measures SHA-256 tries per second in the page: the app's worker (its own SHA-256,
 * the salt's blocks hashed once) over a range holding no answer, and a loop awaiting
 * crypto.subtle.digest per try as the npm altcha widget's worker does.
 */
export async function hashRates(page: Page): Promise<{ ownWorker: number; subtleDigest: number }> {
  const dist = join(import.meta.dirname, '..', 'dist', 'assets');
  const worker = readdirSync(dist).find((f) => /^pow-worker-.*\.js$/.test(f));
  if (worker === undefined) throw new Error('no pow-worker in dist/assets: run make build');
  return page.evaluate(async (workerUrl) => {
    const salt = '0123456789abcdef0123456789abcdef?action=register&expires=1900000000&';
    const tries = 1_000_000;
    const w = new Worker(workerUrl, { type: 'module' });
    const started = performance.now();
    await new Promise((resolve) => {
      w.onmessage = resolve;
      w.postMessage({
        challenge: { algorithm: 'SHA-256', challenge: '0'.repeat(64), maxnumber: tries, salt, signature: '' },
        from: 0,
        to: tries - 1,
      });
    });
    const ownWorker = tries / ((performance.now() - started) / 1000);
    w.terminate();

    const subtleTries = 100_000;
    const encoder = new TextEncoder();
    const t0 = performance.now();
    for (let n = 0; n < subtleTries; n++) {
      const digest = await crypto.subtle.digest('SHA-256', encoder.encode(salt + String(n)));
      const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
      if (hex === '0'.repeat(64)) break;
    }
    const subtleDigest = subtleTries / ((performance.now() - t0) / 1000);
    return { ownWorker: Math.round(ownWorker), subtleDigest: Math.round(subtleDigest) };
  }, `/assets/${worker}`);
}

/** median of numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? -1;
}
