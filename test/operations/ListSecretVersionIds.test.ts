import { describe, expect, it } from 'vitest';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  paginateListSecretVersionIds,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { awsError, useTestServer, DAY, type TestServer } from '../helpers.js';

let t: TestServer;
let sm: SecretsManagerClient;
useTestServer((server, client) => ((t = server), (sm = client)));

describe('ListSecretVersionIds', () => {
  it('lists labelled versions with KmsKeyIds and LastAccessedDate, ARN and Name', async () => {
    const c = await sm.send(new CreateSecretCommand({ Name: 'lv/a', SecretString: '1' }));
    await sm.send(new GetSecretValueCommand({ SecretId: 'lv/a' }));
    const r = await t.raw('secretsmanager.ListSecretVersionIds', { SecretId: 'lv/a' });
    expect(r.json).toEqual({
      ARN: c.ARN,
      Name: 'lv/a',
      Versions: [
        {
          VersionId: c.VersionId,
          VersionStages: ['AWSCURRENT'],
          CreatedDate: t.clock.now() / 1000,
          LastAccessedDate: (Math.floor(t.clock.now() / DAY) * DAY) / 1000,
          KmsKeyIds: ['DefaultEncryptionKey'],
        },
      ],
    });
  });

  it('hides deprecated versions unless asked, then shows them without VersionStages', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'lv/dep', SecretString: '1' }));
    for (let i = 2; i <= 4; i++)
      await sm.send(new PutSecretValueCommand({ SecretId: 'lv/dep', SecretString: String(i) }));
    expect((await sm.send(new ListSecretVersionIdsCommand({ SecretId: 'lv/dep' }))).Versions).toHaveLength(2);
    const all = await sm.send(new ListSecretVersionIdsCommand({ SecretId: 'lv/dep', IncludeDeprecated: true }));
    expect(all.Versions!.map((v) => v.VersionStages)).toEqual([undefined, undefined, ['AWSPREVIOUS'], ['AWSCURRENT']]);
  });

  it('pages, and refuses a token from elsewhere', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'lv/page', SecretString: '0' }));
    for (let i = 1; i < 7; i++)
      await sm.send(
        new PutSecretValueCommand({ SecretId: 'lv/page', SecretString: String(i), VersionStages: [`L${i}`] }),
      );
    const ids: string[] = [];
    for await (const p of paginateListSecretVersionIds({ client: sm, pageSize: 2 }, { SecretId: 'lv/page' }))
      ids.push(...p.Versions!.map((v) => v.VersionId!));
    expect(ids).toHaveLength(7);
    expect(new Set(ids).size).toBe(7);
    const first = await sm.send(new ListSecretVersionIdsCommand({ SecretId: 'lv/page', MaxResults: 2 }));
    expect(
      (await awsError(sm.send(new ListSecretVersionIdsCommand({ SecretId: 'lv/dep', NextToken: first.NextToken }))))
        .name,
    ).toBe('InvalidNextTokenException');
    expect((await awsError(sm.send(new ListSecretVersionIdsCommand({ SecretId: 'lv/missing' })))).name).toBe(
      'ResourceNotFoundException',
    );
  });
});
