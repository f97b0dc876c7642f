// The server says that a password should be changed only in the sign-in's answer, and a reload
// restores the session without one; so the note is kept in this tab's sessionStorage until the
// password is changed or the user signs out. It holds the user's id and the refusal's type
// (e.g. "value_error.password.weak"): no credential, nothing a reader of the storage could
// sign in with. This file is the only one ESLint lets touch web storage.

const key = 'gatehouse.password-change';

interface Note {
  user: string;
  reason: string;
}

function isNote(value: unknown): value is Note {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Record<string, unknown>).user === 'string' &&
    typeof (value as Record<string, unknown>).reason === 'string'
  );
}

/** notePasswordChange remembers that user should change their password, or forgets it (null). */
export function notePasswordChange(user: string, reason: string | null): void {
  try {
    if (reason === null) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, JSON.stringify({ user, reason } satisfies Note));
  } catch {
    // Storage may be off (a privacy mode): the prompt then lasts until the next reload.
  }
}

/** recallPasswordChange returns why user should change their password, or null. */
export function recallPasswordChange(user: string): string | null {
  try {
    const note: unknown = JSON.parse(sessionStorage.getItem(key) ?? 'null');
    return isNote(note) && note.user === user ? note.reason : null;
  } catch {
    return null;
  }
}

/** forgetPasswordChange drops the note, whoever it was for. */
export function forgetPasswordChange(): void {
  try {
    sessionStorage.removeItem(key);
  } catch {
    // Nothing was stored, then.
  }
}
