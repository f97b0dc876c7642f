// @vitest-environment node
import { readFileSync } from 'node:fs';
import openapiTS, { astToString } from 'openapi-typescript';
import { expect, it } from 'vitest';

it('api-types.ts is what `npm run gen:api` makes from openapi.json', async () => {
  const document = readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8');
  const generated = astToString(await openapiTS(document));
  const committed = readFileSync(new URL('./api-types.ts', import.meta.url), 'utf8');
  expect(committed.endsWith(generated), 'src/lib/api-types.ts is stale: run `npm run gen:api`').toBe(true);
});
