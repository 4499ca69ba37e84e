import { describe, expect, it } from 'vitest';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { awsError, useTestServer, type TestServer } from '../helpers.js';

let t: TestServer;
let sm: SecretsManagerClient;
useTestServer((server, client) => ((t = server), (sm = client)));

const tagsOf = async (id: string) => (await t.raw('secretsmanager.DescribeSecret', { SecretId: id })).json.Tags;

describe('TagResource and UntagResource', () => {
  it('adds, overwrites and removes tags; empty bodies; Tags: [] once all are gone [LS-val]', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'tag/a' }));
    expect(await tagsOf('tag/a')).toBeUndefined();
    const r = await t.raw('secretsmanager.TagResource', {
      SecretId: 'tag/a',
      Tags: [{ Key: 'tag1', Value: 'value1' }],
    });
    expect(r.status).toBe(200);
    expect(r.text).toBe('{}');
    await sm.send(
      new TagResourceCommand({
        SecretId: 'tag/a',
        Tags: [
          { Key: 'tag2', Value: 'value2' },
          { Key: 'tag1', Value: 'changed' },
        ],
      }),
    );
    expect(await tagsOf('tag/a')).toEqual([
      { Key: 'tag1', Value: 'changed' },
      { Key: 'tag2', Value: 'value2' },
    ]);
    // keys are case-sensitive
    await sm.send(new TagResourceCommand({ SecretId: 'tag/a', Tags: [{ Key: 'TAG1', Value: 'upper' }] }));
    expect(await tagsOf('tag/a')).toHaveLength(3);
    const u = await t.raw('secretsmanager.UntagResource', { SecretId: 'tag/a', TagKeys: ['tag1', 'TAG1', 'tag2'] });
    expect(u.text).toBe('{}');
    expect(await tagsOf('tag/a')).toEqual([]);
    expect((await sm.send(new DescribeSecretCommand({ SecretId: 'tag/a' }))).Tags).toEqual([]);
  });

  it("keeps each secret's tags its own when secrets carry equal tags (equal tags share one object)", async () => {
    const same = [
      { Key: 'env', Value: 'prod' },
      { Key: 'team', Value: 'pay' },
    ];
    await sm.send(new CreateSecretCommand({ Name: 'tag/twin-1', Tags: same }));
    await sm.send(new CreateSecretCommand({ Name: 'tag/twin-2', Tags: same }));
    await sm.send(new TagResourceCommand({ SecretId: 'tag/twin-1', Tags: [{ Key: 'env', Value: 'dev' }] }));
    await sm.send(new UntagResourceCommand({ SecretId: 'tag/twin-2', TagKeys: ['team'] }));
    expect(await tagsOf('tag/twin-1')).toEqual([
      { Key: 'env', Value: 'dev' },
      { Key: 'team', Value: 'pay' },
    ]);
    expect(await tagsOf('tag/twin-2')).toEqual([{ Key: 'env', Value: 'prod' }]);
  });

  it('allows at most 50 tags and refuses the aws: prefix', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'tag/limit' }));
    const fifty = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: `v${i}` }));
    await sm.send(new TagResourceCommand({ SecretId: 'tag/limit', Tags: fifty }));
    expect(
      (
        await awsError(
          sm.send(new TagResourceCommand({ SecretId: 'tag/limit', Tags: [{ Key: 'one-more', Value: 'x' }] })),
        )
      ).name,
    ).toBe('InvalidParameterException');
    expect(
      (
        await awsError(
          sm.send(new TagResourceCommand({ SecretId: 'tag/limit', Tags: [{ Key: 'aws:reserved', Value: 'x' }] })),
        )
      ).name,
    ).toBe('InvalidParameterException');
    expect(await tagsOf('tag/limit')).toHaveLength(50);
  });

  it('validates keys and values with the model limits and names missing secrets', async () => {
    const r = await t.raw('secretsmanager.TagResource', {
      SecretId: 'tag/limit',
      Tags: [{ Key: 'k'.repeat(129), Value: 'v'.repeat(257) }],
    });
    expect(r.json.Message).toBe(
      `2 validation errors detected: Value '${'k'.repeat(129)}' at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128; ` +
        `Value '${'v'.repeat(257)}' at 'tags.1.member.value' failed to satisfy constraint: Member must have length less than or equal to 256`,
    );
    expect(await awsError(sm.send(new UntagResourceCommand({ SecretId: 'tag/none', TagKeys: ['a'] })))).toEqual({
      name: 'ResourceNotFoundException',
      message: "Secrets Manager can't find the specified secret.",
      status: 400,
    });
    const missing = await t.raw('secretsmanager.TagResource', { SecretId: 'tag/limit' });
    expect(missing.json.Message).toBe(
      "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null",
    );
  });
});
