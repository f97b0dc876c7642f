/** renderApiRules returns src/lib/api-rules.ts for an OpenAPI document. */
export function renderApiRules(document: {
  paths?: Record<string, unknown>;
  components?: { schemas?: Record<string, unknown> };
}): string;
