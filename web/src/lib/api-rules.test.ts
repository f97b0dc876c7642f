// @vitest-environment node
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderApiRules } from '../../build/gen-api-rules.mjs';
import { apiRules } from './api-rules';
import { limits } from './validation';

const documentText = readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8');

describe('api-rules.ts', () => {
  it('is what `npm run gen:api` makes from openapi.json', () => {
    const committed = readFileSync(new URL('./api-rules.ts', import.meta.url), 'utf8');
    expect(committed, 'src/lib/api-rules.ts is stale: run `npm run gen:api`').toBe(
      renderApiRules(JSON.parse(documentText) as Parameters<typeof renderApiRules>[0]),
    );
  });

  // The forms use one limit per kind of field; the server must state the same one everywhere.
  it('gives every name-like field the one limit the forms use', () => {
    expect([
      apiRules.RegisterInput.first_name.maxLength,
      apiRules.RegisterInput.last_name.maxLength,
      apiRules.ProfileInput.first_name.maxLength,
      apiRules.ProfileInput.last_name.maxLength,
      apiRules.EmailAccountInput.display_name.maxLength,
      apiRules.RenameInput.display_name.maxLength,
    ]).toEqual(Array<number>(6).fill(limits.nameMaxLength));
  });

  // A new password's limits are not here: the forms take them from the server's policy
  // (GET /api/auth/password-policy), whose minimum the operator sets.
  it('gives every email the limits the forms use', () => {
    expect(apiRules.EmailAccountInput.email_address.maxLength).toBe(limits.emailMaxLength);
    expect(apiRules.EmailAccountInput.email_address.format).toBe('email');
    expect(apiRules.RegisterInput.email.format).toBe('email');
  });
});
