import type { ReactNode } from 'react';
import styles from './alert.module.css';
import { AlertIcon, CheckCircleIcon, InfoIcon } from './icons';

export type AlertTone = 'error' | 'success' | 'info' | 'warning';

export interface AlertProps {
  tone?: AlertTone;
  title?: string;
  children: ReactNode;
  /** E.g. a "Try again" button, shown after the message. */
  action?: ReactNode;
  id?: string;
  /** focusable lets script move focus to the alert (tabIndex -1), e.g. a form's error. */
  focusable?: boolean;
  /** live={false} drops the live role, for content that changes too often to announce. */
  live?: boolean;
}

/**
 * Alert is a message box. Errors use role="alert" so screen readers announce them at once;
 * the other tones use role="status", which waits for a pause.
 */
export function Alert({ tone = 'info', title, children, action, id, focusable = false, live = true }: AlertProps) {
  const Icon = tone === 'success' ? CheckCircleIcon : tone === 'info' ? InfoIcon : AlertIcon;
  return (
    <div
      id={id}
      tabIndex={focusable ? -1 : undefined}
      className={`${styles.alert} ${styles[tone]}`}
      role={live ? (tone === 'error' ? 'alert' : 'status') : undefined}
    >
      <Icon size={18} className={styles.icon} />
      <div className={styles.body}>
        {title ? <p className={styles.title}>{title}</p> : null}
        <div className={styles.message}>{children}</div>
      </div>
      {action ? <div className={styles.action}>{action}</div> : null}
    </div>
  );
}
