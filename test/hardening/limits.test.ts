import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { startServer, type RunningServer } from '../../src/index.js';

let server: RunningServer;
let port = 0;
beforeAll(async () => {
  server = await startServer({
    port: 0,
    logLevel: 'silent',
    headersTimeoutMs: 600,
    requestTimeoutMs: 1_500,
    maxConnections: 50,
  });
  port = Number(new URL(server.url).port);
});
afterAll(() => server.close());

function open(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.on('error', reject);
  });
}

/** Everything the server sends on a socket until it closes it (or `ms` pass). */
function readUntilClose(s: Socket, ms: number): Promise<{ data: string; closed: boolean }> {
  return new Promise((resolve) => {
    let data = '';
    const t = setTimeout(() => resolve({ data, closed: false }), ms);
    s.on('data', (d) => (data += d.toString()));
    s.on('close', () => {
      clearTimeout(t);
      resolve({ data, closed: true });
    });
    s.on('error', () => {});
  });
}

const listSecrets = () =>
  fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.ListSecrets' },
    body: '{}',
  });

describe('limits', () => {
  it('closes a client that sends its headers too slowly (slowloris) while others are served', async () => {
    const slow = await open();
    slow.write('POST / HTTP/1.1\r\nHost: localhost\r\n');
    const drip = setInterval(() => slow.write('X-Slow: 1\r\n'), 100);
    const result = readUntilClose(slow, 5_000);
    // meanwhile a well-behaved client keeps being served
    for (let i = 0; i < 5; i++) expect((await listSecrets()).status).toBe(200);
    const { data, closed } = await result;
    clearInterval(drip);
    expect(closed).toBe(true);
    expect(data).toMatch(/^HTTP\/1\.1 408/);
  });

  it('closes a client whose body never finishes', async () => {
    const s = await open();
    s.write(
      'POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: secretsmanager.ListSecrets\r\nContent-Length: 100\r\n\r\n{',
    );
    const drip = setInterval(() => s.write(' '), 200);
    const { data, closed } = await readUntilClose(s, 6_000);
    clearInterval(drip);
    expect(closed).toBe(true);
    expect(data === '' || /^HTTP\/1\.1 408/.test(data)).toBe(true);
    expect((await listSecrets()).status).toBe(200);
  });

  it('refuses a body over the cap with 413 without reading the rest', async () => {
    const s = await open();
    // declares 50 MiB; sends 1 MiB + 1 byte and then stops: the answer must not wait for the rest
    s.write(
      'POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: secretsmanager.ListSecrets\r\nContent-Length: 52428800\r\n\r\n',
    );
    s.write(Buffer.alloc(1_048_577, 0x20));
    const { data, closed } = await readUntilClose(s, 3_000);
    expect(data).toMatch(/^HTTP\/1\.1 413/);
    expect(closed).toBe(true);
    // chunked, no length announced
    const c = await open();
    c.write(
      'POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: secretsmanager.ListSecrets\r\nTransfer-Encoding: chunked\r\n\r\n',
    );
    for (let i = 0; i < 20; i++) c.write(`10000\r\n${' '.repeat(0x10000)}\r\n`);
    const chunked = await readUntilClose(c, 3_000);
    expect(chunked.data).toMatch(/^HTTP\/1\.1 413/);
    expect((await listSecrets()).status).toBe(200);
  });

  it('caps concurrent connections', async () => {
    const sockets: Socket[] = [];
    for (let i = 0; i < 50; i++) sockets.push(await open());
    const extra = await open();
    const { closed } = await readUntilClose(extra, 2_000);
    expect(closed).toBe(true);
    for (const s of sockets) s.destroy();
    await new Promise((r) => setTimeout(r, 100));
    expect((await listSecrets()).status).toBe(200);
  });
});
