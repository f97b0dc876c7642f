import { Alert } from './alert';

/** RetryWaitView is what the notice shows of a wait (lib/use-retry-wait's RetryWait fits it). */
export interface RetryWaitView {
  waiting: boolean;
  ended: boolean;
  message: string | null;
  announcement: string;
  timerId: string;
}

/**
 * RetryWaitNotice shows a form's wait: a countdown (role="timer", which is not live, so it is
 * not read out every second) while it runs, then "You can try again now." A visually hidden
 * polite live region, always present so its changes are announced, speaks only at the start
 * and at the end. The visible end message is hidden from screen readers: the region says it.
 */
export function RetryWaitNotice({ wait }: { wait: RetryWaitView }) {
  return (
    <>
      {/* aria-live rather than role="status": the region is always there, even empty, and a
          status role would add an empty status to every form. */}
      <p className="visually-hidden" aria-live="polite" aria-atomic="true">
        {wait.announcement}
      </p>
      {wait.waiting ? (
        <Alert tone="warning" live={false}>
          <span role="timer" id={wait.timerId}>
            {wait.message}
          </span>
        </Alert>
      ) : wait.ended ? (
        <div aria-hidden="true">
          <Alert tone="info" live={false}>
            {wait.message}
          </Alert>
        </div>
      ) : null}
    </>
  );
}
