import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Agent, request } from 'node:http';
import { OPERATIONS, SHAPES, type OperationName, type Shape } from '../../src/model/service.js';
import { startServer, type RunningServer } from '../../src/index.js';
import { MAX_BODY_BYTES } from '../../src/server/http.js';

/**
 * Property: whatever a client sends, the answer is a success or an AWS error the operation can return
 * (or a protocol error), never a 5xx, never slower than a second, and the server stays up.
 * SECRETLITE_FUZZ_RUNS sets the number of bodies (default 20,000).
 */
const RUNS = Number(process.env.SECRETLITE_FUZZ_RUNS ?? 20_000);
const SLOW_MS = 1_000;
const PROTOCOL_ERRORS = ['ValidationException', 'SerializationException', 'UnknownOperationException'];

let server: RunningServer;
const agent = new Agent({ keepAlive: true, maxSockets: 8 }); // one per worker: no idle socket for the server to close under a reuse
let port = 0;
beforeAll(async () => {
  server = await startServer({ port: 0, logLevel: 'silent' });
  port = Number(new URL(server.url).port);
  for (const [name, body] of [
    ['fuzz/a', { SecretString: 'a' }],
    ['fuzz/b', { SecretBinary: 'AAEC' }],
    ['fuzz/empty', {}],
  ] as const) {
    await post(
      'CreateSecret',
      JSON.stringify({ Name: name, ClientRequestToken: `${name}-token-0000000000000000000000000000`, ...body }),
    );
  }
});
afterAll(async () => {
  agent.destroy();
  await server.close();
});

function post(op: string, body: string | Buffer): Promise<{ status: number; body: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `secretsmanager.${op}` },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            body: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - started,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const KNOWN_IDS = [
  'fuzz/a',
  'fuzz/b',
  'fuzz/empty',
  'missing',
  'arn:aws:secretsmanager:us-east-1:000000000000:secret:fuzz/a',
  'arn:aws:secretsmanager:us-east-1:000000000000:secret:nope-AbCdEf',
];
const wrongType = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.array(fc.jsonValue(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue(), { maxKeys: 3 }),
);
const hugeNumbers = fc.constantFrom(
  1e308,
  -1e308,
  2 ** 53 + 1,
  2 ** 31,
  -(2 ** 31) - 1,
  1e-7,
  0.5,
  -0,
  Number.MAX_SAFE_INTEGER + 2,
);

function lengthEdges(min = 0, max = 64): fc.Arbitrary<string> {
  const sizes = [0, 1, min, Math.max(0, min - 1), max, max + 1].filter((n) => n >= 0 && n <= 70_000);
  return fc.oneof(
    fc.constantFrom(...sizes).map((n) => 'x'.repeat(n)),
    fc.constantFrom(...sizes).map((n) => '\u{1F600}'.repeat(n)),
  );
}

/** A value for a member: usually of the right JSON type (often invalid), sometimes of a wrong one. */
function valueFor(shape: Shape, depth = 0): fc.Arbitrary<unknown> {
  const right = ((): fc.Arbitrary<unknown> => {
    switch (shape.type) {
      case 'string':
        return fc.oneof(
          fc.string({ maxLength: 40 }),
          fc.string({ unit: 'grapheme', maxLength: 20 }),
          fc.constantFrom(
            ...KNOWN_IDS,
            ...(shape.enum ?? []),
            'AWSCURRENT',
            'AWSPREVIOUS',
            '!name',
            '\ud800',
            '\udc00x',
            'a\u0000b',
            '\u202e',
            '../../etc/passwd',
          ),
          lengthEdges(shape.min, Math.min(shape.max ?? 64, 70_000)),
          fc.uuid(),
        );
      case 'blob':
        return fc.oneof(
          fc.base64String({ maxLength: 40 }),
          fc.constantFrom(
            '!!!abc$$$=',
            'abc',
            'QR==',
            'Zm9v\nYmFy',
            '',
            '====',
            'A'.repeat(87_384),
            'A'.repeat(87_388),
          ),
        );
      case 'boolean':
        return fc.oneof(fc.boolean(), fc.constantFrom('true', 'false', 1, 0, 'yes'));
      case 'integer':
      case 'long':
        return fc.oneof(fc.integer({ min: -5, max: 5000 }), hugeNumbers, fc.constantFrom('7', '30'));
      case 'timestamp':
        return fc.oneof(fc.integer(), fc.string());
      case 'list': {
        if (depth > 3) return fc.constant([]);
        const member = SHAPES[shape.member!]!;
        return fc.oneof(
          fc.array(valueFor(member, depth + 1), { maxLength: 4 }),
          fc.array(valueFor(member, depth + 1), { minLength: 19, maxLength: 22 }),
          fc.constant([null]),
        );
      }
      case 'map':
        return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue(), { maxKeys: 3 });
      case 'structure':
        return depth > 3 ? fc.constant({}) : structure(shape, depth + 1);
    }
  })();
  return fc.oneof({ weight: 25, arbitrary: right }, { weight: 1, arbitrary: wrongType });
}

function structure(shape: Shape, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const members = Object.entries(shape.members ?? {});
  const record = Object.fromEntries(members.map(([name, target]) => [name, valueFor(SHAPES[target]!, depth)]));
  return fc.record(record, { requiredKeys: [] });
}

const junkKeys = fc.dictionary(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'Unknown', 'secretId', ''),
  fc.jsonValue(),
  { maxKeys: 2 },
);

/** A raw body: a model-shaped object, random JSON, or hand-made malformed text. */
function bodyFor(op: OperationName): fc.Arbitrary<string | Buffer> {
  const input = SHAPES[OPERATIONS[op].input]!;
  const shaped = fc.tuple(structure(input, 0), junkKeys).map(([body, junk]) => JSON.stringify({ ...junk, ...body }));
  const raw = fc.constantFrom(
    '',
    'hi',
    '{[',
    '[]',
    'null',
    '10',
    '{"SecretId":"fuzz/a","SecretId":"fuzz/b"}',
    `{"SecretId":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
    `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`,
    '{"SecretId":"\\ud800"}',
    '{"Name":"x","SecretString":"\\udfff"}',
    '{"PasswordLength":1e400}',
  );
  const bytes = fc
    .uint8Array({ maxLength: 64 })
    .map((b) => Buffer.concat([Buffer.from('{"SecretId":"'), Buffer.from(b), Buffer.from('"}')]));
  return fc.oneof(
    { weight: 12, arbitrary: shaped },
    { weight: 2, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v) ?? '') },
    { weight: 1, arbitrary: raw },
    { weight: 1, arbitrary: bytes },
  );
}

const operations = Object.keys(OPERATIONS) as OperationName[];
const request$ = fc.constantFrom(...operations).chain((op) => bodyFor(op).map((body) => ({ op, body })));

describe('fuzzing every operation', () => {
  it(
    `answers ${RUNS} generated bodies with AWS errors or successes only`,
    { timeout: 60_000 + RUNS * 20 },
    async () => {
      const tally = new Map<string, number>();
      let slowest = 0;
      const samples = fc.sample(request$, {
        numRuns: RUNS,
        seed: Number(process.env.SECRETLITE_FUZZ_SEED ?? 20261122),
      });
      const workers = 8;
      let next = 0;
      await Promise.all(
        Array.from({ length: workers }, async () => {
          while (next < samples.length) {
            const { op, body } = samples[next++]!;
            if (Buffer.byteLength(body) > MAX_BODY_BYTES) {
              // refused with 413 before it is read: the client may see the answer or only the closed connection
              const r = await post(op, body).catch((e: NodeJS.ErrnoException) => ({
                status: e.code === 'ECONNRESET' || e.code === 'EPIPE' ? 413 : 0,
                body: '',
                ms: 0,
              }));
              expect(r.status).toBe(413);
              tally.set('413', (tally.get('413') ?? 0) + 1);
              continue;
            }
            const r = await post(op, body).catch((e: Error) => {
              throw new Error(
                `${e.message} on ${op} (${Buffer.byteLength(body)} bytes): ${String(body).slice(0, 200)}`,
              );
            });
            slowest = Math.max(slowest, r.ms);
            const show = () => `${op} ${String(body).slice(0, 300)} -> ${r.status} ${r.body.slice(0, 300)}`;
            expect(r.status, show()).toBeLessThan(500);
            expect(r.ms, `slow: ${show()}`).toBeLessThan(SLOW_MS);
            if (r.status === 200) {
              expect(() => JSON.parse(r.body), show()).not.toThrow();
              tally.set('200', (tally.get('200') ?? 0) + 1);
              continue;
            }
            expect(r.status, show()).toBe(400);
            const type = (JSON.parse(r.body) as { __type: string }).__type;
            expect([...OPERATIONS[op].errors, ...PROTOCOL_ERRORS], show()).toContain(type);
            tally.set(type, (tally.get(type) ?? 0) + 1);
          }
        }),
      );
      const health = await fetch(`${server.url}/_secretlite/health`);
      expect(health.status).toBe(200);
      console.log(
        `fuzz: ${samples.length} bodies, slowest ${slowest.toFixed(1)} ms, ${JSON.stringify(Object.fromEntries([...tally].sort((a, b) => b[1] - a[1])))}`,
      );
    },
  );
});
