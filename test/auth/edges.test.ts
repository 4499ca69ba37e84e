import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutResourcePolicyCommand,
  ReplicateSecretToRegionsCommand,
} from '@aws-sdk/client-secrets-manager';
import { FakeClock, type RunningServer } from '../../src/index.js';
import { client, failure, startAuthServer, writeCredentials, type Key } from './authHelpers.js';

/**
 * The edges of authorization: a replica is judged by its primary's tags and policy; a cross-account call acts in
 * the owner's account; calls that do more than their name says need each action; moving the server's clock does
 * not break signatures; the clock endpoint is not served with --auth.
 */
const A = '111111111111';
const B = '222222222222';
const doc = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });
const key = (name: string): Key => ({ accessKeyId: `AKIA${name.toUpperCase().padEnd(12, '0')}`, secretAccessKey: name }); // prettier-ignore
const user = (name: string, account: string, ...statements: object[]) => ({
  ...key(name),
  arn: `arn:aws:iam::${account}:user/${name}`,
  policies: statements.length ? [doc(...statements)] : [],
});
const credentials = {
  principals: [
    user('owner', A, { Effect: 'Allow', Action: 'secretsmanager:*', Resource: '*' }),
    user(
      'nonprod',
      A,
      { Effect: 'Allow', Action: 'secretsmanager:*', Resource: '*' },
      {
        Effect: 'Deny',
        Action: 'secretsmanager:GetSecretValue',
        Resource: '*',
        Condition: { StringEquals: { 'secretsmanager:ResourceTag/env': 'prod' } },
      },
    ),
    user('batcher', A, {
      Effect: 'Allow',
      Action: ['secretsmanager:BatchGetSecretValue', 'secretsmanager:GetSecretValue', 'secretsmanager:CreateSecret'],
      Resource: '*',
    }),
    user('partner', B, { Effect: 'Allow', Action: 'secretsmanager:*', Resource: '*' }),
  ],
};

let server: RunningServer;
const clock = new FakeClock(Date.now());
const as = (name: string, region = 'us-east-1') => client(server.url, key(name), region);
let prodArn = '';

beforeAll(async () => {
  server = await startAuthServer(writeCredentials(credentials), { clock });
  const owner = as('owner');
  prodArn = (
    await owner.send(
      new CreateSecretCommand({
        Name: 'edge/prod',
        SecretString: 'prod-value',
        Tags: [{ Key: 'env', Value: 'prod' }],
        AddReplicaRegions: [{ Region: 'eu-west-1' }],
      }),
    )
  ).ARN!;
  await owner.send(
    new PutResourcePolicyCommand({
      SecretId: 'edge/prod',
      ResourcePolicy: JSON.stringify(
        doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: 'secretsmanager:*', Resource: '*' }), // prettier-ignore
      ),
    }),
  );
});
afterAll(() => server.close());

describe('authorization at the edges', () => {
  it("a replica is judged by its primary's tags: a tag-based Deny holds in the replica's Region", async () => {
    expect((await failure(as('nonprod').send(new GetSecretValueCommand({ SecretId: 'edge/prod' })))).name).toBe(
      'AccessDeniedException',
    );
    const e = await failure(as('nonprod', 'eu-west-1').send(new GetSecretValueCommand({ SecretId: 'edge/prod' })));
    expect(e.name).toBe('AccessDeniedException');
    expect(e.message).toContain('with an explicit deny in an identity-based policy');
    // the owner reads the replica
    const v = await as('owner', 'eu-west-1').send(new GetSecretValueCommand({ SecretId: 'edge/prod' }));
    expect(v.SecretString).toBe('prod-value');
  });

  it("a cross-account call by ARN acts in the owner's account (a replica made there, readable by the owner)", async () => {
    const r = await as('partner').send(
      new ReplicateSecretToRegionsCommand({ SecretId: prodArn, AddReplicaRegions: [{ Region: 'ap-south-1' }] }),
    );
    expect(r.ReplicationStatus!.map((s) => s.Region)).toEqual(['eu-west-1', 'ap-south-1']);
    const replica = await as('owner', 'ap-south-1').send(new DescribeSecretCommand({ SecretId: 'edge/prod' }));
    expect(replica.PrimaryRegion).toBe('us-east-1');
    // nothing was made in the partner's own account
    const mine = await failure(as('partner', 'ap-south-1').send(new DescribeSecretCommand({ SecretId: 'edge/prod' })));
    expect(mine.name).toBe('ResourceNotFoundException');
  });

  it('CreateSecret with tags needs TagResource; BatchGetSecretValue by filters needs ListSecrets', async () => {
    const tagged = await failure(
      as('batcher').send(new CreateSecretCommand({ Name: 'edge/t', SecretString: 'x', Tags: [{ Key: 'a', Value: 'b' }] })), // prettier-ignore
    );
    expect(tagged.message).toBe(
      `User: arn:aws:iam::${A}:user/batcher is not authorized to perform: secretsmanager:TagResource on resource: ` +
        'edge/t because no identity-based policy allows the secretsmanager:TagResource action',
    );
    await expect(as('batcher').send(new CreateSecretCommand({ Name: 'edge/u', SecretString: 'x' }))).resolves.toBeDefined(); // prettier-ignore
    const listed = await failure(
      as('batcher').send(new BatchGetSecretValueCommand({ Filters: [{ Key: 'name', Values: ['edge'] }] })),
    );
    expect(listed.message).toBe(
      `User: arn:aws:iam::${A}:user/batcher is not authorized to perform: secretsmanager:ListSecrets because no ` +
        'identity-based policy allows the secretsmanager:ListSecrets action',
    );
    const byId = await as('batcher').send(new BatchGetSecretValueCommand({ SecretIdList: ['edge/u'] }));
    expect(byId.SecretValues!.map((s) => s.SecretString)).toEqual(['x']);
  });

  it("moving the server's clock days ahead keeps signed clients working (signatures use the system clock)", async () => {
    clock.advance(8 * 86_400_000);
    const v = await as('owner').send(new GetSecretValueCommand({ SecretId: 'edge/u' }));
    expect(v.SecretString).toBe('x');
  });

  it('the clock endpoint is not served with --auth (nothing on the port is unsigned)', async () => {
    const r = await fetch(`${server.url}/_secretlite/clock`, { method: 'POST', body: '{"advance":"30d"}' });
    expect(r.status).not.toBe(200);
  });
});
