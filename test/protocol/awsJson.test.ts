import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { startTestServer, uuid, type TestServer } from '../helpers.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

function send(
  method: string,
  headers: Record<string, string>,
  body?: string | Buffer,
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const u = new URL(t.url);
    const req = request({ host: u.hostname, port: u.port, path: '/', method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }),
      );
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const JSON11 = { 'content-type': 'application/x-amz-json-1.1' };

describe('AWS JSON 1.1 protocol edges', () => {
  it('refuses a missing or unknown target with UnknownOperationException (400)', async () => {
    for (const target of [
      undefined,
      'secretsmanager.GetSecret',
      'whatever',
      'kinesis.ListStreams',
      'secretsmanager.',
    ]) {
      const r = await t.raw(target, {});
      expect(r.status, String(target)).toBe(400);
      expect(r.json, String(target)).toEqual({ __type: 'UnknownOperationException' });
    }
  });

  it('a form body: STS when it names an Action, else AccessDenied with no operation (as before STS was served)', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const plain = await send('POST', form, 'a=b');
    expect(plain.status).toBe(403);
    expect(plain.body).toContain('Unable to determine service/operation name to be authorized');
    const sts = await send('POST', form, 'Action=GetCallerIdentity&Version=2011-06-15');
    expect(sts.status).toBe(200);
    expect(sts.body).toContain('<GetCallerIdentityResponse');
    const unknown = await send('POST', form, 'Action=GetSessionToken&Version=2011-06-15');
    expect(unknown.status).toBe(400);
    expect(unknown.body).toContain('<Code>InvalidAction</Code>');
  });

  it('refuses bodies that are not a JSON object with SerializationException', async () => {
    for (const body of ['hi', '{[', '{"a":1} trailing', "{'a':1}", '[1,2]', '10', 'null', '"str"', '{"a":1,}']) {
      const r = await t.raw('secretsmanager.ListSecrets', body);
      expect(r.status, body).toBe(400);
      expect(r.json.__type, body).toBe('SerializationException');
    }
    const empty = await send('POST', { ...JSON11, 'x-amz-target': 'secretsmanager.ListSecrets' });
    expect(empty.status).toBe(400);
    expect(JSON.parse(empty.body).__type).toBe('SerializationException');
    const invalidUtf8 = await send(
      'POST',
      { ...JSON11, 'x-amz-target': 'secretsmanager.ListSecrets' },
      Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]),
    );
    expect(JSON.parse(invalidUtf8.body).__type).toBe('SerializationException');
  });

  it('checks member types against the model', async () => {
    const cases: Array<[string, unknown, string]> = [
      ['DescribeSecret', { SecretId: 42 }, 'class java.math.BigDecimal can not be converted to an String'],
      ['DescribeSecret', { SecretId: { a: 1 } }, 'Start of structure or map found where not expected.'],
      ['DescribeSecret', { SecretId: ['a'] }, 'Start of list found where not expected'],
      ['DescribeSecret', { SecretId: true }, 'class java.lang.Boolean can not be converted to an String'],
      ['ListSecrets', { MaxResults: '5' }, 'class java.lang.String can not be converted to an Integer'],
      ['ListSecrets', { IncludePlannedDeletion: 'yes' }, "'YES' can not be converted to an Boolean"],
      ['ListSecrets', { Filters: 'name' }, 'Expected list or null'],
      ['ListSecrets', { Filters: [null] }, 'Null value found in list where not expected'],
      ['ListSecrets', { MaxResults: 1e30 }, 'NUMBER_VALUE can not be converted to an Integer'],
    ];
    for (const [op, body, message] of cases) {
      const r = await t.raw(`secretsmanager.${op}`, body);
      expect(r.status).toBe(400);
      expect(r.json, JSON.stringify(body)).toEqual({ __type: 'SerializationException', Message: message });
    }
  });

  it('ignores unknown members and nulls, and is not fooled by __proto__', async () => {
    const r = await t.raw(
      'secretsmanager.CreateSecret',
      `{"Name":"proto/a","ClientRequestToken":"${uuid()}","SecretString":"x","Unknown":1,"Description":null,"__proto__":{"polluted":true}}`,
    );
    expect(r.status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const d = await t.raw('secretsmanager.DescribeSecret', {
      SecretId: 'proto/a',
      constructor: { prototype: { x: 1 } },
    });
    expect(d.status).toBe(200);
    expect(d.json.Description).toBeUndefined();
  });

  it('survives deeply nested JSON', async () => {
    const deep = `{"SecretId":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const r = await t.raw('secretsmanager.DescribeSecret', deep);
    expect(r.status).toBe(400);
    expect(r.json.__type).toBe('SerializationException');
  });

  it('refuses lone surrogates instead of silently changing secret bytes', async () => {
    const r = await t.raw(
      'secretsmanager.CreateSecret',
      `{"Name":"sur/a","ClientRequestToken":"${uuid()}","SecretString":"\\ud800"}`,
    );
    expect(r.status).toBe(400);
    expect(r.json.__type).toBe('SerializationException');
  });

  it('answers non-POST methods with 403 and never a 2xx', async () => {
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
      const r = await send(method, { 'x-amz-target': 'secretsmanager.ListSecrets' });
      expect(r.status, method).toBe(403);
      expect(r.body).toContain('AccessDeniedException');
    }
  });

  it('answers a wrong content type like AWS: 403 without a target, 404 with one', async () => {
    const noTarget = await send('POST', { 'content-type': 'text/plain' }, '{}');
    expect(noTarget.status).toBe(403);
    const withTarget = await send(
      'POST',
      { 'content-type': 'text/plain', 'x-amz-target': 'secretsmanager.ListSecrets' },
      '{}',
    );
    expect(withTarget.status).toBe(404);
    expect(withTarget.body).toContain('UnknownOperationException');
  });

  it('sends timestamps as epoch seconds with millisecond fractions, and a request id on every answer', async () => {
    t.clock.set(Date.UTC(2026, 1, 3, 4, 5, 6, 789));
    await t.raw('secretsmanager.CreateSecret', { Name: 'ts/a', SecretString: 'x', ClientRequestToken: uuid() });
    const d = await t.raw('secretsmanager.DescribeSecret', { SecretId: 'ts/a' });
    expect(d.json.CreatedDate).toBe(Date.UTC(2026, 1, 3, 4, 5, 6, 789) / 1000);
    expect(d.text).not.toContain('null');
    const err = await t.raw('secretsmanager.DescribeSecret', { SecretId: 'ts/none' });
    expect(err.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(err.headers.get('date')).toBeTruthy();
  });

  it('frames ASCII and UTF-8 answers, small and large, by their byte length on one kept-alive connection', async () => {
    // The server names the body's encoding to node ('ascii' or 'utf-8') so the header goes out as its own chunk:
    // each answer here must still arrive whole, byte-exact, and framed by a Content-Length in bytes.
    const unicode = 'é 😀 ü'.repeat(3);
    const huge = '😀'.repeat(65_536);
    await t.raw('secretsmanager.CreateSecret', {
      Name: 'frame/unicode',
      SecretString: unicode,
      ClientRequestToken: uuid(),
    });
    for (const i of [1, 2, 3, 4])
      await t.raw('secretsmanager.CreateSecret', {
        Name: `frame/huge-${i}`,
        SecretString: huge,
        ClientRequestToken: uuid(),
      });
    for (let i = 0; i < 120; i++)
      await t.raw('secretsmanager.CreateSecret', {
        Name: `frame/list-${i}`,
        SecretString: 'x',
        ClientRequestToken: uuid(),
      });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const post = (target: string, body: unknown) =>
      new Promise<{ status: number; length: number; bytes: Buffer; socket: unknown }>((resolve, reject) => {
        const u = new URL(t.url);
        const req = request(
          {
            host: u.hostname,
            port: u.port,
            path: '/',
            method: 'POST',
            agent,
            headers: { ...JSON11, 'x-amz-target': target },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({
                status: res.statusCode!,
                length: Number(res.headers['content-length']),
                bytes: Buffer.concat(chunks),
                socket: req.socket,
              }),
            );
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify(body));
      });
    try {
      const answers = [
        await post('secretsmanager.GetSecretValue', { SecretId: 'frame/list-1' }),
        await post('secretsmanager.GetSecretValue', { SecretId: 'frame/unicode' }),
        await post('secretsmanager.ListSecrets', {
          MaxResults: 100,
          Filters: [{ Key: 'name', Values: ['frame/list-'] }],
        }),
        await post('secretsmanager.GetSecretValue', { SecretId: 'frame/huge-1' }),
        await post('secretsmanager.DescribeSecret', { SecretId: 'frame/unicode' }),
        // values and an error that quotes a non-ASCII id; then more than 1 MiB (memory of its own), then small again
        await post('secretsmanager.BatchGetSecretValue', {
          SecretIdList: ['frame/unicode', 'frame/list-2', 'frame/nüx'],
        }),
        await post('secretsmanager.BatchGetSecretValue', {
          SecretIdList: ['frame/huge-1', 'frame/huge-2', 'frame/huge-3', 'frame/huge-4'],
        }),
        await post('secretsmanager.ListSecrets', {
          MaxResults: 3,
          Filters: [{ Key: 'name', Values: ['frame/unicode'] }],
        }),
      ];
      for (const a of answers) {
        expect(a.status).toBe(200);
        expect(a.bytes.length).toBe(a.length);
        expect(a.socket).toBe(answers[0]!.socket); // one connection: every answer was framed right
      }
      const json = answers.map((a) => JSON.parse(a.bytes.toString('utf8')) as Record<string, unknown>);
      expect(json[0]!.SecretString).toBe('x');
      expect(json[1]!.SecretString).toBe(unicode);
      expect(answers[1]!.length).toBeGreaterThan(answers[1]!.bytes.toString('utf8').length);
      expect((json[2]!.SecretList as unknown[]).length).toBe(100);
      expect(answers[2]!.length).toBeGreaterThan(16_384);
      expect(json[3]!.SecretString).toBe(huge);
      expect(answers[3]!.length).toBeGreaterThan(4 * 65_536);
      expect(json[4]!.Name).toBe('frame/unicode');
      const batch = json[5] as { SecretValues: Array<{ SecretString: string }>; Errors: Array<{ SecretId: string }> };
      expect(batch.SecretValues.map((v) => v.SecretString)).toEqual([unicode, 'x']);
      expect(batch.Errors.map((e) => e.SecretId)).toEqual(['frame/nüx']);
      expect(answers[6]!.length).toBeGreaterThan(1_048_576);
      expect((json[6]!.SecretValues as Array<{ SecretString: string }>).every((v) => v.SecretString === huge)).toBe(
        true,
      );
      expect((json[7]!.SecretList as Array<{ Name: string }>).map((e) => e.Name)).toEqual(['frame/unicode']);
    } finally {
      agent.destroy();
    }
  });

  it('keeps a page intact for a client that reads it slowly while others are answered', async () => {
    // Pages are written from memory reused between answers: one the socket has not sent yet must never be
    // overwritten. A reads nothing until 8 pipelined pages of 790 KB are queued behind full socket buffers;
    // B meanwhile gets 30 other pages; then every byte A gets must still be its own.
    const big = 'A'.repeat(65_536);
    const names = Array.from({ length: 12 }, (_, i) => `slow/big-${i}`);
    for (const name of names)
      await t.raw('secretsmanager.CreateSecret', { Name: name, SecretString: big, ClientRequestToken: uuid() });
    for (const i of [1, 2])
      await t.raw('secretsmanager.CreateSecret', {
        Name: `slow/other-${i}`,
        SecretString: 'B'.repeat(65_536),
        ClientRequestToken: uuid(),
      });
    const u = new URL(t.url);
    const a = connect({ host: u.hostname, port: Number(u.port) });
    a.pause();
    const body = JSON.stringify({ SecretIdList: names });
    const one = `POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: secretsmanager.BatchGetSecretValue\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    a.write(one.repeat(8));
    await new Promise((r) => setTimeout(r, 300));
    for (let i = 0; i < 30; i++) {
      const r = await t.raw('secretsmanager.BatchGetSecretValue', { SecretIdList: ['slow/other-1', 'slow/other-2'] });
      expect(r.status).toBe(200);
    }
    const received: Buffer[] = [];
    a.on('data', (c: Buffer) => received.push(c));
    a.resume();
    const expected = 8 * names.length;
    const all = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('slow client: answers incomplete')), 20_000);
      a.on('data', () => {
        const text = Buffer.concat(received).toString('latin1');
        if ((text.match(/"SecretString"/g) ?? []).length === expected && text.endsWith('}')) {
          clearTimeout(timer);
          resolve(text);
        }
      });
    });
    a.destroy();
    const bodies = all.split(/HTTP\/1\.1 200 OK\r\n[\s\S]*?\r\n\r\n/).filter((b) => b.length > 0);
    expect(bodies).toHaveLength(8);
    for (const b of bodies) {
      const values = (JSON.parse(b) as { SecretValues: Array<{ Name: string; SecretString: string }> }).SecretValues;
      expect(values.map((v) => v.Name)).toEqual(names);
      for (const v of values) expect(v.SecretString === big).toBe(true);
    }
  });

  it('refuses oversized bodies with 413', async () => {
    const r = await send('POST', { ...JSON11, 'x-amz-target': 'secretsmanager.ListSecrets' }, 'x'.repeat(1_048_577));
    expect(r.status).toBe(413);
    const after = await t.raw('secretsmanager.ListSecrets', {});
    expect(after.status).toBe(200);
  });

  it('serves the health endpoint', async () => {
    const r = await fetch(`${t.url}/_secretlite/health`);
    expect(r.status).toBe(200);
    const h = (await r.json()) as Record<string, unknown>;
    expect(h).toMatchObject({ status: 'ok', service: 'secretlite', store: 'memory' });
    expect(typeof h.version).toBe('string');
    expect(typeof h.uptimeSeconds).toBe('number');
    expect(typeof h.secrets).toBe('number');
  });
});
