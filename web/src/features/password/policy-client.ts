import { useEffect, useState } from 'react';
import { api } from '../../lib/api-client';
import type { ResponseBody } from '../../lib/api-operations';

// The server's password policy, fetched once per page load and shared: the forms check a new
// password's length with it and the meter shows whether its score is enough. Its operator
// sets the numbers (GATEHOUSE_PASSWORD_MIN_LENGTH, GATEHOUSE_PASSWORD_MIN_SCORE), so the app
// keeps no copy of them.

/** PasswordPolicy is what GET /api/auth/password-policy says new passwords must meet. */
export type PasswordPolicy = ResponseBody<'/api/auth/password-policy', 'get'>;

let loading: Promise<PasswordPolicy> | undefined;
let loaded: PasswordPolicy | null = null;

/**
 * loadPasswordPolicy fetches the policy on first call; later calls share that answer. A
 * failed fetch is not remembered, so the next form that asks tries again.
 */
export function loadPasswordPolicy(): Promise<PasswordPolicy> {
  if (loading === undefined) {
    const attempt = api.get('/api/auth/password-policy', { auth: false });
    loading = attempt;
    attempt.then(
      (policy) => {
        loaded = policy;
      },
      () => {
        if (loading === attempt) loading = undefined;
      },
    );
  }
  return loading;
}

/**
 * usePasswordPolicy returns the policy, or null until it has loaded (or when it could not
 * be): then the forms leave the lengths to the server, which checks everything again.
 */
export function usePasswordPolicy(): PasswordPolicy | null {
  const [policy, setPolicy] = useState<PasswordPolicy | null>(loaded);
  useEffect(() => {
    if (policy !== null) return;
    let live = true;
    loadPasswordPolicy().then(
      (answer) => {
        if (live) setPolicy(answer);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [policy]);
  return policy;
}

/** forgetPasswordPolicy drops the shared answer, so a test can start from a page load. */
export function forgetPasswordPolicy(): void {
  loading = undefined;
  loaded = null;
}
