import { beforeAll, describe, expect, it } from 'vitest';
import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetResourcePolicyCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
  PutResourcePolicyCommand,
  PutSecretValueCommand,
  RemoveRegionsFromReplicationCommand,
  ReplicateSecretToRegionsCommand,
  RotateSecretCommand,
  StopReplicationToReplicaCommand,
  TagResourceCommand,
  UpdateSecretCommand,
  UpdateSecretVersionStageCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { awsError, useTestServer, type TestServer } from '../helpers.js';

/**
 * Multi-Region secrets in several Regions of one server (rotation-replication.md B4): replicas answer from their
 * primary, so they are never stale; they refuse writes; they are removed, promoted, and block the primary's deletion.
 */
let t: TestServer;
let east: SecretsManagerClient;
let west: SecretsManagerClient;
let north: SecretsManagerClient;
useTestServer((server) => {
  t = server;
});
beforeAll(() => {
  east = t.client({ region: 'us-east-1' });
  west = t.client({ region: 'eu-west-1' });
  north = t.client({ region: 'eu-north-1' });
});

const REPLICA_MESSAGE = "Operation not permitted on a replica secret. Call must be made in primary secret's region.";

describe('ReplicateSecretToRegions and reads in the replica Region', () => {
  it('makes a replica with the ARN in its Region, the primary lists it InSync', async () => {
    const c = await east.send(new CreateSecretCommand({ Name: 'multi/a', SecretString: 'v1', Description: 'd' }));
    const r = await east.send(
      new ReplicateSecretToRegionsCommand({ SecretId: 'multi/a', AddReplicaRegions: [{ Region: 'eu-west-1' }] }),
    );
    expect(r.ARN).toBe(c.ARN);
    expect(r.ReplicationStatus).toEqual([
      { Region: 'eu-west-1', KmsKeyId: 'alias/aws/secretsmanager', Status: 'InProgress' },
    ]);
    const d = await east.send(new DescribeSecretCommand({ SecretId: 'multi/a' }));
    expect(d.PrimaryRegion).toBe('us-east-1');
    expect(d.ReplicationStatus).toEqual([
      {
        Region: 'eu-west-1',
        KmsKeyId: 'alias/aws/secretsmanager',
        Status: 'InSync',
        StatusMessage: 'Replication succeeded',
      },
    ]);
    const replicaArn = c.ARN!.replace(':us-east-1:', ':eu-west-1:');
    const rd = await west.send(new DescribeSecretCommand({ SecretId: 'multi/a' }));
    expect(rd).toMatchObject({ ARN: replicaArn, Name: 'multi/a', Description: 'd', PrimaryRegion: 'us-east-1' });
    expect(rd.ReplicationStatus).toBeUndefined();
    expect(rd.VersionIdsToStages).toEqual(d.VersionIdsToStages);
    // by name, full ARN and partial ARN
    for (const id of ['multi/a', replicaArn, replicaArn.slice(0, -7)]) {
      const v = await west.send(new GetSecretValueCommand({ SecretId: id }));
      expect(v).toMatchObject({ ARN: replicaArn, SecretString: 'v1', VersionId: c.VersionId });
    }
  });

  it('never stale: every change of the primary is read in the replica at once', async () => {
    await east.send(new PutSecretValueCommand({ SecretId: 'multi/a', SecretString: 'v2' }));
    expect((await west.send(new GetSecretValueCommand({ SecretId: 'multi/a' }))).SecretString).toBe('v2');
    await east.send(new TagResourceCommand({ SecretId: 'multi/a', Tags: [{ Key: 'team', Value: 'blue' }] }));
    await east.send(new UpdateSecretCommand({ SecretId: 'multi/a', Description: 'changed' }));
    await east.send(
      new PutResourcePolicyCommand({
        SecretId: 'multi/a',
        ResourcePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: '*', Resource: '*' },
          ],
        }),
      }),
    );
    const rd = await west.send(new DescribeSecretCommand({ SecretId: 'multi/a' }));
    expect(rd).toMatchObject({ Description: 'changed', Tags: [{ Key: 'team', Value: 'blue' }] });
    expect((await west.send(new GetResourcePolicyCommand({ SecretId: 'multi/a' }))).ResourcePolicy).toContain('root');
    const prev = await west.send(new GetSecretValueCommand({ SecretId: 'multi/a', VersionStage: 'AWSPREVIOUS' }));
    expect(prev.SecretString).toBe('v1');
    const versions = await west.send(new ListSecretVersionIdsCommand({ SecretId: 'multi/a' }));
    expect(versions.ARN).toBe(rd.ARN);
    expect(versions.Versions).toHaveLength(2);
    // rotation of the primary: the replica follows
    const rot = await east.send(new RotateSecretCommand({ SecretId: 'multi/a' }));
    expect((await west.send(new GetSecretValueCommand({ SecretId: 'multi/a' }))).VersionId).toBe(rot.VersionId);
  });

  it('ListSecrets and BatchGetSecretValue in the replica Region, filters included', async () => {
    const listed = await west.send(new ListSecretsCommand({ Filters: [{ Key: 'description', Values: ['changed'] }] }));
    expect(listed.SecretList!.map((s) => [s.Name, s.PrimaryRegion])).toEqual([['multi/a', 'us-east-1']]);
    const byRegion = await west.send(
      new ListSecretsCommand({ Filters: [{ Key: 'primary-region', Values: ['us-east-1'] }] }),
    );
    expect(byRegion.SecretList!.map((s) => s.Name)).toEqual(['multi/a']);
    const none = await west.send(new ListSecretsCommand({ Filters: [{ Key: 'description', Values: ['nothing'] }] }));
    expect(none.SecretList).toEqual([]);
    const primaries = await east.send(
      new ListSecretsCommand({ Filters: [{ Key: 'primary-region', Values: ['us-east-1'] }] }),
    );
    expect(primaries.SecretList!.map((s) => s.Name)).toContain('multi/a');
    const batch = await west.send(new BatchGetSecretValueCommand({ SecretIdList: ['multi/a'] }));
    expect(batch.SecretValues![0]!.ARN).toContain(':eu-west-1:');
    const byFilter = await west.send(
      new BatchGetSecretValueCommand({ Filters: [{ Key: 'name', Values: ['multi/'] }] }),
    );
    expect(byFilter.SecretValues!.map((v) => v.ARN)).toEqual([batch.SecretValues![0]!.ARN]);
  });

  it('a read in the replica Region shows on the primary as the replica LastAccessedDate', async () => {
    await west.send(new GetSecretValueCommand({ SecretId: 'multi/a' }));
    const d = await east.send(new DescribeSecretCommand({ SecretId: 'multi/a' }));
    const day = Math.floor(t.clock.now() / 86_400_000) * 86_400_000;
    expect(d.ReplicationStatus![0]!.LastAccessedDate?.getTime()).toBe(day);
  });

  it('a replica refuses every write, with AWS message', async () => {
    const writes = [
      new PutSecretValueCommand({ SecretId: 'multi/a', SecretString: 'x' }),
      new UpdateSecretCommand({ SecretId: 'multi/a', Description: 'x' }),
      new TagResourceCommand({ SecretId: 'multi/a', Tags: [{ Key: 'k', Value: 'v' }] }),
      new PutResourcePolicyCommand({
        SecretId: 'multi/a',
        ResourcePolicy:
          '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]}',
      }),
      new DeleteSecretCommand({ SecretId: 'multi/a' }),
      new RotateSecretCommand({ SecretId: 'multi/a' }),
      new UpdateSecretVersionStageCommand({ SecretId: 'multi/a', VersionStage: 'X', MoveToVersionId: 'a'.repeat(32) }),
      new ReplicateSecretToRegionsCommand({ SecretId: 'multi/a', AddReplicaRegions: [{ Region: 'eu-north-1' }] }),
      new RemoveRegionsFromReplicationCommand({ SecretId: 'multi/a', RemoveReplicaRegions: ['us-east-1'] }),
    ];
    for (const w of writes) {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const e = await awsError(west.send(w as any));
      expect(e, w.constructor.name).toEqual({
        name: 'InvalidParameterException',
        message: REPLICA_MESSAGE,
        status: 400,
      });
    }
    expect((await west.send(new GetSecretValueCommand({ SecretId: 'multi/a' }))).SecretString).not.toBe('x');
  });

  it('a replica takes a change of its own key (UpdateSecret KmsKeyId only), and nothing else', async () => {
    const u = await west.send(new UpdateSecretCommand({ SecretId: 'multi/a', KmsKeyId: 'alias/west-key' }));
    expect(u.ARN).toContain(':eu-west-1:');
    expect((await west.send(new DescribeSecretCommand({ SecretId: 'multi/a' }))).KmsKeyId).toBe('alias/west-key');
    const d = await east.send(new DescribeSecretCommand({ SecretId: 'multi/a' }));
    expect(d.ReplicationStatus![0]).toMatchObject({ Region: 'eu-west-1', KmsKeyId: 'alias/west-key' });
    expect(d.KmsKeyId).toBeUndefined();
    const both = await awsError(
      west.send(new UpdateSecretCommand({ SecretId: 'multi/a', KmsKeyId: 'alias/x', Description: 'x' })),
    );
    expect(both.message).toBe(REPLICA_MESSAGE);
  });

  it('the primary cannot be deleted while it has replicas', async () => {
    const d = await east.send(new DescribeSecretCommand({ SecretId: 'multi/a' }));
    const e = await awsError(
      east.send(new DeleteSecretCommand({ SecretId: 'multi/a', ForceDeleteWithoutRecovery: true })),
    );
    expect(e).toEqual({
      name: 'InvalidParameterException',
      message: `You can't delete secret ${d.ARN} that still has replica regions [eu-west-1].`,
      status: 400,
    });
  });

  it("the primary's own Region is refused for the whole call", async () => {
    const e = await awsError(
      east.send(
        new ReplicateSecretToRegionsCommand({
          SecretId: 'multi/a',
          AddReplicaRegions: [{ Region: 'eu-north-1' }, { Region: 'us-east-1' }],
        }),
      ),
    );
    expect(e).toEqual({ name: 'InvalidParameterException', message: 'Invalid replica region.', status: 400 });
    expect((await east.send(new DescribeSecretCommand({ SecretId: 'multi/a' }))).ReplicationStatus).toHaveLength(1);
  });

  it('a secret of the name in the target Region: Failed and untouched, unless ForceOverwriteReplicaSecret', async () => {
    await north.send(new CreateSecretCommand({ Name: 'multi/b', SecretString: 'north-own' }));
    await east.send(new CreateSecretCommand({ Name: 'multi/b', SecretString: 'east' }));
    await east.send(
      new ReplicateSecretToRegionsCommand({ SecretId: 'multi/b', AddReplicaRegions: [{ Region: 'eu-north-1' }] }),
    );
    const d = await east.send(new DescribeSecretCommand({ SecretId: 'multi/b' }));
    expect(d.ReplicationStatus).toEqual([
      {
        Region: 'eu-north-1',
        KmsKeyId: 'alias/aws/secretsmanager',
        Status: 'Failed',
        StatusMessage: 'Secret with this name already exists in this region',
      },
    ]);
    expect((await north.send(new GetSecretValueCommand({ SecretId: 'multi/b' }))).SecretString).toBe('north-own');
    await east.send(
      new ReplicateSecretToRegionsCommand({
        SecretId: 'multi/b',
        AddReplicaRegions: [{ Region: 'eu-north-1', KmsKeyId: 'alias/north' }],
        ForceOverwriteReplicaSecret: true,
      }),
    );
    const again = await east.send(new DescribeSecretCommand({ SecretId: 'multi/b' }));
    expect(again.ReplicationStatus).toEqual([
      { Region: 'eu-north-1', KmsKeyId: 'alias/north', Status: 'InSync', StatusMessage: 'Replication succeeded' },
    ]);
    const v = await north.send(new GetSecretValueCommand({ SecretId: 'multi/b' }));
    expect(v.SecretString).toBe('east');
    expect((await north.send(new DescribeSecretCommand({ SecretId: 'multi/b' }))).KmsKeyId).toBe('alias/north');
  });
});

describe('CreateSecret with AddReplicaRegions; RemoveRegionsFromReplication; StopReplicationToReplica', () => {
  it('CreateSecret answers ReplicationStatus InProgress; the replicas are there', async () => {
    const c = await east.send(
      new CreateSecretCommand({
        Name: 'multi/c',
        SecretString: 'c1',
        AddReplicaRegions: [{ Region: 'eu-west-1' }, { Region: 'eu-north-1' }],
      }),
    );
    expect(c.ReplicationStatus).toEqual([
      { Region: 'eu-west-1', KmsKeyId: 'alias/aws/secretsmanager', Status: 'InProgress' },
      { Region: 'eu-north-1', KmsKeyId: 'alias/aws/secretsmanager', Status: 'InProgress' },
    ]);
    expect((await north.send(new GetSecretValueCommand({ SecretId: 'multi/c' }))).SecretString).toBe('c1');
    const e = await awsError(
      east.send(new CreateSecretCommand({ Name: 'multi/bad', AddReplicaRegions: [{ Region: 'us-east-1' }] })),
    );
    expect(e.message).toBe('Invalid replica region.');
    expect(await awsError(east.send(new DescribeSecretCommand({ SecretId: 'multi/bad' })))).toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('RemoveRegionsFromReplication deletes the replica at once and answers the rest, [] when none', async () => {
    const r = await east.send(
      new RemoveRegionsFromReplicationCommand({ SecretId: 'multi/c', RemoveReplicaRegions: ['eu-west-1'] }),
    );
    expect(r.ReplicationStatus!.map((s) => s.Region)).toEqual(['eu-north-1']);
    expect((await awsError(west.send(new GetSecretValueCommand({ SecretId: 'multi/c' })))).name).toBe(
      'ResourceNotFoundException',
    );
    const last = await east.send(
      new RemoveRegionsFromReplicationCommand({ SecretId: 'multi/c', RemoveReplicaRegions: ['eu-north-1'] }),
    );
    expect(last.ReplicationStatus).toEqual([]);
    const d = await east.send(new DescribeSecretCommand({ SecretId: 'multi/c' }));
    expect(d.PrimaryRegion).toBeUndefined();
    expect(d.ReplicationStatus).toBeUndefined();
    // now it can be deleted
    await east.send(new DeleteSecretCommand({ SecretId: 'multi/c', ForceDeleteWithoutRecovery: true }));
  });

  it('StopReplicationToReplica promotes the replica to a standalone secret of its Region', async () => {
    await east.send(
      new CreateSecretCommand({ Name: 'multi/d', SecretString: 'd1', AddReplicaRegions: [{ Region: 'eu-west-1' }] }),
    );
    const stop = await west.send(new StopReplicationToReplicaCommand({ SecretId: 'multi/d' }));
    expect(stop.ARN).toContain(':eu-west-1:');
    const d = await west.send(new DescribeSecretCommand({ SecretId: 'multi/d' }));
    expect(d.PrimaryRegion).toBeUndefined();
    expect(d.ARN).toBe(stop.ARN);
    // standalone: writable, and no longer follows the primary
    await west.send(new PutSecretValueCommand({ SecretId: 'multi/d', SecretString: 'west-own' }));
    await east.send(new PutSecretValueCommand({ SecretId: 'multi/d', SecretString: 'east-new' }));
    expect((await west.send(new GetSecretValueCommand({ SecretId: 'multi/d' }))).SecretString).toBe('west-own');
    expect(
      (await west.send(new GetSecretValueCommand({ SecretId: 'multi/d', VersionStage: 'AWSPREVIOUS' }))).SecretString,
    ).toBe('d1');
    const p = await east.send(new DescribeSecretCommand({ SecretId: 'multi/d' }));
    expect(p.ReplicationStatus).toBeUndefined();
    // a rotation schedule it followed through its primary is its own once promoted
    await east.send(
      new CreateSecretCommand({ Name: 'multi/e', SecretString: 'e1', AddReplicaRegions: [{ Region: 'eu-west-1' }] }),
    );
    await east.send(new RotateSecretCommand({ SecretId: 'multi/e', RotationRules: { AutomaticallyAfterDays: 7 } }));
    await west.send(new StopReplicationToReplicaCommand({ SecretId: 'multi/e' }));
    const promoted = await west.send(new DescribeSecretCommand({ SecretId: 'multi/e' }));
    expect(promoted).toMatchObject({ RotationEnabled: true, RotationRules: { AutomaticallyAfterDays: 7 } });
    expect(promoted.NextRotationDate).toBeDefined();
    // on a secret that is not a replica
    expect((await awsError(east.send(new StopReplicationToReplicaCommand({ SecretId: 'multi/d' })))).name).toBe(
      'InvalidRequestException',
    );
  });
});
