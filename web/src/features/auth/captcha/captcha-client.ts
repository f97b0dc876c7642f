import { api } from '../../../lib/api-client';
import { ApiError } from '../../../lib/api-error';
import type { Challenge } from './pow';

/** CaptchaAction is what a challenge is for; the server refuses it for any other. */
export type CaptchaAction = 'register' | 'sign_in';

/** Vendor is the answer when Turnstile or hCaptcha makes the challenge instead of our proof of work. */
export interface Vendor {
  provider: 'turnstile' | 'hcaptcha';
  site_key: string;
}

/** Offer is what the server offers for an action: a challenge, a vendor, or nothing (off). */
export type Offer = { kind: 'pow'; challenge: Challenge } | { kind: 'vendor'; vendor: Vendor } | { kind: 'off' };

function isVendor(body: unknown): body is Vendor {
  const b = body as Partial<Vendor> | null;
  return typeof b === 'object' && b !== null && (b.provider === 'turnstile' || b.provider === 'hcaptcha');
}

export const captchaClient = {
  /**
   * offer fetches a challenge for action. The server answers 404 when the CAPTCHA is off,
   * which is not an error: the forms then send nothing. Other failures reject as usual.
   */
  async offer(action: CaptchaAction, signal?: AbortSignal): Promise<Offer> {
    try {
      // The OpenAPI document types the 200 as a challenge; with a vendor configured the same
      // route answers {provider, site_key}, so the body is checked, not trusted.
      const body: unknown = await api.get('/api/auth/captcha', { query: { action }, auth: false, signal });
      if (isVendor(body)) return { kind: 'vendor', vendor: body };
      return { kind: 'pow', challenge: body as Challenge };
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return { kind: 'off' };
      throw error;
    }
  },
};

/** isCaptchaError says the server wants a (new) solved challenge before it goes on. */
export function isCaptchaError(error: unknown): boolean {
  return error instanceof ApiError && (error.code === 'captcha_required' || error.code === 'captcha_invalid');
}
