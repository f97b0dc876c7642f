// How the auth layer lends the API client its access token, without the client knowing
// about React or the auth feature: the provider binds itself here, the client asks.

/**
 * SessionBinding lets the auth layer lend the client its access token without the client
 * knowing about React or the auth feature.
 */
export interface SessionBinding {
  /** The current access token, held in memory only, or null. */
  accessToken(): string | null;
  /** Gets a new access token through the refresh cookie; resolves null when the session is gone. */
  refresh(): Promise<string | null>;
  /** Called when the server still refuses a request after a successful refresh. */
  expired(): void;
}

let session: SessionBinding | null = null;

/** boundSession is the attached auth layer, or null when none is (signed-out pages, tests). */
export function boundSession(): SessionBinding | null {
  return session;
}

/** bindSession attaches the auth layer; the returned function detaches it. */
export function bindSession(binding: SessionBinding): () => void {
  session = binding;
  return () => {
    if (session === binding) session = null;
  };
}
