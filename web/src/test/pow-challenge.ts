import { createHash, createHmac } from 'node:crypto';
import type { Challenge } from '../features/auth/captcha/pow';

/**
 * challengeFor makes an ALTCHA v1 challenge as the server does, whose secret number is
 * number, so tests solve real challenges; the signature is a real HMAC under a test key.
 */
export function challengeFor(
  number: number,
  { maxnumber = 50_000, action = 'register', expires = 1_900_000_000 } = {},
): Challenge {
  const salt = `0123456789abcdef0123456789abcdef?action=${action}&expires=${expires}&`;
  const challenge = createHash('sha256')
    .update(salt + String(number))
    .digest('hex');
  return {
    algorithm: 'SHA-256',
    challenge,
    maxnumber,
    salt,
    signature: createHmac('sha256', 'test-key').update(challenge).digest('hex'),
  };
}

/** solutionNumber reads the number out of a captcha field's value. */
export function solutionNumber(captcha: string): number {
  return (JSON.parse(atob(captcha)) as { number: number }).number;
}
