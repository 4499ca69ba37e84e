import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutResourcePolicyCommand,
  TagResourceCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { RunningServer } from '../../src/index.js';
import { client, failure, startAuthServer, writeCredentials, type Key } from './authHelpers.js';

/**
 * Policy evaluation through the API, as IAM does it ("Policy evaluation logic" and "Cross-account policy evaluation
 * logic" in the IAM User Guide): each row is a caller, a call, and the exact answer.
 */
const A = '111111111111';
const B = '222222222222';
const doc = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });
const key = (name: string): Key => ({
  accessKeyId: `AKIA${name.toUpperCase().padEnd(12, '0')}`,
  secretAccessKey: `${name}-secret`,
});
const user = (name: string, account: string, policies: object[] = [], tags: Record<string, string> = {}) => ({
  ...key(name),
  accountId: account,
  arn: `arn:aws:iam::${account}:user/${name}`,
  tags,
  policies,
});
const arnOf = (account: string, name: string) => `arn:aws:iam::${account}:user/${name}`;

const credentials = {
  principals: [
    user('admin', A, [doc({ Effect: 'Allow', Action: 'secretsmanager:*', Resource: '*' })]),
    user('nobody', A),
    user('reader', A, [
      doc(
        {
          Effect: 'Allow',
          Action: 'secretsmanager:GetSecretValue',
          Resource: `arn:aws:secretsmanager:*:${A}:secret:app/*`,
        },
        { Effect: 'Deny', Action: 'secretsmanager:*', Resource: `arn:aws:secretsmanager:*:${A}:secret:app/admin*` },
        { Effect: 'Allow', Action: ['secretsmanager:List*', 'secretsmanager:BatchGetSecretValue'], Resource: '*' },
      ),
    ]),
    user('tagged', A, [
      doc({
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        Resource: '*',
        Condition: { StringEquals: { 'secretsmanager:ResourceTag/team': '${aws:PrincipalTag/team}' } },
      }),
    ], { team: 'blue' }), // prettier-ignore
    user('creator', A, [
      doc({
        Effect: 'Allow',
        Action: ['secretsmanager:CreateSecret', 'secretsmanager:TagResource'],
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:RequestTag/team': 'blue' },
          'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'env'] },
        },
      }),
    ]),
    user('stage', A, [
      doc({
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: '*',
        Condition: { 'ForAnyValue:StringEquals': { 'secretsmanager:VersionStage': 'AWSCURRENT' } },
      }),
    ]),
    user('notaction', A, [doc({ Effect: 'Allow', NotAction: 'secretsmanager:DeleteSecret', Resource: '*' })]),
    user('notres', A, [doc({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', NotResource: `arn:aws:secretsmanager:*:${A}:secret:ops/*` })]), // prettier-ignore
    user('byid', A, [doc({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*', Condition: { StringLike: { 'secretsmanager:SecretId': 'app/*' } } })]), // prettier-ignore
    user('after2020', A, [doc({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*', Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } } })]), // prettier-ignore
    user('before2020', A, [doc({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*', Condition: { DateLessThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } } })]), // prettier-ignore
    user('tlsonly', A, [doc({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } })]), // prettier-ignore
    user('local', A, [doc({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': ['127.0.0.0/8', '::1/128'] } } })]), // prettier-ignore
    user('nostage', A, [doc({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*', Condition: { Null: { 'secretsmanager:VersionStage': 'true' } } })]), // prettier-ignore
    user('ignorecase', A, [doc({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*', Condition: { StringEqualsIgnoreCase: { 'secretsmanager:ResourceTag/team': 'BLUE' } } })]), // prettier-ignore
    user('notred', A, [doc({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*', Condition: { StringNotEquals: { 'aws:ResourceTag/team': 'red' } } })]), // prettier-ignore
    user('notemp', A, [doc(
      { Effect: 'Allow', Action: 'secretsmanager:TagResource', Resource: '*' },
      { Effect: 'Deny', Action: 'secretsmanager:TagResource', Resource: '*', Condition: { 'ForAnyValue:StringLike': { 'aws:TagKeys': 'temp*' } } },
    )]), // prettier-ignore
    user('arnlike', A, [doc({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*', Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${A}:user/arn*` } } })]), // prettier-ignore
    user('ifexists', A, [doc({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*', Condition: { StringEqualsIfExists: { 'secretsmanager:VersionStage': 'AWSCURRENT' } } })]), // prettier-ignore
    user('getstar', A, [doc({ Effect: 'Allow', Action: 'secretsmanager:Get*', Resource: '*' })]),
    user('mixedcase', A, [doc({ Effect: 'Allow', Action: 'SecretsManager:getsecretVALUE', Resource: '*' })]),
    user('denynotaction', A, [doc(
      { Effect: 'Allow', Action: '*', Resource: '*' },
      { Effect: 'Deny', NotAction: 'secretsmanager:GetSecretValue', Resource: '*' },
    )]), // prettier-ignore
    user('ipbound', A, [
      doc({
        Effect: 'Allow',
        Action: 'secretsmanager:*',
        Resource: '*',
        Condition: { NotIpAddress: { 'aws:SourceIp': '127.0.0.0/8' } },
      }),
    ]),
    user('partner', B, [doc({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' })]),
    user('stranger', B),
  ],
};

let server: RunningServer;
const as = (name: string): SecretsManagerClient => client(server.url, key(name));
const arns: Record<string, string> = {};

beforeAll(async () => {
  server = await startAuthServer(writeCredentials(credentials));
  const admin = as('admin');
  for (const [name, tags] of [
    ['app/db', [{ Key: 'team', Value: 'blue' }]],
    ['app/admin-token', [{ Key: 'team', Value: 'blue' }]],
    ['ops/key', [{ Key: 'team', Value: 'red' }]],
    ['shared/api', []],
    ['shared/closed', []],
    ['mine/by-policy', []],
  ] as const) {
    const r = await admin.send(
      new CreateSecretCommand({ Name: name, SecretString: `value-of-${name}`, Tags: [...tags] }),
    );
    arns[name] = r.ARN!;
  }
  await admin.send(
    new PutResourcePolicyCommand({
      SecretId: 'shared/api',
      ResourcePolicy: JSON.stringify(
        doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }), // prettier-ignore
      ),
    }),
  );
  await admin.send(
    new PutResourcePolicyCommand({
      SecretId: 'mine/by-policy',
      ResourcePolicy: JSON.stringify(
        doc(
          { Effect: 'Allow', Principal: { AWS: arnOf(A, 'nobody') }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }, // prettier-ignore
          { Effect: 'Deny', Principal: { AWS: arnOf(A, 'admin') }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }, // prettier-ignore
        ),
      ),
    }),
  );
});
afterAll(() => server.close());

type Row = [string, string, () => Promise<unknown>, 'ok' | string];
const denied = (who: string, account: string, action: string, resource: string, why: string) =>
  `User: ${arnOf(account, who)} is not authorized to perform: secretsmanager:${action} on resource: ${resource} ${why}`;
const noIdentity = (action: string) => `because no identity-based policy allows the secretsmanager:${action} action`;
const noResource = (action: string) => `because no resource-based policy allows the secretsmanager:${action} action`;
const explicitIdentity = 'with an explicit deny in an identity-based policy';
const explicitResource = 'with an explicit deny in a resource-based policy';
const get =
  (who: string, SecretId: string, extra: object = {}) =>
  () =>
    as(who).send(new GetSecretValueCommand({ SecretId, ...extra }));

const rows: Row[] = [
  ['an Allow of secretsmanager:* on *', 'admin', get('admin', 'app/db'), 'ok'],
  ['no policy at all: implicit deny', 'nobody', get('nobody', 'app/db'), denied('nobody', A, 'GetSecretValue', 'app/db', noIdentity('GetSecretValue'))], // prettier-ignore
  ['a resource wildcard that matches', 'reader', get('reader', 'app/db'), 'ok'],
  ['a resource wildcard that does not match', 'reader', get('reader', 'ops/key'), denied('reader', A, 'GetSecretValue', 'ops/key', noIdentity('GetSecretValue'))], // prettier-ignore
  ['an explicit Deny beats the Allow', 'reader', get('reader', 'app/admin-token'), denied('reader', A, 'GetSecretValue', 'app/admin-token', explicitIdentity)], // prettier-ignore
  ['the resource named as the caller named it (an ARN)', 'reader', () => as('reader').send(new DescribeSecretCommand({ SecretId: arns['app/db'] })), `__ARN__DescribeSecret`], // prettier-ignore
  ['an action wildcard (List*)', 'reader', () => as('reader').send(new ListSecretsCommand({})), 'ok'],
  ['an action on no resource names none', 'nobody', () => as('nobody').send(new ListSecretsCommand({})), `User: ${arnOf(A, 'nobody')} is not authorized to perform: secretsmanager:ListSecrets because no identity-based policy allows the secretsmanager:ListSecrets action`], // prettier-ignore
  ['a missing secret the caller may not read: AccessDenied, not "not found"', 'reader', get('reader', 'ops/none'), denied('reader', A, 'GetSecretValue', 'ops/none', noIdentity('GetSecretValue'))], // prettier-ignore
  ['a missing secret the caller may read: not found', 'reader', get('reader', 'app/none'), "Secrets Manager can't find the specified secret."], // prettier-ignore
  ['ResourceTag equal to the PrincipalTag (policy variable)', 'tagged', get('tagged', 'app/db'), 'ok'],
  ['ResourceTag not equal to the PrincipalTag', 'tagged', get('tagged', 'ops/key'), denied('tagged', A, 'GetSecretValue', 'ops/key', noIdentity('GetSecretValue'))], // prettier-ignore
  ['RequestTag and TagKeys allowed', 'creator', () => as('creator').send(new CreateSecretCommand({ Name: 'made/blue', SecretString: 'x', Tags: [{ Key: 'team', Value: 'blue' }] })), 'ok'], // prettier-ignore
  ['RequestTag with another value', 'creator', () => as('creator').send(new CreateSecretCommand({ Name: 'made/red', SecretString: 'x', Tags: [{ Key: 'team', Value: 'red' }] })), denied('creator', A, 'CreateSecret', 'made/red', noIdentity('CreateSecret'))], // prettier-ignore
  ['ForAllValues: a tag key outside the set', 'creator', () => as('creator').send(new CreateSecretCommand({ Name: 'made/extra', SecretString: 'x', Tags: [{ Key: 'team', Value: 'blue' }, { Key: 'owner', Value: 'me' }] })), denied('creator', A, 'CreateSecret', 'made/extra', noIdentity('CreateSecret'))], // prettier-ignore
  ['no tags at all: RequestTag missing', 'creator', () => as('creator').send(new CreateSecretCommand({ Name: 'made/none', SecretString: 'x' })), denied('creator', A, 'CreateSecret', 'made/none', noIdentity('CreateSecret'))], // prettier-ignore
  ['VersionStage condition met', 'stage', get('stage', 'app/db', { VersionStage: 'AWSCURRENT' }), 'ok'],
  ['VersionStage condition, key absent', 'stage', get('stage', 'app/db'), denied('stage', A, 'GetSecretValue', 'app/db', noIdentity('GetSecretValue'))], // prettier-ignore
  ['NotAction allows what it does not name', 'notaction', get('notaction', 'ops/key'), 'ok'],
  ['NotAction does not allow what it names', 'notaction', () => as('notaction').send(new DeleteSecretCommand({ SecretId: 'ops/key' })), denied('notaction', A, 'DeleteSecret', 'ops/key', noIdentity('DeleteSecret'))], // prettier-ignore
  ['NotIpAddress: the caller is on loopback', 'ipbound', get('ipbound', 'app/db'), denied('ipbound', A, 'GetSecretValue', 'app/db', noIdentity('GetSecretValue'))], // prettier-ignore
  ['same account: a resource policy naming the user suffices', 'nobody', get('nobody', 'mine/by-policy'), 'ok'],
  ['an explicit Deny in the resource policy beats an identity Allow', 'admin', get('admin', 'mine/by-policy'), denied('admin', A, 'GetSecretValue', 'mine/by-policy', explicitResource)], // prettier-ignore
  ['cross-account by ARN: both sides allow', 'partner', () => as('partner').send(new GetSecretValueCommand({ SecretId: arns['shared/api'] })), 'ok'], // prettier-ignore
  ['cross-account: the resource policy does not allow', 'partner', () => as('partner').send(new GetSecretValueCommand({ SecretId: arns['shared/closed'] })), `__CROSS__`], // prettier-ignore
  ['cross-account: the identity policy does not allow', 'stranger', () => as('stranger').send(new GetSecretValueCommand({ SecretId: arns['shared/api'] })), `__STRANGER__`], // prettier-ignore
  ['cross-account by name: the caller\'s own account, where there is none', 'partner', get('partner', 'shared/api'), "Secrets Manager can't find the specified secret."], // prettier-ignore
  ['NotResource: outside the named resources', 'notres', get('notres', 'app/db'), 'ok'],
  ['NotResource: inside them', 'notres', get('notres', 'ops/key'), denied('notres', A, 'GetSecretValue', 'ops/key', noIdentity('GetSecretValue'))], // prettier-ignore
  ['StringLike on secretsmanager:SecretId, by name', 'byid', get('byid', 'app/db'), 'ok'],
  ['StringLike on secretsmanager:SecretId: another name', 'byid', get('byid', 'ops/key'), denied('byid', A, 'GetSecretValue', 'ops/key', noIdentity('GetSecretValue'))], // prettier-ignore
  ['DateGreaterThan aws:CurrentTime', 'after2020', get('after2020', 'app/db'), 'ok'],
  ['DateLessThan aws:CurrentTime', 'before2020', get('before2020', 'app/db'), denied('before2020', A, 'GetSecretValue', 'app/db', noIdentity('GetSecretValue'))], // prettier-ignore
  ['Bool aws:SecureTransport over plain HTTP', 'tlsonly', get('tlsonly', 'app/db'), denied('tlsonly', A, 'GetSecretValue', 'app/db', noIdentity('GetSecretValue'))], // prettier-ignore
  ['IpAddress aws:SourceIp (loopback)', 'local', get('local', 'app/db'), 'ok'],
  ['Null: the key absent', 'nostage', get('nostage', 'app/db'), 'ok'],
  ['Null: the key present', 'nostage', get('nostage', 'app/db', { VersionStage: 'AWSCURRENT' }), denied('nostage', A, 'GetSecretValue', 'app/db', noIdentity('GetSecretValue'))], // prettier-ignore
  ['StringEqualsIgnoreCase on a tag', 'ignorecase', get('ignorecase', 'app/db'), 'ok'],
  ['StringNotEquals aws:ResourceTag: another value', 'notred', get('notred', 'app/db'), 'ok'],
  ['StringNotEquals aws:ResourceTag: the value', 'notred', get('notred', 'ops/key'), denied('notred', A, 'GetSecretValue', 'ops/key', noIdentity('GetSecretValue'))], // prettier-ignore
  ['ForAnyValue:StringLike aws:TagKeys in a Deny', 'notemp', () => as('notemp').send(new TagResourceCommand({ SecretId: 'ops/key', Tags: [{ Key: 'temporary', Value: 'x' }] })), denied('notemp', A, 'TagResource', 'ops/key', explicitIdentity)], // prettier-ignore
  ['ForAnyValue: no key matches, the Allow holds', 'notemp', () => as('notemp').send(new TagResourceCommand({ SecretId: 'ops/key', Tags: [{ Key: 'owner', Value: 'x' }] })), 'ok'], // prettier-ignore
  ['ArnLike on aws:PrincipalArn', 'arnlike', get('arnlike', 'app/db'), 'ok'],
  ['...IfExists: the key absent', 'ifexists', get('ifexists', 'app/db'), 'ok'],
  ['...IfExists: the key present, another value', 'ifexists', get('ifexists', 'app/db', { VersionStage: 'AWSPREVIOUS' }), denied('ifexists', A, 'GetSecretValue', 'app/db', noIdentity('GetSecretValue'))], // prettier-ignore
  ['an action prefix wildcard (Get*): GetSecretValue', 'getstar', get('getstar', 'app/db'), 'ok'],
  ['an action prefix wildcard (Get*): DescribeSecret', 'getstar', () => as('getstar').send(new DescribeSecretCommand({ SecretId: 'app/db' })), denied('getstar', A, 'DescribeSecret', 'app/db', noIdentity('DescribeSecret'))], // prettier-ignore
  ['actions match case-insensitively', 'mixedcase', get('mixedcase', 'app/db'), 'ok'],
  ['a Deny with NotAction: what it does not name is denied', 'denynotaction', () => as('denynotaction').send(new DescribeSecretCommand({ SecretId: 'app/db' })), denied('denynotaction', A, 'DescribeSecret', 'app/db', explicitIdentity)], // prettier-ignore
  ['a Deny with NotAction: what it names is not', 'denynotaction', get('denynotaction', 'app/db'), 'ok'],
  ['TagResource: RequestTag checked on the existing secret', 'creator', () => as('creator').send(new TagResourceCommand({ SecretId: 'app/db', Tags: [{ Key: 'team', Value: 'green' }] })), denied('creator', A, 'TagResource', 'app/db', noIdentity('TagResource'))], // prettier-ignore
];

describe('policy evaluation through the API', () => {
  it.each(rows)('%s (%s)', async (_title, _who, call, expected) => {
    if (expected === 'ok') {
      await expect(call()).resolves.toBeDefined();
      return;
    }
    const e = await failure(call());
    let message = expected;
    if (expected === '__ARN__DescribeSecret')
      message = denied('reader', A, 'DescribeSecret', arns['app/db']!, noIdentity('DescribeSecret'));
    if (expected === '__CROSS__')
      message = denied('partner', B, 'GetSecretValue', arns['shared/closed']!, noResource('GetSecretValue'));
    if (expected === '__STRANGER__')
      message = denied('stranger', B, 'GetSecretValue', arns['shared/api']!, noIdentity('GetSecretValue'));
    expect(e.status).toBe(400);
    expect(e.message).toBe(message);
    expect(e.name).toBe(message.startsWith('User:') ? 'AccessDeniedException' : 'ResourceNotFoundException');
  });

  it('nothing a denied call would change is changed', async () => {
    const before = await as('admin').send(new DescribeSecretCommand({ SecretId: 'ops/key' }));
    await failure(as('notaction').send(new DeleteSecretCommand({ SecretId: 'ops/key' })));
    const after = await as('admin').send(new DescribeSecretCommand({ SecretId: 'ops/key' }));
    expect(after.DeletedDate).toBeUndefined();
    expect(after.LastChangedDate).toEqual(before.LastChangedDate);
  });

  it('BatchGetSecretValue checks GetSecretValue per secret and reports denials in Errors', async () => {
    const r = await as('reader').send(
      new BatchGetSecretValueCommand({ SecretIdList: ['app/db', 'app/admin-token', 'ops/key'] }),
    );
    expect(r.SecretValues!.map((v) => v.Name)).toEqual(['app/db']);
    expect(r.Errors).toEqual([
      {
        SecretId: 'app/admin-token',
        ErrorCode: 'AccessDeniedException',
        Message: denied('reader', A, 'GetSecretValue', 'app/admin-token', explicitIdentity),
      },
      {
        SecretId: 'ops/key',
        ErrorCode: 'AccessDeniedException',
        Message: denied('reader', A, 'GetSecretValue', 'ops/key', noIdentity('GetSecretValue')),
      },
    ]);
    const filtered = await as('reader').send(
      new BatchGetSecretValueCommand({ Filters: [{ Key: 'name', Values: ['app/'] }] }),
    );
    expect(filtered.SecretValues!.map((v) => v.Name)).toEqual(['app/db']);
    expect(filtered.Errors!.map((e) => e.SecretId)).toEqual([arns['app/admin-token']]);
  });
});
