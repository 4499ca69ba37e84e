import { createHash, createHmac } from 'node:crypto';

/**
 * AWS Signature Version 4, header form, for the calls secretlite makes itself (a rotation function on an external
 * Lambda endpoint). The algorithm as AWS documents it ("Create a signed AWS API request"): a canonical request, a
 * string to sign over its hash, and a key derived from the secret key, the date, the Region and the service.
 */

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface SignInput {
  readonly method: string;
  readonly url: URL;
  /** lower-case names; host is added */
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly region: string;
  readonly service: string;
  readonly credentials: Credentials;
  /** ms since the epoch */
  readonly now: number;
  /** send x-amz-content-sha256 (default; Lambda and most services accept it; AWS's test vectors have none) */
  readonly payloadHashHeader?: boolean;
}

const sha256 = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/** RFC 3986 encoding, as SigV4 wants it: everything but unreserved characters. */
export const uriEncode = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** `20150830T123600Z` */
export const amzDate = (ms: number): string => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');

export function signingKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service), 'aws4_request');
}

/** The headers to send: the input's, host, x-amz-date, x-amz-content-sha256, the session token and Authorization. */
export function sign(input: SignInput): Record<string, string> {
  const stamp = amzDate(input.now);
  const date = stamp.slice(0, 8);
  const payloadHash = sha256(input.body);
  const headers: Record<string, string> = { ...input.headers, host: input.url.host, 'x-amz-date': stamp };
  if (input.payloadHashHeader !== false) headers['x-amz-content-sha256'] = payloadHash;
  if (input.credentials.sessionToken) headers['x-amz-security-token'] = input.credentials.sessionToken;
  const names = Object.keys(headers)
    .map((n) => n.toLowerCase())
    .sort();
  const canonicalHeaders = names.map((n) => `${n}:${headers[n]!.trim().replace(/\s+/g, ' ')}\n`).join('');
  const signedHeaders = names.join(';');
  // the path as sent, each segment encoded once more (every service but S3)
  const path = input.url.pathname
    .split('/')
    .map((seg) => uriEncode(decodeURIComponent(seg)))
    .map((seg) => uriEncode(seg))
    .join('/');
  const query = [...input.url.searchParams]
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonical = [input.method, path, query, canonicalHeaders, signedHeaders, payloadHash].join('\n');
  const scope = `${date}/${input.region}/${input.service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', stamp, scope, sha256(canonical)].join('\n');
  const signature = hmac(
    signingKey(input.credentials.secretAccessKey, date, input.region, input.service),
    toSign,
  ).toString('hex');
  headers.authorization =
    `AWS4-HMAC-SHA256 Credential=${input.credentials.accessKeyId}/${scope}, ` +
    `SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}
