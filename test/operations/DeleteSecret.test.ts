import { describe, expect, it } from 'vitest';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  TagResourceCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { awsError, useTestServer, DAY, type TestServer } from '../helpers.js';

let t: TestServer;
let sm: SecretsManagerClient;
useTestServer((server, client) => ((t = server), (sm = client)));

const MARKED = "You can't perform this operation on the secret because it was marked for deletion.";

describe('DeleteSecret and RestoreSecret', () => {
  it('schedules deletion 30 days out by default; the secret is still described', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'del/default', SecretString: 'a' }));
    const now = t.clock.now();
    const r = await t.raw('secretsmanager.DeleteSecret', { SecretId: 'del/default' });
    expect(Object.keys(r.json).sort()).toEqual(['ARN', 'DeletionDate', 'Name']);
    expect(r.json.DeletionDate).toBe((now + 30 * DAY) / 1000);
    const d = await sm.send(new DescribeSecretCommand({ SecretId: 'del/default' }));
    expect(d.DeletedDate!.getTime()).toBe(now);
  });

  it('refuses value reads and changes while scheduled, with AWS’s message', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'del/refuse', SecretString: 'a' }));
    await sm.send(new DeleteSecretCommand({ SecretId: 'del/refuse', RecoveryWindowInDays: 7 }));
    for (const p of [
      sm.send(new GetSecretValueCommand({ SecretId: 'del/refuse' })),
      sm.send(new PutSecretValueCommand({ SecretId: 'del/refuse', SecretString: 'b' })),
      sm.send(new TagResourceCommand({ SecretId: 'del/refuse', Tags: [{ Key: 'a', Value: 'b' }] })),
    ]) {
      expect(await awsError(p)).toEqual({ name: 'InvalidRequestException', message: MARKED, status: 400 });
    }
    expect((await awsError(sm.send(new DeleteSecretCommand({ SecretId: 'del/refuse' })))).name).toBe(
      'InvalidRequestException',
    );
  });

  it('hides scheduled secrets from ListSecrets unless IncludePlannedDeletion', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'del/list', SecretString: 'a' }));
    await sm.send(new DeleteSecretCommand({ SecretId: 'del/list' }));
    const names = async (include?: boolean) =>
      (
        (
          await sm.send(
            new ListSecretsCommand({
              IncludePlannedDeletion: include,
              Filters: [{ Key: 'name', Values: ['del/list'] }],
            }),
          )
        ).SecretList ?? []
      ).map((s) => s.Name);
    expect(await names()).toEqual([]);
    expect(await names(true)).toEqual(['del/list']);
  });

  it('restores a scheduled secret', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'del/restore', SecretString: 'a' }));
    await sm.send(new DeleteSecretCommand({ SecretId: 'del/restore' }));
    const r = await t.raw('secretsmanager.RestoreSecret', { SecretId: 'del/restore' });
    expect(Object.keys(r.json).sort()).toEqual(['ARN', 'Name']);
    expect((await sm.send(new DescribeSecretCommand({ SecretId: 'del/restore' }))).DeletedDate).toBeUndefined();
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'del/restore' }))).SecretString).toBe('a');
    expect((await awsError(sm.send(new RestoreSecretCommand({ SecretId: 'del/nothing' })))).name).toBe(
      'ResourceNotFoundException',
    );
  });

  it('checks the window: 7 to 30 days, first, and not together with force', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'del/window', SecretString: 'a' }));
    for (const days of [0, 6, 31]) {
      expect(
        await awsError(sm.send(new DeleteSecretCommand({ SecretId: 'del/window', RecoveryWindowInDays: days }))),
      ).toEqual({
        name: 'InvalidParameterException',
        message: 'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).',
        status: 400,
      });
    }
    // range first, even with force on a missing secret [real AWS, moto#6461]
    expect(
      (
        await awsError(
          sm.send(
            new DeleteSecretCommand({ SecretId: 'nope', RecoveryWindowInDays: 0, ForceDeleteWithoutRecovery: true }),
          ),
        )
      ).message,
    ).toBe('The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
    expect(
      await awsError(
        sm.send(
          new DeleteSecretCommand({
            SecretId: 'del/window',
            RecoveryWindowInDays: 7,
            ForceDeleteWithoutRecovery: true,
          }),
        ),
      ),
    ).toEqual({
      name: 'InvalidParameterException',
      message: "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
      status: 400,
    });
    // explicit false with a window is fine [LS-val]
    await sm.send(
      new DeleteSecretCommand({ SecretId: 'del/window', RecoveryWindowInDays: 7, ForceDeleteWithoutRecovery: false }),
    );
  });

  it('force-deletes at once, also a scheduled or a missing secret', async () => {
    const c = await sm.send(new CreateSecretCommand({ Name: 'del/force', SecretString: 'a' }));
    await sm.send(new DeleteSecretCommand({ SecretId: 'del/force' }));
    const f = await sm.send(new DeleteSecretCommand({ SecretId: 'del/force', ForceDeleteWithoutRecovery: true }));
    expect(f.ARN).toBe(c.ARN);
    expect((await awsError(sm.send(new DescribeSecretCommand({ SecretId: 'del/force' })))).name).toBe(
      'ResourceNotFoundException',
    );
    const missing = await t.raw('secretsmanager.DeleteSecret', {
      SecretId: 'del/never-existed',
      ForceDeleteWithoutRecovery: true,
    });
    expect(missing.status).toBe(200);
    expect(missing.json.Name).toBe('del/never-existed');
    expect(typeof missing.json.ARN).toBe('string');
    expect(typeof missing.json.DeletionDate).toBe('number');
    expect((await awsError(sm.send(new DeleteSecretCommand({ SecretId: 'del/never-existed' })))).name).toBe(
      'ResourceNotFoundException',
    );
  });

  it('purges when the window has passed, by the clock', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'del/purge', SecretString: 'a' }));
    await sm.send(new DeleteSecretCommand({ SecretId: 'del/purge', RecoveryWindowInDays: 7 }));
    t.clock.advance(7 * DAY - 1);
    expect((await sm.send(new DescribeSecretCommand({ SecretId: 'del/purge' }))).Name).toBe('del/purge');
    t.clock.advance(1);
    // gone for every reader before the purger has even run
    expect((await awsError(sm.send(new DescribeSecretCommand({ SecretId: 'del/purge' })))).name).toBe(
      'ResourceNotFoundException',
    );
    const before = (await t.server.store.stats()).secrets;
    expect(await t.server.purgeNow()).toBeGreaterThanOrEqual(1);
    expect((await t.server.store.stats()).secrets).toBeLessThan(before);
    // and the name is free again
    const again = await sm.send(new CreateSecretCommand({ Name: 'del/purge', SecretString: 'b' }));
    expect(again.Name).toBe('del/purge');
  });
});
