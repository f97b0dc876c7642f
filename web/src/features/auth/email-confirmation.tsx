import { useState } from 'react';
import { Link } from 'react-router';
import { useAuth } from './auth-context';
import styles from './auth-form.module.css';
import { CodeConfirmForm, DoneNotice, LinkConfirmForm } from './mailed-token-forms';
import { useFragmentToken } from './use-fragment-token';

/** ConfirmationKind is which mail is being confirmed: a new account's, or an email change's. */
export type ConfirmationKind = 'verify' | 'change';

const copy: Record<
  ConfirmationKind,
  { name: string; button: string; codeButton: string; emailLabel: string; done: string; explain: string }
> = {
  verify: {
    name: 'Confirm your email',
    button: 'Confirm my email',
    codeButton: 'Confirm my email',
    emailLabel: 'Email',
    done: 'Your email address is confirmed.',
    explain: 'Press the button to confirm that this address is yours.',
  },
  change: {
    name: 'Confirm your new email',
    button: 'Confirm my new email',
    codeButton: 'Confirm my new email',
    emailLabel: 'New email',
    done: 'Your account now uses your new email address. Sign in with it from now on.',
    explain: 'Press the button to move your account to this address.',
  },
};

/**
 * EmailConfirmation is the page body of a confirmation mail's link: a button that spends the
 * link's token when pressed (opening the page spends nothing, whatever runs it), or, without a
 * token or when the person prefers, the address and the mail's code.
 */
export function EmailConfirmation({ kind }: { kind: ConfirmationKind }) {
  const token = useFragmentToken();
  const { status, confirmEmail } = useAuth();
  const [mode, setMode] = useState<'link' | 'code'>(token !== null ? 'link' : 'code');
  const [done, setDone] = useState(false);
  const text = copy[kind];

  if (done) {
    return (
      <DoneNotice message={text.done}>
        {status === 'authenticated' ? (
          <Link to="/accounts">Go to your accounts</Link>
        ) : (
          <Link to="/auth/login">Sign in</Link>
        )}
      </DoneNotice>
    );
  }

  return (
    <div className={styles.result}>
      {mode === 'link' && token !== null ? (
        <>
          <p className={styles.explain}>{text.explain}</p>
          <LinkConfirmForm
            name={text.name}
            label={text.button}
            pendingLabel="Confirming…"
            confirm={async () => {
              await confirmEmail({ token });
              setDone(true);
            }}
            errorHelp="You can enter the code from the mail instead, or ask for a new mail from your account page."
          />
          <button type="button" className={styles.switch} onClick={() => setMode('code')}>
            Enter a code instead
          </button>
        </>
      ) : (
        <>
          <p className={styles.explain}>Enter the address the mail went to and the code it gives.</p>
          <CodeConfirmForm
            name={text.name}
            emailLabel={text.emailLabel}
            label={text.codeButton}
            pendingLabel="Confirming…"
            confirm={async (input) => {
              await confirmEmail(input);
              setDone(true);
            }}
          />
          {token !== null ? (
            <button type="button" className={styles.switch} onClick={() => setMode('link')}>
              Use the link instead
            </button>
          ) : null}
        </>
      )}
    </div>
  );
}
