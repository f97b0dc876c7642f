import { useState, type ReactNode } from 'react';
import { TextField } from '../../components/text-field';
import { FormFeedback, SubmitButton } from '../../components/form-feedback';
import { formErrorsFrom } from '../../lib/form-errors';
import { useForm } from '../../lib/use-form';
import {
  confirmationError,
  emailError,
  newPasswordError,
  newPasswordHint,
  requiredTextError,
  type PasswordRules,
} from '../../lib/validation';
import { useLocation, useNavigate } from 'react-router';
import { CaptchaStatus } from './captcha/captcha-status';
import { useCaptcha } from './captcha/use-captcha';
import { withCaptcha } from './captcha/with-captcha';
import { RegisteredButNotSignedIn, useAuth } from './auth-context';
import type { LoginHandoff } from './login-form';
import styles from './auth-form.module.css';

const fields = ['email', 'first_name', 'last_name', 'password', 'confirm_password'] as const;
type Field = (typeof fields)[number];

const initial: Record<Field, string> = { email: '', first_name: '', last_name: '', password: '', confirm_password: '' };

/**
 * validateRegistration applies the server's rules, plus the confirmation, before anything is
 * sent; a password's lengths only once the server's policy (rules) is known.
 */
export function validateRegistration(
  values: Record<Field, string>,
  rules: PasswordRules | null,
): Partial<Record<Field, string>> {
  const errors: Partial<Record<Field, string>> = {};
  const checks: [Field, string | null][] = [
    ['email', emailError(values.email)],
    ['first_name', requiredTextError(values.first_name, 'first name')],
    ['last_name', requiredTextError(values.last_name, 'last name')],
    ['password', newPasswordError(values.password, rules)],
    ['confirm_password', confirmationError(values.password, values.confirm_password)],
  ];
  for (const [field, message] of checks) if (message !== null) errors[field] = message;
  return errors;
}

const toErrors = (error: unknown) => formErrorsFrom<Field>(error, fields, { email_taken: 'email' });

/** PasswordMeterSlot draws a strength meter for the password being chosen. */
export type PasswordMeterSlot = (input: {
  password: string;
  /** What the form says of the account's owner, so far. */
  account: { email: string; firstName: string; lastName: string };
  /** The password field has been focused: the meter may load what it needs. */
  active: boolean;
}) => ReactNode;

export interface RegisterFormProps {
  /** The server's password policy (its length limits), or null until it is known. */
  passwordRules?: PasswordRules | null;
  /** Draws the strength meter under the password field (app/ composes features/password's). */
  passwordMeter?: PasswordMeterSlot;
}

/**
 * RegisterForm creates an account and signs in with it (the article's flow); the page's
 * guard then takes the new user to /accounts. It always sends a solved CAPTCHA, started as
 * soon as the visitor first touches the form, so it is ready by the time they submit and the
 * server can ask for one, under attack, without a person ever noticing. Neither the CAPTCHA nor
 * the meter holds the form back: a password the server refuses comes back as its 422 reason
 * under the field.
 */
export function RegisterForm({ passwordRules = null, passwordMeter }: RegisterFormProps) {
  const { register } = useAuth();
  const captcha = useCaptcha('register');
  const { startOn } = captcha;
  const navigate = useNavigate();
  const location = useLocation();
  const [passwordFocused, setPasswordFocused] = useState(false);
  const form = useForm<Field>({
    fields,
    initial,
    validate: (values) => validateRegistration(values, passwordRules),
    toErrors,
    submit: async (values) => {
      try {
        await withCaptcha(
          captcha,
          (solution) =>
            register({
              email: values.email.trim(),
              first_name: values.first_name.trim(),
              last_name: values.last_name.trim(),
              password: values.password,
              captcha: solution,
            }),
          { upfront: true },
        );
      } catch (error) {
        // The account exists now: sending the form again would only say "already exists".
        if (!(error instanceof RegisteredButNotSignedIn)) throw error;
        const state: LoginHandoff = { email: error.email, registered: true };
        await navigate(`/auth/login${location.search}`, { state });
      }
    },
  });

  return (
    <form className={styles.form} onSubmit={form.onSubmit} ref={startOn} noValidate aria-label="Create account">
      <FormFeedback form={form} />
      <TextField label="Email" type="email" autoComplete="email" inputMode="email" required {...form.field('email')} />
      <div className={styles.row}>
        <TextField label="First name" autoComplete="given-name" required {...form.field('first_name')} />
        <TextField label="Last name" autoComplete="family-name" required {...form.field('last_name')} />
      </div>
      <TextField
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        // The hint states the rule until an error does: one message under the field, not two.
        hint={form.errors.password ? undefined : newPasswordHint(passwordRules)}
        onFocus={() => setPasswordFocused(true)}
        after={passwordMeter?.({
          password: form.values.password,
          account: { email: form.values.email, firstName: form.values.first_name, lastName: form.values.last_name },
          active: passwordFocused,
        })}
        {...form.field('password')}
      />
      <TextField
        label="Confirm password"
        type="password"
        autoComplete="new-password"
        required
        {...form.field('confirm_password')}
      />
      <SubmitButton form={form} fullWidth pendingLabel="Creating account…">
        Create account
      </SubmitButton>
      <CaptchaStatus captcha={captcha} />
    </form>
  );
}
