import { describe, expect, it } from 'vitest';
import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { listeningUrl } from '../helpers.js';

const BIN = fileURLToPath(new URL('../../bin/secretlite.js', import.meta.url));
const run = promisify(execFile);

function start(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = listeningUrl(child);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? `signal ${signal}: ${stderr}`)),
  );
  return { child, url, exited };
}

describe('the secretlite command', () => {
  it('prints every option with --help', async () => {
    const { stdout } = await run(process.execPath, [BIN, '--help']);
    for (const opt of [
      '--host',
      '--port',
      '--account-id',
      '--region',
      '--log-level',
      '--heap-growth',
      'SECRETLITE_HEAP_GROWTH',
      '--strict-aws',
      'SECRETLITE_STRICT_AWS',
      'SECRETLITE_PORT',
      'SECRETLITE_HOST',
    ])
      expect(stdout).toContain(opt);
  });

  it('starts on a free port, says where in one line, serves, and exits 0 on SIGTERM', async () => {
    const s = start(['--port', '0']);
    const url = await s.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${url}/_secretlite/health`);
    expect(health.status).toBe(200);
    const r = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.ListSecrets' },
      body: '{}',
    });
    expect(await r.json()).toEqual({ SecretList: [] });
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
  });

  it('reads SECRETLITE_PORT and SECRETLITE_HOST, and exits 0 on SIGINT', async () => {
    const s = start([], { SECRETLITE_PORT: '0', SECRETLITE_HOST: '127.0.0.1' });
    expect(await s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    s.child.kill('SIGINT');
    expect(await s.exited).toBe(0);
  });

  it('refuses a bad option with exit code 2', async () => {
    await expect(run(process.execPath, [BIN, '--port', 'abc'])).rejects.toMatchObject({ code: 2 });
    await expect(run(process.execPath, [BIN, '--nope'])).rejects.toMatchObject({ code: 2 });
    await expect(run(process.execPath, [BIN, '--heap-growth=-5'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('invalid heap growth'),
    });
    await expect(
      run(process.execPath, [BIN], { env: { ...process.env, SECRETLITE_HEAP_GROWTH: 'lots' } }),
    ).rejects.toMatchObject({ code: 2 });
    await expect(
      run(process.execPath, [BIN], { env: { ...process.env, SECRETLITE_STRICT_AWS: 'maybe' } }),
    ).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('invalid SECRETLITE_STRICT_AWS'),
    });
    await expect(run(process.execPath, [BIN, '--strict-aws=yes'])).rejects.toMatchObject({ code: 2 });
  });
});
