import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiError, bindSession } from '../../lib/api-client';
import { authClient, type Credentials, type RegisterInput, type User } from './auth-client';
import { listenToOtherTabs, oneTabAtATime, tellOtherTabs } from './session-sync';

/** AuthStatus is where the visitor stands: still being worked out, signed in, or not. */
export type AuthStatus = 'loading' | 'authenticated' | 'anonymous';

/** SignedOutReason says why a visitor is anonymous, so the sign-in page can tell them. */
export type SignedOutReason = 'none' | 'signed-out' | 'expired' | 'deleted';

type AuthState =
  | { status: 'loading'; user: null; reason: 'none' }
  | { status: 'authenticated'; user: User; reason: 'none' }
  | { status: 'anonymous'; user: null; reason: SignedOutReason };

/** AuthContextValue is what useAuth() returns. */
export interface AuthContextValue {
  status: AuthStatus;
  /** The signed-in user, or null. */
  user: User | null;
  signedOutReason: SignedOutReason;
  /** register creates an account and then signs in with it (the article's auto-login). */
  register: (input: RegisterInput) => Promise<void>;
  /** signIn starts a session; it rejects with an ApiError (invalid_credentials) or NetworkError. */
  signIn: (credentials: Credentials) => Promise<void>;
  /** signOut ends the session here and in this browser's other tabs. */
  signOut: () => Promise<void>;
  /** updateUser replaces the user after their profile changed. */
  updateUser: (user: User) => void;
  /** endSession forgets a session the server has already ended, e.g. a deleted account. */
  endSession: (reason: Exclude<SignedOutReason, 'none'>) => void;
}

const AuthContext = createContext<AuthContextValue | null>(null);

/**
 * AuthProvider owns the session. The access token lives in memory only (a ref, never storage);
 * the refresh token lives in the server's HttpOnly cookie. On mount it restores the session
 * through that cookie, so a reload keeps the user signed in, and it lends the API client a way
 * to refresh once when a request comes back 401.
 */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: 'loading', user: null, reason: 'none' });
  const token = useRef<string | null>(null);
  const inFlightRefresh = useRef<Promise<string | null> | null>(null);

  const forget = useCallback((reason: SignedOutReason) => {
    token.current = null;
    setState({ status: 'anonymous', user: null, reason });
  }, []);

  /** Exchanges the cookie for an access token; null when there is no session. One at a time. */
  const refresh = useCallback((): Promise<string | null> => {
    if (inFlightRefresh.current !== null) return inFlightRefresh.current;
    const attempt = oneTabAtATime(() => authClient.refresh())
      .then((answer) => {
        token.current = answer.access_token;
        return answer.access_token;
      })
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.status < 500) {
          token.current = null;
          return null;
        }
        throw error;
      })
      .finally(() => {
        inFlightRefresh.current = null;
      });
    inFlightRefresh.current = attempt;
    return attempt;
  }, []);

  /** Restores the session through the cookie; ends anonymous when there is none. */
  const restore = useCallback(
    () =>
      refresh()
        .then(async (fresh) => {
          if (fresh === null) {
            forget('none');
            return;
          }
          const user = await authClient.currentUser();
          setState({ status: 'authenticated', user, reason: 'none' });
        })
        .catch(() => {
          // The server is unreachable or the session vanished mid-way: start signed out.
          forget('none');
        }),
    [refresh, forget],
  );

  useEffect(() => {
    const unbind = bindSession({
      accessToken: () => token.current,
      refresh: async () => {
        const fresh = await refresh();
        if (fresh === null) forget('expired');
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

  const signIn = useCallback(async (credentials: Credentials) => {
    const answer = await authClient.signIn(credentials);
    token.current = answer.access_token;
    const user = await authClient.currentUser();
    setState({ status: 'authenticated', user, reason: 'none' });
    tellOtherTabs('signed-in');
  }, []);

  const register = useCallback(
    async (input: RegisterInput) => {
      await authClient.register(input);
      await signIn({ email: input.email, password: input.password });
    },
    [signIn],
  );

  const signOut = useCallback(async () => {
    try {
      await authClient.signOut();
    } catch {
      // Forget the session here regardless; a session the server could not revoke now still
      // expires on its own, and staying signed in after pressing "Sign out" would be worse.
    }
    forget('signed-out');
    tellOtherTabs('signed-out');
  }, [forget]);

  const updateUser = useCallback((user: User) => {
    setState((previous) => (previous.status === 'authenticated' ? { ...previous, user } : previous));
  }, []);

  const endSession = useCallback(
    (reason: Exclude<SignedOutReason, 'none'>) => {
      forget(reason);
      tellOtherTabs('signed-out');
    },
    [forget],
  );

  const value = useMemo<AuthContextValue>(
    () => ({
      status: state.status,
      user: state.user,
      signedOutReason: state.reason,
      register,
      signIn,
      signOut,
      updateUser,
      endSession,
    }),
    [state, register, signIn, signOut, updateUser, endSession],
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
