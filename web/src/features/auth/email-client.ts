import { api } from '../../lib/api-client';
import type { RequestBody } from '../../lib/api-operations';

// The calls behind the links and codes Gatehouse mails: confirming an address, resetting a
// forgotten password, and reporting an email change. Every one of them is a POST that a
// person's click sends: opening a mailed link only loads a page, so a mail scanner that
// fetches it (or even runs its script) spends nothing.

/** MailedToken is how a person presents a mail: its link's token, or its address and code. */
export type MailedToken = RequestBody<'/api/auth/verify-email', 'post'>;
/** PasswordResetInput is the mailed token (or address and code) with the new password. */
export type PasswordResetInput = RequestBody<'/api/auth/password-reset/confirm', 'post'>;

export const emailClient = {
  /** verifyEmail confirms a new account's address, or an email change; rejects with invalid_token, invalid_code, token_used or email_taken. */
  async verifyEmail(input: MailedToken): Promise<void> {
    await api.post('/api/auth/verify-email', { json: input, auth: false });
  },

  /**
   * resendVerification asks for another confirmation mail for the signed-in user (the server
   * acts for the bearer token and ignores the address); rejects with email_already_verified or
   * a 429 mail_rate_limited with Retry-After.
   */
  async resendVerification(email: string): Promise<void> {
    await api.post('/api/auth/verify-email/resend', { json: { email } });
  },

  /**
   * requestVerification asks, signed out, for another confirmation mail to `email`; the answer
   * is the same whether or not the address has an unverified account.
   */
  async requestVerification(email: string): Promise<void> {
    await api.post('/api/auth/verify-email/resend', { json: { email }, auth: false });
  },

  /** requestPasswordReset asks for a reset mail; the answer is the same whether or not the address has an account. */
  async requestPasswordReset(email: string): Promise<void> {
    await api.post('/api/auth/password-reset', { json: { email }, auth: false });
  },

  /** resetPassword sets the new password; the server then ends every session of the account. */
  async resetPassword(input: PasswordResetInput): Promise<void> {
    await api.post('/api/auth/password-reset/confirm', { json: input, auth: false });
  },

  /** reportEmailChange cancels the account's pending email changes with the notice's token. */
  async reportEmailChange(token: string): Promise<void> {
    await api.post('/api/auth/email-change/report', { json: { token }, auth: false });
  },
};
