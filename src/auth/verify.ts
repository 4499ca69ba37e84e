import crypto, { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { amzDate, signingKey, uriEncode } from './sigv4.js';
import type { KeyEntry } from './credentials.js';
import type { Principal } from './principal.js';
import { ServiceError } from '../errors/ServiceError.js';
import { MSG } from '../errors/messages.js';
import { isRegionName } from '../domain/arn.js';

/**
 * Checking AWS Signature Version 4 on a request (`--auth sigv4`), both forms: the Authorization header and the
 * presigned query (X-Amz-Algorithm, X-Amz-Credential, ...). The algorithm is AWS's "Create a signed AWS API
 * request" read backwards: the canonical request is rebuilt from what arrived (the raw header lines, the raw body
 * bytes), signed with the key the access key id names, and compared in constant time. Errors are AWS's, in the
 * order kinesalite recorded them (reference/reliability-security.md 1.4): both forms, missing, incomplete, then
 * the credential scope, the key, the clock, the signature. Never a 5xx: every malformed part is a 400.
 */

export interface SignedRequest {
  readonly method: string;
  /** the path as sent, without the query */
  readonly path: string;
  /** the raw query string, without '?' */
  readonly query: string;
  /** node's `rawHeaders`: names and values alternating, as they arrived (repeated headers kept) */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
}

/** A key and its secret, or why not: 'unknown' (no such key, or a session token that is not its own), 'expired'. */
export type KeyLookup = (accessKeyId: string, sessionToken: string | undefined) => KeyEntry | 'unknown' | 'expired';

export interface VerifyOptions {
  /** the signing name the credential scope must carry: secretsmanager, sts, lambda, cloudtrail */
  readonly service: string;
  /** ms since the epoch */
  readonly now: number;
  readonly lookup: KeyLookup;
  /** encode each path segment twice, as every service but S3 signs (AWS's test vectors encode once) */
  readonly doubleEncodePath?: boolean;
}

export interface Verified {
  readonly principal: Principal;
  /** the Region of the credential scope: the request's Region */
  readonly region: string;
}

/** Requests signed more than this before or after the server's clock are refused [wire: Secrets Manager]. */
export const MAX_SKEW_MS = 5 * 60_000;
/** A presigned request lives at most 7 days (X-Amz-Expires), as SigV4 allows. */
export const MAX_PRESIGN_SECONDS = 604_800;

const ALGORITHM = 'AWS4-HMAC-SHA256';
const STAMP = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

const incomplete = (message: string) => new ServiceError('IncompleteSignatureException', message);
const invalid = (message: string) => new ServiceError('InvalidSignatureException', message);

/** The lower-cased header names and their values, repeated ones in arrival order. */
function headerMap(raw: readonly string[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const list = map.get(name);
    if (list) list.push(raw[i + 1]!);
    else map.set(name, [raw[i + 1]!]);
  }
  return map;
}

/** Percent-decoding that never throws: a malformed escape is kept as it is (the signature then fails). */
function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function queryPairs(query: string): [string, string][] {
  if (!query) return [];
  return query
    .split('&')
    .filter((p) => p.length > 0)
    .map((p) => {
      const eq = p.indexOf('=');
      return eq < 0 ? [decode(p), ''] : [decode(p.slice(0, eq)), decode(p.slice(eq + 1))];
    });
}

/** The last timestamp parsed: requests signed in the same second share it. */
let lastStamp = { text: '', ms: NaN };

/** `20150830T123600Z` as ms, or NaN (a date that does not exist, such as month 13, included). */
function parseStamp(stamp: string): number {
  if (stamp === lastStamp.text) return lastStamp.ms;
  const m = STAMP.exec(stamp);
  if (!m) return NaN;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const ok = amzDate(ms) === stamp;
  if (ok) lastStamp = { text: stamp, ms };
  return ok ? ms : NaN;
}

/** The canonical URI: dot segments resolved, empty segments dropped, each segment encoded (twice, but for S3). */
export function canonicalUri(path: string, doubleEncode: boolean): string {
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  const encoded = out.map((seg) => {
    const once = uriEncode(decode(seg));
    return doubleEncode ? uriEncode(once) : once;
  });
  const trailing = path.length > 1 && path.endsWith('/') && out.length > 0 ? '/' : '';
  return `/${encoded.join('/')}${trailing}`;
}

function canonicalQuery(pairs: readonly [string, string][]): string {
  return pairs
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/** One-shot hashing where Node has it (20.12 and later: cheaper than a Hash object), else a Hash object. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string | Buffer, encoding: 'hex') => string }).hash;
const sha256 = (data: string | Buffer): string =>
  oneShot ? oneShot('sha256', data, 'hex') : createHash('sha256').update(data).digest('hex');

/** Signing keys by secret, date, Region and service: one HMAC chain per day instead of one per request. */
const KEYS = new Map<string, Buffer>();
function cachedSigningKey(secret: string, date: string, region: string, service: string): Buffer {
  const id = `${secret}\0${date}\0${region}\0${service}`;
  let key = KEYS.get(id);
  if (!key) {
    if (KEYS.size >= 1024) KEYS.clear();
    key = signingKey(secret, date, region, service);
    KEYS.set(id, key);
  }
  return key;
}

interface Parts {
  readonly credential: string;
  readonly signedHeaders: string;
  readonly signature: string;
  readonly stamp: string;
  readonly sessionToken: string | undefined;
  /** query pairs that are signed (a presigned request's signature excluded) */
  readonly signedQuery: [string, string][];
  /** seconds a presigned request is valid */
  readonly expires?: number;
}

function headerParts(header: string, headers: Map<string, string[]>, query: [string, string][]): Parts {
  const space = header.indexOf(' ');
  const algorithm = space < 0 ? header : header.slice(0, space);
  const params = new Map<string, string>();
  if (algorithm === ALGORITHM) {
    for (const part of header.slice(space + 1).split(',')) {
      const pair = part.trim();
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      if (eq < 0 || /\s/.test(pair)) throw incomplete(MSG.notKeyValue(pair, header));
      params.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  }
  const xAmzDate = headers.get('x-amz-date')?.[0];
  const date = headers.get('date')?.[0];
  let message = '';
  if (!params.has('Credential')) message += MSG.requiresCredential;
  if (!params.has('Signature')) message += MSG.requiresSignature;
  if (!params.has('SignedHeaders')) message += MSG.requiresSignedHeaders;
  if (xAmzDate === undefined && date === undefined) message += MSG.requiresDate;
  if (message) throw incomplete(`${message}Authorization=${header}`);
  let stamp = xAmzDate;
  if (stamp === undefined) {
    const ms = Date.parse(date!);
    stamp = Number.isNaN(ms) ? date! : amzDate(ms);
  }
  return {
    credential: params.get('Credential')!,
    signedHeaders: params.get('SignedHeaders')!,
    signature: params.get('Signature')!,
    stamp,
    sessionToken: headers.get('x-amz-security-token')?.[0],
    signedQuery: query,
  };
}

function queryParts(query: [string, string][]): Parts {
  const get = (name: string) => query.find(([k]) => k === name)?.[1];
  const required = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date'];
  const missing = required.filter((k) => get(k) === undefined);
  if (missing.length > 0) throw incomplete(MSG.queryRequires(missing));
  if (get('X-Amz-Algorithm') !== ALGORITHM) throw incomplete(MSG.queryRequires(['X-Amz-Algorithm']));
  const expires = get('X-Amz-Expires');
  const seconds = expires === undefined ? MAX_PRESIGN_SECONDS : Number(expires);
  if (!/^\d{1,6}$/.test(expires ?? '0') || seconds > MAX_PRESIGN_SECONDS) throw incomplete(MSG.presignExpires);
  return {
    credential: get('X-Amz-Credential')!,
    signedHeaders: get('X-Amz-SignedHeaders')!,
    signature: get('X-Amz-Signature')!,
    stamp: get('X-Amz-Date')!,
    sessionToken: get('X-Amz-Security-Token'),
    signedQuery: query.filter(([k]) => k !== 'X-Amz-Signature'),
    expires: seconds,
  };
}

/** The principal who signed the request, and its Region; or the AWS error that says why not. */
export function verifySigV4(req: SignedRequest, opts: VerifyOptions): Verified {
  const headers = headerMap(req.rawHeaders);
  const query = queryPairs(req.query);
  const authorization = headers.get('authorization')?.[0];
  const presigned = query.some(([k]) => k === 'X-Amz-Algorithm');
  if (authorization !== undefined && presigned) throw invalid(MSG.bothAuthForms);
  if (authorization === undefined && !presigned) {
    throw new ServiceError('MissingAuthenticationTokenException', MSG.missingAuthenticationToken);
  }
  const parts = authorization !== undefined ? headerParts(authorization, headers, query) : queryParts(query);

  const signedAt = parseStamp(parts.stamp);
  if (Number.isNaN(signedAt)) throw incomplete(MSG.badDate(parts.stamp));
  const scope = parts.credential.split('/');
  if (scope.length !== 5) throw incomplete(MSG.badCredential(parts.credential));
  const [accessKeyId, date, region, service, terminator] = scope as [string, string, string, string, string];
  if (terminator !== 'aws4_request') throw invalid(MSG.wrongTerminator(terminator));
  if (date !== parts.stamp.slice(0, 8))
    throw invalid(MSG.credentialDateMismatch(date, parts.stamp.slice(0, 8), parts.stamp));
  if (service !== opts.service) throw invalid(MSG.wrongService(opts.service));
  if (!isRegionName(region)) throw invalid(MSG.wrongRegion(region));

  const key = opts.lookup(accessKeyId, parts.sessionToken);
  if (key === 'unknown') throw new ServiceError('UnrecognizedClientException', MSG.unrecognizedClient);
  if (key === 'expired') throw new ServiceError('ExpiredTokenException', MSG.expiredToken);

  const now = opts.now;
  if (parts.expires !== undefined) {
    if (now > signedAt + parts.expires * 1000 + MAX_SKEW_MS || signedAt > now + MAX_SKEW_MS)
      throw new ServiceError('AccessDeniedException', MSG.presignExpired);
  } else if (signedAt < now - MAX_SKEW_MS) {
    throw invalid(MSG.signatureExpired(parts.stamp, amzDate(now - MAX_SKEW_MS), amzDate(now)));
  } else if (signedAt > now + MAX_SKEW_MS) {
    throw invalid(MSG.signatureNotYetCurrent(parts.stamp, amzDate(now + MAX_SKEW_MS), amzDate(now)));
  }

  const names = parts.signedHeaders.split(';');
  if (!names.includes('host')) throw invalid(MSG.hostNotSigned);
  const canonicalHeaders = names
    .map((n) => `${n}:${(headers.get(n) ?? []).map((v) => v.trim().replace(/\s+/g, ' ')).join(',')}\n`)
    .join('');
  const canonical = [
    req.method,
    canonicalUri(req.path, opts.doubleEncodePath ?? true),
    canonicalQuery(parts.signedQuery),
    canonicalHeaders,
    parts.signedHeaders,
    sha256(req.body),
  ].join('\n');
  const toSign = [ALGORITHM, parts.stamp, `${date}/${region}/${service}/aws4_request`, sha256(canonical)].join('\n');
  const expected = createHmac('sha256', cachedSigningKey(key.secretAccessKey, date, region, service))
    .update(toSign)
    .digest();
  const given = /^[0-9a-f]{64}$/.test(parts.signature) ? Buffer.from(parts.signature, 'hex') : Buffer.alloc(0);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid(MSG.signatureMismatch);
  return { principal: key.principal, region };
}
