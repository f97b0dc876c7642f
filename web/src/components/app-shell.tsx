import type { ReactNode } from 'react';
import styles from './app-shell.module.css';
import { Avatar } from './avatar';
import { Button } from './button';
import { LogOutIcon } from './icons';
import { Logo } from './logo';

export interface AppShellProps {
  userName: string;
  userEmail: string;
  onSignOut: () => void;
  signingOut?: boolean;
  children: ReactNode;
}

/** AppShell is the signed-in frame: a skip link, the header with the user and Sign out, and main. */
export function AppShell({ userName, userEmail, onSignOut, signingOut = false, children }: AppShellProps) {
  return (
    <div className={styles.shell}>
      <a className={styles.skip} href="#main">
        Skip to content
      </a>
      <header className={styles.header}>
        <div className={styles.bar}>
          <Logo />
          <div className={styles.user}>
            <Avatar name={userName} />
            <span className={styles.identity}>
              <span className={styles.name}>{userName}</span>
              <span className={styles.email}>{userEmail}</span>
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
          </div>
        </div>
      </header>
      <main id="main" className={styles.main} tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
