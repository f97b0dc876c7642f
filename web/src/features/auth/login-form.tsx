import { Alert } from '../../components/alert';
import { Button } from '../../components/button';
import { TextField } from '../../components/text-field';
import { formErrorsFrom } from '../../lib/form-errors';
import { useForm } from '../../lib/use-form';
import { emailError } from '../../lib/validation';
import { useAuth } from './auth-context';
import styles from './auth-form.module.css';

const fields = ['email', 'password'] as const;
type Field = (typeof fields)[number];

/** LoginHandoff is the router state another page passes to sign-in, e.g. after registering. */
export interface LoginHandoff {
  email: string;
  /** The account was just created, but the automatic sign-in failed. */
  registered: boolean;
}

/** readLoginHandoff reads router state defensively: history state may hold anything. */
export function readLoginHandoff(state: unknown): LoginHandoff | null {
  if (typeof state !== 'object' || state === null) return null;
  const { email, registered } = state as Partial<Record<keyof LoginHandoff, unknown>>;
  if (typeof email !== 'string') return null;
  return { email, registered: registered === true };
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

/** LoginForm signs in; the page's guard then sends the user where they were going. */
export function LoginForm({ initialEmail = '' }: { initialEmail?: string }) {
  const { signIn } = useAuth();
  const form = useForm<Field>({
    fields,
    initial: { email: initialEmail, password: '' },
    validate: validateSignIn,
    toErrors,
    submit: (values) => signIn({ email: values.email.trim(), password: values.password }),
  });

  return (
    <form className={styles.form} onSubmit={form.onSubmit} noValidate aria-label="Sign in">
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
        {...form.field('email')}
      />
      <TextField
        label="Password"
        type="password"
        autoComplete="current-password"
        required
        {...form.field('password')}
      />
      <Button type="submit" variant="primary" fullWidth pending={form.pending} pendingLabel="Signing in…">
        Sign in
      </Button>
    </form>
  );
}
