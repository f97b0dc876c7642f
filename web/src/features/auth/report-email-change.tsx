import { useState } from 'react';
import { Link } from 'react-router';
import { Alert } from '../../components/alert';
import styles from './auth-form.module.css';
import { emailClient } from './email-client';
import { DoneNotice, LinkConfirmForm } from './mailed-token-forms';
import { useFragmentToken } from './use-fragment-token';

/**
 * ReportEmailChange is the page body of the old address's notice: its button cancels every
 * pending change of the account. Only the link works here (the notice has no code), and only
 * once pressed.
 */
export function ReportEmailChange() {
  const token = useFragmentToken();
  const [done, setDone] = useState(false);

  if (done) {
    return (
      <DoneNotice message="The change was cancelled: your account keeps this address.">
        <p className={styles.explain}>
          Whoever asked for it knew your password. Choose a new one now: resetting it also signs out every device.
        </p>
        <Link to="/auth/forgot-password">Reset your password</Link>
      </DoneNotice>
    );
  }
  if (token === null) {
    return (
      <Alert tone="warning">
        This link is incomplete. Open the link in the mail again, or copy all of it into the address bar.
      </Alert>
    );
  }
  return (
    <div className={styles.result}>
      <p className={styles.explain}>
        Someone asked to move your Gatehouse account to another email address. If it wasn't you, cancel the change.
      </p>
      <LinkConfirmForm
        name="Cancel the email change"
        label="Cancel the change"
        pendingLabel="Cancelling…"
        confirm={async () => {
          await emailClient.reportEmailChange(token);
          setDone(true);
        }}
      />
    </div>
  );
}
