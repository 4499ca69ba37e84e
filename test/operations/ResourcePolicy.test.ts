import { describe, expect, it } from 'vitest';
import {
  CreateSecretCommand,
  DeleteResourcePolicyCommand,
  DeleteSecretCommand,
  GetResourcePolicyCommand,
  PutResourcePolicyCommand,
  ValidateResourcePolicyCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { awsError, useTestServer, type TestServer } from '../helpers.js';

let t: TestServer;
let sm: SecretsManagerClient;
useTestServer((server, client) => ((t = server), (sm = client)));

const policy = (principal: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: principal, Action: 'secretsmanager:GetSecretValue', Resource: '*', ...extra },
    ],
  });
const ACCOUNT = policy({ AWS: 'arn:aws:iam::123456789012:root' });
const PUBLIC = policy('*');

describe('resource policies', () => {
  it('stores, returns and deletes a policy; no ResourcePolicy member when there is none', async () => {
    const c = await sm.send(new CreateSecretCommand({ Name: 'pol/basic' }));
    const none = await t.raw('secretsmanager.GetResourcePolicy', { SecretId: 'pol/basic' });
    expect(none.json).toEqual({ ARN: c.ARN, Name: 'pol/basic' });
    const put = await t.raw('secretsmanager.PutResourcePolicy', { SecretId: 'pol/basic', ResourcePolicy: ACCOUNT });
    expect(put.json).toEqual({ ARN: c.ARN, Name: 'pol/basic' });
    expect((await sm.send(new GetResourcePolicyCommand({ SecretId: 'pol/basic' }))).ResourcePolicy).toBe(ACCOUNT);
    const del = await t.raw('secretsmanager.DeleteResourcePolicy', { SecretId: 'pol/basic' });
    expect(del.json).toEqual({ ARN: c.ARN, Name: 'pol/basic' });
    expect((await sm.send(new GetResourcePolicyCommand({ SecretId: 'pol/basic' }))).ResourcePolicy).toBeUndefined();
    await sm.send(new DeleteResourcePolicyCommand({ SecretId: 'pol/basic' })); // idempotent
  });

  it('accepts a public policy unless BlockPublicPolicy [LS-val]', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'pol/public' }));
    await sm.send(new PutResourcePolicyCommand({ SecretId: 'pol/public', ResourcePolicy: PUBLIC }));
    const e = await awsError(
      sm.send(
        new PutResourcePolicyCommand({ SecretId: 'pol/public', ResourcePolicy: PUBLIC, BlockPublicPolicy: true }),
      ),
    );
    expect(e.name).toBe('PublicPolicyException');
    expect(e.status).toBe(400);
    for (const p of [policy({ AWS: '*' }), policy({ AWS: ['arn:aws:iam::123456789012:root', '*'] })]) {
      expect(
        (
          await awsError(
            sm.send(
              new PutResourcePolicyCommand({ SecretId: 'pol/public', ResourcePolicy: p, BlockPublicPolicy: true }),
            ),
          )
        ).name,
      ).toBe('PublicPolicyException');
    }
    // a wildcard restricted to an account by condition is not public
    const restricted = policy('*', { Condition: { StringEquals: { 'aws:PrincipalAccount': '123456789012' } } });
    await sm.send(
      new PutResourcePolicyCommand({ SecretId: 'pol/public', ResourcePolicy: restricted, BlockPublicPolicy: true }),
    );
    await sm.send(
      new PutResourcePolicyCommand({ SecretId: 'pol/public', ResourcePolicy: ACCOUNT, BlockPublicPolicy: true }),
    );
  });

  it('refuses malformed documents', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'pol/bad' }));
    const bad = [
      'not json',
      '[]',
      JSON.stringify({ Version: '2019-10-19', Statement: [] }),
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Maybe', Principal: '*', Action: '*' }] }),
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*' }] }),
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*' }] }),
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Bogus: 1 }],
      }),
    ];
    for (const p of bad) {
      expect(
        await awsError(sm.send(new PutResourcePolicyCommand({ SecretId: 'pol/bad', ResourcePolicy: p }))),
        p,
      ).toEqual({
        name: 'MalformedPolicyDocumentException',
        message: 'This policy has invalid syntax.',
        status: 400,
      });
    }
    expect(
      await awsError(
        sm.send(
          new PutResourcePolicyCommand({ SecretId: 'pol/bad', ResourcePolicy: policy({ AWS: 'not-a-principal' }) }),
        ),
      ),
    ).toEqual({
      name: 'MalformedPolicyDocumentException',
      message: 'This resource policy contains an unsupported principal.',
      status: 400,
    });
    const tooLong = await t.raw('secretsmanager.PutResourcePolicy', {
      SecretId: 'pol/bad',
      ResourcePolicy: 'x'.repeat(20_481),
    });
    expect(tooLong.json.Message).toContain(
      "at 'resourcePolicy' failed to satisfy constraint: Member must have length less than or equal to 20480",
    );
  });

  it('refuses policy changes on a secret scheduled for deletion', async () => {
    await sm.send(new CreateSecretCommand({ Name: 'pol/deleted' }));
    await sm.send(new DeleteSecretCommand({ SecretId: 'pol/deleted' }));
    for (const p of [
      sm.send(new GetResourcePolicyCommand({ SecretId: 'pol/deleted' })),
      sm.send(new PutResourcePolicyCommand({ SecretId: 'pol/deleted', ResourcePolicy: ACCOUNT })),
      sm.send(new DeleteResourcePolicyCommand({ SecretId: 'pol/deleted' })),
    ]) {
      expect(await awsError(p)).toEqual({
        name: 'InvalidRequestException',
        message: "You can't perform this operation on the secret because it was marked for deletion.",
        status: 400,
      });
    }
  });

  it('ValidateResourcePolicy reports broad access and lock-out as findings', async () => {
    const ok = await sm.send(new ValidateResourcePolicyCommand({ ResourcePolicy: ACCOUNT }));
    expect(ok.PolicyValidationPassed).toBe(true);
    expect(ok.ValidationErrors).toEqual([]);
    const pub = await sm.send(new ValidateResourcePolicyCommand({ ResourcePolicy: PUBLIC }));
    expect(pub.PolicyValidationPassed).toBe(false);
    expect(pub.ValidationErrors!.map((e) => e.CheckName)).toEqual(['BROAD_ACCESS']);
    const lockout = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Principal: '*', Action: 'secretsmanager:*', Resource: '*' }],
    });
    const lo = await sm.send(new ValidateResourcePolicyCommand({ ResourcePolicy: lockout }));
    expect(lo.ValidationErrors!.map((e) => e.CheckName)).toEqual(['LOCKOUT']);
    expect((await awsError(sm.send(new ValidateResourcePolicyCommand({ ResourcePolicy: '{' })))).name).toBe(
      'MalformedPolicyDocumentException',
    );
    expect(
      (await awsError(sm.send(new ValidateResourcePolicyCommand({ SecretId: 'pol/missing', ResourcePolicy: ACCOUNT }))))
        .name,
    ).toBe('ResourceNotFoundException');
    expect(
      (await t.raw('secretsmanager.ValidateResourcePolicy', { SecretId: 'Inv Name', ResourcePolicy: ACCOUNT })).json
        .__type,
    ).toBe('ValidationException');
  });
});
