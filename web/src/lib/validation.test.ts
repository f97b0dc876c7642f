// @vitest-environment node
import { describe, expect, it } from 'vitest';
import {
  confirmationError,
  emailError,
  isValidEmail,
  newPasswordError,
  requiredTextError,
  textError,
} from './validation';

describe('isValidEmail', () => {
  it.each([
    'ada@example.com',
    'a.b+tag@sub.example.co.uk',
    'ÜSER@bücher.de',
    "o'neil@example.org",
    '  ada@example.com  ',
    // Decomposed "ü" (u + U+0308) is composed first, as the server does, and then accepted.
    'u\u0308ser@example.com',
  ])('accepts %s', (email) => expect(isValidEmail(email)).toBe(true));
  it.each([
    '',
    'ada',
    'ada@',
    '@example.com',
    'ada@example',
    'a@@example.com',
    'a..b@example.com',
    'ada@-example.com',
    'ada@example.123',
    'a b@example.com',
  ])('rejects %j', (email) => expect(isValidEmail(email)).toBe(false));
});

describe('field rules', () => {
  it('requires an email and explains a bad one', () => {
    expect(emailError('')).toBe('Enter your email address.');
    expect(emailError('nope')).toMatch(/valid email/);
    expect(emailError('ada@example.com')).toBeNull();
  });

  it('trims names and limits them to 100 characters', () => {
    expect(requiredTextError('   ', 'first name')).toBe('Enter your first name.');
    expect(requiredTextError('x'.repeat(100), 'first name')).toBeNull();
    expect(requiredTextError('x'.repeat(101), 'first name')).toMatch(/at most 100/);
  });

  it('counts code points, so 100 emoji are 100 characters', () => {
    expect(requiredTextError('😀'.repeat(100), 'first name')).toBeNull();
    expect(requiredTextError('😀'.repeat(101), 'first name')).toMatch(/at most 100/);
  });

  it.each(['Ada\u202Eecalevol', 'Ada\u0000', 'A\u200Bda', 'Ada\tLovelace'])(
    'refuses control and format characters in %j',
    (name) => expect(requiredTextError(name, 'first name')).toMatch(/control/),
  );

  it('allows the zero-width joiner and non-joiner', () => {
    expect(requiredTextError('👩\u200D💻', 'first name')).toBeNull();
    expect(requiredTextError('می\u200Cخواهم', 'first name')).toBeNull();
  });

  it('needs a visible character', () => {
    expect(requiredTextError('\u200D', 'first name')).toMatch(/visible/);
    expect(textError('')).toBeNull();
  });

  const rules = { min_length: 8, max_bytes: 72 };

  it('refuses NUL in passwords', () => {
    expect(newPasswordError('violet-kayak-mercury-19\u0000', rules)).toMatch(/NUL/);
    expect(newPasswordError('violet-kayak-mercury-19\u0000', null)).toMatch(/NUL/);
  });

  it("wants passwords within the policy's length, in characters and bytes", () => {
    expect(newPasswordError('', rules)).toBe('Choose a password.');
    expect(newPasswordError('kayak-1', rules)).toMatch(/at least 8/);
    expect(newPasswordError('kayak-19', rules)).toBeNull();
    expect(newPasswordError('a'.repeat(72), rules)).toBeNull();
    expect(newPasswordError('a'.repeat(73), rules)).toMatch(/at most 72 bytes/);
    // 25 three-byte characters are 75 bytes: within 72 characters, over 72 bytes.
    expect(newPasswordError('€'.repeat(25), rules)).toMatch(/too long/);
    // Code points, not UTF-16 units: seven emoji are seven characters.
    expect(newPasswordError('😀'.repeat(7), rules)).toMatch(/at least 8/);
  });

  it("follows the operator's minimum", () => {
    expect(newPasswordError('violet-kayak-19', { min_length: 15, max_bytes: 72 })).toBeNull();
    expect(newPasswordError('violet-kayak-1', { min_length: 15, max_bytes: 72 })).toMatch(/at least 15/);
  });

  it('leaves the lengths to the server until the policy is known', () => {
    expect(newPasswordError('', null)).toBe('Choose a password.');
    expect(newPasswordError('kayak', null)).toBeNull();
    expect(newPasswordError('a'.repeat(73), null)).toBeNull();
  });

  it('checks the confirmation matches', () => {
    expect(confirmationError('secret-pass', '')).toMatch(/again/);
    expect(confirmationError('secret-pass', 'secret-pas')).toMatch(/match/);
    expect(confirmationError('secret-pass', 'secret-pass')).toBeNull();
  });
});
