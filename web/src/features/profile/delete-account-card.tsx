import { useEffect, useRef, useState, type SubmitEvent } from 'react';
import { Alert } from '../../components/alert';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { CheckboxField } from '../../components/checkbox-field';
import { TrashIcon } from '../../components/icons';
import { RetryWaitNotice } from '../../components/retry-wait-notice';
import { TextField } from '../../components/text-field';
import { formErrorsFrom } from '../../lib/form-errors';
import { useRetryWait } from '../../lib/use-retry-wait';
import styles from './profile.module.css';
import { usersClient } from './users-client';

/**
 * DeleteAccountCard deletes the account for good. It asks twice: the password, and an explicit
 * acknowledgement, so a stray click or an unattended signed-in laptop cannot do it.
 */
export function DeleteAccountCard({ onDeleted }: { onDeleted: () => void }) {
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [understood, setUnderstood] = useState(false);
  const [errors, setErrors] = useState<{ password?: string; understood?: string; form?: string }>({});
  const [pending, setPending] = useState(false);
  const passwordInput = useRef<HTMLInputElement>(null);
  const checkbox = useRef<HTMLInputElement>(null);
  const openButton = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(false);
  const wait = useRetryWait();

  useEffect(() => {
    if (open) passwordInput.current?.focus();
    else if (wasOpen.current) openButton.current?.focus();
    wasOpen.current = open;
  }, [open]);

  const cancel = () => {
    setOpen(false);
    setPassword('');
    setUnderstood(false);
    setErrors({});
    wait.dismiss();
  };

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    // Enter in the password field submits too, so the wait is enforced here.
    if (pending || wait.waiting) return;
    wait.dismiss();
    const found: typeof errors = {};
    if (password === '') found.password = 'Enter your password to confirm.';
    if (!understood) found.understood = "Confirm that you understand this can't be undone.";
    setErrors(found);
    if (found.password) return passwordInput.current?.focus();
    if (found.understood) return checkbox.current?.focus();

    setPending(true);
    try {
      await usersClient.deleteAccount(password);
      onDeleted();
    } catch (caught) {
      setPending(false);
      if (wait.catchWait(caught)) return;
      const mapped = formErrorsFrom(caught, ['password'], { incorrect_password: 'password' });
      setErrors({ password: mapped.fields.password, form: mapped.form ?? undefined });
      if (mapped.fields.password) passwordInput.current?.focus();
    }
  };

  return (
    <Card
      title="Delete account"
      tone="danger"
      icon={<TrashIcon />}
      description="Permanently deletes your account, your connected email accounts and every session."
    >
      {open ? (
        <form className={styles.stack} onSubmit={submit} noValidate aria-label="Delete account">
          <RetryWaitNotice wait={wait} />
          {errors.form ? <Alert tone="error">{errors.form}</Alert> : null}
          <TextField
            ref={passwordInput}
            label="Password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            error={errors.password}
          />
          <CheckboxField
            ref={checkbox}
            label="I understand that this permanently deletes my account and can't be undone."
            checked={understood}
            onChange={(event) => setUnderstood(event.target.checked)}
            error={errors.understood}
          />
          <div className={styles.actions}>
            <Button
              type="submit"
              variant="danger"
              pending={pending}
              pendingLabel="Deleting…"
              blocked={wait.waiting}
              aria-describedby={wait.waiting ? wait.timerId : undefined}
            >
              Delete my account
            </Button>
            <Button variant="secondary" onClick={cancel} disabled={pending}>
              Cancel
            </Button>
          </div>
        </form>
      ) : (
        <Button ref={openButton} variant="danger-ghost" icon={<TrashIcon size={16} />} onClick={() => setOpen(true)}>
          Delete account…
        </Button>
      )}
    </Card>
  );
}
