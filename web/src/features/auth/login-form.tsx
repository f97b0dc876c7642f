import { useState } from 'react';
import { Link } from 'react-router';
import { Alert } from '../../components/alert';
import { RetryWaitNotice } from '../../components/retry-wait-notice';
import { TextField } from '../../components/text-field';
import { SubmitButton } from '../../components/form-feedback';
import { ApiError } from '../../lib/api-error';
import { formErrorsFrom } from '../../lib/form-errors';
import { useForm } from '../../lib/use-form';
import { emailError } from '../../lib/validation';
import { CaptchaStatus } from './captcha/captcha-status';
import { useCaptcha } from './captcha/use-captcha';
import { withCaptcha } from './captcha/with-captcha';
import { useAuth } from './auth-context';
import styles from './auth-form.module.css';

const fields = ['email', 'password'] as const;
type Field = (typeof fields)[number];

/** LoginHandoff is the router state another page passes to sign-in, e.g. after registering. */
export interface LoginHandoff {
  email: string;
  /** The account was just created, but the automatic sign-in failed. */
  registered: boolean;
  /** The password was just reset: sign in with the new one. */
  passwordReset?: boolean;
}

/** readLoginHandoff reads router state defensively: history state may hold anything. */
export function readLoginHandoff(state: unknown): LoginHandoff | null {
  if (typeof state !== 'object' || state === null) return null;
  const { email, registered, passwordReset } = state as Partial<Record<keyof LoginHandoff, unknown>>;
  if (typeof email !== 'string') return null;
  return { email, registered: registered === true, passwordReset: passwordReset === true };
}

/** validateSignIn only checks what can be wrong before asking: a plausible email, a password. */
export function validateSignIn(values: Record<Field, string>): Partial<Record<Field, string>> {
  const errors: Partial<Record<Field, string>> = {};
  const email = emailError(values.email);
  if (email !== null) errors.email = email;
  if (values.password === '') errors.password = 'Enter your password.';
  return errors;
}

// A wrong email or password is one form-level message: naming the field would tell an
// attacker which emails have accounts.
const toErrors = (error: unknown) => formErrorsFrom<Field>(error, fields);

/** LoginNotice is news the sign-in page has for the visitor, e.g. "You have signed out." */
export interface LoginNotice {
  tone: 'success' | 'warning';
  text: string;
}

export interface LoginFormProps {
  initialEmail?: string;
  /** Shown above the fields until the visitor first tries to sign in. */
  notice?: LoginNotice | null;
}

/**
 * LoginForm signs in; the page's guard then sends the user where they were going. A CAPTCHA
 * is solved only when the server asks (an attack on the account or on the service, from a
 * browser the account does not know): the form then solves it and tries again by itself. It shows one
 * message at a time: the page's notice until the first attempt, then that attempt's error, so
 * a green "You have signed out." never sits above a red "Incorrect email or password."
 */
export function LoginForm({ initialEmail = '', notice = null }: LoginFormProps) {
  const [attempted, setAttempted] = useState(false);
  // With GATEHOUSE_REQUIRE_VERIFIED_EMAIL, the right password to an unconfirmed account is
  // refused with email_not_verified: the error then offers a new confirmation mail.
  const [unverified, setUnverified] = useState(false);
  // Set once the server asks for a CAPTCHA: from then on every attempt solves one first.
  const [challenged, setChallenged] = useState(false);
  const captcha = useCaptcha('sign_in');
  const { signIn } = useAuth();
  const form = useForm<Field>({
    fields,
    initial: { email: initialEmail, password: '' },
    validate: validateSignIn,
    toErrors,
    submit: async (values) => {
      setUnverified(false);
      try {
        await withCaptcha(
          captcha,
          (solution) => signIn({ email: values.email.trim(), password: values.password, captcha: solution }),
          {
            upfront: challenged,
            onAsked: () => setChallenged(true),
          },
        );
      } catch (error) {
        if (error instanceof ApiError && error.code === 'email_not_verified') setUnverified(true);
        throw error;
      }
    },
  });

  return (
    <form
      className={styles.form}
      onSubmit={(event) => {
        setAttempted(true);
        return form.onSubmit(event);
      }}
      noValidate
      aria-label="Sign in"
    >
      <RetryWaitNotice wait={form.wait} />
      {form.formError ? (
        <Alert tone="error" id={form.formErrorId} focusable>
          {form.formError}
          {unverified ? (
            <>
              {' '}
              <Link to="/auth/verify-email">Confirm your address or get a new mail</Link>
            </>
          ) : null}
        </Alert>
      ) : form.wait.message !== null ? null : notice !== null && !attempted ? (
        <Alert tone={notice.tone}>{notice.text}</Alert>
      ) : null}
      <TextField
        label="Email"
        type="email"
        autoComplete="username"
        inputMode="email"
        required
        {...form.field('email')}
      />
      <TextField
        label="Password"
        type="password"
        autoComplete="current-password"
        required
        {...form.field('password')}
      />
      <p className={styles.aside}>
        <Link to="/auth/forgot-password">Forgot your password?</Link>
      </p>
      <SubmitButton form={form} fullWidth pendingLabel="Signing in…">
        Sign in
      </SubmitButton>
      {/* Only once asked: most sign-ins never need one. It appears in answer to the visitor's
          own click, so it moves nothing they did not expect. */}
      {challenged ? <CaptchaStatus captcha={captcha} /> : null}
    </form>
  );
}
