import { useEffect, useState } from 'react';
import { AlertIcon, CheckCircleIcon } from '../../components/icons';
import { charCount, utf8Length } from '../../lib/validation';
import type { PasswordPolicy } from './policy-client';
import type { Account, Strength } from './strength';
import styles from './strength-meter.module.css';
import { useStrength } from './use-strength';

/** strengthWords names zxcvbn's scores 0 to 4, as the meter shows them. */
export const strengthWords = [
  'Too guessable',
  'Very guessable',
  'Somewhat guessable',
  'Safely unguessable',
  'Very strong',
] as const;

/** MeterPolicy is the part of the server's policy the meter reads. */
export type MeterPolicy = Pick<PasswordPolicy, 'min_length' | 'max_bytes' | 'min_score'> &
  Partial<Pick<PasswordPolicy, 'breach_check' | 'blocklist'>>;

export interface StrengthMeterProps {
  /** The password being chosen. */
  password: string;
  /** What the form knows of the account: a password built from it scores lower. */
  account: Account;
  /** The server's policy; null until it has loaded, when the meter shows the score alone. */
  policy: MeterPolicy | null;
  /**
   * Load the scorer (and its dictionaries) now; pass true once the password field has been
   * focused. Without it the meter loads when the password is first not empty.
   */
  active?: boolean;
  /** How long typing must pause before screen readers hear the verdict. */
  announceDelayMs?: number;
}

interface Verdict {
  /** Whether the policy accepts it, as far as the browser can tell; null without a policy. */
  met: boolean | null;
  text: string;
}

function verdict(password: string, score: Strength['score'], policy: MeterPolicy | null): Verdict {
  if (policy === null) return { met: null, text: '' };
  if (charCount(password) < policy.min_length) {
    return { met: false, text: `too short: use at least ${policy.min_length} characters` };
  }
  if (utf8Length(password) > policy.max_bytes) {
    return { met: false, text: `too long: use at most ${policy.max_bytes} bytes` };
  }
  if (score < policy.min_score) {
    return { met: false, text: 'not strong enough yet' };
  }
  return { met: true, text: 'strong enough' };
}

/** useDebounced returns value once it has stayed the same for delayMs. */
function useDebounced(value: string, delayMs: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

const idleText = 'Its strength is checked as you type.';

/**
 * StrengthMeter shows, under a new password's field, how guessable the password is, judged as
 * the server will judge it: a bar in five steps, a word for the score, whether the policy's
 * minimum is met (in words and an icon, not colour alone), and zxcvbn's warning and
 * suggestions. Screen readers hear the verdict politely, once typing pauses. Its height does
 * not change between states, so the form below it does not move. It never blocks the form:
 * the server decides.
 */
export function StrengthMeter({ password, account, policy, active, announceDelayMs = 1000 }: StrengthMeterProps) {
  const check = useStrength(password, account, active ?? password !== '');
  const strength = check.status === 'ready' ? check.strength : null;
  const result = strength === null ? null : verdict(password, strength.score, policy);
  const word = strength === null ? null : strengthWords[strength.score];

  let announcement = '';
  if (check.status === 'failed') {
    announcement = 'The strength check could not load. Your password is still checked when you submit.';
  } else if (strength !== null && word !== null && result !== null) {
    announcement = [
      `Password strength: ${word}`,
      result.text === '' ? '' : `, ${result.text}`,
      '.',
      strength.warning === '' ? '' : ` ${strength.warning}.`,
    ].join('');
  }
  const announced = useDebounced(announcement, announceDelayMs);

  const tone =
    result === null
      ? 'none'
      : result.met === true || (result.met === null && (strength?.score ?? 0) >= 3)
        ? 'good'
        : (strength?.score ?? 0) >= 2
          ? 'fair'
          : 'poor';
  const filled = strength === null ? 0 : strength.score + 1;
  const breachNote =
    result?.met === true && (policy?.breach_check === 'hibp' || policy?.blocklist === true)
      ? 'When you submit, it is also checked against passwords known from breaches.'
      : null;

  return (
    <div className={styles.meter} data-tone={tone}>
      <div className={styles.bar} aria-hidden="true">
        {[0, 1, 2, 3, 4].map((step) => (
          <span key={step} className={step < filled ? styles.filled : styles.step} />
        ))}
      </div>
      <p className={styles.summary}>
        {check.status === 'loading' ? <span className={styles.muted}>Loading the strength check…</span> : null}
        {check.status === 'idle' || (check.status === 'ready' && strength === null) ? (
          <span className={styles.muted}>{idleText}</span>
        ) : null}
        {check.status === 'failed' ? (
          <>
            <span className={styles.muted}>The strength check could not load.</span>{' '}
            <button type="button" className={styles.retry} onClick={check.retry}>
              Try again
            </button>
          </>
        ) : null}
        {word !== null && result !== null ? (
          <>
            {result.met === true ? <CheckCircleIcon size={16} className={styles.icon} /> : null}
            {result.met === false ? <AlertIcon size={16} className={styles.icon} /> : null}
            <span>
              <strong className={styles.word}>{word}</strong>
              {result.text === '' ? null : `: ${result.text}`}
            </span>
          </>
        ) : null}
      </p>
      <div className={styles.advice}>
        {strength !== null && strength.warning !== '' ? <p className={styles.warning}>{strength.warning}.</p> : null}
        {strength !== null && strength.suggestions.length > 0 ? (
          <ul className={styles.suggestions}>
            {strength.suggestions.map((suggestion) => (
              <li key={suggestion}>{suggestion}</li>
            ))}
          </ul>
        ) : null}
        {breachNote !== null ? <p>{breachNote}</p> : null}
        {check.status === 'failed' ? <p>Your password is still checked when you submit.</p> : null}
      </div>
      <p className="visually-hidden" role="status" aria-label="Password strength">
        {announced}
      </p>
    </div>
  );
}
