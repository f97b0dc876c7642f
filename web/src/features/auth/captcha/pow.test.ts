// @vitest-environment node
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { challengeFor } from '../../../test/pow-challenge';
import { encodeSolution, expiresAt, search, sha256Hex, type Challenge } from './pow';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe('sha256Hex', () => {
  it('matches node:crypto for every length across the block boundaries', () => {
    for (let n = 0; n <= 200; n++) {
      const text = 'x'.repeat(n);
      expect(sha256Hex(new TextEncoder().encode(text)), `length ${n}`).toBe(sha(text));
    }
  });
});

describe('search', () => {
  it.each([0, 9, 10, 12_345, 50_000])('finds %i', (number) => {
    expect(search(challengeFor(number), 0, 50_000)).toBe(number);
  });

  it('finds a number past a salt with whole blocks of its own', () => {
    const salt = `${'ab'.repeat(40)}?action=sign_in&expires=1900000000&`;
    const c: Challenge = { ...challengeFor(0), salt, challenge: sha(salt + '777') };
    expect(search(c, 0, 1000)).toBe(777);
  });

  it('returns null outside the range, for another algorithm, and for a malformed challenge', () => {
    const c = challengeFor(500);
    expect(search(c, 0, 499)).toBeNull();
    expect(search(c, 501, 2000)).toBeNull();
    expect(search({ ...c, algorithm: 'SHA-1' as 'SHA-256' }, 0, 1000)).toBeNull();
    expect(search({ ...c, challenge: 'zz' }, 0, 1000)).toBeNull();
  });
});

describe('encodeSolution', () => {
  it('is base64 of the JSON the server decodes', () => {
    const c = challengeFor(42);
    expect(JSON.parse(atob(encodeSolution(c, 42)))).toEqual({
      algorithm: 'SHA-256',
      challenge: c.challenge,
      number: 42,
      salt: c.salt,
      signature: c.signature,
    });
  });
});

describe('expiresAt', () => {
  it('reads expires from the salt, in ms', () => {
    expect(expiresAt(challengeFor(1, { expires: 1_900_000_123 }))).toBe(1_900_000_123_000);
    expect(expiresAt({ ...challengeFor(1), salt: 'abc' })).toBeNull();
  });
});
