import type { ReactNode } from 'react';
import styles from './field.module.css';
import { AlertIcon } from './icons';

/** describedBy returns the aria-describedby of a field whose messages FieldMessages shows. */
export function describedBy(id: string, hint: ReactNode, error: string | null | undefined): string | undefined {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
}

export interface FieldMessagesProps {
  /** The field's id: the messages take ids derived from it, as describedBy names them. */
  id: string;
  hint?: ReactNode;
  error?: string | null;
}

/** FieldMessages shows a field's hint and its error under it, with the ids describedBy names. */
export function FieldMessages({ id, hint, error }: FieldMessagesProps) {
  return (
    <>
      {hint ? (
        <p id={`${id}-hint`} className={styles.hint}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className={styles.error}>
          <AlertIcon size={15} />
          <span>{error}</span>
        </p>
      ) : null}
    </>
  );
}
