import { useState } from 'react';
import { Link } from 'react-router';
import styles from './auth-form.module.css';
import { emailClient } from './email-client';
import { DoneNotice, EmailRequestForm } from './mailed-token-forms';

/**
 * ForgotPasswordForm asks for a reset mail. Its answer is the same whether or not the address
 * has an account (the server's is too), so the page tells no one which addresses do.
 */
export function ForgotPasswordForm() {
  const [sentTo, setSentTo] = useState<string | null>(null);

  if (sentTo !== null) {
    return (
      <DoneNotice
        message={`If an account exists for ${sentTo}, we have sent it a mail with a link to reset your password. The link works for 1 hour.`}
      >
        <p className={styles.explain}>
          No mail after a few minutes? Check your spam folder, or make sure you typed the address you signed up with.
        </p>
        <Link to="/auth/reset-password">I have a code from the mail</Link>
      </DoneNotice>
    );
  }
  return (
    <EmailRequestForm
      name="Reset your password"
      hint="We'll mail a link and a code to this address."
      label="Send the reset mail"
      pendingLabel="Sending…"
      send={async (email) => {
        await emailClient.requestPasswordReset(email);
        setSentTo(email);
      }}
    />
  );
}
