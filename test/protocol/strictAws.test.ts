/**
 * The two modes of compat.ts. Default: what the seed documents promise (a raw call without ClientRequestToken
 * works, application/json is served). --strict-aws: exactly what AWS answers. Each departure is listed in the
 * README's "Differences from AWS".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { startTestServer, uuid, type TestServer } from '../helpers.js';

const MISSING_TOKEN = 'You must provide a ClientRequestToken value. We recommend a UUID-type value.';
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let lenient: TestServer;
let strict: TestServer;
beforeAll(async () => {
  [lenient, strict] = await Promise.all([startTestServer(), startTestServer({ strictAws: true })]);
});
afterAll(() => Promise.all([lenient.close(), strict.close()]));

const versionsOf = async (t: TestServer, id: string) =>
  (await t.raw('secretsmanager.DescribeSecret', { SecretId: id })).json.VersionIdsToStages as
    Record<string, string[]> | undefined;

describe('raw calls without ClientRequestToken', () => {
  it('default: Create, Put and Update (with a value) get a UUID token that becomes the VersionId', async () => {
    const t = lenient;
    const c = await t.raw('secretsmanager.CreateSecret', { Name: 'raw/a', SecretString: 'one' });
    expect(c.status).toBe(200);
    expect(c.json.VersionId).toMatch(UUID_V4);
    const p = await t.raw('secretsmanager.PutSecretValue', { SecretId: 'raw/a', SecretString: 'two' });
    expect(p.json).toMatchObject({ VersionId: expect.stringMatching(UUID_V4), VersionStages: ['AWSCURRENT'] });
    const u = await t.raw('secretsmanager.UpdateSecret', { SecretId: 'raw/a', SecretString: 'three' });
    expect(u.json.VersionId).toMatch(UUID_V4);
    expect(await versionsOf(t, 'raw/a')).toEqual({
      [p.json.VersionId as string]: ['AWSPREVIOUS'],
      [u.json.VersionId as string]: ['AWSCURRENT'],
    });
    const g = await t.raw('secretsmanager.GetSecretValue', { SecretId: 'raw/a' });
    expect(g.json).toMatchObject({ SecretString: 'three', VersionId: u.json.VersionId });
  });

  it('default: explicit tokens keep their idempotency', async () => {
    const t = lenient;
    const token = uuid();
    const c = await t.raw('secretsmanager.CreateSecret', {
      Name: 'raw/idem',
      SecretString: 'v',
      ClientRequestToken: token,
    });
    expect(c.json.VersionId).toBe(token);
    const retry = await t.raw('secretsmanager.CreateSecret', {
      Name: 'raw/idem',
      SecretString: 'v',
      ClientRequestToken: token,
    });
    expect(retry.json).toEqual({ ARN: c.json.ARN, Name: 'raw/idem', VersionId: token });
    const clash = await t.raw('secretsmanager.PutSecretValue', {
      SecretId: 'raw/idem',
      SecretString: 'other',
      ClientRequestToken: token,
    });
    expect(clash.json.__type).toBe('ResourceExistsException');
  });

  it('default: RotateSecret without a token passes the token check (and still looks the secret up)', async () => {
    const missing = await lenient.raw('secretsmanager.RotateSecret', { SecretId: 'raw/none' });
    expect(missing.json).toEqual({
      __type: 'ResourceNotFoundException',
      Message: "Secrets Manager can't find the specified secret.",
    });
  });

  it('strict: Create, Put and Update refuse with InvalidRequestException and store nothing', async () => {
    const t = strict;
    const c = await t.raw('secretsmanager.CreateSecret', { Name: 'strict/a', SecretString: 'one' });
    expect(c.status).toBe(400);
    expect(c.json).toEqual({ __type: 'InvalidRequestException', Message: MISSING_TOKEN });
    expect((await t.raw('secretsmanager.DescribeSecret', { SecretId: 'strict/a' })).json.__type).toBe(
      'ResourceNotFoundException',
    );

    // a secret created the way SDKs do it, then token-less writes
    const token = uuid();
    await t.raw('secretsmanager.CreateSecret', { Name: 'strict/b', SecretString: 'one', ClientRequestToken: token });
    for (const [op, body] of [
      ['PutSecretValue', { SecretId: 'strict/b', SecretString: 'two' }],
      ['UpdateSecret', { SecretId: 'strict/b', SecretString: 'two', Description: 'not stored either' }],
    ] as const) {
      const r = await t.raw(`secretsmanager.${op}`, body);
      expect(r.status, op).toBe(400);
      expect(r.json, op).toEqual({ __type: 'InvalidRequestException', Message: MISSING_TOKEN });
    }
    const d = (await t.raw('secretsmanager.DescribeSecret', { SecretId: 'strict/b' })).json;
    expect(d.VersionIdsToStages).toEqual({ [token]: ['AWSCURRENT'] });
    expect(d.Description).toBeUndefined();
    // without a value, UpdateSecret and CreateSecret need no token, in AWS as here (Terraform creates secrets so)
    expect((await t.raw('secretsmanager.UpdateSecret', { SecretId: 'strict/b', Description: 'ok' })).status).toBe(200);
    expect((await t.raw('secretsmanager.CreateSecret', { Name: 'strict/empty' })).status).toBe(200);
  });

  it('strict: RotateSecret refuses with InvalidParameterException before looking the secret up', async () => {
    const r = await strict.raw('secretsmanager.RotateSecret', { SecretId: 'strict/no-such-secret' });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ __type: 'InvalidParameterException', Message: MISSING_TOKEN });
  });

  it('strict: calls with a token are served as usual', async () => {
    const token = uuid();
    const c = await strict.raw('secretsmanager.CreateSecret', {
      Name: 'strict/c',
      SecretString: 'v',
      ClientRequestToken: token,
    });
    expect(c.json).toMatchObject({ Name: 'strict/c', VersionId: token });
    const sdk = await strict.client().send(new PutSecretValueCommand({ SecretId: 'strict/c', SecretString: 'w' }));
    expect(sdk.VersionId).toMatch(UUID_V4);
  });
});

describe('Content-Type: application/json', () => {
  const post = (t: TestServer, body: string) =>
    fetch(`${t.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-amz-target': 'secretsmanager.ListSecrets' },
      body,
    });

  it('default: served as AWS JSON 1.1', async () => {
    const r = await post(lenient, '{}');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(await r.json()).toHaveProperty('SecretList');
  });

  it('strict: the legacy envelope AWS answers (HTTP 200, no operation run)', async () => {
    const ok = await post(strict, '{}');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/json');
    expect(await ok.json()).toEqual({
      Output: { __type: 'com.amazon.coral.service#UnknownOperationException', message: null },
      Version: '1.0',
    });
    for (const body of ['', 'not json', '42']) {
      const bad = await post(strict, body);
      expect(bad.status, body).toBe(200);
      expect(await bad.json(), body).toEqual({
        Output: { __type: 'com.amazon.coral.service#SerializationException', Message: null },
        Version: '1.0',
      });
    }
    // and nothing was created through it
    const create = await fetch(`${strict.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-amz-target': 'secretsmanager.CreateSecret' },
      body: JSON.stringify({ Name: 'strict/json', SecretString: 'v', ClientRequestToken: uuid() }),
    });
    expect(create.status).toBe(200);
    expect((await strict.raw('secretsmanager.DescribeSecret', { SecretId: 'strict/json' })).json.__type).toBe(
      'ResourceNotFoundException',
    );
  });
});
