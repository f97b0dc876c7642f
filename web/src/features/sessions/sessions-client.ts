import { api } from '../../lib/api-client';
import type { ResponseBody } from '../../lib/api-operations';

/** Session is one device where the user is signed in. */
export type Session = ResponseBody<'/api/users/me/sessions', 'get'>[number];

export const sessionsClient = {
  /** list returns the user's sessions; the one making the request has current = true. */
  list: (signal: AbortSignal): Promise<Session[]> => api.get('/api/users/me/sessions', { signal }),
  /** revoke signs one session out. */
  revoke: async (id: string): Promise<void> => {
    await api.delete('/api/users/me/sessions/{id}', { params: { id } });
  },
  /** revokeOthers signs out every session but this one and says how many there were. */
  revokeOthers: async (): Promise<number> => (await api.delete('/api/users/me/sessions')).revoked,
};
