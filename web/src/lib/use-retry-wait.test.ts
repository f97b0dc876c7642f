// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError } from './api-error';
import { retryWaitOf, waitSentence } from './use-retry-wait';

describe('retryWaitOf', () => {
  it('reads the wait of a 429 and of a 503 busy', () => {
    expect(retryWaitOf(new ApiError(429, 'x', 'rate_limited', [], 30))).toBe(30);
    expect(retryWaitOf(new ApiError(429, 'x', 'mail_rate_limited', [], 5))).toBe(5);
    expect(retryWaitOf(new ApiError(503, 'x', 'busy', [], 1))).toBe(1);
  });

  it('is null without a usable Retry-After or for other errors', () => {
    expect(retryWaitOf(new ApiError(429, 'x', 'rate_limited'))).toBeNull();
    expect(retryWaitOf(new ApiError(429, 'x', 'rate_limited', [], 0))).toBeNull();
    expect(retryWaitOf(new ApiError(503, 'x', null, [], 5))).toBeNull();
    expect(retryWaitOf(new ApiError(400, 'x', 'incorrect_password', [], 5))).toBeNull();
    expect(retryWaitOf(new NetworkError())).toBeNull();
  });
});

describe('waitSentence', () => {
  it("uses the server's sentence and pluralises", () => {
    expect(waitSentence('Too many attempts.', 30)).toBe('Too many attempts. Try again in 30 seconds.');
    expect(waitSentence('Too many attempts.', 1)).toBe('Too many attempts. Try again in 1 second.');
  });
});
