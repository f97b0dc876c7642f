import { useCallback, useId, useState } from 'react';
import { Alert } from '../../components/alert';
import { Button } from '../../components/button';
import { EmailAddress } from '../../components/email-address';
import { RetryWaitNotice } from '../../components/retry-wait-notice';
import { ApiError } from '../../lib/api-error';
import { formErrorsFrom } from '../../lib/form-errors';
import { useCountdown } from '../../lib/use-countdown';
import { useRetryWait } from '../../lib/use-retry-wait';
import { useAuth } from './auth-context';
import styles from './unverified-banner.module.css';
import { emailClient } from './email-client';

/**
 * resendCooldownSeconds is how long the button rests after a mail went out. The server's own
 * limit (a few mails an hour, answered 429 with Retry-After) is the authority; this only keeps
 * a second click from sending a second mail before the first has had time to arrive.
 */
export const resendCooldownSeconds = 60;

/**
 * UnverifiedBanner asks a signed-in user whose address is not confirmed yet to open the mail,
 * and offers to send it again. After a send the button rests for a minute, and a 429 makes it
 * wait as long as Retry-After says; the polite live region says only when a mail went out and
 * when the button is usable again, never each second. It renders nothing once verified.
 */
export function UnverifiedBanner() {
  const { user, reloadUser } = useAuth();
  const cooldown = useCountdown();
  const wait = useRetryWait();
  const [pending, setPending] = useState(false);
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const timerId = useId();
  const { catchWait, dismiss } = wait;
  const { start } = cooldown;

  const email = user?.email ?? '';
  const resend = useCallback(async () => {
    setPending(true);
    setError(null);
    dismiss();
    try {
      await emailClient.resendVerification(email);
      setSent(true);
      start(resendCooldownSeconds);
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === 'email_already_verified') {
        // Confirmed meanwhile (another tab, another device): the fresh user hides the banner.
        await reloadUser().catch(() => undefined);
      } else if (!catchWait(failure)) {
        setError(formErrorsFrom(failure, []).form);
      }
    } finally {
      setPending(false);
    }
  }, [email, start, dismiss, catchWait, reloadUser]);

  if (user === null || user.email_verified) return null;
  const resting = cooldown.secondsLeft > 0;
  const blocked = resting || wait.waiting;
  return (
    <section className={styles.banner} aria-labelledby={`${timerId}-title`}>
      <Alert
        tone="warning"
        live={false}
        action={
          <Button
            size="sm"
            variant="secondary"
            onClick={() => void resend()}
            pending={pending}
            pendingLabel="Sending…"
            blocked={blocked}
            aria-describedby={resting ? timerId : wait.waiting ? wait.timerId : undefined}
          >
            Send the mail again
          </Button>
        }
      >
        <h2 className={styles.title} id={`${timerId}-title`}>
          Confirm your email
        </h2>
        <p>
          We sent a link to <EmailAddress address={user.email} />. Open it and press the button on the page to confirm
          that the address is yours.
        </p>
        {resting ? (
          <p className={styles.timer}>
            <span role="timer" id={timerId}>
              You can ask for another in {cooldown.secondsLeft} {cooldown.secondsLeft === 1 ? 'second' : 'seconds'}.
            </span>
          </p>
        ) : null}
      </Alert>
      {/* Said once when a mail goes out, and once when the button can be used again. */}
      <p className="visually-hidden" aria-live="polite" aria-atomic="true">
        {sent ? (resting ? `A new mail is on its way to ${user.email}.` : 'You can ask for another mail now.') : ''}
      </p>
      <RetryWaitNotice wait={wait} />
      {error !== null ? <Alert tone="error">{error}</Alert> : null}
    </section>
  );
}
