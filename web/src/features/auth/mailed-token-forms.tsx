import { useEffect, useId, type ReactNode } from 'react';
import { Alert } from '../../components/alert';
import { TextField } from '../../components/text-field';
import { FormFeedback, SubmitButton } from '../../components/form-feedback';
import { formErrorsFrom } from '../../lib/form-errors';
import { useForm } from '../../lib/use-form';
import { emailError } from '../../lib/validation';
import styles from './auth-form.module.css';

// The two ways a mail is presented: the button of the page its link opened (the token came in
// the fragment), or the address and the code typed in on another device. Both only send when
// the person presses the button; nothing here runs on page load.

const noFields = [] as const;
type NoField = (typeof noFields)[number];
const noValues = {};

export interface LinkConfirmFormProps {
  /** The form's accessible name, e.g. "Confirm your email". */
  name: string;
  label: string;
  pendingLabel: string;
  /** Sends the token; a rejection is shown on the form. */
  confirm: () => Promise<void>;
  /** Said under an error, e.g. what to do about an expired link. */
  errorHelp?: ReactNode;
}

/** LinkConfirmForm is one button that spends a mailed link's token when pressed. */
export function LinkConfirmForm({ name, label, pendingLabel, confirm, errorHelp }: LinkConfirmFormProps) {
  const form = useForm<NoField>({
    fields: noFields,
    initial: noValues,
    validate: () => ({}),
    toErrors: (error) => formErrorsFrom<NoField>(error, noFields),
    submit: confirm,
  });
  return (
    <form className={styles.form} onSubmit={form.onSubmit} noValidate aria-label={name}>
      <FormFeedback form={form}>{errorHelp ? <> {errorHelp}</> : null}</FormFeedback>
      <SubmitButton form={form} fullWidth pendingLabel={pendingLabel}>
        {label}
      </SubmitButton>
    </form>
  );
}

const codeFields = ['email', 'code'] as const;
type CodeField = (typeof codeFields)[number];
const noCode: Record<CodeField, string> = { email: '', code: '' };

/** normalizeCode drops the spaces and dashes people type or paste into a code. */
export function normalizeCode(value: string): string {
  return value.replace(/[\s-]/g, '');
}

/** codeError checks a mailed code: 6 to 8 digits. */
export function codeError(value: string): string | null {
  const code = normalizeCode(value);
  if (code === '') return 'Enter the code from the mail.';
  if (!/^\d{6,8}$/.test(code)) return 'Enter the 6 to 8 digit code from the mail.';
  return null;
}

function validateCode(values: Record<CodeField, string>): Partial<Record<CodeField, string>> {
  const errors: Partial<Record<CodeField, string>> = {};
  const email = emailError(values.email);
  const code = codeError(values.code);
  if (email !== null) errors.email = email;
  if (code !== null) errors.code = code;
  return errors;
}

export interface CodeConfirmFormProps {
  name: string;
  /** The email field's label, e.g. "New email" for an email change. */
  emailLabel: string;
  label: string;
  pendingLabel: string;
  confirm: (input: { email: string; code: string }) => Promise<void>;
}

/** CodeConfirmForm takes the address and the code of a mail read on another device. */
export function CodeConfirmForm({ name, emailLabel, label, pendingLabel, confirm }: CodeConfirmFormProps) {
  const form = useForm<CodeField>({
    fields: codeFields,
    initial: noCode,
    validate: validateCode,
    toErrors: (error) => formErrorsFrom<CodeField>(error, codeFields, { invalid_code: 'code' }),
    submit: (values) => confirm({ email: values.email.trim(), code: normalizeCode(values.code) }),
  });
  return (
    <form className={styles.form} onSubmit={form.onSubmit} noValidate aria-label={name}>
      <FormFeedback form={form} />
      <TextField
        label={emailLabel}
        type="email"
        autoComplete="email"
        inputMode="email"
        required
        {...form.field('email')}
      />
      <TextField
        label="Code"
        autoComplete="one-time-code"
        inputMode="numeric"
        required
        hint={form.errors.code ? undefined : 'The 6 to 8 digits in the mail.'}
        {...form.field('code')}
      />
      <SubmitButton form={form} fullWidth pendingLabel={pendingLabel}>
        {label}
      </SubmitButton>
    </form>
  );
}

const emailFields = ['email'] as const;
type EmailField = (typeof emailFields)[number];
const noEmail: Record<EmailField, string> = { email: '' };

export interface EmailRequestFormProps {
  name: string;
  hint: string;
  label: string;
  pendingLabel: string;
  /** Asks for the mail; the page then says what it always says, whatever the address. */
  send: (email: string) => Promise<void>;
}

/** EmailRequestForm asks for a mail to an address: a reset, or a new confirmation. */
export function EmailRequestForm({ name, hint, label, pendingLabel, send }: EmailRequestFormProps) {
  const form = useForm<EmailField>({
    fields: emailFields,
    initial: noEmail,
    validate: (values) => {
      const email = emailError(values.email);
      return email === null ? {} : { email };
    },
    toErrors: (error) => formErrorsFrom<EmailField>(error, emailFields),
    submit: (values) => send(values.email.trim()),
  });
  return (
    <form className={styles.form} onSubmit={form.onSubmit} noValidate aria-label={name}>
      <FormFeedback form={form} />
      <TextField
        label="Email"
        type="email"
        autoComplete="username"
        inputMode="email"
        required
        hint={form.errors.email ? undefined : hint}
        {...form.field('email')}
      />
      <SubmitButton form={form} fullWidth pendingLabel={pendingLabel}>
        {label}
      </SubmitButton>
    </form>
  );
}

/**
 * DoneNotice says a mailed link did its work, and takes focus: the button that had it is gone.
 * Its children are what comes next (a link onwards).
 */
export function DoneNotice({ message, children }: { message: string; children?: ReactNode }) {
  const id = useId();
  useEffect(() => document.getElementById(id)?.focus(), [id]);
  return (
    <div className={styles.result}>
      <Alert tone="success" id={id} focusable>
        {message}
      </Alert>
      {children}
    </div>
  );
}
