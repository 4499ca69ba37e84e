import { describe, expect, it } from 'vitest';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { awsError, useTestServer, uuid, DAY, type TestServer } from '../helpers.js';

let t: TestServer;
let sm: SecretsManagerClient;
useTestServer((server, client) => ((t = server), (sm = client)));

const stagesOf = async (id: string) =>
  (await sm.send(new DescribeSecretCommand({ SecretId: id }))).VersionIdsToStages ?? {};

describe('PutSecretValue', () => {
  it('moves AWSCURRENT to the new version and AWSPREVIOUS to the old one', async () => {
    const c = await sm.send(new CreateSecretCommand({ Name: 'put/basic', SecretString: 'v1' }));
    const p2 = await sm.send(new PutSecretValueCommand({ SecretId: 'put/basic', SecretString: 'v2' }));
    expect(p2.VersionStages).toEqual(['AWSCURRENT']);
    expect(p2.ARN).toBe(c.ARN);
    const p3 = await sm.send(new PutSecretValueCommand({ SecretId: 'put/basic', SecretString: 'v3' }));
    // v1 lost AWSPREVIOUS: it is deprecated and hidden
    expect(await stagesOf('put/basic')).toEqual({ [p3.VersionId!]: ['AWSCURRENT'], [p2.VersionId!]: ['AWSPREVIOUS'] });
    const all = await sm.send(new ListSecretVersionIdsCommand({ SecretId: 'put/basic', IncludeDeprecated: true }));
    expect(all.Versions!.map((v) => v.VersionId)).toEqual([c.VersionId, p2.VersionId, p3.VersionId]);
    expect(all.Versions![0]!.VersionStages).toBeUndefined();
    // a deprecated version is still readable by id
    expect(
      (await sm.send(new GetSecretValueCommand({ SecretId: 'put/basic', VersionId: c.VersionId }))).SecretString,
    ).toBe('v1');
  });

  it('custom labels leave AWSCURRENT alone and move between versions [LS-val]', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'put/custom', SecretString: 'v1' }));
    const a = await sm.send(
      new PutSecretValueCommand({ SecretId: 'put/custom', SecretString: 'a', VersionStages: ['one', 'two', 'three'] }),
    );
    expect(a.VersionStages).toEqual(['one', 'three', 'two']); // AWS sorts labels
    const b = await sm.send(
      new PutSecretValueCommand({ SecretId: 'put/custom', SecretString: 'b', VersionStages: ['one', 'two', 'four'] }),
    );
    const stages = await stagesOf('put/custom');
    expect(stages[a.VersionId!]).toEqual(['three']);
    expect(stages[b.VersionId!]).toEqual(['four', 'one', 'two']);
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'put/custom' }))).SecretString).toBe('v1');
    expect(
      (await sm.send(new GetSecretValueCommand({ SecretId: 'put/custom', VersionStage: 'three' }))).SecretString,
    ).toBe('a');
  });

  it('gives the first version of a value-less secret AWSCURRENT', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'put/first' }));
    const p = await sm.send(
      new PutSecretValueCommand({ SecretId: 'put/first', SecretString: 'x', VersionStages: ['AWSPENDING'] }),
    );
    expect(p.VersionStages).toEqual(['AWSCURRENT', 'AWSPENDING']);
  });

  it('drops AWSPENDING from the version AWSCURRENT leaves [LS-val current_pending]', async () => {
    const c = await sm.send(new CreateSecretCommand({ Name: 'put/pending', SecretString: 'v0' }));
    const pending = await sm.send(
      new PutSecretValueCommand({ SecretId: 'put/pending', SecretString: 'v1', VersionStages: ['AWSPENDING'] }),
    );
    await t.raw('secretsmanager.UpdateSecretVersionStage', {
      SecretId: 'put/pending',
      VersionStage: 'AWSCURRENT',
      MoveToVersionId: pending.VersionId,
      RemoveFromVersionId: c.VersionId,
    });
    expect(await stagesOf('put/pending')).toEqual({
      [c.VersionId!]: ['AWSPREVIOUS'],
      [pending.VersionId!]: ['AWSCURRENT', 'AWSPENDING'],
    });
    const v2 = await sm.send(new PutSecretValueCommand({ SecretId: 'put/pending', SecretString: 'v2' }));
    expect(await stagesOf('put/pending')).toEqual({
      [pending.VersionId!]: ['AWSPREVIOUS'],
      [v2.VersionId!]: ['AWSCURRENT'],
    });
  });

  it('is idempotent on ClientRequestToken', async () => {
    const token = uuid();
    const c = await sm.send(
      new CreateSecretCommand({ Name: 'put/idem', SecretString: 'a', ClientRequestToken: token }),
    );
    const same = await sm.send(
      new PutSecretValueCommand({ SecretId: c.ARN, SecretString: 'a', ClientRequestToken: token }),
    );
    expect(same.VersionId).toBe(token);
    expect(same.VersionStages).toEqual(['AWSCURRENT']);
    expect(
      (await sm.send(new ListSecretVersionIdsCommand({ SecretId: 'put/idem', IncludeDeprecated: true }))).Versions,
    ).toHaveLength(1);
    expect(
      await awsError(
        sm.send(new PutSecretValueCommand({ SecretId: 'put/idem', SecretString: 'b', ClientRequestToken: token })),
      ),
    ).toEqual({
      name: 'ResourceExistsException',
      message: `You can't use ClientRequestToken ${token} because that value is already in use for a version of secret ${c.ARN}.`,
      status: 400,
    });
    const bin = uuid();
    await sm.send(
      new PutSecretValueCommand({
        SecretId: 'put/idem',
        SecretBinary: new Uint8Array([1, 2]),
        ClientRequestToken: bin,
      }),
    );
    await sm.send(
      new PutSecretValueCommand({
        SecretId: 'put/idem',
        SecretBinary: new Uint8Array([1, 2]),
        ClientRequestToken: bin,
      }),
    );
    expect(
      (
        await awsError(
          sm.send(
            new PutSecretValueCommand({ SecretId: 'put/idem', SecretString: '\u0001\u0002', ClientRequestToken: bin }),
          ),
        )
      ).name,
    ).toBe('ResourceExistsException');
  });

  it('needs exactly one value; fills in the token of a raw call (default)', async () => {
    expect(await awsError(sm.send(new PutSecretValueCommand({ SecretId: 'put/idem' })))).toEqual({
      name: 'InvalidRequestException',
      message: 'You must provide either SecretString or SecretBinary.',
      status: 400,
    });
    const raw = await t.raw('secretsmanager.PutSecretValue', { SecretId: 'put/idem', SecretString: 'x' });
    expect(raw.status).toBe(200);
    expect(raw.json.VersionStages).toEqual(['AWSCURRENT']);
    // the same token-less call again is another request: another version, not an idempotent retry
    const again = await t.raw('secretsmanager.PutSecretValue', { SecretId: 'put/idem', SecretString: 'x' });
    expect(again.json.VersionId).not.toBe(raw.json.VersionId);
    const d = await sm.send(new DescribeSecretCommand({ SecretId: 'put/idem' }));
    expect(d.VersionIdsToStages![raw.json.VersionId as string]).toEqual(['AWSPREVIOUS']);
    expect(d.VersionIdsToStages![again.json.VersionId as string]).toEqual(['AWSCURRENT']);
    expect(
      (await awsError(sm.send(new PutSecretValueCommand({ SecretId: 'put/missing', SecretString: 'x' })))).message,
    ).toBe("Secrets Manager can't find the specified secret.");
  });

  it('refuses invalid base64 in SecretBinary instead of guessing', async () => {
    for (const bad of ['!!!abc$$$=', 'abc', 'QR==', 'Zm9v\nYmFy']) {
      const r = await t.raw('secretsmanager.PutSecretValue', {
        SecretId: 'put/idem',
        SecretBinary: bad,
        ClientRequestToken: uuid(),
      });
      expect(r.status, bad).toBe(400);
      expect(r.json.__type, bad).toBe('SerializationException');
    }
  });

  it('keeps at least 100 versions and every version younger than 24 hours', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'put/prune', SecretString: 'v0' }));
    for (let i = 1; i <= 110; i++)
      await sm.send(new PutSecretValueCommand({ SecretId: 'put/prune', SecretString: `v${i}` }));
    const count = async () =>
      await sm.send(
        new ListSecretVersionIdsCommand({ SecretId: 'put/prune', IncludeDeprecated: true, MaxResults: 100 }),
      );
    const page = await count();
    const rest = await sm.send(
      new ListSecretVersionIdsCommand({ SecretId: 'put/prune', IncludeDeprecated: true, NextToken: page.NextToken }),
    );
    expect(page.Versions!.length + rest.Versions!.length).toBe(111);
    t.clock.advance(DAY + 1);
    await sm.send(new PutSecretValueCommand({ SecretId: 'put/prune', SecretString: 'after' }));
    const after = await count();
    expect(after.Versions).toHaveLength(100);
    expect(after.NextToken).toBeUndefined();
    const stages = await stagesOf('put/prune');
    expect(Object.values(stages).flat().sort()).toEqual(['AWSCURRENT', 'AWSPREVIOUS']);
  });
});
