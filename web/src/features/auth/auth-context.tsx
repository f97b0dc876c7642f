import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useReducer,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { ApiError } from '../../lib/api-error';
import { bindSession } from '../../lib/session-binding';
import { authClient, type Credentials, type RegisterInput, type User } from './auth-client';
import { emailClient, type MailedToken, type PasswordResetInput } from './email-client';
import { authReducer, initialAuthState, type AuthStatus, type SignedOutReason } from './auth-machine';
import { forgetPasswordChange, notePasswordChange, recallPasswordChange } from './password-change-note';
import { listenToOtherTabs, oneTabAtATime, tellOtherTabs } from './session-sync';

export type { AuthStatus, SignedOutReason } from './auth-machine';

/** AuthContextValue is what useAuth() returns. */
export interface AuthContextValue {
  status: AuthStatus;
  /** The signed-in user, or null. */
  user: User | null;
  signedOutReason: SignedOutReason;
  /**
   * register creates an account and then signs in with it (the article's auto-login). If the
   * account was created but signing in failed, it rejects with RegisteredButNotSignedIn.
   */
  register: (input: RegisterInput) => Promise<void>;
  /** signIn starts a session; it rejects with an ApiError (invalid_credentials) or NetworkError. */
  signIn: (credentials: Credentials) => Promise<void>;
  /**
   * signOut ends the session here and in this browser's other tabs. If the server could not
   * end it, it rejects and the user stays signed in, since the cookie's session lives on.
   */
  signOut: () => Promise<void>;
  /** retry asks the server again after status became 'unavailable'. */
  retry: () => void;
  /** updateUser replaces the user after their profile changed. */
  updateUser: (user: User) => void;
  /** acknowledgeSignedOut clears signedOutReason once it has been shown, so it shows once. */
  acknowledgeSignedOut: () => void;
  /** endSession forgets a session the server has already ended, e.g. a deleted account. */
  endSession: (reason: Exclude<SignedOutReason, 'none'>) => void;
  /**
   * confirmEmail spends a mailed verification (or email-change) token or code; when signed in,
   * it then reloads the user, so email_verified (and the address) are fresh everywhere.
   */
  confirmEmail: (input: MailedToken) => Promise<void>;
  /**
   * resetPassword sets a new password with a reset mail's token or code. The server ends every
   * session of the account, so this browser's is forgotten too. With an address (the code
   * path) it then signs in with the new password and resolves 'signed-in'; otherwise, or if
   * that sign-in fails, 'sign-in-needed'.
   */
  resetPassword: (input: PasswordResetInput) => Promise<'signed-in' | 'sign-in-needed'>;
  /** reloadUser fetches the signed-in user again, e.g. after they verified in another tab. */
  reloadUser: () => Promise<void>;
  /**
   * passwordChangeReason is set when the sign-in's answer said the password would not pass
   * today's policy (password_change_required): the refusal's type, e.g.
   * "value_error.password.weak". It outlives a reload of this tab, and ends when the password
   * is changed (passwordChanged) or the session does.
   */
  passwordChangeReason: string | null;
  /** passwordChanged says the user has set a new password, so no longer needs asking. */
  passwordChanged: () => void;
}

/** RegisteredButNotSignedIn means the account exists now, but the automatic sign-in failed. */
export class RegisteredButNotSignedIn extends Error {
  override readonly name = 'RegisteredButNotSignedIn';

  constructor(
    readonly email: string,
    override readonly cause: unknown,
  ) {
    super('Your account was created. Sign in to continue.');
  }
}

const AuthContext = createContext<AuthContextValue | null>(null);

/**
 * AuthProvider owns the session. The access token lives in memory only (a ref, never storage);
 * the refresh token lives in the server's HttpOnly cookie. On mount it restores the session
 * through that cookie, so a reload keeps the user signed in, and it lends the API client a way
 * to refresh once when a request comes back 401.
 */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, dispatch] = useReducer(authReducer, initialAuthState);
  const [passwordChangeReason, setPasswordChangeReason] = useState<string | null>(null);
  const token = useRef<string | null>(null);
  const inFlightRefresh = useRef<Promise<string | null> | null>(null);
  // epoch changes whenever the session changes hands (sign-in, sign-out, forget). A refresh or
  // restore remembers the epoch it started in and applies nothing if it has changed since, so a
  // slow answer cannot undo a newer sign-in or sign-out.
  const epoch = useRef(0);

  const nextEpoch = useCallback(() => {
    epoch.current += 1;
    inFlightRefresh.current = null;
  }, []);

  const forget = useCallback(
    (reason: SignedOutReason) => {
      nextEpoch();
      token.current = null;
      forgetPasswordChange();
      setPasswordChangeReason(null);
      dispatch({ type: 'signed-out', reason });
    },
    [nextEpoch],
  );

  /**
   * Exchanges the cookie for an access token; null when there is no session (a 204: no cookie,
   * or a 401: a cookie the server no longer honours) or when the session changed hands
   * meanwhile. Other failures reject. One at a time.
   */
  const refresh = useCallback((): Promise<string | null> => {
    if (inFlightRefresh.current !== null) return inFlightRefresh.current;
    const started = epoch.current;
    const attempt: Promise<string | null> = oneTabAtATime(() => authClient.refresh())
      .then((answer) => {
        if (epoch.current !== started) return null;
        token.current = answer?.access_token ?? null;
        return token.current;
      })
      .catch((error: unknown) => {
        if (epoch.current !== started) return null;
        // Only a 401 means the cookie's session is over; a 5xx, 429 or network failure says
        // nothing about it, so the caller must not sign anyone out over it.
        if (error instanceof ApiError && error.status === 401) {
          token.current = null;
          return null;
        }
        throw error;
      })
      .finally(() => {
        if (inFlightRefresh.current === attempt) inFlightRefresh.current = null;
      });
    inFlightRefresh.current = attempt;
    return attempt;
  }, []);

  /** Restores the session through the cookie: signed in, anonymous, or unavailable. */
  const restore = useCallback(() => {
    const started = epoch.current;
    const stale = () => epoch.current !== started;
    return refresh()
      .then(async (fresh) => {
        if (stale()) return;
        if (fresh === null) {
          forget('none');
          return;
        }
        const user = await authClient.currentUser();
        if (stale()) return;
        setPasswordChangeReason(recallPasswordChange(user.id));
        dispatch({ type: 'signed-in', user });
      })
      .catch((error: unknown) => {
        if (stale()) return;
        if (error instanceof ApiError && error.status === 401) forget('none');
        else dispatch({ type: 'unreachable' });
      });
  }, [refresh, forget]);

  const retry = useCallback(() => {
    dispatch({ type: 'checking' });
    void restore();
  }, [restore]);

  useEffect(() => {
    const unbind = bindSession({
      accessToken: () => token.current,
      refresh: async () => {
        const started = epoch.current;
        const fresh = await refresh();
        if (fresh === null && epoch.current === started) forget('expired');
        return fresh;
      },
      expired: () => forget('expired'),
    });
    const stopListening = listenToOtherTabs((event) => {
      if (event === 'signed-out') forget('signed-out');
      else void restore();
    });
    void restore();
    return () => {
      unbind();
      stopListening();
    };
  }, [refresh, restore, forget]);

  const signIn = useCallback(
    async (credentials: Credentials) => {
      const answer = await authClient.signIn(credentials);
      nextEpoch();
      const mine = epoch.current;
      token.current = answer.access_token;
      const user = await authClient.currentUser();
      if (epoch.current !== mine) return;
      const reason =
        answer.password_change_required === true
          ? (answer.password_change_reason ?? 'value_error.password.weak')
          : null;
      notePasswordChange(user.id, reason);
      setPasswordChangeReason(reason);
      dispatch({ type: 'signed-in', user });
      tellOtherTabs('signed-in');
    },
    [nextEpoch],
  );

  const register = useCallback(
    async (input: RegisterInput) => {
      await authClient.register(input);
      try {
        await signIn({ email: input.email, password: input.password });
      } catch (error) {
        throw new RegisteredButNotSignedIn(input.email, error);
      }
    },
    [signIn],
  );

  const signOut = useCallback(async () => {
    try {
      await authClient.signOut();
    } catch (error) {
      // A 401 means the server has no session for us any more: that is signed out. Anything
      // else leaves the cookie's session alive, and a reload would sign back in, so saying
      // "You have signed out" would be a lie: stay signed in and let the caller offer a retry.
      if (!(error instanceof ApiError && error.status === 401)) throw error;
    }
    forget('signed-out');
    tellOtherTabs('signed-out');
  }, [forget]);

  const acknowledgeSignedOut = useCallback(() => dispatch({ type: 'reason-shown' }), []);

  const updateUser = useCallback((user: User) => dispatch({ type: 'user-updated', user }), []);

  const endSession = useCallback(
    (reason: Exclude<SignedOutReason, 'none'>) => {
      forget(reason);
      tellOtherTabs('signed-out');
    },
    [forget],
  );

  const reloadUser = useCallback(async () => {
    if (token.current === null) return;
    const mine = epoch.current;
    const user = await authClient.currentUser();
    if (epoch.current === mine) dispatch({ type: 'user-updated', user });
  }, []);

  const confirmEmail = useCallback(
    async (input: MailedToken) => {
      await emailClient.verifyEmail(input);
      // The address is confirmed whatever happens next; a failed reload only leaves the
      // banner up until the next page load.
      await reloadUser().catch(() => undefined);
    },
    [reloadUser],
  );

  const resetPassword = useCallback(
    async (input: PasswordResetInput) => {
      await emailClient.resetPassword(input);
      // The reset ended every session of that account, perhaps this browser's: forget it, and
      // let the other tabs find out on their next request ("your session has ended").
      if (token.current !== null) forget('none');
      if (input.email === undefined || input.email === '') return 'sign-in-needed';
      try {
        await signIn({ email: input.email, password: input.new_password });
        return 'signed-in';
      } catch {
        return 'sign-in-needed';
      }
    },
    [forget, signIn],
  );

  const passwordChanged = useCallback(() => {
    forgetPasswordChange();
    setPasswordChangeReason(null);
  }, []);

  const value = useMemo<AuthContextValue>(
    () => ({
      status: state.status,
      user: state.user,
      signedOutReason: state.reason,
      register,
      signIn,
      signOut,
      retry,
      updateUser,
      acknowledgeSignedOut,
      endSession,
      confirmEmail,
      resetPassword,
      reloadUser,
      passwordChangeReason,
      passwordChanged,
    }),
    [
      state,
      register,
      signIn,
      signOut,
      retry,
      updateUser,
      acknowledgeSignedOut,
      endSession,
      confirmEmail,
      resetPassword,
      reloadUser,
      passwordChangeReason,
      passwordChanged,
    ],
  );

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

/** useAuth returns the session and its actions. It throws outside an AuthProvider. */
export function useAuth(): AuthContextValue {
  const context = useContext(AuthContext);
  if (context === null) {
    throw new Error(
      'useAuth() must be used inside <AuthProvider>. Wrap the app (or the component under test) in <AuthProvider>.',
    );
  }
  return context;
}
