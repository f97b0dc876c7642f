import type { ReactNode } from 'react';
import styles from './badge.module.css';

/** Badge is a short label, e.g. a provider name or "This device". */
export function Badge({
  tone = 'neutral',
  children,
}: {
  tone?: 'neutral' | 'accent' | 'success';
  children: ReactNode;
}) {
  return <span className={`${styles.badge} ${styles[tone]}`}>{children}</span>;
}
