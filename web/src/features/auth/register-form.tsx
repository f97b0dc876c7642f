import { Alert } from '../../components/alert';
import { Button } from '../../components/button';
import { RetryWaitNotice } from '../../components/retry-wait-notice';
import { TextField } from '../../components/text-field';
import { formErrorsFrom } from '../../lib/form-errors';
import { useForm } from '../../lib/use-form';
import { confirmationError, emailError, limits, newPasswordError, requiredTextError } from '../../lib/validation';
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

/** validateRegistration applies the server's rules, plus the confirmation, before anything is sent. */
export function validateRegistration(values: Record<Field, string>): Partial<Record<Field, string>> {
  const errors: Partial<Record<Field, string>> = {};
  const checks: [Field, string | null][] = [
    ['email', emailError(values.email)],
    ['first_name', requiredTextError(values.first_name, 'first name')],
    ['last_name', requiredTextError(values.last_name, 'last name')],
    ['password', newPasswordError(values.password)],
    ['confirm_password', confirmationError(values.password, values.confirm_password)],
  ];
  for (const [field, message] of checks) if (message !== null) errors[field] = message;
  return errors;
}

const toErrors = (error: unknown) => formErrorsFrom<Field>(error, fields, { email_taken: 'email' });

/**
 * RegisterForm creates an account and signs in with it (the article's flow); the page's
 * guard then takes the new user to /accounts. It always sends a solved CAPTCHA, started as
 * soon as the visitor first touches the form, so it is ready by the time they submit and the
 * server can ask for one, under attack, without a person ever noticing.
 */
export function RegisterForm() {
  const { register } = useAuth();
  const captcha = useCaptcha('register');
  const { startOn } = captcha;
  const navigate = useNavigate();
  const location = useLocation();
  const form = useForm<Field>({
    fields,
    initial,
    validate: validateRegistration,
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
      <RetryWaitNotice wait={form.wait} />
      {form.formError ? (
        <Alert tone="error" id={form.formErrorId} focusable>
          {form.formError}
        </Alert>
      ) : null}
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
        hint={form.errors.password ? undefined : `At least ${limits.passwordMinLength} characters.`}
        {...form.field('password')}
      />
      <TextField
        label="Confirm password"
        type="password"
        autoComplete="new-password"
        required
        {...form.field('confirm_password')}
      />
      <Button
        type="submit"
        variant="primary"
        fullWidth
        pending={form.pending}
        pendingLabel="Creating account…"
        blocked={form.wait.waiting}
        aria-describedby={form.wait.waiting ? form.wait.timerId : undefined}
      >
        Create account
      </Button>
      <CaptchaStatus captcha={captcha} />
    </form>
  );
}
