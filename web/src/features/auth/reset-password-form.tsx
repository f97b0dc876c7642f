import { useState } from 'react';
import { useNavigate } from 'react-router';
import { TextField } from '../../components/text-field';
import { FormFeedback, SubmitButton } from '../../components/form-feedback';
import { formErrorsFrom } from '../../lib/form-errors';
import { useForm } from '../../lib/use-form';
import {
  confirmationError,
  emailError,
  newPasswordError,
  newPasswordHint,
  type PasswordRules,
} from '../../lib/validation';
import { useAuth } from './auth-context';
import styles from './auth-form.module.css';
import type { LoginHandoff } from './login-form';
import type { PasswordMeterSlot } from './register-form';
import { codeError, normalizeCode } from './mailed-token-forms';

const fields = ['email', 'code', 'new_password', 'confirm_password'] as const;
type Field = (typeof fields)[number];
const initial: Record<Field, string> = { email: '', code: '', new_password: '', confirm_password: '' };

/** validateReset checks the new password and, without a link's token, the address and code. */
export function validateReset(
  values: Record<Field, string>,
  byCode: boolean,
  rules: PasswordRules | null,
): Partial<Record<Field, string>> {
  const errors: Partial<Record<Field, string>> = {};
  const checks: [Field, string | null][] = [
    ['email', byCode ? emailError(values.email) : null],
    ['code', byCode ? codeError(values.code) : null],
    ['new_password', newPasswordError(values.new_password, rules)],
    ['confirm_password', confirmationError(values.new_password, values.confirm_password)],
  ];
  for (const [field, message] of checks) if (message !== null) errors[field] = message;
  return errors;
}

export interface ResetPasswordFormProps {
  /** The token of the mail's link; null for the address-and-code form. */
  token: string | null;
  /** The server's password policy (its length limits), or null until it is known. */
  passwordRules?: PasswordRules | null;
  /**
   * Draws the strength meter under the new password's field: the page passes features/password's
   * here (features may not import one another; app/ composes them). The meter never holds the
   * form back: a password the server refuses comes back as its 422 reason under the field.
   */
  passwordMeter?: PasswordMeterSlot;
}

/**
 * ResetPasswordForm sets a new password with a reset mail's link (token) or its address and
 * code. The server ends every session of the account. With the address known (the code form)
 * it then signs in with the new password and goes to /accounts; with a link it sends the
 * person to sign in, the address filled in when known.
 */
export function ResetPasswordForm({ token, passwordRules = null, passwordMeter }: ResetPasswordFormProps) {
  const byCode = token === null;
  const [passwordFocused, setPasswordFocused] = useState(false);
  const { resetPassword } = useAuth();
  const navigate = useNavigate();
  const form = useForm<Field>({
    fields,
    initial,
    validate: (values) => validateReset(values, byCode, passwordRules),
    toErrors: (error) => formErrorsFrom<Field>(error, fields, { invalid_code: 'code' }),
    submit: async (values) => {
      const email = values.email.trim();
      const secret = byCode ? { email, code: normalizeCode(values.code) } : { token };
      const outcome = await resetPassword({ ...secret, new_password: values.new_password });
      if (outcome === 'signed-in') {
        await navigate('/accounts', { replace: true });
        return;
      }
      const state: LoginHandoff = { email, registered: false, passwordReset: true };
      await navigate('/auth/login', { replace: true, state });
    },
  });

  return (
    <form className={styles.form} onSubmit={form.onSubmit} noValidate aria-label="Choose a new password">
      <FormFeedback form={form} />
      {byCode ? (
        <>
          <TextField
            label="Email"
            type="email"
            autoComplete="username"
            inputMode="email"
            required
            {...form.field('email')}
          />
          <TextField
            label="Code"
            autoComplete="one-time-code"
            inputMode="numeric"
            required
            hint={form.errors.code ? undefined : 'The 8 digits in the mail.'}
            {...form.field('code')}
          />
        </>
      ) : null}
      <TextField
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        // The hint states the rule until an error does: one message under the field, not two.
        hint={form.errors.new_password ? undefined : newPasswordHint(passwordRules)}
        onFocus={() => setPasswordFocused(true)}
        after={passwordMeter?.({
          password: form.values.new_password,
          // A link's page knows no address; the code form's is the account's. The server judges
          // the password against the whole account either way.
          account: { email: form.values.email, firstName: '', lastName: '' },
          active: passwordFocused,
        })}
        {...form.field('new_password')}
      />
      <TextField
        label="Confirm new password"
        type="password"
        autoComplete="new-password"
        required
        {...form.field('confirm_password')}
      />
      <SubmitButton form={form} fullWidth pendingLabel="Saving your new password…">
        Set new password
      </SubmitButton>
    </form>
  );
}
