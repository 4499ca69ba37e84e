import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { CreateSecretCommand, GetSecretValueCommand, ListSecretsCommand } from '@aws-sdk/client-secrets-manager';
import type { RunningServer } from '../../src/index.js';
import { amzDate, sign } from '../../src/auth/sigv4.js';
import { ALICE, BOB, client, failure, signedFetch, startAuthServer, writeCredentials } from './authHelpers.js';

const allowAll = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'secretsmanager:*', Resource: '*' }] };
const credentials = {
  principals: [
    {
      ...ALICE,
      accountId: '111111111111',
      arn: 'arn:aws:iam::111111111111:user/alice',
      tags: { team: 'blue' },
      policies: [allowAll],
    },
    { ...BOB, accountId: '111111111111', arn: 'arn:aws:iam::111111111111:user/bob' },
  ],
};

const TARGET = 'secretsmanager.ListSecrets';
let server: RunningServer;
let path: string;

/** A raw request with the given headers (and no signing of our own): for malformed authentication. */
function raw(
  headers: Record<string, string>,
  query = '',
  body = '{}',
): Promise<{ status: number; json: Record<string, string> }> {
  const u = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        method: 'POST',
        path: `/${query}`,
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': TARGET, ...headers },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(text) as Record<string, string> }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Our own signer (checked against AWS's test vectors) at a chosen time, for expired and future signatures. */
function signAt(now: number, opts: { service?: string; region?: string; key?: typeof ALICE } = {}) {
  const u = new URL(server.url);
  return sign({
    method: 'POST',
    url: new URL(`${u.origin}/`),
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': TARGET },
    body: '{}',
    region: opts.region ?? 'us-east-1',
    service: opts.service ?? 'secretsmanager',
    credentials: opts.key ?? ALICE,
    now,
  });
}

beforeAll(async () => {
  path = writeCredentials(credentials);
  server = await startAuthServer(path);
});
afterAll(() => server.close());

describe('--auth sigv4: signatures', () => {
  it('a key of the file, signed by the SDK: the call runs in its account and Region', async () => {
    const sm = client(server.url, ALICE, 'eu-west-1');
    const created = await sm.send(new CreateSecretCommand({ Name: 'sig/one', SecretString: 'v1' }));
    expect(created.ARN).toMatch(/^arn:aws:secretsmanager:eu-west-1:111111111111:secret:sig\/one-/);
    const got = await sm.send(new GetSecretValueCommand({ SecretId: 'sig/one' }));
    expect(got.SecretString).toBe('v1');
  });

  it('an unknown access key: UnrecognizedClientException, HTTP 400', async () => {
    const e = await failure(
      client(server.url, { accessKeyId: 'AKIAUNKNOWNKEY00', secretAccessKey: 'x' }).send(new ListSecretsCommand({})),
    );
    expect(e).toEqual({
      name: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
      status: 400,
    });
  });

  it('a wrong secret key: InvalidSignatureException with AWS text', async () => {
    const e = await failure(
      client(server.url, { accessKeyId: ALICE.accessKeyId, secretAccessKey: 'wrong' }).send(new ListSecretsCommand({})),
    );
    expect(e.name).toBe('InvalidSignatureException');
    expect(e.status).toBe(400);
    expect(e.message).toBe(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret ' +
        'Access Key and signing method. Consult the service documentation for details.',
    );
  });

  it('a body changed after signing fails (the payload hash is checked)', async () => {
    const headers = signAt(Date.now());
    const r = await raw(headers, '', '{"MaxResults": 1}');
    expect(r.status).toBe(400);
    expect(r.json.__type).toBe('InvalidSignatureException');
  });

  it('a signature with the right body passes', async () => {
    const r = await raw(signAt(Date.now()));
    expect(r.status).toBe(200);
  });

  it('no authentication at all: MissingAuthenticationTokenException', async () => {
    const r = await raw({});
    expect(r).toEqual({
      status: 400,
      json: { __type: 'MissingAuthenticationTokenException', Message: 'Missing Authentication Token' },
    });
  });

  it('an incomplete Authorization header names every missing part, then the header', async () => {
    const header = 'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLEALICE/20260101/us-east-1/secretsmanager/aws4_request';
    const r = await raw({ authorization: header });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({
      __type: 'IncompleteSignatureException',
      Message:
        "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' " +
        "parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
        `Authorization=${header}`,
    });
  });

  it('a pair without an equal sign', async () => {
    const header = 'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLEALICE/x SignedHeaders=host, Signature=00';
    const r = await raw({ authorization: header, 'x-amz-date': amzDate(Date.now()) });
    expect(r.json.__type).toBe('IncompleteSignatureException');
    expect(r.json.Message).toBe(
      `'Credential=AKIAEXAMPLEALICE/x SignedHeaders=host' not a valid key=value pair (missing equal-sign) in ` +
        `Authorization header: '${header}'.`,
    );
  });

  it('both forms at once', async () => {
    const r = await raw(signAt(Date.now()), '?X-Amz-Algorithm=AWS4-HMAC-SHA256');
    expect(r.json).toEqual({
      __type: 'InvalidSignatureException',
      Message: "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
    });
  });

  it('signed more than 5 minutes ago: "Signature expired", with the times', async () => {
    const then = Date.now() - 6 * 60_000;
    const r = await raw(signAt(then));
    expect(r.status).toBe(400);
    expect(r.json.__type).toBe('InvalidSignatureException');
    expect(r.json.Message).toMatch(
      new RegExp(
        `^Signature expired: ${amzDate(then)} is now earlier than \\d{8}T\\d{6}Z \\(\\d{8}T\\d{6}Z - 5 min\\.\\)$`,
      ),
    );
  });

  it('signed more than 5 minutes ahead: "Signature not yet current"', async () => {
    const later = Date.now() + 6 * 60_000;
    const r = await raw(signAt(later));
    expect(r.json.__type).toBe('InvalidSignatureException');
    expect(r.json.Message).toMatch(/^Signature not yet current: \d{8}T\d{6}Z is still later than .* \+ 5 min\.\)$/);
  });

  it('within the skew window it passes', async () => {
    expect((await raw(signAt(Date.now() - 4 * 60_000))).status).toBe(200);
  });

  it('a credential scoped to another service or an invalid Region', async () => {
    expect((await raw(signAt(Date.now(), { service: 'kms' }))).json).toEqual({
      __type: 'InvalidSignatureException',
      Message: "Credential should be scoped to correct service: 'secretsmanager'. ",
    });
    expect((await raw(signAt(Date.now(), { region: 'moon' }))).json).toEqual({
      __type: 'InvalidSignatureException',
      Message: "Credential should be scoped to a valid region, not 'moon'. ",
    });
  });

  it('the presigned query form (the SDK signer) is accepted; altered, it is not', async () => {
    const ok = await signedFetch(server.url, ALICE, TARGET, {}, { presign: true });
    expect(ok.status).toBe(200);
    const header = await signedFetch(server.url, ALICE, TARGET, {});
    expect(header.status).toBe(200);
    const bad = await signedFetch(server.url, { ...ALICE, secretAccessKey: 'nope' }, TARGET, {}, { presign: true });
    expect(bad.json.__type).toBe('InvalidSignatureException');
  });

  it('malformed authentication never gets a 5xx', async () => {
    const now = amzDate(Date.now());
    const cases: Record<string, string>[] = [
      { authorization: '' },
      { authorization: 'AWS4-HMAC-SHA256' },
      { authorization: 'AWS4-HMAC-SHA256 ,,,,' },
      { authorization: 'Bearer abc' },
      { authorization: 'AWS4-HMAC-SHA256 Credential=/////, SignedHeaders=, Signature=', 'x-amz-date': now },
      { authorization: `AWS4-HMAC-SHA256 Credential=${'A'.repeat(5000)}, SignedHeaders=host, Signature=zz`, 'x-amz-date': now }, // prettier-ignore
      { authorization: 'AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=host, Signature=1', 'x-amz-date': 'x' },
      { authorization: 'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLEALICE/20260101/us-east-1/secretsmanager/aws4_request, SignedHeaders=x-amz-date, Signature=00', 'x-amz-date': now }, // prettier-ignore
      { authorization: 'AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=host, Signature=1', date: 'not a date' },
    ];
    for (const headers of cases) {
      const r = await raw(headers);
      expect(r.status, JSON.stringify(headers)).toBe(400);
      expect(r.json.__type).toMatch(/Signature|Authentication|Unrecognized/);
    }
    const q = await raw({}, '?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=%ZZ');
    expect(q.status).toBe(400);
    expect(q.json.Message).toBe(
      "AWS query-string parameters must include 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date'. " +
        'Re-examine the query-string parameters.',
    );
  });

  it('the credentials file is re-read when it changes: a key added works, a key removed stops', async () => {
    const carol = { accessKeyId: 'AKIAEXAMPLENEW01', secretAccessKey: 'new-secret' };
    const next = {
      principals: [
        ...credentials.principals.filter((p) => p.accessKeyId !== BOB.accessKeyId),
        { ...carol, arn: 'arn:aws:iam::111111111111:user/carol', policies: [allowAll] },
      ],
    };
    writeFileSync(path, JSON.stringify(next));
    await expect
      .poll(async () => (await client(server.url, carol).send(new ListSecretsCommand({}))).SecretList, {
        timeout: 5000,
      })
      .toBeDefined();
    const e = await failure(client(server.url, BOB).send(new ListSecretsCommand({})));
    expect(e.name).toBe('UnrecognizedClientException');
    // a file that no longer parses keeps the last good one
    writeFileSync(path, '{"principals": [');
    await new Promise((r) => setTimeout(r, 300));
    expect((await client(server.url, carol).send(new ListSecretsCommand({}))).SecretList).toBeDefined();
    writeFileSync(path, JSON.stringify(credentials));
    await expect
      .poll(async () => (await failure(client(server.url, carol).send(new ListSecretsCommand({})))).name, {
        timeout: 5000,
      })
      .toBe('UnrecognizedClientException');
  });
});
