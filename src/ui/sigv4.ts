/**
 * AWS Signature Version 4, header form, with Web Crypto: what the SDKs send, for the console's POSTs to `/`
 * (AWS's "Create a signed AWS API request"). Signs host, x-amz-date and every other header given, and the body's
 * SHA-256; the server's verifier is src/auth/verify.ts.
 */

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface SignInput {
  /** the request's host as the browser sends it (location.host) */
  readonly host: string;
  /** lower-case names */
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly region: string;
  readonly service: string;
  readonly credentials: Credentials;
  readonly now: Date;
}

const enc = new TextEncoder();

const hex = (buf: ArrayBuffer): string =>
  Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');

async function sha256(data: string): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', enc.encode(data)));
}

async function hmac(key: ArrayBuffer | Uint8Array, data: string): Promise<ArrayBuffer> {
  const k = await crypto.subtle.importKey('raw', key as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  return crypto.subtle.sign('HMAC', k, enc.encode(data));
}

/** `20150830T123600Z` */
export const amzDate = (d: Date): string =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** The headers to send: the given ones plus x-amz-date, the session token and Authorization (never host). */
export async function sign(input: SignInput): Promise<Record<string, string>> {
  const stamp = amzDate(input.now);
  const date = stamp.slice(0, 8);
  const headers: Record<string, string> = { ...input.headers, 'x-amz-date': stamp };
  if (input.credentials.sessionToken) headers['x-amz-security-token'] = input.credentials.sessionToken;
  const all: Record<string, string> = { ...headers, host: input.host };
  const names = Object.keys(all).sort();
  const canonicalHeaders = names.map((n) => `${n}:${all[n]!.trim().replace(/\s+/g, ' ')}\n`).join('');
  const signedHeaders = names.join(';');
  const canonical = ['POST', '/', '', canonicalHeaders, signedHeaders, await sha256(input.body)].join('\n');
  const scope = `${date}/${input.region}/${input.service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', stamp, scope, await sha256(canonical)].join('\n');
  let key = await hmac(enc.encode(`AWS4${input.credentials.secretAccessKey}`), date);
  for (const part of [input.region, input.service, 'aws4_request']) key = await hmac(key, part);
  const signature = hex(await hmac(key, toSign));
  headers.authorization =
    `AWS4-HMAC-SHA256 Credential=${input.credentials.accessKeyId}/${scope}, ` +
    `SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}
