/* eslint-disable @typescript-eslint/no-non-null-assertion --
   SHA-256's inner loops index fixed-size typed arrays within their bounds; a check per
   access in code run millions of times per solve is what this file exists to avoid. */
import type { components } from '../../../lib/api-types';

// The ALTCHA v1 proof of work (the public protocol the server speaks): find n in 0..maxnumber
// with hex(SHA-256(salt + decimal(n))) = challenge, and send back
// base64(JSON {algorithm, challenge, number, salt, signature}).
//
// Why our own SHA-256 and not the npm `altcha` widget (3.2.2) or crypto.subtle: measured in
// Debian's Chromium on the build machine (figures in the README's CAPTCHA section), a solver
// that awaits crypto.subtle.digest once per number, as altcha's worker does, spends most of its
// time in promise round trips. The salt is the same for every try, so its whole 64-byte blocks
// are hashed once and each try costs one or two compressions of the short tail, done
// synchronously here: about twenty times as many tries a second (e2e/timing.spec.ts), and
// 1.6 KB gzip in a worker of its own, against the widget's ~35 KB gzip (plus its worker) of UI
// we would not show: the form has its own status line.

/** Challenge is an ALTCHA v1 challenge as GET /api/auth/captcha returns it. */
export type Challenge = components['schemas']['Challenge'];

/** Solution is what the captcha field carries, before base64. */
export interface Solution {
  algorithm: string;
  challenge: string;
  number: number;
  salt: string;
  signature: string;
}

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const H0 = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

const w = new Uint32Array(64);

/** compress runs SHA-256's compression of the 64 bytes at block[offset] into state. */
function compress(state: Uint32Array, block: Uint8Array, offset: number): void {
  for (let i = 0; i < 16; i++) {
    const j = offset + i * 4;
    w[i] = ((block[j]! << 24) | (block[j + 1]! << 16) | (block[j + 2]! << 8) | block[j + 3]!) >>> 0;
  }
  for (let i = 16; i < 64; i++) {
    const a = w[i - 15]!;
    const b = w[i - 2]!;
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) >>> 0;
  }
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let e = state[4]!;
  let f = state[5]!;
  let g = state[6]!;
  let h = state[7]!;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
  state[5] = (state[5]! + f) | 0;
  state[6] = (state[6]! + g) | 0;
  state[7] = (state[7]! + h) | 0;
}

/** sha256Hex hashes a whole message; the solver's own tests check it against Web Crypto. */
export function sha256Hex(message: Uint8Array): string {
  const searcher = new Searcher(message);
  return searcher.hashHex(new Uint8Array(0));
}

/**
 * Searcher hashes prefix + suffix for many suffixes: the prefix's whole blocks are compressed
 * once, so each suffix costs only the compressions of the tail.
 */
class Searcher {
  private readonly mid = new Uint32Array(H0);
  private readonly state = new Uint32Array(8);
  private readonly rest: Uint8Array;
  private readonly prefixLength: number;
  // Room for the tail: under 64 bytes of prefix, a short suffix, padding and the length.
  private readonly tail = new Uint8Array(192);

  constructor(prefix: Uint8Array) {
    const whole = prefix.length - (prefix.length % 64);
    const buffer = new Uint8Array(64);
    for (let i = 0; i < whole; i += 64) {
      buffer.set(prefix.subarray(i, i + 64));
      compress(this.mid, buffer, 0);
    }
    this.rest = prefix.slice(whole);
    this.prefixLength = prefix.length;
    this.tail.set(this.rest);
  }

  /** digest leaves SHA-256(prefix + suffix) in this.state; suffix is at most 64 bytes. */
  digest(suffix: Uint8Array): Uint32Array {
    const tail = this.tail;
    let n = this.rest.length;
    tail.set(suffix, n);
    n += suffix.length;
    tail[n++] = 0x80;
    const blocks = n + 8 <= 64 ? 1 : n + 8 <= 128 ? 2 : 3;
    const end = blocks * 64;
    tail.fill(0, n, end - 4);
    const bits = (this.prefixLength + suffix.length) * 8;
    tail[end - 4] = bits >>> 24;
    tail[end - 3] = bits >>> 16;
    tail[end - 2] = bits >>> 8;
    tail[end - 1] = bits;
    this.state.set(this.mid);
    for (let b = 0; b < blocks; b++) compress(this.state, tail, b * 64);
    return this.state;
  }

  hashHex(suffix: Uint8Array): string {
    return Array.from(this.digest(suffix), (x) => (x >>> 0).toString(16).padStart(8, '0')).join('');
  }
}

function wordsOf(hex: string): Uint32Array | null {
  if (!/^[0-9a-f]{64}$/i.test(hex)) return null;
  const out = new Uint32Array(8);
  for (let i = 0; i < 8; i++) out[i] = parseInt(hex.slice(i * 8, i * 8 + 8), 16);
  return out;
}

/**
 * search tries numbers from..to (inclusive, ascending) and returns the one whose hash is the
 * challenge, or null if none in the range is. It runs synchronously: the worker calls it on
 * the whole range, the main-thread fallback in slices.
 */
export function search(challenge: Challenge, from: number, to: number): number | null {
  const want = wordsOf(challenge.challenge);
  // The type says SHA-256; the body came from the network.
  const algorithm: string = challenge.algorithm;
  if (algorithm !== 'SHA-256' || want === null) return null;
  const searcher = new Searcher(new TextEncoder().encode(challenge.salt));
  const digits = new Uint8Array(20);
  for (let n = from; n <= to; n++) {
    // decimal(n) without allocating a string per try.
    let len = 0;
    let rest = n;
    do {
      digits[19 - len++] = 48 + (rest % 10);
      rest = Math.floor(rest / 10);
    } while (rest > 0);
    const got = searcher.digest(digits.subarray(20 - len));
    if (
      got[0] === want[0] &&
      got[1] === want[1] &&
      got[2] === want[2] &&
      got[3] === want[3] &&
      got[4] === want[4] &&
      got[5] === want[5] &&
      got[6] === want[6] &&
      got[7] === want[7]
    ) {
      return n;
    }
  }
  return null;
}

/** encodeSolution is the captcha field's value: base64 of the solution's JSON. */
export function encodeSolution(challenge: Challenge, number: number): string {
  const solution: Solution = {
    algorithm: challenge.algorithm,
    challenge: challenge.challenge,
    number,
    salt: challenge.salt,
    signature: challenge.signature,
  };
  // The JSON is ASCII (hex, digits and the salt's URL parameters), so btoa takes it as is.
  return btoa(JSON.stringify(solution));
}

/** expiresAt reads the challenge's expiry (Unix ms) from its salt; null when it has none. */
export function expiresAt(challenge: Challenge): number | null {
  const query = challenge.salt.split('?')[1];
  if (query === undefined) return null;
  const expires = Number(new URLSearchParams(query).get('expires'));
  return Number.isFinite(expires) && expires > 0 ? expires * 1000 : null;
}
