import { useState } from 'react';
import { Alert } from '../../components/alert';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { KeyIcon } from '../../components/icons';
import { RetryWaitNotice } from '../../components/retry-wait-notice';
import { TextField } from '../../components/text-field';
import { formErrorsFrom } from '../../lib/form-errors';
import { useForm } from '../../lib/use-form';
import { confirmationError, limits, newPasswordError } from '../../lib/validation';
import styles from './profile.module.css';
import { usersClient } from './users-client';

const fields = ['current_password', 'new_password', 'confirm_password'] as const;
type Field = (typeof fields)[number];
const initial: Record<Field, string> = { current_password: '', new_password: '', confirm_password: '' };

/** validatePasswordChange checks the new password by the server's rules and its confirmation. */
export function validatePasswordChange(values: Record<Field, string>): Partial<Record<Field, string>> {
  const errors: Partial<Record<Field, string>> = {};
  if (values.current_password === '') errors.current_password = 'Enter your current password.';
  const next = newPasswordError(values.new_password);
  if (next !== null) errors.new_password = next;
  else if (values.new_password === values.current_password) {
    errors.new_password = 'Choose a password different from your current one.';
  }
  const confirm = confirmationError(values.new_password, values.confirm_password);
  if (confirm !== null) errors.confirm_password = confirm;
  return errors;
}

const toErrors = (error: unknown) => formErrorsFrom<Field>(error, fields, { incorrect_password: 'current_password' });

/** ChangePasswordCard sets a new password; the server then signs out every other session. */
export function ChangePasswordCard({ onChanged }: { onChanged?: () => void }) {
  const [done, setDone] = useState(false);
  const form = useForm<Field>({
    fields,
    initial,
    validate: validatePasswordChange,
    toErrors,
    submit: async (values) => {
      setDone(false);
      await usersClient.changePassword({
        current_password: values.current_password,
        new_password: values.new_password,
      });
      form.reset();
      setDone(true);
      onChanged?.();
    },
  });

  return (
    <Card title="Password" icon={<KeyIcon />} description="Changing it signs you out on every other device.">
      <form className={styles.stack} onSubmit={form.onSubmit} noValidate aria-label="Change password">
        {done ? <Alert tone="success">Password changed. Your other devices have been signed out.</Alert> : null}
        <RetryWaitNotice wait={form.wait} />
        {form.formError ? (
          <Alert tone="error" id={form.formErrorId} focusable>
            {form.formError}
          </Alert>
        ) : null}
        <TextField
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
          {...form.field('current_password')}
        />
        <TextField
          label="New password"
          type="password"
          autoComplete="new-password"
          required
          // The hint states the rule until an error does: one message under the field, not two.
          hint={form.errors.new_password ? undefined : `At least ${limits.passwordMinLength} characters.`}
          {...form.field('new_password')}
        />
        <TextField
          label="Confirm new password"
          type="password"
          autoComplete="new-password"
          required
          {...form.field('confirm_password')}
        />
        <div className={styles.actions}>
          <Button
            type="submit"
            variant="primary"
            pending={form.pending}
            pendingLabel="Changing password…"
            blocked={form.wait.waiting}
            aria-describedby={form.wait.waiting ? form.wait.timerId : undefined}
          >
            Change password
          </Button>
        </div>
      </form>
    </Card>
  );
}
