import { useState } from 'react';
import { Alert } from '../../components/alert';
import { Card } from '../../components/card';
import { EmailAddress } from '../../components/email-address';
import { MailIcon } from '../../components/icons';
import { TextField } from '../../components/text-field';
import { FormFeedback, SubmitButton } from '../../components/form-feedback';
import { formErrorsFrom } from '../../lib/form-errors';
import { useForm } from '../../lib/use-form';
import { emailError } from '../../lib/validation';
import styles from './profile.module.css';
import { usersClient } from './users-client';

const fields = ['new_email', 'password'] as const;
type Field = (typeof fields)[number];
const initial: Record<Field, string> = { new_email: '', password: '' };

/** validateEmailChange checks the new address (and that it is new) and that a password was given. */
export function validateEmailChange(values: Record<Field, string>, current: string): Partial<Record<Field, string>> {
  const errors: Partial<Record<Field, string>> = {};
  const email = emailError(values.new_email);
  if (email !== null) errors.new_email = email;
  else if (values.new_email.trim().toLowerCase() === current.toLowerCase()) {
    errors.new_email = 'That is already your address. Enter a different one.';
  }
  if (values.password === '') errors.password = 'Enter your current password.';
  return errors;
}

const toErrors = (error: unknown) =>
  formErrorsFrom<Field>(error, fields, { incorrect_password: 'password', email_unchanged: 'new_email' });

/**
 * ChangeEmailCard asks to move the account to another address, with the current password.
 * Nothing changes until the confirmation mailed to the new address is used; the current one
 * gets a notice with a way to report it.
 */
export function ChangeEmailCard({ email }: { email: string }) {
  const [sentTo, setSentTo] = useState<string | null>(null);
  const form = useForm<Field>({
    fields,
    initial,
    validate: (values) => validateEmailChange(values, email),
    toErrors,
    submit: async (values) => {
      setSentTo(null);
      const next = values.new_email.trim();
      await usersClient.changeEmail({ new_email: next, password: values.password });
      form.reset();
      setSentTo(next);
    },
  });

  return (
    <Card title="Email" icon={<MailIcon />} description={<EmailAddress address={email} />}>
      <form className={styles.stack} onSubmit={form.onSubmit} noValidate aria-label="Change your email">
        {sentTo !== null ? (
          <Alert tone="success">
            Check <EmailAddress address={sentTo} /> for a confirmation mail. Your address changes once you open its link
            and confirm.
          </Alert>
        ) : null}
        <FormFeedback form={form} />
        <TextField
          label="New email"
          type="email"
          autoComplete="email"
          inputMode="email"
          required
          {...form.field('new_email')}
        />
        <TextField
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
          {...form.field('password')}
        />
        <div className={styles.actions}>
          <SubmitButton form={form} pendingLabel="Sending…">
            Change email
          </SubmitButton>
        </div>
      </form>
    </Card>
  );
}
