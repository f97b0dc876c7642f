// @vitest-environment node
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The import rules in eslint.config.js, checked on code they must refuse. The code is linted
// as if it were an existing file, so the type-aware rules have a program to work with.
//
// With CI=true, typescript-eslint assumes a "single run" over the files on disk and reuses
// one program, which mislints text that differs from its file: this test's case. Off here.
process.env.TSESTREE_SINGLE_RUN = 'false';
const eslint = new ESLint();

async function importErrors(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

// The first lint builds a TypeScript program, which takes seconds on a busy machine.
describe('import rules', { timeout: 60_000 }, () => {
  it.each([
    "export { useAuth } from '../auth/auth-context';",
    "export { useAuth } from '../../features/auth/auth-context';",
  ])('refuse a feature importing another feature: %s', async (code) => {
    expect(await importErrors(code, 'src/features/sessions/describe-device.ts')).toEqual([
      expect.stringMatching(/another feature/),
    ]);
  });

  it('refuse context in components', async () => {
    const code = "import { createContext, useContext } from 'react';\nexport const a = [createContext, useContext];\n";
    expect(await importErrors(code, 'src/components/badge.tsx')).toHaveLength(2);
  });

  it('allow a feature its own files and lib', async () => {
    const code = "export { describeDevice } from './describe-device';\nexport { api } from '../../lib/api-client';\n";
    expect(await importErrors(code, 'src/features/sessions/sessions-client.ts')).toEqual([]);
  });
});
