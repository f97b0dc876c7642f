import { useId, type ReactNode } from 'react';
import styles from './card.module.css';

export interface CardProps {
  title: string;
  description?: ReactNode;
  icon?: ReactNode;
  /** Buttons shown beside the title. */
  actions?: ReactNode;
  tone?: 'default' | 'danger';
  /** The section's id, e.g. for a link or a button elsewhere on the page to lead to it. */
  id?: string;
  children: ReactNode;
}

/** Card is a titled section of a page; its title names the region for assistive technology. */
export function Card({ title, description, icon, actions, tone = 'default', id, children }: CardProps) {
  const titleId = useId();
  return (
    <section id={id} className={`${styles.card} ${tone === 'danger' ? styles.danger : ''}`} aria-labelledby={titleId}>
      <header className={styles.header}>
        {icon ? <span className={styles.icon}>{icon}</span> : null}
        <div className={styles.heading}>
          <h2 id={titleId} className={styles.title}>
            {title}
          </h2>
          {description ? <p className={styles.description}>{description}</p> : null}
        </div>
        {actions ? <div className={styles.actions}>{actions}</div> : null}
      </header>
      <div className={styles.body}>{children}</div>
    </section>
  );
}
