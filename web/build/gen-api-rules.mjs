// Writes src/lib/api-rules.ts from openapi.json: the constraints the server's document states
// for each request field (minLength, maxLength, enum, format), so the web app's checks are
// derived from the server's rules instead of written twice. Run by `npm run gen:api`;
// src/lib/api-rules.test.ts fails when the committed file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const kept = ['minLength', 'maxLength', 'enum', 'format'];

/**
 * requestSchemas names the schemas that some request body uses: the rules a client must obey.
 * A body may name its schema directly or as a part of an allOf (register adds its captcha
 * field that way).
 * @param {Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: { $ref?: string, allOf?: { $ref?: string }[] } }> } }>>} paths
 * @returns {Set<string>}
 */
function requestSchemas(paths) {
  const names = new Set();
  for (const operations of Object.values(paths)) {
    for (const operation of Object.values(operations)) {
      for (const media of Object.values(operation.requestBody?.content ?? {})) {
        for (const part of [media.schema, ...(media.schema?.allOf ?? [])]) {
          const ref = part?.$ref;
          if (ref !== undefined) names.add(ref.replace('#/components/schemas/', ''));
        }
      }
    }
  }
  return names;
}

/**
 * renderApiRules returns the TypeScript module for an OpenAPI document: for each
 * property of a request body's schema that carries a constraint, with only those constraints.
 * @param {{ paths?: Record<string, any>, components?: { schemas?: Record<string, { properties?: Record<string, Record<string, unknown>> }> } }} document
 * @returns {string}
 */
export function renderApiRules(document) {
  /** @type {Record<string, Record<string, Record<string, unknown>>>} */
  const rules = {};
  const used = requestSchemas(document.paths ?? {});
  const schemas = Object.entries(document.components?.schemas ?? {}).filter(([name]) => used.has(name));
  for (const [name, schema] of schemas.sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (const [field, property] of Object.entries(schema.properties ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
      const constraints = Object.fromEntries(kept.filter((key) => key in property).map((key) => [key, property[key]]));
      if (Object.keys(constraints).length === 0) continue;
      rules[name] ??= {};
      rules[name][field] = constraints;
    }
  }
  return [
    '// Generated from openapi.json by `npm run gen:api` (build/gen-api-rules.mjs); never edit by hand.',
    '',
    "/** apiRules holds each field's constraints as the server's OpenAPI document states them. */",
    `export const apiRules = ${JSON.stringify(rules, null, 2)} as const;`,
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = new URL('..', import.meta.url);
  const document = JSON.parse(readFileSync(new URL('openapi.json', root), 'utf8'));
  writeFileSync(new URL('src/lib/api-rules.ts', root), renderApiRules(document));
}
