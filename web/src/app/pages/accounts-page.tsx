import { useRef, useState } from 'react';
import { Alert } from '../../components/alert';
import { AppShell } from '../../components/app-shell';
import { Button } from '../../components/button';
import { useAuth } from '../../features/auth/auth-context';
import { UnverifiedBanner } from '../../features/auth/unverified-banner';
import { PasswordChangePrompt } from '../../features/auth/password-change-prompt';
import { EmailAccountsCard } from '../../features/email-accounts/email-accounts-card';
import { ChangeEmailCard } from '../../features/profile/change-email-card';
import { ChangePasswordCard } from '../../features/profile/change-password-card';
import { usePasswordPolicy } from '../../features/password/policy-client';
import { StrengthMeter } from '../../features/password/strength-meter';
import { DeleteAccountCard } from '../../features/profile/delete-account-card';
import { ProfileCard } from '../../features/profile/profile-card';
import { SessionsCard } from '../../features/sessions/sessions-card';
import styles from './pages.module.css';
import { useDocumentTitle } from '../../lib/use-document-title';

const changePasswordId = 'change-password';

/** AccountsPage is the /accounts dashboard; RequireAuth guarantees a signed-in user. */
export function AccountsPage() {
  useDocumentTitle('Your accounts');
  const { user, signOut, updateUser, endSession, passwordChanged } = useAuth();
  const policy = usePasswordPolicy();
  const heading = useRef<HTMLHeadingElement>(null);
  const [signingOut, setSigningOut] = useState(false);
  const [signOutFailed, setSignOutFailed] = useState(false);
  // Changing the password signs out the other sessions; remount the list to show that.
  const [sessionsVersion, setSessionsVersion] = useState(0);
  if (user === null) return null;

  const trySignOut = () => {
    setSigningOut(true);
    setSignOutFailed(false);
    signOut().catch(() => {
      setSigningOut(false);
      setSignOutFailed(true);
    });
  };

  return (
    <AppShell
      userName={`${user.first_name} ${user.last_name}`}
      userEmail={user.email}
      signingOut={signingOut}
      onSignOut={trySignOut}
    >
      {signOutFailed ? (
        <div className={styles.intro}>
          <Alert
            tone="warning"
            title="Sign-out failed"
            action={
              <Button variant="secondary" size="sm" onClick={trySignOut}>
                Try again
              </Button>
            }
          >
            This device may still be signed in. Try again.
          </Alert>
        </div>
      ) : null}
      <div className={styles.intro}>
        <PasswordChangePrompt
          onChoose={() => {
            // The card's first field is its current password: start there.
            document.getElementById(changePasswordId)?.querySelector('input')?.focus();
          }}
          onDismiss={() => heading.current?.focus()}
        />
        <h1 className={styles.greeting} tabIndex={-1} ref={heading}>
          Welcome, {user.first_name}
        </h1>
        <p className={styles.lede}>Manage your connected inboxes, your profile and where you're signed in.</p>
      </div>
      {/* Keyed by user too: a resend's cooldown belongs to the user who asked for it. Its own
          key, not the grid's: siblings sharing a key are reconciled wrongly (it was drawn twice). */}
      <UnverifiedBanner key={`banner-${user.id}`} />
      {/* Keyed by user, so a sign-in as someone else in another tab cannot leave the previous
          user's lists on screen: every card remounts and loads afresh. */}
      <div className={styles.grid} key={user.id}>
        <div className={styles.column}>
          <EmailAccountsCard />
          <SessionsCard key={sessionsVersion} />
        </div>
        <div className={styles.column}>
          <ProfileCard user={user} onUpdated={updateUser} />
          <ChangeEmailCard email={user.email} />
          <ChangePasswordCard
            id={changePasswordId}
            passwordRules={policy}
            passwordMeter={({ password, active }) => (
              <StrengthMeter
                password={password}
                account={{ email: user.email, firstName: user.first_name, lastName: user.last_name }}
                policy={policy}
                active={active}
              />
            )}
            onChanged={() => {
              passwordChanged();
              setSessionsVersion((v) => v + 1);
            }}
          />
          <DeleteAccountCard onDeleted={() => endSession('deleted')} />
        </div>
      </div>
    </AppShell>
  );
}
