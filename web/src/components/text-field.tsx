import { useId, type InputHTMLAttributes, type ReactNode, type Ref } from 'react';
import styles from './field.module.css';
import { describedBy, FieldMessages } from './field-messages';

export interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  /** The visible label; it is also the input's accessible name. */
  label: string;
  /** Shown under the input in red and linked with aria-describedby; marks the input invalid. */
  error?: string | null;
  /** Help shown under the input, also linked with aria-describedby. */
  hint?: ReactNode;
  /** Adds "(optional)" after the label, outside the accessible name. */
  optional?: boolean;
  /** Shown under the hint and the error, inside the field, e.g. a password's strength meter. */
  after?: ReactNode;
  ref?: Ref<HTMLInputElement>;
}

/** TextField is a labelled input with its hint and its error message wired for assistive technology. */
export function TextField({ label, error, hint, optional = false, after, className, ref, ...input }: TextFieldProps) {
  const id = useId();

  return (
    <div className={[styles.field, className ?? ''].filter(Boolean).join(' ')}>
      <label htmlFor={id} className={styles.label}>
        {label}
        {optional ? (
          <span className={styles.optional} aria-hidden="true">
            {' '}
            (optional)
          </span>
        ) : null}
      </label>
      <input
        ref={ref}
        id={id}
        className={styles.control}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...input}
      />
      <FieldMessages id={id} hint={hint} error={error} />
      {after}
    </div>
  );
}
