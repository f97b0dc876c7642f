import type { ReactNode } from 'react';
import styles from './app-shell.module.css';
import { Avatar } from './avatar';
import { Button } from './button';
import { LogOutIcon } from './icons';
import { Logo } from './logo';
import skeleton from './skeleton.module.css';

export interface AppShellProps {
  userName: string;
  userEmail: string;
  onSignOut: () => void;
  signingOut?: boolean;
  children: ReactNode;
}

function Frame({ user, children }: { user: ReactNode; children: ReactNode }) {
  return (
    <div className={styles.shell}>
      <a className={styles.skip} href="#main">
        Skip to content
      </a>
      <header className={styles.header}>
        <div className={styles.bar}>
          <Logo />
          <div className={styles.user}>{user}</div>
        </div>
      </header>
      <main id="main" className={styles.main} tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

/** AppShell is the signed-in frame: a skip link, the header with the user and Sign out, and main. */
export function AppShell({ userName, userEmail, onSignOut, signingOut = false, children }: AppShellProps) {
  return (
    <Frame
      user={
        <>
          <Avatar name={userName} />
          <span className={styles.identity}>
            <span className={styles.name}>{userName}</span>
            {/* Cut with an ellipsis when long; the full address is in the title and the Profile card. */}
            <span className={styles.email} title={userEmail}>
              {userEmail}
            </span>
          </span>
          <Button
            variant="secondary"
            size="sm"
            icon={<LogOutIcon size={16} />}
            onClick={onSignOut}
            pending={signingOut}
            pendingLabel="Signing out…"
          >
            Sign out
          </Button>
        </>
      }
    >
      {children}
    </Frame>
  );
}

/**
 * AppShellLoading is the same frame while the session is still being checked, so the first
 * paint is the app (header, logo, the page's outline) rather than a bare spinner.
 */
export function AppShellLoading({ label }: { label: string }) {
  return (
    <Frame user={<span className={`${skeleton.avatar} ${styles.placeholder}`} aria-hidden="true" />}>
      <div role="status" className={styles.loading}>
        <span className="visually-hidden">{label}</span>
        <span className={`${skeleton.line} ${styles.placeholderHeading}`} aria-hidden="true" />
        <span className={`${skeleton.line} ${styles.placeholderLede}`} aria-hidden="true" />
        <span className={styles.placeholderCards} aria-hidden="true">
          <span className={styles.placeholderCard} />
          <span className={styles.placeholderCard} />
        </span>
      </div>
    </Frame>
  );
}
