import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listeningUrl } from '../helpers.js';

const BIN = fileURLToPath(new URL('../../bin/secretlite.js', import.meta.url));

describe('graceful shutdown', () => {
  it('on SIGTERM stops accepting, finishes the request in flight, flushes the store and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secretlite-shutdown-'));
    try {
      const child = spawn(process.execPath, [BIN, '--port', '0', '--data-dir', dir], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stderr.on('data', () => {});
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      const url = await listeningUrl(child);
      const port = Number(new URL(url).port);
      const body = JSON.stringify({ Name: 'bye/a', SecretString: 'kept', ClientRequestToken: 'c'.repeat(36) });
      // a request in flight: headers and half of the body sent
      const socket = connect(port, '127.0.0.1');
      await new Promise((r) => socket.once('connect', r));
      let answer = '';
      socket.on('data', (d) => (answer += d.toString()));
      socket.write(
        `POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: secretsmanager.CreateSecret\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
      );
      socket.write(body.slice(0, 10));
      await new Promise((r) => setTimeout(r, 100));
      child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 200));
      // no new connections
      const refused = await new Promise<boolean>((resolve) => {
        const s = connect(port, '127.0.0.1');
        s.once('connect', () => {
          s.destroy();
          resolve(false);
        });
        s.once('error', () => resolve(true));
      });
      expect(refused).toBe(true);
      socket.write(body.slice(10));
      expect(await exited).toBe(0);
      expect(answer).toMatch(/^HTTP\/1\.1 200/);
      // the write was flushed: it is there after a restart
      const again = spawn(process.execPath, [BIN, '--port', '0', '--data-dir', dir], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const url2 = await listeningUrl(again);
      const r = await fetch(url2, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.GetSecretValue' },
        body: '{"SecretId":"bye/a"}',
      });
      expect(((await r.json()) as { SecretString: string }).SecretString).toBe('kept');
      again.kill('SIGTERM');
      await new Promise((r) => again.once('exit', r));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
