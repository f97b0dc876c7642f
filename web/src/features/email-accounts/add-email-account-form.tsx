import { Alert } from '../../components/alert';
import { Button } from '../../components/button';
import { PlusIcon } from '../../components/icons';
import { SelectField } from '../../components/select-field';
import { TextField } from '../../components/text-field';
import { formErrorsFrom } from '../../lib/form-errors';
import { useForm } from '../../lib/use-form';
import { emailError, textError } from '../../lib/validation';
import { emailAccountsClient, type EmailAccount } from './email-accounts-client';
import styles from './email-accounts.module.css';
import { providers } from './providers';

const fields = ['email_address', 'provider', 'display_name'] as const;
type Field = (typeof fields)[number];
const initial: Record<Field, string> = { email_address: '', provider: 'gmail', display_name: '' };

/** validateEmailAccount mirrors the server: a valid address, a known provider, a short name. */
export function validateEmailAccount(values: Record<Field, string>): Partial<Record<Field, string>> {
  const errors: Partial<Record<Field, string>> = {};
  const email = emailError(values.email_address);
  if (email !== null)
    errors.email_address = email === 'Enter your email address.' ? 'Enter the email address to connect.' : email;
  if (!providers.some((p) => p.value === values.provider)) errors.provider = 'Choose a provider.';
  const displayName = textError(values.display_name);
  if (displayName !== null) errors.display_name = displayName;
  return errors;
}

const toErrors = (error: unknown) => formErrorsFrom<Field>(error, fields, { email_account_exists: 'email_address' });

/** AddEmailAccountForm connects a mailbox and hands the new account to onAdded. */
export function AddEmailAccountForm({ onAdded }: { onAdded: (account: EmailAccount) => void }) {
  const form = useForm<Field>({
    fields,
    initial,
    validate: validateEmailAccount,
    toErrors,
    submit: async (values) => {
      const displayName = values.display_name.trim();
      const provider = providers.find((p) => p.value === values.provider)?.value ?? 'other';
      const account = await emailAccountsClient.add({
        email_address: values.email_address.trim(),
        provider,
        ...(displayName === '' ? {} : { display_name: displayName }),
      });
      form.reset();
      onAdded(account);
    },
  });

  return (
    <form className={styles.addForm} onSubmit={form.onSubmit} noValidate aria-label="Connect an email account">
      {form.formError ? (
        <Alert tone="error" id={form.formErrorId} focusable>
          {form.formError}
        </Alert>
      ) : null}
      <div className={styles.addFields}>
        <TextField
          label="Email address"
          type="email"
          inputMode="email"
          autoComplete="off"
          placeholder="name@example.com"
          required
          className={styles.grow}
          {...form.field('email_address')}
        />
        <SelectField label="Provider" options={providers} {...form.field('provider')} />
        <TextField
          label="Display name"
          optional
          autoComplete="off"
          placeholder="e.g. Work"
          {...form.field('display_name')}
        />
      </div>
      <div className={styles.addActions}>
        <Button
          type="submit"
          variant="primary"
          icon={<PlusIcon size={16} />}
          pending={form.pending}
          pendingLabel="Adding…"
        >
          Add account
        </Button>
      </div>
    </form>
  );
}
