/**
 * The pipeline in-process: a request object in, a response out, no socket. What the HTTP tests cannot see
 * easily: the typed result of a handler becoming bytes (protocol/answers.ts), the memo, and the error funnel.
 */
import { describe, expect, it } from 'vitest';
import { handleApiRequest, type ApiRequest, type ApiResponse, type Services } from '../../src/protocol/pipeline.js';
import { JsonList } from '../../src/protocol/JsonList.js';
import { MemoryStore } from '../../src/store/memory.js';
import { FakeClock } from '../../src/clock.js';
import { cryptoRandom } from '../../src/random.js';
import { createLogger } from '../../src/logger.js';
import { RotationEngine } from '../../src/rotation/engine.js';
import type { Scope } from '../../src/domain/types.js';
import type { SecretRef } from '../../src/domain/arn.js';

const DAY = 86_400_000;

function services(store = new MemoryStore(), lines: string[] = []): Services & { clock: FakeClock } {
  const clock = new FakeClock(Date.UTC(2026, 0, 15, 12));
  const log = createLogger('error', (l) => lines.push(l));
  return {
    store,
    clock,
    random: cryptoRandom,
    rotation: new RotationEngine({ store, clock, random: cryptoRandom, log, hosts: [], strictAws: false }),
    defaults: { accountId: '000000000000', region: 'us-east-1' },
    log,
    strictAws: false,
  };
}

const request = (op: string, body: unknown): ApiRequest => ({
  method: 'POST',
  query: '',
  headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `secretsmanager.${op}` },
  body: Buffer.from(JSON.stringify(body)),
});

async function call(
  svc: Services,
  op: string,
  body: unknown,
): Promise<ApiResponse & { text: string; json: Record<string, unknown> }> {
  const res = await handleApiRequest(request(op, body), svc);
  const text = typeof res.body === 'string' ? res.body : res.body.text;
  return { ...res, text, json: JSON.parse(text) as Record<string, unknown> };
}

describe('the pipeline, in-process', () => {
  it('serializes typed results: an operation output, a value read, a page', async () => {
    const svc = services();
    const c = await call(svc, 'CreateSecret', { Name: 'p/a', SecretString: 'one', ClientRequestToken: 'a'.repeat(32) });
    expect(c.status).toBe(200);
    expect(c.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(Object.keys(c.json)).toEqual(['ARN', 'Name', 'VersionId']);

    const g = await call(svc, 'GetSecretValue', { SecretId: 'p/a' });
    expect(Object.keys(g.json)).toEqual(['ARN', 'Name', 'VersionId', 'SecretString', 'VersionStages', 'CreatedDate']);
    expect(g.json).toMatchObject({ SecretString: 'one', VersionId: 'a'.repeat(32), VersionStages: ['AWSCURRENT'] });

    const l = await handleApiRequest(request('ListSecrets', {}), svc);
    expect(l.body).toBeInstanceOf(JsonList);
    const page = JSON.parse((l.body as JsonList).text) as { SecretList: Array<Record<string, unknown>> };
    expect(page.SecretList.map((e) => e.Name)).toEqual(['p/a']);
    expect(page.SecretList[0]!.SecretVersionsToStages).toEqual({ ['a'.repeat(32)]: ['AWSCURRENT'] });
  });

  it('answers a read of the current value from the memo of the stored snapshot, and a new one after a change', async () => {
    const svc = services();
    await call(svc, 'CreateSecret', { Name: 'p/m', SecretString: 'one', ClientRequestToken: 'a'.repeat(32) });
    const first = await handleApiRequest(request('GetSecretValue', { SecretId: 'p/m' }), svc); // records today's access
    const second = handleApiRequest(request('GetSecretValue', { SecretId: 'p/m' }), svc);
    expect(second).not.toBeInstanceOf(Promise); // no write due, the memory store answers directly
    const third = handleApiRequest(request('GetSecretValue', { SecretId: 'p/m' }), svc) as ApiResponse;
    expect((second as ApiResponse).body).toBe(first.body);
    expect(third.body).toBe((second as ApiResponse).body); // the same string: the memo, not a new serialization
    // AWSCURRENT named by label is the same answer: the memo too
    const byLabel = handleApiRequest(
      request('GetSecretValue', { SecretId: 'p/m', VersionStage: 'AWSCURRENT' }),
      svc,
    ) as ApiResponse;
    expect(byLabel.body).toBe(third.body);
    await call(svc, 'PutSecretValue', { SecretId: 'p/m', SecretString: 'two', ClientRequestToken: 'b'.repeat(32) });
    const after = await call(svc, 'GetSecretValue', { SecretId: 'p/m' });
    expect(after.json).toMatchObject({ SecretString: 'two', VersionId: 'b'.repeat(32) });
    const previous = await call(svc, 'GetSecretValue', { SecretId: 'p/m', VersionStage: 'AWSPREVIOUS' });
    expect(previous.json).toMatchObject({ SecretString: 'one', VersionStages: ['AWSPREVIOUS'] });
  });

  it("records the first read of each day, and answers that day's reads without a write", async () => {
    const svc = services();
    await call(svc, 'CreateSecret', { Name: 'p/d', SecretString: 'v', ClientRequestToken: 'a'.repeat(32) });
    await call(svc, 'GetSecretValue', { SecretId: 'p/d' });
    const day1 = (await call(svc, 'DescribeSecret', { SecretId: 'p/d' })).json.LastAccessedDate;
    expect(day1).toBe(Date.UTC(2026, 0, 15) / 1000);
    svc.clock.advance(DAY);
    expect(handleApiRequest(request('GetSecretValue', { SecretId: 'p/d' }), svc)).toBeInstanceOf(Promise); // a write
    await handleApiRequest(request('GetSecretValue', { SecretId: 'p/d' }), svc);
    expect((await call(svc, 'DescribeSecret', { SecretId: 'p/d' })).json.LastAccessedDate).toBe(
      Date.UTC(2026, 0, 16) / 1000,
    );
  });

  it('turns an unexpected failure into a 500 with the catalog message, logged without the request', async () => {
    const lines: string[] = [];
    class FailingStore extends MemoryStore {
      override get(_scope: Scope, _ref: SecretRef): never {
        throw new TypeError('disk on fire: hunter2');
      }
    }
    const svc = services(new FailingStore(), lines);
    const r = await call(svc, 'GetSecretValue', { SecretId: 'canary-hunter2' });
    expect(r.status).toBe(500);
    expect(r.json).toEqual({ __type: 'InternalServiceError', Message: 'An internal error occurred. Try again later.' });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'error',
      msg: 'internal error',
      operation: 'GetSecretValue',
      error: 'TypeError',
    });
    expect(lines[0]).not.toContain('hunter2');
  });
});
