import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { startServer, type RunningServer } from '../../src/index.js';

/**
 * `--throttle`: AWS's per-operation quotas as token buckets per account and Region (src/server/throttle.ts), scaled
 * down here so that a few calls reach one. The answer is AWS's (ThrottlingException "Rate exceeded", HTTP 400),
 * which the SDKs retry with back-off.
 */
let server: RunningServer;
const sdk = (accessKeyId: string, maxAttempts = 1) =>
  new SecretsManagerClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId, secretAccessKey: 'x' },
    maxAttempts,
  });

beforeAll(async () => {
  // PutSecretValue's quota is 50/s: at 0.1, 5 per second, a burst of 5
  server = await startServer({ port: 0, logLevel: 'silent', throttle: { scale: 0.1 } });
  await sdk('111111111111').send(new CreateSecretCommand({ Name: 't', SecretString: 'v' }));
  await sdk('222222222222').send(new CreateSecretCommand({ Name: 't', SecretString: 'v' }));
});
afterAll(() => server.close());

describe('--throttle', () => {
  it('past the burst: ThrottlingException "Rate exceeded", HTTP 400; other buckets and accounts unaffected', async () => {
    const sm = sdk('111111111111');
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => sm.send(new PutSecretValueCommand({ SecretId: 't', SecretString: 'x' }))),
    );
    const failed = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason);
    expect(failed.length).toBeGreaterThanOrEqual(3);
    for (const e of failed) {
      expect(e.name).toBe('ThrottlingException');
      expect(e.message).toBe('Rate exceeded');
      expect(e.$metadata.httpStatusCode).toBe(400);
    }
    // reads have their own (larger) bucket; another account has its own buckets
    await expect(sm.send(new GetSecretValueCommand({ SecretId: 't' }))).resolves.toBeDefined();
    await expect(
      sdk('222222222222').send(new PutSecretValueCommand({ SecretId: 't', SecretString: 'y' })),
    ).resolves.toBeDefined();
  });

  it('the SDK retries a throttled call with back-off, and it succeeds once the bucket refills', async () => {
    const sm = sdk('111111111111', 6);
    for (let i = 0; i < 12; i++) {
      await expect(sm.send(new PutSecretValueCommand({ SecretId: 't', SecretString: `v${i}` }))).resolves.toBeDefined();
    }
  }, 30_000);
});
