import { useState } from 'react';
import { Link } from 'react-router';
import { useAuth } from './auth-context';
import styles from './auth-form.module.css';
import { emailClient } from './email-client';
import { CodeConfirmForm, DoneNotice, EmailRequestForm, LinkConfirmForm } from './mailed-token-forms';
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
  const [mode, setMode] = useState<'link' | 'code' | 'resend'>(token !== null ? 'link' : 'code');
  const [done, setDone] = useState(false);
  const [resentTo, setResentTo] = useState<string | null>(null);
  const text = copy[kind];
  // Signed in, the dashboard's banner resends; signed out (perhaps refused sign-in until the
  // address is confirmed), this page does, for an address typed in.
  const canResend = kind === 'verify' && status !== 'authenticated';
  const resendSwitch = canResend ? (
    <button type="button" className={styles.switch} onClick={() => setMode('resend')}>
      Send me a new mail
    </button>
  ) : null;

  if (resentTo !== null) {
    return (
      <DoneNotice
        message={`If an account with an unconfirmed address ${resentTo} exists, a new mail with a link and a code is on its way.`}
      >
        <button
          type="button"
          className={styles.switch}
          onClick={() => {
            setResentTo(null);
            setMode('code');
          }}
        >
          Enter the code from the new mail
        </button>
      </DoneNotice>
    );
  }
  if (mode === 'resend') {
    return (
      <div className={styles.result}>
        <p className={styles.explain}>Links work once and for 24 hours. Ask for a new one here.</p>
        <EmailRequestForm
          name="Send a new confirmation mail"
          hint="The address you signed up with."
          label="Send a new mail"
          pendingLabel="Sending…"
          send={async (email) => {
            await emailClient.requestVerification(email);
            setResentTo(email);
          }}
        />
        <button type="button" className={styles.switch} onClick={() => setMode(token !== null ? 'link' : 'code')}>
          Back
        </button>
      </div>
    );
  }

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
            errorHelp={
              canResend
                ? 'You can enter the code from the mail instead, or ask for a new mail.'
                : 'You can enter the code from the mail instead, or ask for a new mail from your account page.'
            }
          />
          <button type="button" className={styles.switch} onClick={() => setMode('code')}>
            Enter a code instead
          </button>
          {resendSwitch}
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
          {resendSwitch}
        </>
      )}
    </div>
  );
}
