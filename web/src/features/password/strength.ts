// The strength scorer the meter uses: zxcvbn 4.4.2 on the same canonical form, cap and user
// inputs as the server's password.Score (internal/password/strength.go), so the meter shows
// the judgement the server will make. internal/password/testdata/strength-golden.tsv holds
// thousands of passwords that both sides must score alike (strength.test.ts, strength_test.go).
import type zxcvbnFn from 'zxcvbn';
import { canonical } from './canonical';
import { boundedL33tSubs } from './l33t';

export { MAX_SCORED_CHARS } from './canonical';

/** REFERENCE_YEAR pins zxcvbn's "now" for dates and years (Go: password.ReferenceYear). */
export const REFERENCE_YEAR = 2026;

/** SERVICE_NAME is always a user input (Go: password.ServiceName). */
export const SERVICE_NAME = 'Gatehouse';

/** Strength is zxcvbn's judgement: score 0 (too guessable) to 4, with its advice. */
export interface Strength {
  score: 0 | 1 | 2 | 3 | 4;
  guesses: number;
  warning: string;
  suggestions: string[];
}

/** Scorer judges a password given what is known of the account (see userInputs). */
export type Scorer = (password: string, userInputs: readonly string[]) => Strength;

/** Account holds what the user typed about themselves on the form. */
export interface Account {
  email?: string;
  firstName?: string;
  lastName?: string;
}

// Only ASCII is trimmed and lower-cased here, as in Go: the languages' own functions differ
// beyond it (JavaScript trims U+FEFF, Go U+0085; "Σ" at a word's end). Canonicalisation
// lower-cases the rest, character by character, identically.
function tidy(s: string): string {
  return s.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, '').replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/**
 * userInputs lists what zxcvbn is told about the account, as Go's password.UserInputs does: the
 * email, its local part and the local part's pieces, the first and last names, the service.
 */
export function userInputs(account: Account): string[] {
  const out: string[] = [];
  const add = (s: string): void => {
    const t = tidy(s);
    if (t !== '' && !out.includes(t)) out.push(t);
  };
  const email = tidy(account.email ?? '');
  add(email);
  const at = email.lastIndexOf('@');
  if (at >= 0) {
    const local = email.slice(0, at);
    add(local);
    for (const piece of local.split(/[.\-_+]/)) add(piece);
  }
  add(account.firstName ?? '');
  add(account.lastName ?? '');
  add(SERVICE_NAME);
  return out;
}

function scoreWith(zxcvbn: typeof zxcvbnFn, password: string, inputs: readonly string[]): Strength {
  const c = canonical(password, inputs);
  const r = zxcvbn(c.password, c.inputs);
  return { score: r.score, guesses: r.guesses, warning: r.feedback.warning, suggestions: r.feedback.suggestions };
}

let loading: Promise<Scorer> | undefined;

/**
 * loadScorer loads zxcvbn and its dictionaries (~400 KB gzip, a chunk of its own) on first
 * call and resolves to the scorer; later calls share that load. Call it when the password
 * field is first focused, so the page's initial JavaScript does not grow.
 */
export function loadScorer(): Promise<Scorer> {
  loading ??= Promise.all([import('zxcvbn'), import('zxcvbn/lib/scoring'), import('zxcvbn/lib/matching')]).then(
    ([main, scoring, matching]) => {
      // Both are read from these shared module objects on every call, so setting them once
      // sets them for zxcvbn() itself.
      scoring.default.REFERENCE_YEAR = REFERENCE_YEAR;
      matching.default.enumerate_l33t_subs = boundedL33tSubs;
      // zxcvbn.js looks words up with "word of dict", which finds what every object inherits
      // ("constructor", "tostring", "valueof" …) with a function for a rank, and NaN guesses
      // then upset its search. Go has no such words; here they are dropped.
      const dictionaryMatch = matching.default.dictionary_match;
      matching.default.dictionary_match = function (this: unknown, ...args: unknown[]) {
        return dictionaryMatch.apply(this, args).filter((m) => typeof m.rank === 'number');
      };
      return (password, inputs) => scoreWith(main.default, password, inputs);
    },
  );
  // A failed load (offline) is not remembered, so focusing again retries.
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
