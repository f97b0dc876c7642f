// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { ApiError, parseRetryAfter, toApiError } from './api-error';

describe('toApiError', () => {
  it('uses a string detail as the message and keeps the code', () => {
    const error = toApiError(400, { detail: 'User with this email already exists', code: 'email_taken' });
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    expect(error.code).toBe('email_taken');
    expect(error.message).toBe('User with this email already exists.');
    expect(error.fieldErrors).toEqual([]);
  });

  it('maps each item of a list detail to the field its loc names', () => {
    const error = toApiError(422, {
      detail: [
        { loc: ['body', 'email'], msg: 'value is not a valid email address', type: 'value_error.email' },
        { loc: ['body', 'first_name'], msg: 'field required', type: 'value_error.missing' },
        {
          loc: ['body', 'password'],
          msg: 'ensure this value has at least 8 characters',
          type: 'value_error.any_str.min_length',
        },
      ],
      code: 'invalid_input',
    });
    expect(error.code).toBe('invalid_input');
    expect(error.message).toBe('Some fields need your attention.');
    expect(error.message).not.toContain('[object Object]');
    expect(error.fieldErrors).toEqual([
      { field: 'email', message: 'Enter a valid email address.', type: 'value_error.email' },
      { field: 'first_name', message: 'This field is required.', type: 'value_error.missing' },
      {
        field: 'password',
        message: 'Use at least 8 characters.',
        type: 'value_error.any_str.min_length',
      },
    ]);
  });

  it('rewords length limits, treating "at least 1 character" as required', () => {
    const error = toApiError(422, {
      detail: [
        {
          loc: ['body', 'first_name'],
          msg: 'ensure this value has at least 1 characters',
          type: 'value_error.any_str.min_length',
        },
        {
          loc: ['body', 'last_name'],
          msg: 'ensure this value has at most 100 characters',
          type: 'value_error.any_str.max_length',
        },
        {
          loc: ['body', 'password'],
          msg: 'ensure this value has at most 72 bytes (bcrypt reads no further)',
          type: 'value_error.any_str.max_length',
        },
        {
          loc: ['body', 'provider'],
          msg: "value is not a valid enumeration member; permitted: 'gmail'",
          type: 'type_error.enum',
        },
      ],
    });
    expect(error.fieldErrors.map((f) => f.message)).toEqual([
      'This field is required.',
      'Use at most 100 characters.',
      'Use at most 72 bytes.',
      "Value is not a valid enumeration member; permitted: 'gmail'.",
    ]);
  });

  it('chooses the wording by type, not by the text of the message', () => {
    const error = toApiError(422, {
      detail: [
        { loc: ['body', 'a'], msg: 'ensure this value has at least 8 characters', type: 'value_error.custom' },
        { loc: ['body', 'b'], msg: 'zu lang: höchstens 100 Zeichen', type: 'value_error.any_str.max_length' },
        { loc: ['body', 'c'], msg: 'must not contain control characters', type: 'value_error.str.control_characters' },
      ],
    });
    expect(error.fieldErrors.map((f) => f.message)).toEqual([
      'Ensure this value has at least 8 characters.',
      'Use at most 100 characters.',
      'Remove the invisible control characters.',
    ]);
  });

  it("shows a refused password's message with zxcvbn's warning and suggestions, once each", () => {
    const error = toApiError(422, {
      detail: [
        {
          loc: ['body', 'new_password'],
          msg: 'This password is one of the most common passwords, so attackers try it first: choose another.',
          type: 'value_error.password.common',
          ctx: {
            score: 0,
            warning: 'This is a top-10 common password',
            suggestions: ['Add another word or two. Uncommon words are better.'],
          },
        },
        {
          loc: ['body', 'password'],
          // The weak refusal's message already carries the advice: it is not repeated.
          msg: 'This password is too easy to guess. Straight rows of keys are easy to guess. Use a longer keyboard pattern with more turns.',
          type: 'value_error.password.weak',
          ctx: {
            score: 1,
            warning: 'Straight rows of keys are easy to guess',
            suggestions: ['Use a longer keyboard pattern with more turns'],
          },
        },
        {
          loc: ['body', 'password'],
          msg: 'ensure this value has at least 15 characters',
          type: 'value_error.password.too_short',
        },
        {
          loc: ['body', 'password'],
          msg: 'ensure this value has at most 72 bytes (bcrypt reads no further)',
          type: 'value_error.password.too_long',
        },
      ],
    });
    expect(error.fieldErrors.map((f) => [f.field, f.message])).toEqual([
      [
        'new_password',
        'This password is one of the most common passwords, so attackers try it first: choose another. This is a top-10 common password. Add another word or two. Uncommon words are better.',
      ],
      [
        'password',
        'This password is too easy to guess. Straight rows of keys are easy to guess. Use a longer keyboard pattern with more turns.',
      ],
      ['password', 'Use at least 15 characters.'],
      ['password', 'Use at most 72 bytes.'],
    ]);
  });

  it('uses a body-level validation item as the message', () => {
    const error = toApiError(422, { detail: [{ loc: ['body'], msg: 'invalid JSON', type: 'value_error.jsondecode' }] });
    expect(error.message).toBe('Invalid JSON.');
    expect(error.fieldErrors).toHaveLength(1);
  });

  it.each([
    [500, '<html>Bad gateway</html>', 'Something went wrong on our side. Please try again.'],
    [429, undefined, 'Too many attempts. Please wait a moment and try again.'],
    [418, { detail: '' }, 'The request failed (418). Please try again.'],
    [400, { detail: { nested: true } }, 'The request failed (400). Please try again.'],
  ])('falls back to a sentence for status %i with an unusable body', (status, body, message) => {
    expect(toApiError(status, body).message).toBe(message);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-12-01T12:00:00Z');

  it.each([
    ['30', 30],
    ['0', 0],
    [' 7 ', 7],
    ['Tue, 01 Dec 2026 12:00:30 GMT', 30],
    ['Tue, 01 Dec 2026 12:00:29 GMT', 29],
    // A date already past is no wait at all, never a negative one.
    ['Tue, 01 Dec 2026 11:59:00 GMT', 0],
  ])('reads %j as %d seconds', (header, seconds) => {
    expect(parseRetryAfter(header, now)).toBe(seconds);
  });

  it.each([null, undefined, '', '-5', '1.5', '30s', 'soon', '1e3', '99999999999999999999', '2026-12-01T12:00:30Z'])(
    'rejects %j',
    (header) => {
      expect(parseRetryAfter(header, now)).toBeUndefined();
    },
  );

  it('is carried on the error toApiError builds', () => {
    const error = toApiError(429, { detail: 'Too many attempts. Try again in 30 seconds.', code: 'rate_limited' }, 30);
    expect(error.retryAfter).toBe(30);
    expect(error.code).toBe('rate_limited');
    expect(toApiError(400, { detail: 'x' }).retryAfter).toBeUndefined();
  });
});
