// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { toApiError } from './api-error';
import { formErrorsFrom } from './form-errors';

describe('formErrorsFrom', () => {
  it('puts known fields under their field and shows others by message alone', () => {
    const error = toApiError(422, {
      detail: [
        { loc: ['body', 'email'], msg: 'value is not a valid email address', type: 'value_error.email' },
        { loc: ['body', 'provider'], msg: 'value is not a valid enumeration member', type: 'type_error.enum' },
      ],
    });
    expect(formErrorsFrom(error, ['email'] as const)).toEqual({
      fields: { email: 'Enter a valid email address.' },
      form: 'Value is not a valid enumeration member.',
    });
  });
});
