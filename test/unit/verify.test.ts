import { describe, expect, it } from 'vitest';
import { canonicalUri, verifySigV4, type SignedRequest } from '../../src/auth/verify.js';
import type { KeyEntry } from '../../src/auth/credentials.js';
import { ServiceError } from '../../src/errors/ServiceError.js';

/**
 * The verifier against AWS's published SigV4 test suite (aws-sig-v4-test-suite: service "service", Region
 * us-east-1, key AKIDEXAMPLE, 2015-08-30T12:36:00Z), each request as the suite writes it and the signature it gives.
 */
const NOW = Date.UTC(2015, 7, 30, 12, 36, 0);
const key: KeyEntry = {
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  principal: {
    arn: 'arn:aws:iam::111111111111:user/example',
    accountId: '111111111111',
    userId: 'AIDAEXAMPLE',
    accessKeyId: 'AKIDEXAMPLE',
    tags: {},
    policies: [],
    type: 'IAMUser',
  },
};
const lookup = (id: string) => (id === 'AKIDEXAMPLE' ? key : ('unknown' as const));

function vector(method: string, path: string, query: string, signature: string, body = ''): SignedRequest {
  return {
    method,
    path,
    query,
    body: Buffer.from(body),
    rawHeaders: [
      'Host',
      'example.amazonaws.com',
      'X-Amz-Date',
      '20150830T123600Z',
      'Authorization',
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ' +
        `SignedHeaders=host;x-amz-date, Signature=${signature}`,
    ],
  };
}
const verify = (req: SignedRequest, now = NOW) =>
  verifySigV4(req, { service: 'service', now, lookup, doubleEncodePath: false });
const error = (f: () => unknown): { code: string; message: string } => {
  try {
    f();
  } catch (e) {
    if (e instanceof ServiceError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('verified');
};

describe('SigV4 verification against AWS test vectors', () => {
  const vectors: [string, SignedRequest][] = [
    ['get-vanilla', vector('GET', '/', '', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31')],
    ['post-vanilla', vector('POST', '/', '', '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b')],
    ['get-vanilla-query', vector('GET', '/', 'Param1=value1', 'a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb')], // prettier-ignore
    ['get-vanilla-query-order-key-case', vector('GET', '/', 'Param2=value2&Param1=value1', 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500')], // prettier-ignore
    ['get-relative (/example/..)', vector('GET', '/example/..', '', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31')], // prettier-ignore
    ['get-slashes (//)', vector('GET', '//', '', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31')], // prettier-ignore
  ];
  it.each(vectors)('%s verifies', (_name, req) => {
    expect(verify(req).principal.arn).toBe('arn:aws:iam::111111111111:user/example');
    expect(verify(req).region).toBe('us-east-1');
  });

  it('an altered method, path, query, body or header fails', () => {
    const [, good] = vectors[0]!;
    const mismatch = 'InvalidSignatureException';
    expect(error(() => verify({ ...good, method: 'POST' })).code).toBe(mismatch);
    expect(error(() => verify({ ...good, path: '/x' })).code).toBe(mismatch);
    expect(error(() => verify({ ...good, query: 'a=b' })).code).toBe(mismatch);
    expect(error(() => verify({ ...good, body: Buffer.from('x') })).code).toBe(mismatch);
    const raw = [...good.rawHeaders];
    raw[1] = 'example2.amazonaws.com';
    expect(error(() => verify({ ...good, rawHeaders: raw })).code).toBe(mismatch);
    const sig = [...good.rawHeaders];
    sig[5] = sig[5]!.replace(/.$/, '0');
    expect(error(() => verify({ ...good, rawHeaders: sig })).code).toBe(mismatch);
  });

  it('the clock window is 5 minutes either way, with AWS messages', () => {
    const [, good] = vectors[0]!;
    expect(verify(good, NOW + 5 * 60_000).region).toBe('us-east-1');
    expect(error(() => verify(good, NOW + 5 * 60_000 + 1000))).toEqual({
      code: 'InvalidSignatureException',
      message: 'Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z (20150830T124101Z - 5 min.)',
    });
    expect(error(() => verify(good, NOW - 5 * 60_000 - 1000))).toEqual({
      code: 'InvalidSignatureException',
      message:
        'Signature not yet current: 20150830T123600Z is still later than 20150830T123559Z (20150830T123059Z + 5 min.)',
    });
  });

  it('an unknown key, a date that is not one, a scope date that differs', () => {
    const [, good] = vectors[0]!;
    const other = good.rawHeaders.map((h) => h.replace('AKIDEXAMPLE', 'AKIDOTHER'));
    expect(error(() => verify({ ...good, rawHeaders: other })).code).toBe('UnrecognizedClientException');
    const month13 = good.rawHeaders.map((h) => h.replace('20150830T123600Z', '20151330T123600Z'));
    expect(error(() => verify({ ...good, rawHeaders: month13 })).code).toBe('IncompleteSignatureException');
    const day = good.rawHeaders.map((h) => h.replace('20150830T123600Z', '20150831T123600Z'));
    expect(error(() => verify({ ...good, rawHeaders: day }, NOW + 86_400_000))).toEqual({
      code: 'InvalidSignatureException',
      message:
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20150830' != " +
        "'20150831', from '20150831T123600Z'.",
    });
  });

  it('canonical URIs: dot segments resolved, each segment encoded (twice for every service but S3)', () => {
    expect(canonicalUri('/a/./b/../c', false)).toBe('/a/c');
    expect(canonicalUri('/example space/', false)).toBe('/example%20space/');
    expect(canonicalUri('/arn%3Aaws%3Alambda', true)).toBe('/arn%253Aaws%253Alambda');
    expect(canonicalUri('/', true)).toBe('/');
  });
});
