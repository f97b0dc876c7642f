// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { safeNext } from './safe-next';

const origin = 'https://gatehouse.example';

describe('safeNext', () => {
  it.each([
    ['/accounts', '/accounts'],
    ['/accounts?tab=sessions#top', '/accounts?tab=sessions#top'],
    ['/settings/../accounts', '/accounts'],
  ])('keeps the same-site path %s', (next, want) => expect(safeNext(next, origin)).toBe(want));

  it.each([
    null,
    '',
    'accounts',
    '//evil.example',
    '//evil.example/accounts',
    '/\\evil.example',
    '/\t/evil.example',
    'https://evil.example/',
    'javascript:alert(1)',
    '/..//evil.example',
    '/.//evil.example',
    '/%2e%2e//evil.example',
    '/%2E%2E//evil.example/accounts',
    '/x/..//evil.example',
    '/auth/login',
    '/auth/register?next=/x',
  ])('falls back to /accounts for %j', (next) => expect(safeNext(next, origin)).toBe('/accounts'));
});
