import type { ButtonHTMLAttributes, ReactNode, Ref } from 'react';
import styles from './button.module.css';
import { Spinner } from './spinner';

export type ButtonVariant = 'primary' | 'secondary' | 'ghost' | 'danger' | 'danger-ghost';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  size?: 'md' | 'sm';
  /**
   * While pending the button shows a spinner with pendingLabel and ignores clicks. It stays
   * focusable (aria-disabled, not disabled), so keyboard focus does not fall to the page.
   */
  pending?: boolean;
  pendingLabel?: string;
  /**
   * blocked refuses clicks for a reason shown nearby (e.g. a rate limit's countdown; point
   * aria-describedby at it). Like pending it uses aria-disabled, so the button keeps focus
   * and stays discoverable; the form must refuse an Enter-key submit itself.
   */
  blocked?: boolean;
  icon?: ReactNode;
  fullWidth?: boolean;
  ref?: Ref<HTMLButtonElement>;
}

/** Button is the one button style of the app; it defaults to type="button". */
export function Button({
  variant = 'secondary',
  size = 'md',
  pending = false,
  pendingLabel,
  blocked = false,
  icon,
  fullWidth = false,
  disabled,
  className,
  children,
  type = 'button',
  onClick,
  ...rest
}: ButtonProps) {
  const classes = [styles.button, styles[variant], styles[size], fullWidth ? styles.full : '', className ?? '']
    .filter(Boolean)
    .join(' ');
  return (
    <button
      type={type}
      className={classes}
      disabled={disabled}
      aria-disabled={pending || blocked || undefined}
      aria-busy={pending || undefined}
      onClick={(event) => {
        // preventDefault also stops a pending submit button from submitting its form again.
        if (pending || blocked) event.preventDefault();
        else onClick?.(event);
      }}
      {...rest}
    >
      {pending ? <Spinner /> : icon}
      <span>{pending && pendingLabel ? pendingLabel : children}</span>
    </button>
  );
}
