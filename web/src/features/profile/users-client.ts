import { api } from '../../lib/api-client';
import type { RequestBody, ResponseBody } from '../../lib/api-operations';

/** Profile is the signed-in user as the API returns them. */
export type Profile = ResponseBody<'/api/users/me', 'put'>;
/** ProfileChanges are the fields a user may edit. */
export type ProfileChanges = RequestBody<'/api/users/me', 'put'>;
/** EmailChange is what the change-email form sends. */
export type EmailChange = RequestBody<'/api/users/me/email', 'post'>;
/** PasswordChange is what the change-password form sends. */
export type PasswordChange = RequestBody<'/api/users/me/password', 'post'>;

export const usersClient = {
  /** updateProfile saves the user's names and returns the updated user. */
  updateProfile: (changes: ProfileChanges): Promise<Profile> => api.put('/api/users/me', { json: changes }),
  /** changePassword sets a new password; the server signs out every other session. */
  changePassword: async (change: PasswordChange): Promise<void> => {
    await api.post('/api/users/me/password', { json: change });
  },
  /**
   * changeEmail asks to move the account to a new address: the server mails it a confirmation,
   * and nothing changes until that is used. Rejects with incorrect_password or email_unchanged.
   */
  changeEmail: async (change: EmailChange): Promise<void> => {
    await api.post('/api/users/me/email', { json: change });
  },
  /** deleteAccount deletes the user and everything they own; rejects with incorrect_password. */
  deleteAccount: async (password: string): Promise<void> => {
    await api.delete('/api/users/me', { json: { password } });
  },
};
