import { useCallback, useEffect, useRef, useState } from 'react';
import { captchaClient, type CaptchaAction, type Vendor } from './captcha-client';

/**
 * CaptchaStatus is what the form shows: nothing yet (idle), the work under way (solving), a
 * solution ready (verified), a failure to fetch or solve (failed, with a retry), the CAPTCHA
 * off on this server (off), or a vendor's widget the app does not show (vendor).
 */
export type CaptchaStatus = 'idle' | 'solving' | 'verified' | 'failed' | 'off' | 'vendor';

type Outcome =
  | { kind: 'solved'; payload: string; expires: number | null }
  | { kind: 'off' }
  | { kind: 'vendor'; vendor: Vendor }
  | { kind: 'failed' };

interface Job {
  done: Promise<Outcome>;
  abort: AbortController;
}

// A solution is not sent this close to its expiry: the request must arrive before it.
const expiryMargin = 15_000;

const statusOf: Record<Outcome['kind'], CaptchaStatus> = {
  solved: 'verified',
  off: 'off',
  vendor: 'vendor',
  failed: 'failed',
};

/** Captcha is a form's handle on its challenge. */
export interface Captcha {
  status: CaptchaStatus;
  /** The vendor the server names, when status is vendor. */
  vendor: Vendor | null;
  /** start fetches and solves a challenge in the background, unless one is under way or ready. */
  start: () => void;
  /**
   * startOn is a ref callback for a form: focus or input in it (autofill too) starts the
   * work when there is none, so after a submit spent the solution, the next edit fetches
   * a new challenge.
   */
  startOn: (form: HTMLFormElement | null) => void;
  /** retry starts over after a failure. */
  retry: () => void;
  /**
   * take resolves the solution to send, waiting for the work under way; each solution is
   * handed out once (the server accepts it once). It starts over when there is none, when the
   * last attempt failed, or when the one ready is about to expire. It resolves undefined when
   * there is nothing to send: the CAPTCHA is off, a vendor's, or it failed again.
   */
  take: () => Promise<string | undefined>;
}

/**
 * useCaptcha fetches and solves the proof of work for action, in a Web Worker, so the form
 * can have the solution ready before it is submitted. Leaving the page stops the work.
 */
export function useCaptcha(action: CaptchaAction): Captcha {
  const [status, setStatus] = useState<CaptchaStatus>('idle');
  const [vendor, setVendor] = useState<Vendor | null>(null);
  const job = useRef<Job | null>(null);

  useEffect(
    () => () => {
      job.current?.abort.abort();
      job.current = null;
    },
    [],
  );

  const begin = useCallback((): Job => {
    job.current?.abort.abort();
    const abort = new AbortController();
    const done = (async (): Promise<Outcome> => {
      try {
        // The solver (SHA-256 and the worker's driver) loads only when there is work for it, so
        // the page's first paint carries none of it; it loads while the challenge is fetched.
        const solver = import('./solve');
        solver.catch(() => undefined);
        const offer = await captchaClient.offer(action, abort.signal);
        if (offer.kind === 'off') return { kind: 'off' };
        if (offer.kind === 'vendor') return { kind: 'vendor', vendor: offer.vendor };
        const { solve, expiresAt } = await solver;
        const payload = await solve(offer.challenge, abort.signal);
        return { kind: 'solved', payload, expires: expiresAt(offer.challenge) };
      } catch (error) {
        if (abort.signal.aborted) throw error;
        return { kind: 'failed' };
      }
    })();
    const current: Job = { done, abort };
    job.current = current;
    setStatus('solving');
    done.then(
      (outcome) => {
        // A job started since (a retry, a fresh challenge) speaks for itself.
        if (job.current !== current) return;
        setStatus(statusOf[outcome.kind]);
        if (outcome.kind === 'vendor') setVendor(outcome.vendor);
      },
      () => undefined,
    );
    return current;
  }, [action]);

  const start = useCallback(() => {
    if (job.current === null) begin();
  }, [begin]);

  const take = useCallback(async (): Promise<string | undefined> => {
    let outcome = await (job.current ?? begin()).done;
    const stale = outcome.kind === 'solved' && outcome.expires !== null && outcome.expires - expiryMargin < Date.now();
    if (outcome.kind === 'failed' || stale) outcome = await begin().done;
    if (outcome.kind !== 'solved') return undefined;
    // Spent: the next take (or start) fetches a new challenge.
    job.current = null;
    return outcome.payload;
  }, [begin]);

  const startOn = useCallback(
    (form: HTMLFormElement | null) => {
      if (form === null) return;
      form.addEventListener('focusin', start);
      form.addEventListener('input', start);
      return () => {
        form.removeEventListener('focusin', start);
        form.removeEventListener('input', start);
      };
    },
    [start],
  );

  return { status, vendor, start, startOn, retry: begin, take };
}
