import { describe, expect, it } from 'vitest';
import { sign } from '../../src/auth/sigv4.js';

/** AWS's published SigV4 test suite (aws-sig-v4-test-suite): the vanilla requests and their signatures. */
const vector = (url: string, method = 'GET', body = '') =>
  sign({
    method,
    url: new URL(url),
    headers: {},
    body,
    region: 'us-east-1',
    service: 'service',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
    now: Date.UTC(2015, 7, 30, 12, 36, 0),
    payloadHashHeader: false,
  });

describe('SigV4 signer against AWS test vectors', () => {
  it('get-vanilla', () => {
    expect(vector('https://example.amazonaws.com/').authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ' +
        'SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });
  it('get-vanilla-query-order-key-case: the query sorted before signing', () => {
    expect(vector('https://example.amazonaws.com/?Param2=value2&Param1=value1').authorization).toMatch(
      /Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500$/,
    );
  });
  it('signs the payload hash header and a session token when asked', () => {
    const h = sign({
      method: 'POST',
      url: new URL(
        'http://127.0.0.1:9/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A0%3Afunction%3Af/invocations',
      ),
      headers: { 'x-amz-invocation-type': 'DryRun' },
      body: '{}',
      region: 'us-east-1',
      service: 'lambda',
      credentials: { accessKeyId: 'AK', secretAccessKey: 'SK', sessionToken: 'TOKEN' },
      now: Date.UTC(2026, 0, 1),
    });
    expect(h['x-amz-content-sha256']).toBe('44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
    expect(h['x-amz-security-token']).toBe('TOKEN');
    expect(h.authorization).toMatch(
      /SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-invocation-type;x-amz-security-token, Signature=[0-9a-f]{64}$/,
    );
  });
});
