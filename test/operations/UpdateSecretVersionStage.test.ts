import { describe, expect, it } from 'vitest';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  UpdateSecretVersionStageCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { awsError, useTestServer, uuid, type TestServer } from '../helpers.js';

let t: TestServer;
let sm: SecretsManagerClient;
useTestServer((server, client) => ((t = server), (sm = client)));

const stagesOf = async (id: string) =>
  (await sm.send(new DescribeSecretCommand({ SecretId: id }))).VersionIdsToStages ?? {};
async function twoVersions(name: string) {
  const v1 = (await sm.send(new CreateSecretCommand({ Name: name, SecretString: 'one' }))).VersionId!;
  const v2 = (await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'two' }))).VersionId!;
  return { v1, v2 };
}

describe('UpdateSecretVersionStage', () => {
  it('moves AWSCURRENT back (rollback) and AWSPREVIOUS follows; answers ARN and Name only', async () => {
    const { v1, v2 } = await twoVersions('stage/rollback');
    const r = await t.raw('secretsmanager.UpdateSecretVersionStage', {
      SecretId: 'stage/rollback',
      VersionStage: 'AWSCURRENT',
      MoveToVersionId: v1,
      RemoveFromVersionId: v2,
    });
    expect(Object.keys(r.json).sort()).toEqual(['ARN', 'Name']);
    expect(await stagesOf('stage/rollback')).toEqual({ [v1]: ['AWSCURRENT'], [v2]: ['AWSPREVIOUS'] });
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'stage/rollback' }))).SecretString).toBe('one');
  });

  it('needs RemoveFromVersionId when the label sits on another version', async () => {
    const { v1, v2 } = await twoVersions('stage/needs-remove');
    expect(
      await awsError(
        sm.send(
          new UpdateSecretVersionStageCommand({
            SecretId: 'stage/needs-remove',
            VersionStage: 'AWSCURRENT',
            MoveToVersionId: v1,
          }),
        ),
      ),
    ).toEqual({
      name: 'InvalidParameterException',
      message: `The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is currently attached to version ${v2}, so you must explicitly reference that version in RemoveFromVersionId.`,
      status: 400,
    });
    // moving onto the version that already holds it is a no-op
    await sm.send(
      new UpdateSecretVersionStageCommand({
        SecretId: 'stage/needs-remove',
        VersionStage: 'AWSCURRENT',
        MoveToVersionId: v2,
      }),
    );
    expect(await stagesOf('stage/needs-remove')).toEqual({ [v2]: ['AWSCURRENT'], [v1]: ['AWSPREVIOUS'] });
  });

  it('never removes AWSCURRENT outright', async () => {
    const { v2 } = await twoVersions('stage/current');
    expect(
      await awsError(
        sm.send(
          new UpdateSecretVersionStageCommand({
            SecretId: 'stage/current',
            VersionStage: 'AWSCURRENT',
            RemoveFromVersionId: v2,
          }),
        ),
      ),
    ).toEqual({
      name: 'InvalidParameterException',
      message:
        'You can only move staging label AWSCURRENT to a different secret version. It can\u2019t be completely removed.',
      status: 400,
    });
  });

  it('adds, moves and removes custom labels; a label is on one version only', async () => {
    const { v1, v2 } = await twoVersions('stage/custom');
    await sm.send(
      new UpdateSecretVersionStageCommand({ SecretId: 'stage/custom', VersionStage: 'blue', MoveToVersionId: v1 }),
    );
    await sm.send(
      new UpdateSecretVersionStageCommand({
        SecretId: 'stage/custom',
        VersionStage: 'blue',
        MoveToVersionId: v2,
        RemoveFromVersionId: v1,
      }),
    );
    expect(await stagesOf('stage/custom')).toEqual({ [v2]: ['AWSCURRENT', 'blue'], [v1]: ['AWSPREVIOUS'] });
    await sm.send(
      new UpdateSecretVersionStageCommand({ SecretId: 'stage/custom', VersionStage: 'blue', RemoveFromVersionId: v2 }),
    );
    expect(await stagesOf('stage/custom')).toEqual({ [v2]: ['AWSCURRENT'], [v1]: ['AWSPREVIOUS'] });
    // removing AWSPREVIOUS deprecates v1
    await sm.send(
      new UpdateSecretVersionStageCommand({
        SecretId: 'stage/custom',
        VersionStage: 'AWSPREVIOUS',
        RemoveFromVersionId: v1,
      }),
    );
    expect(await stagesOf('stage/custom')).toEqual({ [v2]: ['AWSCURRENT'] });
  });

  it('names unknown versions and mismatched labels', async () => {
    const { v1 } = await twoVersions('stage/errors');
    const ghost = uuid();
    expect(
      await awsError(
        sm.send(
          new UpdateSecretVersionStageCommand({ SecretId: 'stage/errors', VersionStage: 'x', MoveToVersionId: ghost }),
        ),
      ),
    ).toMatchObject({
      name: 'InvalidParameterException',
      message: `Not a valid version: ${ghost}`,
    });
    expect(
      await awsError(
        sm.send(
          new UpdateSecretVersionStageCommand({ SecretId: 'stage/errors', VersionStage: 'x', RemoveFromVersionId: v1 }),
        ),
      ),
    ).toMatchObject({
      name: 'InvalidParameterException',
      message: `Version stage x not found in version ${v1}`,
    });
    expect(
      (await awsError(sm.send(new UpdateSecretVersionStageCommand({ SecretId: 'stage/errors', VersionStage: 'x' }))))
        .name,
    ).toBe('InvalidParameterException');
  });
});
