import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomInt, randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { startServer, type RunningServer } from '../../src/index.js';

/** 200 clients, mixed writes and reads on 10 secrets (SECRETLITE_CONCURRENCY_SECONDS, default 10). */
const SECONDS = Number(process.env.SECRETLITE_CONCURRENCY_SECONDS ?? 10);
const CLIENTS = 200;
let server: RunningServer;
let port = 0;
const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
beforeAll(async () => {
  server = await startServer({ port: 0, logLevel: 'silent' });
  port = Number(new URL(server.url).port);
});
afterAll(async () => {
  agent.destroy();
  await server.close();
});

function call(op: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/',
        agent,
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `secretsmanager.${op}` },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            json: JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const EXPECTED_REFUSALS = new Set(['InvalidParameterException', 'InvalidRequestException']);

describe('200 concurrent clients', () => {
  it(`keep labels consistent and never get a 5xx (${SECONDS} s)`, { timeout: 60_000 + SECONDS * 3_000 }, async () => {
    const names = Array.from({ length: 10 }, (_, i) => `conc/${i}`);
    for (const name of names)
      await call('CreateSecret', { Name: name, SecretString: 'v0', ClientRequestToken: randomUUID() });
    const tally = new Map<string, number>();
    const count = (k: string) => tally.set(k, (tally.get(k) ?? 0) + 1);
    let describes = 0;
    const checkStages = (name: string, stages: Record<string, string[]> | undefined) => {
      const labels = Object.values(stages ?? {}).flat();
      expect(
        labels.filter((l) => l === 'AWSCURRENT'),
        `${name}: ${JSON.stringify(stages)}`,
      ).toHaveLength(1);
      expect(new Set(labels).size, `${name}: a label on two versions ${JSON.stringify(stages)}`).toBe(labels.length);
    };
    const deadline = Date.now() + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (Date.now() < deadline) {
          const name = names[randomInt(names.length)]!;
          const roll = randomInt(100);
          let r: { status: number; json: Record<string, unknown> };
          let op: string;
          if (roll < 35) {
            op = 'PutSecretValue';
            r = await call(op, {
              SecretId: name,
              SecretString: randomUUID(),
              ClientRequestToken: randomUUID(),
              VersionStages: randomInt(4) === 0 ? ['AWSPENDING'] : undefined,
            });
          } else if (roll < 60) {
            op = 'DescribeSecret';
            r = await call(op, { SecretId: name });
            if (r.status === 200) {
              describes++;
              checkStages(name, r.json.VersionIdsToStages as Record<string, string[]>);
            }
          } else if (roll < 90) {
            op = 'UpdateSecretVersionStage';
            const d = await call('DescribeSecret', { SecretId: name });
            const stages = (d.json.VersionIdsToStages ?? {}) as Record<string, string[]>;
            const versions = Object.keys(stages);
            const label = pickLabel();
            const holder = versions.find((v) => stages[v]!.includes(label));
            const to = versions[randomInt(Math.max(1, versions.length))];
            r = await call(op, {
              SecretId: name,
              VersionStage: label,
              MoveToVersionId: to,
              RemoveFromVersionId: holder !== to ? holder : undefined,
            });
          } else if (roll < 93) {
            op = 'DeleteSecret';
            r = await call(op, { SecretId: name, RecoveryWindowInDays: 7 });
          } else {
            op = 'RestoreSecret';
            r = await call(op, { SecretId: name });
          }
          expect(r.status, `${op}: ${JSON.stringify(r.json)}`).toBeLessThan(500);
          if (r.status !== 200)
            expect([...EXPECTED_REFUSALS], `${op}: ${JSON.stringify(r.json)}`).toContain(r.json.__type);
          count(`${op} ${r.status === 200 ? 200 : r.json.__type}`);
        }
      }),
    );
    for (const name of names) {
      const d = await call('DescribeSecret', { SecretId: name });
      checkStages(name, d.json.VersionIdsToStages as Record<string, string[]>);
    }
    console.log(
      `concurrency: ${CLIENTS} clients, ${SECONDS} s, ${describes} DescribeSecret checked; ${JSON.stringify(Object.fromEntries([...tally].sort()))}`,
    );
    expect(describes).toBeGreaterThan(100);
  });
});

function pickLabel(): string {
  const labels = ['AWSCURRENT', 'AWSPREVIOUS', 'AWSPENDING', 'blue', 'green'];
  return labels[randomInt(labels.length)]!;
}
