import { useEffect, useRef, useState, type SubmitEvent } from 'react';
import { Alert } from '../../components/alert';
import { Badge } from '../../components/badge';
import { Button } from '../../components/button';
import { MailIcon, PencilIcon, TrashIcon } from '../../components/icons';
import { TextField } from '../../components/text-field';
import { ApiError } from '../../lib/api-error';
import { formErrorsFrom } from '../../lib/form-errors';
import { formatDate } from '../../lib/format';
import { textError } from '../../lib/validation';
import { emailAccountsClient, type EmailAccount } from './email-accounts-client';
import styles from './email-accounts.module.css';
import { providerLabel } from './providers';

type Mode = 'view' | 'rename' | 'confirm-remove';

export interface EmailAccountItemProps {
  account: EmailAccount;
  onRenamed: (account: EmailAccount) => void;
  onRemoved: (account: EmailAccount) => void;
  /** onGone is called when the server no longer has the account (removed in another tab). */
  onGone: (account: EmailAccount) => void;
}

const isGone = (error: unknown) => error instanceof ApiError && error.status === 404;

/** EmailAccountItem is one connected mailbox, renamed and removed in place. */
export function EmailAccountItem({ account, onRenamed, onRemoved, onGone }: EmailAccountItemProps) {
  const [mode, setMode] = useState<Mode>('view');
  const [name, setName] = useState(account.display_name);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const renameButton = useRef<HTMLButtonElement>(null);
  const nameInput = useRef<HTMLInputElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);

  useEffect(() => {
    if (mode === 'rename') nameInput.current?.focus();
    if (mode === 'confirm-remove') confirmButton.current?.focus();
    if (mode === 'view' && returnFocus.current) {
      returnFocus.current = false;
      renameButton.current?.focus();
    }
  }, [mode]);

  const close = () => {
    returnFocus.current = true;
    setError(null);
    setMode('view');
  };

  const rename = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const trimmed = name.trim();
    const invalid = textError(trimmed);
    if (invalid !== null) {
      setError(invalid);
      nameInput.current?.focus();
      return;
    }
    setPending(true);
    try {
      const updated = await emailAccountsClient.rename(account.id, trimmed);
      onRenamed(updated);
      close();
    } catch (caught) {
      if (isGone(caught)) {
        onGone(account);
        return;
      }
      const mapped = formErrorsFrom(caught, ['display_name']);
      setError(mapped.fields.display_name ?? mapped.form);
      nameInput.current?.focus();
    } finally {
      setPending(false);
    }
  };

  const remove = async () => {
    setPending(true);
    try {
      await emailAccountsClient.remove(account.id);
      onRemoved(account);
    } catch (caught) {
      if (isGone(caught)) {
        onGone(account);
        return;
      }
      setError(formErrorsFrom(caught, []).form);
      setPending(false);
    }
  };

  const title = account.display_name || account.email_address;

  return (
    <li className={styles.item}>
      <div className={styles.itemMain}>
        <span className={styles.itemIcon} data-provider={account.provider}>
          <MailIcon size={18} />
        </span>
        <div className={styles.itemText}>
          <p className={styles.itemTitle}>
            <span>{title}</span>
            <Badge>{providerLabel(account.provider)}</Badge>
          </p>
          <p className={styles.itemMeta}>
            {account.display_name ? <span>{account.email_address} · </span> : null}
            <span>Added {formatDate(account.created_at)}</span>
          </p>
        </div>
        {mode === 'view' ? (
          <div className={styles.itemActions}>
            <Button
              ref={renameButton}
              size="sm"
              variant="ghost"
              icon={<PencilIcon size={16} />}
              aria-label={`Rename ${account.email_address}`}
              onClick={() => {
                setName(account.display_name);
                setMode('rename');
              }}
            >
              Rename
            </Button>
            <Button
              size="sm"
              variant="danger-ghost"
              icon={<TrashIcon size={16} />}
              aria-label={`Remove ${account.email_address}`}
              onClick={() => setMode('confirm-remove')}
            >
              Remove
            </Button>
          </div>
        ) : null}
      </div>

      {mode === 'rename' ? (
        <form className={styles.inlineForm} onSubmit={rename} noValidate aria-label={`Rename ${account.email_address}`}>
          <TextField
            ref={nameInput}
            label={`Display name for ${account.email_address}`}
            value={name}
            onChange={(event) => setName(event.target.value)}
            hint="Leave empty to show the address instead."
            error={error}
            autoComplete="off"
            className={styles.grow}
          />
          <div className={styles.inlineActions}>
            <Button type="submit" size="sm" variant="primary" pending={pending} pendingLabel="Saving…">
              Save
            </Button>
            <Button size="sm" variant="secondary" onClick={close} disabled={pending}>
              Cancel
            </Button>
          </div>
        </form>
      ) : null}

      {mode === 'confirm-remove' ? (
        <div className={styles.confirm} role="group" aria-label={`Remove ${account.email_address}?`}>
          <p>
            Remove <strong>{account.email_address}</strong>? Gatehouse will stop using it. You can add it again later.
          </p>
          {error ? <Alert tone="error">{error}</Alert> : null}
          <div className={styles.inlineActions}>
            <Button
              ref={confirmButton}
              size="sm"
              variant="danger"
              onClick={remove}
              pending={pending}
              pendingLabel="Removing…"
            >
              Yes, remove
            </Button>
            <Button size="sm" variant="secondary" onClick={close} disabled={pending}>
              Cancel
            </Button>
          </div>
        </div>
      ) : null}
    </li>
  );
}
