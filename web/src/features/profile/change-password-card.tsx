import { useState, type ReactNode } from 'react';
import { Alert } from '../../components/alert';
import { Card } from '../../components/card';
import { KeyIcon } from '../../components/icons';
import { TextField } from '../../components/text-field';
import { FormFeedback, SubmitButton } from '../../components/form-feedback';
import { formErrorsFrom } from '../../lib/form-errors';
import { useForm } from '../../lib/use-form';
import { confirmationError, newPasswordError, newPasswordHint, type PasswordRules } from '../../lib/validation';
import styles from './profile.module.css';
import { usersClient } from './users-client';

const fields = ['current_password', 'new_password', 'confirm_password'] as const;
type Field = (typeof fields)[number];
const initial: Record<Field, string> = { current_password: '', new_password: '', confirm_password: '' };

/**
 * validatePasswordChange checks the new password by the server's rules (its lengths once the
 * policy, rules, is known) and its confirmation.
 */
export function validatePasswordChange(
  values: Record<Field, string>,
  rules: PasswordRules | null,
): Partial<Record<Field, string>> {
  const errors: Partial<Record<Field, string>> = {};
  if (values.current_password === '') errors.current_password = 'Enter your current password.';
  const next = newPasswordError(values.new_password, rules);
  if (next !== null) errors.new_password = next;
  else if (values.new_password === values.current_password) {
    errors.new_password = 'Choose a password different from your current one.';
  }
  const confirm = confirmationError(values.new_password, values.confirm_password);
  if (confirm !== null) errors.confirm_password = confirm;
  return errors;
}

const toErrors = (error: unknown) => formErrorsFrom<Field>(error, fields, { incorrect_password: 'current_password' });

/** PasswordMeterSlot draws a strength meter for the new password. */
export type PasswordMeterSlot = (input: {
  password: string;
  /** The new password's field has been focused: the meter may load what it needs. */
  active: boolean;
}) => ReactNode;

export interface ChangePasswordCardProps {
  onChanged?: () => void;
  /** The card's id, for a prompt elsewhere on the page to lead to it. */
  id?: string;
  /** The server's password policy (its length limits), or null until it is known. */
  passwordRules?: PasswordRules | null;
  /** Draws the strength meter under the new password (app/ composes features/password's). */
  passwordMeter?: PasswordMeterSlot;
}

/**
 * ChangePasswordCard sets a new password; the server then signs out every other session. The
 * meter never holds the form back: a refused password comes back as the server's 422 reason.
 */
export function ChangePasswordCard({ onChanged, id, passwordRules = null, passwordMeter }: ChangePasswordCardProps) {
  const [done, setDone] = useState(false);
  const [newPasswordFocused, setNewPasswordFocused] = useState(false);
  const form = useForm<Field>({
    fields,
    initial,
    validate: (values) => validatePasswordChange(values, passwordRules),
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
    <Card id={id} title="Password" icon={<KeyIcon />} description="Changing it signs you out on every other device.">
      <form className={styles.stack} onSubmit={form.onSubmit} noValidate aria-label="Change password">
        {done ? <Alert tone="success">Password changed. Your other devices have been signed out.</Alert> : null}
        <FormFeedback form={form} />
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
          hint={form.errors.new_password ? undefined : newPasswordHint(passwordRules)}
          onFocus={() => setNewPasswordFocused(true)}
          after={passwordMeter?.({ password: form.values.new_password, active: newPasswordFocused })}
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
          <SubmitButton form={form} pendingLabel="Changing password…">
            Change password
          </SubmitButton>
        </div>
      </form>
    </Card>
  );
}
