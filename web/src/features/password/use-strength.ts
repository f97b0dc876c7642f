import { useDeferredValue, useEffect, useMemo, useState } from 'react';
import type { Account, Strength } from './strength';

// strength.ts and zxcvbn's dictionaries (~400 KB gzip) are imported here only dynamically, so
// they form chunks of their own, fetched when a password field is first focused: the pages'
// initial JavaScript does not carry them.

interface Checker {
  check: (password: string, account: Account) => Strength;
}

let ready: Checker | null = null;

async function loadChecker(): Promise<Checker> {
  const strength = await import('./strength');
  const scorer = await strength.loadScorer();
  ready = { check: (password, account) => scorer(password, strength.userInputs(account)) };
  return ready;
}

/** StrengthCheck is where the meter stands: not asked yet, loading, failed to load, or scoring. */
export type StrengthCheck =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'failed'; retry: () => void }
  /** strength is null while the password is empty. */
  | { status: 'ready'; strength: Strength | null };

/**
 * useStrength scores password as the server will, given what the account says of its owner.
 * Nothing loads until active is first true (the field has been focused); once loaded, the
 * scorer is shared by every meter on every later page.
 */
export function useStrength(password: string, account: Account, active: boolean): StrengthCheck {
  const [checker, setChecker] = useState<Checker | null>(ready);
  const [attempt, setAttempt] = useState(0);
  const [failedAttempt, setFailedAttempt] = useState<number | null>(null);

  useEffect(() => {
    if (!active || checker !== null) return;
    let live = true;
    loadChecker().then(
      (loaded) => {
        if (live) setChecker(loaded);
      },
      () => {
        if (live) setFailedAttempt(attempt);
      },
    );
    return () => {
      live = false;
    };
  }, [active, checker, attempt]);

  // Scoring takes a few milliseconds; typing stays ahead of it on a slow device.
  const typed = useDeferredValue(password);
  const { email, firstName, lastName } = account;
  const strength = useMemo(
    () => (checker === null || typed === '' ? null : checker.check(typed, { email, firstName, lastName })),
    [checker, typed, email, firstName, lastName],
  );

  if (checker !== null) return { status: 'ready', strength };
  if (!active) return { status: 'idle' };
  if (failedAttempt === attempt) return { status: 'failed', retry: () => setAttempt((a) => a + 1) };
  return { status: 'loading' };
}
