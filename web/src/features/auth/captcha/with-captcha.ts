import { ApiError } from '../../../lib/api-error';
import { isCaptchaError } from './captcha-client';
import type { Captcha } from './use-captcha';

/**
 * withCaptcha sends a request that may need a solved challenge. With upfront it takes the
 * solution first (the register form, which always solves one); otherwise it sends none. If
 * the server then asks for one (captcha_required) or refuses the one sent (captcha_invalid:
 * expired, or spent by a request that did not arrive), it solves a new one and sends once
 * more (onAsked tells the caller the server wants one); a second refusal is the caller's
 * error to show.
 */
export async function withCaptcha<T>(
  captcha: Captcha,
  send: (solution: string | undefined) => Promise<T>,
  { upfront, onAsked }: { upfront: boolean; onAsked?: () => void },
): Promise<T> {
  const first = upfront ? await captcha.take() : undefined;
  try {
    return await send(first);
  } catch (error) {
    if (!isCaptchaError(error)) throw error;
    onAsked?.();
    const next = await captcha.take();
    if (next === undefined) throw inPlainWords(error);
    try {
      return await send(next);
    } catch (again) {
      throw isCaptchaError(again) ? inPlainWords(again) : again;
    }
  }
}

// The server's message tells a developer where to get a challenge; a person needs to hear
// what happened and what to do.
function inPlainWords(error: unknown): unknown {
  if (!(error instanceof ApiError)) return error;
  return new ApiError(error.status, "We couldn't confirm you're not a bot. Please try again.", error.code);
}
