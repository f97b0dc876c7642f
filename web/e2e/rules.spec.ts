import type { APIRequestContext } from '@playwright/test';
import { charCount, isValidEmail, newPasswordError, textError, type PasswordRules } from '../src/lib/validation';
import { expect, newPerson, test } from './fixtures';

// The web app checks input with rules mirrored from the server (src/lib/validation.ts). The
// numbers come from the OpenAPI document and, for a new password, from the server's policy
// (GET /api/auth/password-policy); what they cannot state (the email grammar, counting in code
// points and bytes) is checked here against the real server: for each case, the form and the
// server must agree on whether the field is valid. Every request carries another invalid
// field, so no account is ever created; but a password's policy is only applied to an
// otherwise valid registration, so those cases register a fresh address each (the strings of
// "a" they try are refused as weak whenever their length passes).

/** invalidFields registers with body and returns the fields the server's 422 names. */
async function invalidFields(request: APIRequestContext, body: Record<string, string>): Promise<string[]> {
  const response = await request.post('/api/auth/register', {
    data: { email: 'not-an-email', first_name: 'Ada', last_name: 'Lovelace', password: 'short', ...body },
  });
  expect(response.status()).toBe(422);
  const { detail } = (await response.json()) as { detail: { loc: string[] }[] };
  return detail.map((item) => item.loc.slice(1).join('.'));
}

// The password refusals that are about length: the form checks these; strength is the meter's.
const lengthTypes = ['value_error.password.too_short', 'value_error.password.too_long'];

/** passwordLengthAccepted registers a new address with password: is its length accepted? */
async function passwordLengthAccepted(request: APIRequestContext, password: string): Promise<boolean> {
  const { email } = newPerson('Rules');
  const response = await request.post('/api/auth/register', {
    data: { email, first_name: 'Ada', last_name: 'Lovelace', password },
  });
  if (response.status() !== 422) return true;
  const { detail } = (await response.json()) as { detail: { loc: string[]; type: string }[] };
  return !detail.some((item) => item.loc.at(-1) === 'password' && lengthTypes.includes(item.type));
}

const long = (n: number, c = 'a') => c.repeat(n);

const emails = [
  'ada@example.com',
  'a.b+tag@sub.example.co.uk',
  'ÜSER@bücher.de',
  "o'neil@example.org",
  '  ada@example.com  ',
  'u\u0308ser@example.com',
  `${long(64)}@example.com`,
  `${long(65)}@example.com`,
  `ada@${long(63)}.example`,
  `ada@${long(64)}.example`,
  `${long(64)}@${long(63)}.${long(63)}.${long(57)}.com`,
  `${long(64)}@${long(63)}.${long(63)}.${long(58)}.com`,
  '',
  'ada',
  'ada@',
  '@example.com',
  'ada@example',
  'a@@example.com',
  'a..b@example.com',
  '.ada@example.com',
  'ada.@example.com',
  'ada@-example.com',
  'ada@example-.com',
  'ada@example.123',
  'ada@ex_ample.com',
  'a b@example.com',
  'ada@exa mple.com',
  'ada@example..com',
  '"ada"@example.com',
  'ada@[127.0.0.1]',
];

test('the form and the server agree on every email address', async ({ request }) => {
  const disagreements: string[] = [];
  for (const email of emails) {
    const server = !(await invalidFields(request, { email })).includes('email');
    if (server !== isValidEmail(email)) disagreements.push(`${JSON.stringify(email)}: server says ${server}`);
  }
  expect(disagreements).toEqual([]);
});

test('the form and the server agree on the length of names and passwords', async ({ request }) => {
  const policyAnswer = await request.get('/api/auth/password-policy');
  expect(policyAnswer.status()).toBe(200);
  const policy = (await policyAnswer.json()) as PasswordRules;
  const disagreements: string[] = [];
  const names = [long(100), long(101), `${long(99)}😀`, `${long(100)}😀`, `${long(100)}é`, ' Ada '];
  for (const name of names) {
    const server = !(await invalidFields(request, { first_name: name })).includes('first_name');
    if (server !== (textError(name) === null)) {
      disagreements.push(`name of ${charCount(name)} characters: server says ${server}`);
    }
  }
  const passwords = [
    long(7),
    long(8),
    `${long(7)}é`,
    long(72),
    long(73),
    `${long(70)}é`,
    `${long(71)}é`,
    long(6) + '😀',
  ];
  for (const password of passwords) {
    const server = await passwordLengthAccepted(request, password);
    if (server !== (newPasswordError(password, policy) === null)) {
      disagreements.push(`password of ${new TextEncoder().encode(password).length} bytes: server says ${server}`);
    }
  }
  expect(disagreements).toEqual([]);
});
