import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// Starts a gatehouse binary on port 0 (it prints its URL) with a fresh SQLite file and a low
// bcrypt cost, so registrations are quick. The global setup starts the one every test shares;
// a test that needs other settings (e.g. GATEHOUSE_ALLOWED_ORIGINS) starts its own.

/** Gatehouse is a running binary: its URL ("http://localhost:PORT") and how to stop it. */
export interface Gatehouse {
  url: string;
  bin: string;
  stop: () => Promise<void>;
}

function findBinary(): string {
  const fromEnv = process.env.GATEHOUSE_BIN;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const built = resolve(import.meta.dirname, '../../bin/gatehouse');
  if (existsSync(built)) return built;
  throw new Error('Set GATEHOUSE_BIN to a built gatehouse binary (make build writes bin/gatehouse).');
}

/** startGatehouse starts the binary with env added to the defaults, and waits for /healthz. */
export async function startGatehouse(env: Record<string, string> = {}): Promise<Gatehouse> {
  const bin = findBinary();
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-e2e-'));
  const child = spawn(bin, ['serve'], {
    env: {
      ...process.env,
      GATEHOUSE_ADDR: '127.0.0.1:0',
      GATEHOUSE_DATABASE_URL: join(dir, 'gatehouse.db'),
      GATEHOUSE_BCRYPT_COST: '10',
      // Keep the default level: the "listening" line that carries the URL is logged at info.
      GATEHOUSE_LOG_FORMAT: 'text',
      // Every browser test registers and signs in from this one address, dozens of times a
      // minute: the per-client limits (tested in Go, on both databases) would throttle the
      // suite itself. The per-account limits stay as they ship.
      GATEHOUSE_RATE_REGISTER_IP: 'off',
      GATEHOUSE_RATE_SIGN_IN_IP: 'off',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  let output = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const fail = (error: Error) => {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
      reject(error);
    };
    const timer = setTimeout(() => fail(new Error(`gatehouse did not report its URL within 20s:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /http:\/\/[^\s"]+:(\d+)/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        // Keep draining the pipes so the server never blocks on a full one, but keep nothing.
        child.stdout.off('data', onData);
        child.stderr.off('data', onData);
        child.stdout.resume();
        child.stderr.resume();
        // The browser must use "localhost": Chromium accepts the Secure refresh cookie over
        // plain http only there.
        resolveUrl(`http://localhost:${match[1]}`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`gatehouse exited with ${String(code)} before listening:\n${output}`));
    });
  });

  const stop = async () => {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };

  // Wait until it answers; a server that never does would fail every test in a confusing way.
  let healthy = false;
  for (let i = 0; i < 50 && !healthy; i++) {
    healthy = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (!healthy) await new Promise((r) => setTimeout(r, 100));
  }
  if (!healthy) {
    await stop();
    throw new Error(`gatehouse at ${url} did not answer GET /healthz within 5 s:\n${output}`);
  }
  return { url, bin, stop };
}
