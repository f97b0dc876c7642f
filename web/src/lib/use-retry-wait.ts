import { useCallback, useId, useState } from 'react';
import { ApiError } from './api-error';
import { useCountdown } from './use-countdown';

/**
 * retryWaitOf returns how long the server asked us to wait before trying again: the
 * Retry-After of a 429 (rate_limited, mail_rate_limited) or of a 503 busy. Null for any other
 * error, and for one without a usable Retry-After (it is then shown as an ordinary message).
 */
export function retryWaitOf(error: unknown): number | null {
  if (!(error instanceof ApiError) || error.retryAfter === undefined || error.retryAfter <= 0) return null;
  if (error.status === 429 || (error.status === 503 && error.code === 'busy')) return error.retryAfter;
  return null;
}

/** waitSentence is the server's sentence with the current number: "Try again in 1 second." */
export function waitSentence(reason: string, seconds: number): string {
  return `${reason} Try again in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}.`;
}

function reasonOf(error: ApiError): string {
  if (error.code === 'busy') return 'Gatehouse is busy right now.';
  if (error.code === 'mail_rate_limited') return 'Too many emails sent.';
  return 'Too many attempts.';
}

/** RetryWait is a form's wait after the server refused it for a while; see useRetryWait. */
export interface RetryWait {
  /** The server's wait is running: the form refuses to submit. */
  waiting: boolean;
  /** The wait ran out and nothing has been tried since: "You can try again now." */
  ended: boolean;
  secondsLeft: number;
  /** The sentence for now: the live countdown, the all-clear, or null when idle. */
  message: string | null;
  /** What the polite live region says: changes only when the wait starts and when it ends. */
  announcement: string;
  /** The id of the countdown, for the submit button's aria-describedby. */
  timerId: string;
  /** catchWait starts the wait if `error` asks for one, and says whether it did. */
  catchWait: (error: unknown) => boolean;
  /** dismiss forgets an ended wait (a new attempt is starting). */
  dismiss: () => void;
}

/**
 * useRetryWait turns a rate-limited (or busy) answer into a live countdown. The form shows
 * `message` as its one message, refuses to submit while `waiting`, and re-enables when the
 * deadline passes, saying "You can try again now." until the next attempt.
 */
export function useRetryWait(): RetryWait {
  const { secondsLeft, start } = useCountdown();
  const [wait, setWait] = useState<{ reason: string; seconds: number } | null>(null);
  const timerId = useId();

  const catchWait = useCallback(
    (error: unknown) => {
      const seconds = retryWaitOf(error);
      if (seconds === null || !(error instanceof ApiError)) return false;
      setWait({ reason: reasonOf(error), seconds });
      start(seconds);
      return true;
    },
    [start],
  );
  const dismiss = useCallback(() => setWait(null), []);

  const waiting = wait !== null && secondsLeft > 0;
  const ended = wait !== null && secondsLeft === 0;
  const again = 'You can try again now.';
  return {
    waiting,
    ended,
    secondsLeft,
    message: waiting ? waitSentence(wait.reason, secondsLeft) : ended ? again : null,
    // Announcing every second would drown out everything else a screen reader says.
    announcement: waiting ? waitSentence(wait.reason, wait.seconds) : ended ? again : '',
    timerId,
    catchWait,
    dismiss,
  };
}
