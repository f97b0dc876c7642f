import { encodeSolution, search, type Challenge } from './pow';

export { expiresAt } from './pow';
import type { WorkerReply, WorkerRequest } from './pow-worker';

/** SolveError means a challenge could not be solved: no number matched, or no way to run. */
export class SolveError extends Error {
  override readonly name = 'SolveError';
}

// Below this many numbers one worker finishes in well under 100 ms and starting more costs
// more than it saves.
const splitAbove = 200_000;
const maxWorkers = 4;

function workerCount(maxnumber: number): number {
  if (maxnumber < splitAbove) return 1;
  const cores = typeof navigator === 'undefined' ? 1 : navigator.hardwareConcurrency || 1;
  return Math.max(1, Math.min(maxWorkers, cores));
}

/** searchInWorker runs one slice in a fresh module worker; it rejects if the worker cannot run. */
function searchInWorker(request: WorkerRequest, signal: AbortSignal): Promise<number | null> {
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(new URL('./pow-worker.ts', import.meta.url), { type: 'module', name: 'captcha' });
    } catch {
      reject(new SolveError('The CAPTCHA worker could not start'));
      return;
    }
    const done = () => {
      worker.terminate();
      signal.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      done();
      reject(signal.reason instanceof Error ? signal.reason : new SolveError('Stopped'));
    };
    signal.addEventListener('abort', onAbort);
    worker.addEventListener('message', (event: MessageEvent<WorkerReply>) => {
      done();
      resolve(event.data.number);
    });
    // A CSP that refuses the worker, or a failed load, ends up here.
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      done();
      reject(new SolveError('The CAPTCHA worker could not run'));
    });
    worker.postMessage(request);
  });
}

/**
 * searchOnMainThread is the fallback where workers cannot run: the same search in slices,
 * yielding between them so the page stays responsive.
 */
async function searchOnMainThread(challenge: Challenge, signal: AbortSignal): Promise<number | null> {
  const slice = 20_000;
  for (let from = 0; from <= challenge.maxnumber; from += slice) {
    signal.throwIfAborted();
    const found = search(challenge, from, Math.min(challenge.maxnumber, from + slice - 1));
    if (found !== null) return found;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return null;
}

/** inWorkers splits 0..maxnumber into contiguous slices, one per worker; the first match wins. */
async function inWorkers(challenge: Challenge, signal: AbortSignal): Promise<number | null> {
  const count = workerCount(challenge.maxnumber);
  const size = Math.ceil((challenge.maxnumber + 1) / count);
  const stop = new AbortController();
  const both = AbortSignal.any([signal, stop.signal]);
  const slices = Array.from({ length: count }, (_, i) =>
    searchInWorker({ challenge, from: i * size, to: Math.min(challenge.maxnumber, (i + 1) * size - 1) }, both),
  );
  try {
    // Each slice resolves null when its range holds no match: wait for a number, or for all.
    return await new Promise<number | null>((resolve, reject) => {
      let pending = slices.length;
      for (const slice of slices) {
        slice.then(
          (n) => {
            if (n !== null) resolve(n);
            else if (--pending === 0) resolve(null);
          },
          (error: unknown) => reject(error instanceof Error ? error : new SolveError(String(error))),
        );
      }
    });
  } finally {
    stop.abort();
    // The other slices reject on the stop; nothing waits for them.
    for (const slice of slices) slice.catch(() => undefined);
  }
}

/**
 * solve finds challenge's number and returns the captcha field's value. It uses Web Workers,
 * and the main thread only where they cannot run (no Worker, or one the page's policy
 * refuses). It rejects with SolveError when no number matches, and with signal's reason when
 * aborted.
 */
export async function solve(challenge: Challenge, signal: AbortSignal): Promise<string> {
  let number: number | null;
  if (typeof Worker === 'undefined') {
    number = await searchOnMainThread(challenge, signal);
  } else {
    try {
      number = await inWorkers(challenge, signal);
    } catch (error) {
      if (signal.aborted || !(error instanceof SolveError)) throw error;
      number = await searchOnMainThread(challenge, signal);
    }
  }
  if (number === null) throw new SolveError('No number solves the challenge');
  return encodeSolution(challenge, number);
}
