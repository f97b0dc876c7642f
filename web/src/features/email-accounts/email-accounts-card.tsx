import { useRef, useState } from 'react';
import { Alert } from '../../components/alert';
import { Card } from '../../components/card';
import { EmptyState } from '../../components/empty-state';
import { MailIcon } from '../../components/icons';
import { LoadError } from '../../components/load-error';
import { SkeletonList } from '../../components/skeleton';
import { useResource } from '../../lib/use-resource';
import { AddEmailAccountForm } from './add-email-account-form';
import { EmailAccountItem } from './email-account-item';
import { emailAccountsClient } from './email-accounts-client';
import styles from './email-accounts.module.css';

/** EmailAccountsCard lists the user's connected mailboxes and lets them add, rename and remove them. */
export function EmailAccountsCard() {
  const accounts = useResource(emailAccountsClient.list);
  const [announcement, setAnnouncement] = useState('');
  // After a removal the focused button is gone; focus the list so keyboard users stay in place.
  const listRegion = useRef<HTMLDivElement>(null);

  let list;
  if (accounts.status === 'error' && accounts.data === undefined) {
    list = (
      <LoadError title="Couldn't load your email accounts" message={accounts.error.message} onRetry={accounts.reload} />
    );
  } else if (accounts.data === undefined) {
    list = <SkeletonList rows={2} label="Loading email accounts…" />;
  } else if (accounts.data.length === 0) {
    list = (
      <EmptyState icon={<MailIcon size={22} />} title="No email accounts yet">
        Connect your first inbox above. You can rename or remove it at any time.
      </EmptyState>
    );
  } else {
    list = (
      <ul className={styles.list} aria-label="Connected email accounts">
        {accounts.data.map((account) => (
          <EmailAccountItem
            key={account.id}
            account={account}
            onRenamed={(updated) => {
              accounts.update((all) => all.map((a) => (a.id === updated.id ? updated : a)));
              setAnnouncement(`Saved the name of ${updated.email_address}.`);
            }}
            onRemoved={(removed) => {
              accounts.update((all) => all.filter((a) => a.id !== removed.id));
              setAnnouncement(`Removed ${removed.email_address}.`);
              listRegion.current?.focus();
            }}
            onGone={(gone) => {
              accounts.update((all) => all.filter((a) => a.id !== gone.id));
              setAnnouncement(`${gone.email_address} had already been removed.`);
              listRegion.current?.focus();
            }}
          />
        ))}
      </ul>
    );
  }

  const count = accounts.data?.length;
  return (
    <Card
      title="Email accounts"
      icon={<MailIcon />}
      description={
        count === undefined
          ? 'The inboxes connected to your Gatehouse account.'
          : `${count} connected ${count === 1 ? 'inbox' : 'inboxes'}.`
      }
    >
      <div className={styles.stack}>
        <AddEmailAccountForm
          onAdded={(account) => {
            accounts.update((all) => [...all, account]);
            setAnnouncement(`Added ${account.email_address}.`);
          }}
        />
        {accounts.status === 'error' && accounts.data !== undefined ? (
          <Alert tone="error">{accounts.error.message}</Alert>
        ) : null}
        <div ref={listRegion} tabIndex={-1} className={styles.region}>
          {list}
        </div>
      </div>
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
    </Card>
  );
}
