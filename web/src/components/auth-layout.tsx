import type { ReactNode } from 'react';
import styles from './auth-layout.module.css';
import { KeyIcon, LaptopIcon, ShieldIcon } from './icons';
import { Logo } from './logo';

export interface AuthLayoutProps {
  title: string;
  subtitle?: ReactNode;
  children: ReactNode;
  /** Shown under the form, e.g. a link to the other auth page. */
  footer?: ReactNode;
}

const points = [
  { icon: <ShieldIcon />, title: 'Passwords never stored', text: 'Only a salted bcrypt hash is kept.' },
  { icon: <LaptopIcon />, title: 'Every session visible', text: 'See where you are signed in; end any of them.' },
  { icon: <KeyIcon />, title: 'Your server, your data', text: 'Self-hosted: nothing leaves your infrastructure.' },
];

/** AuthLayout frames the sign-in and registration pages: a brand panel and the form. */
export function AuthLayout({ title, subtitle, children, footer }: AuthLayoutProps) {
  return (
    <div className={styles.layout}>
      <aside className={styles.brand} aria-label="About Gatehouse">
        <Logo />
        <div className={styles.pitch}>
          <p className={styles.headline}>Sign-in you can trust, on a server you own.</p>
          <ul className={styles.points}>
            {points.map((point) => (
              <li key={point.title}>
                <span className={styles.pointIcon}>{point.icon}</span>
                <span>
                  <strong>{point.title}</strong>
                  <span className={styles.pointText}>{point.text}</span>
                </span>
              </li>
            ))}
          </ul>
        </div>
        <p className={styles.small}>Gatehouse · self-hosted registration and sign-in</p>
      </aside>
      <main className={styles.main} id="main">
        <div className={styles.panel}>
          <div className={styles.mobileLogo}>
            <Logo />
          </div>
          <h1 className={styles.title} tabIndex={-1}>
            {title}
          </h1>
          {subtitle ? <p className={styles.subtitle}>{subtitle}</p> : null}
          <div className={styles.content}>{children}</div>
          {footer ? <div className={styles.footer}>{footer}</div> : null}
        </div>
      </main>
    </div>
  );
}
