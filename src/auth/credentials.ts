import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, unwatchFile, watchFile, type Stats } from 'node:fs';
import yaml from 'js-yaml';
import type { Principal } from './principal.js';
import type { Logger } from '../logger.js';
import type { Random } from '../random.js';

/**
 * The credentials file of `--auth sigv4` (JSON or YAML), reloaded when it changes:
 *
 *   {"principals": [{"accessKeyId": "AKIAEXAMPLEALICE", "secretAccessKey": "...", "accountId": "111111111111",
 *                    "arn": "arn:aws:iam::111111111111:user/alice", "tags": {"team": "blue"}, "policies": [...]}],
 *    "roles": [{"arn": "arn:aws:iam::111111111111:role/Rotator", "policies": [...], "trustPolicy": {...},
 *               "tags": {...}, "maxSessionDuration": 3600}]}
 *
 * A principal may also carry a `sessionToken` (then every request must send it). Its `accountId` may be left out
 * when its ARN names the account. An ARN of a role makes the principal a session of that role (callers are never
 * a role itself on AWS); `arn:aws:iam::<account>:root` is the account's root user, which every identity policy
 * allows.
 *
 * Roles are what STS AssumeRole hands out. Temporary credentials are stateless (see `SessionTokens`), so that
 * every instance sharing the file accepts the credentials any one of them issued, across restarts too.
 */

export interface RoleEntry {
  readonly arn: string;
  readonly accountId: string;
  readonly name: string;
  /** `AROA...`, derived from the ARN (stable across restarts and instances) */
  readonly roleId: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly policies: readonly unknown[];
  /** the role's trust policy (AssumeRolePolicyDocument); absent = the role's own account may assume it */
  readonly trustPolicy?: unknown;
  /** seconds, 3600 by default as IAM's */
  readonly maxSessionDuration: number;
}

/** A key the server knows: its secret, and the principal it stands for. */
export interface KeyEntry {
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  /** temporary credentials: ms since the epoch */
  readonly expiration?: number;
  readonly principal: Principal;
}

export interface CredentialsData {
  readonly keys: ReadonlyMap<string, KeyEntry>;
  readonly roles: ReadonlyMap<string, RoleEntry>;
  /** the key temporary credentials are derived from: a hash of every long-term secret in the file */
  readonly stsKey: Buffer;
}

export class CredentialsError extends Error {}

const ACCOUNT = /^\d{12}$/;
const ACCESS_KEY = /^[A-Z0-9]{16,128}$/;
const IAM_ARN = /^arn:aws:iam::(\d{12}):(root|user\/[\w+=,.@/-]+|role\/[\w+=,.@/-]+)$/;

/** IAM-style unique ids (`AIDA` users, `AROA` roles): 21 characters, derived from the ARN so they are stable. */
export function uniqueId(prefix: 'AIDA' | 'AROA', arn: string): string {
  const h = createHash('sha256').update(arn).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let out = prefix;
  for (let i = 0; i < 17; i++) out += alphabet[h[i]! & 31];
  return out;
}

const lastSegment = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** The session principal of a role: `arn:aws:sts::<account>:assumed-role/<name>/<session>`. */
export function sessionPrincipal(role: RoleEntry, sessionName: string, accessKeyId: string): Principal {
  return {
    arn: `arn:aws:sts::${role.accountId}:assumed-role/${role.name}/${sessionName}`,
    accountId: role.accountId,
    userId: `${role.roleId}:${sessionName}`,
    accessKeyId,
    tags: role.tags,
    policies: role.policies,
    roleArn: role.arn,
    type: 'AssumedRole',
  };
}

/** Every IAM action on every resource: what the root user may do in its own account. */
const ROOT_POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

function fail(where: string, what: string): never {
  throw new CredentialsError(`credentials file: ${where}: ${what}`);
}

function stringMap(v: unknown, where: string): Record<string, string> {
  if (v === undefined) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(where, 'an object of strings expected');
  for (const [k, x] of Object.entries(v)) if (typeof x !== 'string') fail(`${where}.${k}`, 'a string expected');
  return v as Record<string, string>;
}

function policyList(v: unknown, where: string, check: (doc: unknown) => void): unknown[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) fail(where, 'a list of IAM policy documents expected');
  return v.map((doc: unknown, i) => {
    const parsed = typeof doc === 'string' ? parseDoc(doc, `${where}[${i}]`) : doc;
    try {
      check(parsed);
    } catch (e) {
      fail(`${where}[${i}]`, `not a valid IAM policy (${(e as Error).message})`);
    }
    return parsed;
  });
}

function parseDoc(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return fail(where, 'not JSON');
  }
}

function role(raw: unknown, where: string, check: (doc: unknown) => void): RoleEntry {
  if (typeof raw !== 'object' || raw === null) fail(where, 'an object expected');
  const r = raw as Record<string, unknown>;
  const m = typeof r.arn === 'string' ? IAM_ARN.exec(r.arn) : null;
  if (!m || !m[2]!.startsWith('role/'))
    fail(`${where}.arn`, 'a role ARN (arn:aws:iam::<account>:role/<name>) expected');
  const max = r.maxSessionDuration ?? 3600;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 900 || max > 43_200)
    fail(`${where}.maxSessionDuration`, 'seconds between 900 and 43200 expected');
  return {
    arn: r.arn as string,
    accountId: m[1]!,
    name: lastSegment(m[2]!),
    roleId: uniqueId('AROA', r.arn as string),
    tags: stringMap(r.tags, `${where}.tags`),
    policies: policyList(r.policies, `${where}.policies`, check),
    trustPolicy: r.trustPolicy,
    maxSessionDuration: max,
  };
}

/**
 * Parses and checks a credentials file's text. `checkPolicy` throws for a document that is not a valid identity
 * policy (the evaluator's compiler); a file with any error is refused as a whole, with the place named.
 */
export function parseCredentials(text: string, checkPolicy: (doc: unknown) => void): CredentialsData {
  let doc: unknown;
  try {
    doc = text.trimStart().startsWith('{') ? JSON.parse(text) : yaml.load(text);
  } catch (e) {
    const mark = (e as { mark?: { line: number } }).mark;
    fail(mark ? `line ${mark.line + 1}` : 'syntax', 'neither valid JSON nor valid YAML');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) fail('top level', 'an object expected');
  const top = doc as Record<string, unknown>;
  const principals = top.principals ?? [];
  const roleList = top.roles ?? [];
  if (!Array.isArray(principals)) fail('principals', 'a list expected');
  if (!Array.isArray(roleList)) fail('roles', 'a list expected');
  const roles = new Map<string, RoleEntry>();
  roleList.forEach((r, i) => {
    const entry = role(r, `roles[${i}]`, checkPolicy);
    roles.set(entry.arn, entry);
  });
  const keys = new Map<string, KeyEntry>();
  principals.forEach((raw: unknown, i) => {
    const where = `principals[${i}]`;
    if (typeof raw !== 'object' || raw === null) fail(where, 'an object expected');
    const p = raw as Record<string, unknown>;
    if (typeof p.accessKeyId !== 'string' || !ACCESS_KEY.test(p.accessKeyId))
      fail(`${where}.accessKeyId`, '16-128 upper-case letters and digits expected');
    if (keys.has(p.accessKeyId)) fail(`${where}.accessKeyId`, `${p.accessKeyId} appears twice`);
    if (typeof p.secretAccessKey !== 'string' || p.secretAccessKey.length === 0)
      fail(`${where}.secretAccessKey`, 'a string expected');
    if (p.sessionToken !== undefined && typeof p.sessionToken !== 'string')
      fail(`${where}.sessionToken`, 'a string expected');
    const m = typeof p.arn === 'string' ? IAM_ARN.exec(p.arn) : null;
    if (!m) fail(`${where}.arn`, 'an IAM user, role or root ARN expected (arn:aws:iam::<account>:user/<name>)');
    const accountId = p.accountId ?? m[1];
    if (typeof accountId !== 'string' || !ACCOUNT.test(accountId)) fail(`${where}.accountId`, '12 digits expected');
    if (accountId !== m[1]) fail(`${where}.accountId`, `does not match the account of ${p.arn as string}`);
    const tags = stringMap(p.tags, `${where}.tags`);
    const policies = policyList(p.policies, `${where}.policies`, checkPolicy);
    const arn = p.arn as string;
    const kind = m[2]!;
    let principal: Principal;
    if (kind === 'root') {
      principal = { arn, accountId, userId: accountId, accessKeyId: p.accessKeyId, tags, policies: [ROOT_POLICY],
        type: 'Root' }; // prettier-ignore
    } else if (kind.startsWith('user/')) {
      principal = { arn, accountId, userId: uniqueId('AIDA', arn), accessKeyId: p.accessKeyId, tags, policies,
        type: 'IAMUser' }; // prettier-ignore
    } else {
      // a role's own keys: a session of it, named after the key, with the role's policies and the entry's
      const entry = roles.get(arn) ?? role({ arn, tags, policies: p.policies }, where, checkPolicy);
      if (!roles.has(arn)) roles.set(arn, entry);
      principal = sessionPrincipal({ ...entry, tags: { ...entry.tags, ...tags } }, p.accessKeyId, p.accessKeyId);
    }
    keys.set(p.accessKeyId, { secretAccessKey: p.secretAccessKey, sessionToken: p.sessionToken as string, principal });
  });
  const stsKey = createHash('sha256').update('secretlite-sts\0');
  for (const [id, k] of [...keys].sort(([a], [b]) => (a < b ? -1 : 1))) stsKey.update(`${id}\0${k.secretAccessKey}\0`);
  // without a long-term secret in the file the key would be public: a random one, this process's alone
  if (keys.size === 0) stsKey.update(randomBytes(32));
  return { keys, roles, stsKey: stsKey.digest() };
}

/**
 * Temporary credentials without server state: the session token carries the role, the session name and the
 * expiry, sealed with an HMAC under the file's STS key; the secret key is derived from the token. Any instance
 * reading the same credentials file accepts them; changing any long-term secret in the file revokes them all.
 */
export const SessionTokens = {
  issue(
    data: CredentialsData,
    roleArn: string,
    sessionName: string,
    expiration: number,
    random: Random,
  ): { accessKeyId: string; secretAccessKey: string; sessionToken: string } {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    let accessKeyId = 'ASIA';
    for (const b of random.bytes(16)) accessKeyId += alphabet[b & 31];
    const payload = Buffer.from(JSON.stringify({ k: accessKeyId, r: roleArn, s: sessionName, e: expiration }));
    const body = payload.toString('base64url');
    const sessionToken = `${body}.${mac(data.stsKey, `token\0${body}`)}`;
    return { accessKeyId, secretAccessKey: mac(data.stsKey, `secret\0${sessionToken}`), sessionToken };
  },

  /** The key entry for temporary credentials, or why not: 'invalid' (not ours, or altered) or 'expired'. */
  open(
    data: CredentialsData,
    accessKeyId: string,
    sessionToken: string,
    now: number,
  ): KeyEntry | 'invalid' | 'expired' {
    const dot = sessionToken.indexOf('.');
    if (dot < 0 || sessionToken.length > 4096) return 'invalid';
    const body = sessionToken.slice(0, dot);
    const expected = Buffer.from(mac(data.stsKey, `token\0${body}`));
    const given = Buffer.from(sessionToken.slice(dot + 1));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
    let claims: { k?: unknown; r?: unknown; s?: unknown; e?: unknown };
    try {
      claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as typeof claims;
    } catch {
      return 'invalid';
    }
    if (claims.k !== accessKeyId || typeof claims.r !== 'string' || typeof claims.s !== 'string') return 'invalid';
    const role = data.roles.get(claims.r);
    if (!role) return 'invalid';
    if (typeof claims.e !== 'number' || claims.e <= now) return 'expired';
    return {
      secretAccessKey: mac(data.stsKey, `secret\0${sessionToken}`),
      sessionToken,
      expiration: claims.e,
      principal: sessionPrincipal(role, claims.s, accessKeyId),
    };
  },
};

const mac = (key: Buffer, text: string): string => createHmac('sha256', key).update(text).digest('base64url');

/** The credentials file, kept current: re-read when it changes; a file that no longer parses keeps the last good. */
export class CredentialsFile {
  #data: CredentialsData;
  readonly #path: string;
  readonly #check: (doc: unknown) => void;
  readonly #log: Logger;

  constructor(path: string, checkPolicy: (doc: unknown) => void, log: Logger, pollMs = 500) {
    this.#path = path;
    this.#check = checkPolicy;
    this.#log = log;
    this.#data = this.#read();
    watchFile(path, { interval: pollMs, persistent: false }, this.#onChange);
  }

  get data(): CredentialsData {
    return this.#data;
  }

  #read(): CredentialsData {
    let text: string;
    try {
      text = readFileSync(this.#path, 'utf8');
    } catch (e) {
      throw new CredentialsError(`credentials file: cannot read ${this.#path}: ${(e as NodeJS.ErrnoException).code}`);
    }
    return parseCredentials(text, this.#check);
  }

  /** Re-reads the file now (also done by itself when the file changes). */
  reload(): boolean {
    try {
      this.#data = this.#read();
      this.#log.info('credentials file reloaded', { principals: this.#data.keys.size, roles: this.#data.roles.size });
      return true;
    } catch (e) {
      // the message names the place, never a value
      this.#log.error('credentials file not reloaded: keeping the previous one', { error: (e as Error).message });
      return false;
    }
  }

  readonly #onChange = (cur: Stats, prev: Stats): void => {
    if (cur.mtimeMs !== prev.mtimeMs || cur.size !== prev.size || cur.ino !== prev.ino) this.reload();
  };

  close(): void {
    // this watcher only: another server of the process may watch the same file
    unwatchFile(this.#path, this.#onChange);
  }
}
