import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  paginateBatchGetSecretValue,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsError, startTestServer, type TestServer } from '../helpers.js';

let t: TestServer;
let sm: SecretsManagerClient;
beforeAll(async () => {
  t = await startTestServer();
  sm = t.client();
  for (let i = 0; i < 25; i++)
    await sm.send(
      new CreateSecretCommand({
        Name: `batch/s${String(i).padStart(2, '0')}`,
        SecretString: `v${i}`,
        Tags: [{ Key: 'group', Value: i % 2 ? 'odd' : 'even' }],
      }),
    );
  await sm.send(new CreateSecretCommand({ Name: 'batch/empty' }));
  await sm.send(new CreateSecretCommand({ Name: 'batch/deleted', SecretString: 'x' }));
  await sm.send(new DeleteSecretCommand({ SecretId: 'batch/deleted' }));
});
afterAll(() => t.close());

describe('BatchGetSecretValue', () => {
  it('reads a list of ids, reporting per-secret errors instead of failing', async () => {
    const r = await sm.send(
      new BatchGetSecretValueCommand({
        SecretIdList: ['batch/s00', 'batch/missing', 'batch/empty', 'batch/deleted', 'batch/s01'],
      }),
    );
    expect(r.SecretValues!.map((v) => [v.Name, v.SecretString, v.VersionStages])).toEqual([
      ['batch/s00', 'v0', ['AWSCURRENT']],
      ['batch/s01', 'v1', ['AWSCURRENT']],
    ]);
    expect(r.Errors).toEqual([
      {
        SecretId: 'batch/missing',
        ErrorCode: 'ResourceNotFoundException',
        Message: "Secrets Manager can't find the specified secret.",
      },
      {
        SecretId: 'batch/empty',
        ErrorCode: 'ResourceNotFoundException',
        Message: "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
      },
      {
        SecretId: 'batch/deleted',
        ErrorCode: 'InvalidRequestException',
        Message: "You can't perform this operation on the secret because it was marked for deletion.",
      },
    ]);
  });

  it('reads by filters, page by page', async () => {
    const names: string[] = [];
    for await (const page of paginateBatchGetSecretValue(
      { client: sm, pageSize: 4 },
      { Filters: [{ Key: 'tag-value', Values: ['even'] }] },
    )) {
      expect(page.SecretValues!.length).toBeLessThanOrEqual(4);
      names.push(...page.SecretValues!.map((v) => v.Name!));
    }
    expect(names).toHaveLength(13);
    expect(names.every((n) => Number(n.slice(-2)) % 2 === 0)).toBe(true);
  });

  // The memory store's listing carries the values (read from the listed snapshot); SQLite's carries metadata
  // only (each value read by ARN): both answer the same, and both record the day's first access.
  it.each(['memory', 'sqlite'])(
    'reads the values by filters from the %s store, recording the access',
    async (store) => {
      const dir = store === 'sqlite' ? await mkdtemp(join(tmpdir(), 'secretlite-batch-')) : undefined;
      const s = await startTestServer(dir ? { dataDir: dir } : {});
      try {
        const c = s.client();
        for (let i = 0; i < 6; i++)
          await c.send(
            new CreateSecretCommand({
              Name: `f/s${i}`,
              SecretString: `value-${i}`,
              Tags: [{ Key: 'k', Value: i % 3 ? 'x' : 'pick' }],
            }),
          );
        const before = await c.send(new DescribeSecretCommand({ SecretId: 'f/s3' }));
        expect(before.LastAccessedDate).toBeUndefined();
        const r = await c.send(new BatchGetSecretValueCommand({ Filters: [{ Key: 'tag-value', Values: ['pick'] }] }));
        expect(r.SecretValues!.map((v) => [v.Name, v.SecretString, v.VersionStages])).toEqual([
          ['f/s0', 'value-0', ['AWSCURRENT']],
          ['f/s3', 'value-3', ['AWSCURRENT']],
        ]);
        expect(r.Errors).toEqual([]);
        const after = await c.send(new DescribeSecretCommand({ SecretId: 'f/s3' }));
        expect(after.LastAccessedDate).toBeInstanceOf(Date);
        // a second read the same day answers the same (from the memo)
        const again = await c.send(
          new BatchGetSecretValueCommand({ Filters: [{ Key: 'tag-value', Values: ['pick'] }] }),
        );
        expect(again.SecretValues!.map((v) => v.SecretString)).toEqual(['value-0', 'value-3']);
      } finally {
        await s.close();
        if (dir) await rm(dir, { recursive: true, force: true });
      }
    },
  );

  it('needs exactly one of SecretIdList and Filters; MaxResults only with Filters', async () => {
    expect(await awsError(sm.send(new BatchGetSecretValueCommand({})))).toMatchObject({
      name: 'InvalidParameterException',
      status: 400,
    });
    expect(
      await awsError(
        sm.send(new BatchGetSecretValueCommand({ SecretIdList: ['a'], Filters: [{ Key: 'name', Values: ['a'] }] })),
      ),
    ).toEqual({
      name: 'InvalidParameterException',
      message: "Either 'SecretIdList' or 'Filters' must be provided, but not both.",
      status: 400,
    });
    expect(await awsError(sm.send(new BatchGetSecretValueCommand({ SecretIdList: ['a'], MaxResults: 5 })))).toEqual({
      name: 'InvalidParameterException',
      message: "'Filters' not specified. 'Filters' must also be specified when 'MaxResults' is provided.",
      status: 400,
    });
    const tooMany = await t.raw('secretsmanager.BatchGetSecretValue', {
      SecretIdList: Array.from({ length: 21 }, (_, i) => `s${i}`),
    });
    expect(tooMany.json.Message).toMatch(
      /^1 validation error detected: Value '\[s0, s1, .*\]' at 'secretIdList' failed to satisfy constraint: Member must have length less than or equal to 20$/,
    );
  });
});
