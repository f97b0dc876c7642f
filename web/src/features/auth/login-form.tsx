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

const initial: Record<Field, string> = { email: '', password: '' };

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
export function LoginForm() {
  const { signIn } = useAuth();
  const form = useForm<Field>({
    fields,
    initial,
    validate: validateSignIn,
    toErrors,
    submit: (values) => signIn({ email: values.email.trim(), password: values.password }),
  });

  return (
    <form className={styles.form} onSubmit={form.onSubmit} noValidate aria-label="Sign in">
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
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
