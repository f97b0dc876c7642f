import { apiRules } from './api-rules';

// The server's input rules, mirrored so people see mistakes before anything is sent. The
// numbers come from the server's OpenAPI document (api-rules.ts is generated from it); the
// server remains the authority and checks everything again. What the document cannot state
// (a limit in bytes, the email grammar's parts) the browser tests check against the server.

/** The limits the server enforces. A new password's are its policy's: see PasswordRules. */
export const limits = {
  nameMaxLength: apiRules.RegisterInput.first_name.maxLength,
  emailMaxLength: apiRules.RegisterInput.email.maxLength,
} as const;

/**
 * PasswordRules are a new password's length limits as the server's policy states them
 * (GET /api/auth/password-policy): its operator sets the minimum, so no copy lives here.
 */
export interface PasswordRules {
  /** The minimum, in characters (code points). */
  min_length: number;
  /** The maximum in UTF-8 bytes: bcrypt reads no further. */
  max_bytes: number;
}

const atext = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+$/u;
const label = /^[\p{L}\p{N}-]+$/u;

/** isValidEmail accepts local@domain.tld the way the server (and pydantic's EmailStr) does. */
export function isValidEmail(value: string): boolean {
  // The server composes (NFC) before it checks, and counts lengths in UTF-8 bytes.
  const email = value.trim().normalize('NFC');
  if (email.length === 0 || utf8Length(email) > limits.emailMaxLength) return false;
  const parts = email.split('@');
  if (parts.length !== 2) return false;
  const [local = '', domain = ''] = parts;
  if (local.length === 0 || utf8Length(local) > 64) return false;
  if (!local.split('.').every((part) => part !== '' && atext.test(part))) return false;
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  const labelsOk = labels.every(
    (l) => l !== '' && l.length <= 63 && label.test(l) && !l.startsWith('-') && !l.endsWith('-'),
  );
  return labelsOk && !/^\p{Nd}+$/u.test(labels.at(-1) ?? '') && labels.every((l) => utf8Length(l) <= 63);
}

/** charCount counts code points, as the server does (a character outside the BMP counts once). */
export function charCount(value: string): number {
  return Array.from(value).length;
}

/** utf8Length is how many bytes the server will count. */
export function utf8Length(value: string): number {
  return new TextEncoder().encode(value).length;
}

/** emailError says what is wrong with an email address, or null. */
export function emailError(value: string): string | null {
  if (value.trim() === '') return 'Enter your email address.';
  if (!isValidEmail(value)) return 'Enter a valid email address, like name@example.com.';
  return null;
}

// Control (Cc) and format (Cf) characters are refused, as on the server (a right-to-left
// override could make one name display as another), except the zero-width non-joiner and
// joiner, which some scripts and emoji need.
const hidden = /(?![\u200C\u200D])[\p{Cc}\p{Cf}]/u;
const visible = /[\p{L}\p{N}\p{P}\p{S}\p{M}]/u;

/**
 * textError checks an optional name-like field the way the server does: trimmed, at most 100
 * characters (code points), no control or format characters, and something visible.
 */
export function textError(value: string, what = 'this'): string | null {
  const trimmed = value.trim();
  if (charCount(trimmed) > limits.nameMaxLength) {
    return what === 'this'
      ? `Use at most ${limits.nameMaxLength} characters.`
      : `Use at most ${limits.nameMaxLength} characters for your ${what}.`;
  }
  if (hidden.test(trimmed)) return 'Remove the invisible control characters.';
  if (trimmed !== '' && !visible.test(trimmed)) return 'Use at least one visible character.';
  return null;
}

/** requiredTextError checks a required name-like field (as textError, and not empty). */
export function requiredTextError(value: string, what: string): string | null {
  if (value.trim() === '') return `Enter your ${what}.`;
  return textError(value, what);
}

/**
 * newPasswordError checks a password being chosen against the policy's length limits. Without
 * them (the policy has not loaded, or could not be) only what needs no policy is checked, and
 * the server, which checks everything again, decides the rest.
 */
export function newPasswordError(value: string, rules: PasswordRules | null): string | null {
  if (value === '') return 'Choose a password.';
  if (rules !== null && charCount(value) < rules.min_length) {
    return `Use at least ${rules.min_length} characters.`;
  }
  if (rules !== null && utf8Length(value) > rules.max_bytes) {
    return `That password is too long. Use at most ${rules.max_bytes} bytes (about ${rules.max_bytes} letters, fewer with emoji or accents).`;
  }
  if (value.includes('\0')) return 'Remove the NUL character from your password.';
  return null;
}

/** newPasswordHint states the policy's minimum once it is known; until then, what always holds. */
export function newPasswordHint(rules: PasswordRules | null): string {
  return rules === null ? 'Use a password you use nowhere else.' : `At least ${rules.min_length} characters.`;
}

/** confirmationError checks that a repeated password matches. */
export function confirmationError(password: string, confirmation: string): string | null {
  if (confirmation === '') return 'Enter your password again.';
  if (confirmation !== password) return "The passwords don't match.";
  return null;
}
