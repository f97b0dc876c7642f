import { api } from '../../lib/api-client';
import type { RequestBody, ResponseBody } from '../../lib/api-operations';

/** EmailAccount is a connected mailbox. */
export type EmailAccount = ResponseBody<'/api/email-accounts/{id}', 'patch'>;
/** Provider is the kind of mailbox. */
export type Provider = EmailAccount['provider'];
/** NewEmailAccount is what the add form sends. */
export type NewEmailAccount = RequestBody<'/api/email-accounts', 'post'>;

export const emailAccountsClient = {
  /** list returns the signed-in user's accounts, oldest first. */
  list: (signal: AbortSignal): Promise<EmailAccount[]> => api.get('/api/email-accounts', { signal }),
  /** add connects an account; rejects with email_account_exists or a 422. */
  add: (input: NewEmailAccount): Promise<EmailAccount> => api.post('/api/email-accounts', { json: input }),
  /** rename changes an account's display name; an empty name clears it. */
  rename: (id: string, displayName: string): Promise<EmailAccount> =>
    api.patch('/api/email-accounts/{id}', { params: { id }, json: { display_name: displayName } }),
  /** remove disconnects an account. */
  remove: async (id: string): Promise<void> => {
    await api.delete('/api/email-accounts/{id}', { params: { id } });
  },
};
