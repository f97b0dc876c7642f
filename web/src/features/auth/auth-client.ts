import { api } from '../../lib/api-client';
import type { RequestBody, ResponseBody } from '../../lib/api-operations';

// The article's auth client: the calls that create an account and keep a browser signed in.
// The refresh token never passes through here: the server sets and reads it as an HttpOnly
// cookie scoped to /api/auth/session, and only the short-lived access token comes back.

/** User is the signed-in person, as GET /api/users/me returns them. */
export type User = ResponseBody<'/api/users/me', 'get'>;
/** RegisterInput is what the registration form sends. */
export type RegisterInput = RequestBody<'/api/auth/register', 'post'>;
/** Credentials are what the sign-in form sends. */
export interface Credentials {
  email: string;
  password: string;
  /** A solved CAPTCHA, sent only when the server asked for one. */
  captcha?: string | undefined;
}
/** AccessToken is a bearer token with its lifetime in seconds. */
export type AccessToken = ResponseBody<'/api/auth/session', 'post'>;

export const authClient = {
  /** register creates an account; it does not sign in. Rejects with email_taken or a 422. */
  async register(input: RegisterInput): Promise<void> {
    await api.post('/api/auth/register', { json: input, auth: false });
  },

  /** signIn starts a browser session: the server sets the refresh cookie. */
  signIn({ email, password, captcha }: Credentials): Promise<AccessToken> {
    const form = captcha === undefined ? { username: email, password } : { username: email, password, captcha };
    return api.post('/api/auth/session', { form, auth: false });
  },

  /**
   * refresh exchanges the refresh cookie for a new access token (and a rotated cookie). It
   * resolves null when this browser has no cookie (the server's 204: signed out, not an
   * error); a cookie the server no longer honours rejects with a 401.
   */
  async refresh(): Promise<AccessToken | null> {
    return (await api.post('/api/auth/session/refresh', { auth: false })) ?? null;
  },

  /** signOut ends this browser's session on the server and clears the cookie. */
  async signOut(): Promise<void> {
    await api.delete('/api/auth/session', { auth: false });
  },

  /** currentUser fetches the signed-in user with the given access token's session. */
  currentUser(signal?: AbortSignal): Promise<User> {
    return api.get('/api/users/me', signal ? { signal } : {});
  },
};
