import { useState } from 'react';
import { Alert } from '../../components/alert';
import { Button } from '../../components/button';
import { useAuth } from './auth-context';
import styles from './auth-form.module.css';

const reasons: Record<string, string> = {
  'value_error.password.weak': 'Your password is too easy to guess.',
  'value_error.password.too_short': 'Your password is shorter than Gatehouse now asks.',
  'value_error.password.too_long': 'Your password is longer than Gatehouse now accepts.',
  'value_error.password.common': 'Your password is one of the most common passwords.',
  'value_error.password.personal': 'Your password is built from your email address or your name.',
  'value_error.password.breached': 'Your password has appeared in a data breach.',
};

/** passwordChangeText says, in a sentence, why the password should change. */
export function passwordChangeText(reason: string): string {
  return reasons[reason] ?? 'Your password does not meet the password rules any more.';
}

export interface PasswordChangePromptProps {
  /** Takes the user to where the password is changed. */
  onChoose: () => void;
  /** Called once dismissed, e.g. to put focus somewhere that remains. */
  onDismiss?: () => void;
}

/**
 * PasswordChangePrompt asks, when the sign-in said so, for a new password. Signing in was not
 * refused (it never is for policy): the user is asked, not forced. "Not now" hides it until
 * the page is loaded again; it goes for good once the password is changed or the user signs out.
 */
export function PasswordChangePrompt({ onChoose, onDismiss }: PasswordChangePromptProps) {
  const { passwordChangeReason } = useAuth();
  const [dismissed, setDismissed] = useState<string | null>(null);
  if (passwordChangeReason === null || dismissed === passwordChangeReason) return null;

  return (
    <div className={styles.prompt}>
      <Alert
        tone="warning"
        title="Please change your password"
        action={
          <>
            <Button variant="primary" size="sm" onClick={onChoose}>
              Choose a new password
            </Button>{' '}
            <Button
              variant="ghost"
              size="sm"
              onClick={() => {
                setDismissed(passwordChangeReason);
                onDismiss?.();
              }}
            >
              Not now
            </Button>
          </>
        }
      >
        {passwordChangeText(passwordChangeReason)} Attackers try passwords like it first, so choose a new one.
      </Alert>
    </div>
  );
}
