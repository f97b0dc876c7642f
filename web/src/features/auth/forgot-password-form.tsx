import { useState } from 'react';
import { Link } from 'react-router';
import { Alert } from '../../components/alert';
import { Button } from '../../components/button';
import { RetryWaitNotice } from '../../components/retry-wait-notice';
import { TextField } from '../../components/text-field';
import { formErrorsFrom } from '../../lib/form-errors';
import { useForm } from '../../lib/use-form';
import { emailError } from '../../lib/validation';
import styles from './auth-form.module.css';
import { emailClient } from './email-client';
import { DoneNotice } from './mailed-token-forms';

const fields = ['email'] as const;
type Field = (typeof fields)[number];
const initial: Record<Field, string> = { email: '' };

function validate(values: Record<Field, string>): Partial<Record<Field, string>> {
  const email = emailError(values.email);
  return email === null ? {} : { email };
}

/**
 * ForgotPasswordForm asks for a reset mail. Its answer is the same whether or not the address
 * has an account (the server's is too), so the page tells no one which addresses do.
 */
export function ForgotPasswordForm() {
  const [sentTo, setSentTo] = useState<string | null>(null);
  const form = useForm<Field>({
    fields,
    initial,
    validate,
    toErrors: (error) => formErrorsFrom<Field>(error, fields),
    submit: async (values) => {
      const email = values.email.trim();
      await emailClient.requestPasswordReset(email);
      setSentTo(email);
    },
  });

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
    <form className={styles.form} onSubmit={form.onSubmit} noValidate aria-label="Reset your password">
      <RetryWaitNotice wait={form.wait} />
      {form.formError ? (
        <Alert tone="error" id={form.formErrorId} focusable>
          {form.formError}
        </Alert>
      ) : null}
      <TextField
        label="Email"
        type="email"
        autoComplete="username"
        inputMode="email"
        required
        hint={form.errors.email ? undefined : "We'll mail a link and a code to this address."}
        {...form.field('email')}
      />
      <Button
        type="submit"
        variant="primary"
        fullWidth
        pending={form.pending}
        pendingLabel="Sending…"
        blocked={form.wait.waiting}
        aria-describedby={form.wait.waiting ? form.wait.timerId : undefined}
      >
        Send the reset mail
      </Button>
    </form>
  );
}
