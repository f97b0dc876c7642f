// @vitest-environment node
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// swagger-ui-dist depends on @scarf/scarf, whose postinstall reports every install to
// scarf.sh. Nothing here may report home: package.json opts out the way scarf documents
// (scarfSettings.enabled = false), and npm's allowScripts denies the script outright where
// npm knows that field (npm 11; older npm runs the script, which then honours the opt-out).

const webDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const reporter = join(webDir, 'node_modules', '@scarf', 'scarf', 'report.js');

interface PackageJson {
  scarfSettings?: { enabled?: boolean };
  allowScripts?: Record<string, boolean>;
}

/**
 * npmLsOnPath returns a PATH whose first `npm` prints, at once, what `npm ls @scarf/scarf`
 * printed for projectDir: scarf gives its own `npm ls` only 3 s, which a busy machine can miss.
 */
async function npmLsOnPath(projectDir: string, binDir: string): Promise<string> {
  const tree = await new Promise<string>((resolve) => {
    execFile('npm', ['ls', '@scarf/scarf', '--json', '--long'], { cwd: projectDir, timeout: 50_000 }, (_, stdout) =>
      resolve(stdout),
    );
  });
  writeFileSync(join(binDir, 'tree.json'), tree);
  writeFileSync(join(binDir, 'npm'), `#!/bin/sh\nexec cat '${join(binDir, 'tree.json')}'\n`);
  chmodSync(join(binDir, 'npm'), 0o755);
  return `${binDir}:${process.env.PATH ?? ''}`;
}

/**
 * runReporter runs scarf's postinstall as npm would for a project in projectDir, but pointed
 * (by its own SCARF_LOCAL_PORT switch) at a local server, and returns what reached that server.
 */
async function runReporter(projectDir: string): Promise<{ reports: string[]; log: string }> {
  const binDir = mkdtempSync(join(tmpdir(), 'scarf-npm-'));
  const path = await npmLsOnPath(projectDir, binDir);
  const reports: string[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    reports.push(`${request.method ?? ''} ${request.url ?? ''}`);
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // Only package.json may decide: drop every opt-out a developer's shell might carry.
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^(SCARF_|DO_NOT_TRACK$)/.test(key)) env[key] = value;
  try {
    const log = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        [reporter],
        {
          cwd: projectDir,
          env: { ...env, PATH: path, INIT_CWD: projectDir, SCARF_LOCAL_PORT: String(port), SCARF_VERBOSE: 'true' },
          timeout: 50_000,
        },
        (error, stdout, stderr) =>
          error
            ? reject(new Error(`scarf's reporter failed: ${stderr}`, { cause: error }))
            : resolve(`${stdout}${stderr}`),
      );
    });
    return { reports, log };
  } finally {
    server.close();
    rmSync(binDir, { recursive: true, force: true });
  }
}

describe('install telemetry', { timeout: 60_000 }, () => {
  it('is turned off in package.json, as scarf and npm document', () => {
    const pkg = JSON.parse(readFileSync(join(webDir, 'package.json'), 'utf8')) as PackageJson;
    expect(pkg.scarfSettings?.enabled).toBe(false);
    expect(pkg.allowScripts?.['@scarf/scarf']).toBe(false);
  });

  it("sends no report when scarf's postinstall runs for this project", async () => {
    const { reports, log } = await runReporter(webDir);
    expect(reports).toEqual([]);
    expect(log).toMatch(/disabled via a package.json|opted out/);
  });

  it('would be seen reporting by the harness above, without the opt-out', async () => {
    // The control: a project without scarfSettings does report, so the empty list above is
    // the opt-out's doing and not a harness that cannot hear a report.
    const dir = mkdtempSync(join(tmpdir(), 'scarf-control-'));
    try {
      writeFileSync(
        join(dir, 'package.json'),
        JSON.stringify({ name: 'scarf-control', version: '1.0.0', scarfSettings: { skipTraversal: true } }),
      );
      const { reports } = await runReporter(dir);
      expect(reports).toEqual(['POST /package-event/install']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
