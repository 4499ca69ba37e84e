import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import type { Scope } from '../domain/types.js';
import { isRegionName } from '../domain/arn.js';

/**
 * `--seed FILE` (JSON or YAML) and `startServer({ seed })`: secrets a server starts with, applied through the same
 * API calls a client would make (validated as they are), and idempotent: a second start with the same file changes
 * nothing, and a value already applied is never put back over a later one (a rotation, a PutSecretValue): each
 * value's version id is derived from the secret and the value, so applying it again is AWS's ignored retry.
 *
 *   secrets:
 *     - name: app/db                 # required
 *       account: "111111111111"      # default: the server's account; region likewise
 *       description: Database login
 *       kmsKeyId: alias/app
 *       value: {username: app, password: s3cret}   # a string, a JSON object (stored as JSON), or
 *       # binary: aGVsbG8=                        # base64 bytes
 *       tags: {team: blue}            # or [{Key, Value}]
 *       policy: {Version: "2012-10-17", Statement: [...]}
 *       versions:                     # more versions, with their labels
 *         - {value: old-password, stages: [AWSPREVIOUS]}
 *       rotation: {rules: {AutomaticallyAfterDays: 30}, lambdaArn: arn:aws:lambda:...}
 *       replicas: [eu-west-1, {region: ap-south-1, kmsKeyId: alias/x}]
 */

export interface SeedVersion {
  readonly value?: string | Record<string, unknown>;
  readonly binary?: string;
  readonly stages?: readonly string[];
}

export interface SeedSecret extends SeedVersion {
  readonly name: string;
  readonly account?: string;
  readonly region?: string;
  readonly description?: string;
  readonly kmsKeyId?: string;
  readonly tags?: Readonly<Record<string, string>> | readonly { Key: string; Value?: string }[];
  readonly policy?: string | Record<string, unknown>;
  readonly versions?: readonly SeedVersion[];
  readonly rotation?: {
    readonly lambdaArn?: string;
    readonly rules?: Record<string, unknown>;
    readonly rotateImmediately?: boolean;
  };
  readonly replicas?: readonly (string | { readonly region: string; readonly kmsKeyId?: string })[];
}

export interface Seed {
  readonly secrets: readonly SeedSecret[];
  /** where each secret was written (1-based line), for errors */
  readonly lines?: readonly number[];
  /** the file, for errors */
  readonly source?: string;
}

export class SeedError extends Error {}

const SECRET_KEYS = new Set([
  'name',
  'account',
  'region',
  'description',
  'kmsKeyId',
  'value',
  'binary',
  'tags',
  'policy',
  'versions',
  'rotation',
  'replicas',
]);

/** The line of the `index`-th item of the top-level `secrets` list: where its name is written. */
function lineOf(text: string, name: unknown, from: number): number {
  const lines = text.split('\n');
  for (let i = Math.max(0, from - 1); i < lines.length; i++) {
    if (typeof name === 'string' && lines[i]!.includes(name) && /name/.test(lines[i]!)) return i + 1;
  }
  return from;
}

/** Parses and checks a seed file's text; an error names the file and line. */
export function parseSeed(text: string, source = 'seed'): Seed {
  let doc: unknown;
  try {
    // the core schema: JSON's types and YAML's plain scalars, never a date or binary object made from a value
    doc = yaml.load(text, { filename: source, schema: yaml.CORE_SCHEMA });
  } catch (e) {
    const mark = (e as { mark?: { line: number } }).mark;
    throw new SeedError(`${source}${mark ? `:${mark.line + 1}` : ''}: neither valid JSON nor valid YAML`);
  }
  return checkSeed(doc, source, text);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkValue(v: Record<string, unknown>, where: string): void {
  if (v.value !== undefined && v.binary !== undefined) throw new SeedError(`${where}: "value" or "binary", not both`);
  if (v.value !== undefined && typeof v.value !== 'string' && !isObject(v.value)) {
    throw new SeedError(`${where}: "value" must be a string or an object`);
  }
  if (v.binary !== undefined && (typeof v.binary !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v.binary))) {
    throw new SeedError(`${where}: "binary" must be base64`);
  }
}

/**
 * Checks a seed's shape, whether it came from a file or as an object (`startServer({ seed })`): every member its
 * type, so that nothing is silently dropped or stored as something else. `text`: the file's, for line numbers.
 */
export function checkSeed(doc: unknown, source = 'seed', text = ''): Seed {
  if (!isObject(doc) || !Array.isArray(doc.secrets)) throw new SeedError(`${source}:1: a "secrets" list expected`);
  const raw = doc.secrets as unknown[];
  const lines: number[] = [];
  let at = 1;
  raw.forEach((s, i) => {
    const name = (s as { name?: unknown } | null)?.name;
    at = text ? lineOf(text, name, at) : 1;
    lines.push(at);
    const where = `${source}:${at}: secrets[${i}]`;
    const fail = (what: string): never => {
      throw new SeedError(`${where}: ${what}`);
    };
    if (!isObject(s)) fail('an object expected');
    const v = s as Record<string, unknown>;
    if (typeof name !== 'string' || name === '') fail('"name" (a string) expected');
    for (const k of Object.keys(v)) if (!SECRET_KEYS.has(k)) fail(`unknown member "${k}"`);
    checkValue(v, where);
    if (v.account !== undefined && !/^\d{12}$/.test(String(v.account))) fail('"account" must be 12 digits');
    if (v.region !== undefined && (typeof v.region !== 'string' || !isRegionName(v.region))) {
      fail('"region" must be a Region name such as us-east-1');
    }
    for (const k of ['description', 'kmsKeyId'] as const) {
      if (v[k] !== undefined && typeof v[k] !== 'string') fail(`"${k}" must be a string`);
    }
    const tags = v.tags;
    if (tags !== undefined) {
      const ok = Array.isArray(tags)
        ? tags.every(
            (t) => isObject(t) && typeof t.Key === 'string' && (t.Value === undefined || typeof t.Value === 'string'),
          )
        : isObject(tags) && Object.values(tags).every((x) => typeof x === 'string');
      if (!ok) fail('"tags" must map keys to strings, or be a list of {Key, Value}');
    }
    if (v.policy !== undefined && typeof v.policy !== 'string' && !isObject(v.policy)) {
      fail('"policy" must be a policy document (an object or its JSON)');
    }
    if (v.versions !== undefined) {
      if (!Array.isArray(v.versions)) fail('"versions" must be a list');
      (v.versions as unknown[]).forEach((x, k) => {
        if (!isObject(x)) fail(`versions[${k}]: an object expected`);
        const ver = x as Record<string, unknown>;
        for (const key of Object.keys(ver)) {
          if (!['value', 'binary', 'stages'].includes(key)) fail(`versions[${k}]: unknown member "${key}"`);
        }
        checkValue(ver, `${where}: versions[${k}]`);
        if (ver.value === undefined && ver.binary === undefined) fail(`versions[${k}]: "value" or "binary" expected`);
        const st = ver.stages;
        if (st !== undefined && (!Array.isArray(st) || !st.every((y) => typeof y === 'string'))) {
          fail(`versions[${k}]: "stages" must be a list of labels`);
        }
      });
    }
    if (v.rotation !== undefined) {
      const r = v.rotation;
      if (!isObject(r)) fail('"rotation" must be an object');
      const rot = r as Record<string, unknown>;
      if (rot.rules !== undefined && !isObject(rot.rules)) fail('"rotation.rules" must be an object');
      if (rot.lambdaArn !== undefined && typeof rot.lambdaArn !== 'string') {
        fail('"rotation.lambdaArn" must be a string');
      }
      if (rot.rotateImmediately !== undefined && typeof rot.rotateImmediately !== 'boolean') {
        fail('"rotation.rotateImmediately" must be true or false');
      }
    }
    if (v.replicas !== undefined) {
      const ok =
        Array.isArray(v.replicas) &&
        v.replicas.every((x) => typeof x === 'string' || (isObject(x) && typeof x.region === 'string'));
      if (!ok) fail('"replicas" must be a list of Regions or {region, kmsKeyId}');
    }
  });
  return { secrets: raw as SeedSecret[], lines, source };
}

export function readSeedFile(path: string): Seed {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new SeedError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code})`);
  }
  return parseSeed(text, path);
}

/** One API call, as a client would make it: the result, or the AWS error. */
export type SeedCall = (
  scope: Scope,
  operation: string,
  input: Record<string, unknown>,
) => Promise<{ ok: true; body: Record<string, unknown> } | { ok: false; code: string; message: string }>;

export interface SeedResult {
  readonly created: number;
  readonly changed: number;
  readonly unchanged: number;
}

/** A version id for a value of a secret: the same value of the same secret always gets the same one. */
function tokenFor(scope: Scope, name: string, kind: string, value: SeedVersion): string {
  const h = createHash('sha256')
    .update(`${scope.accountId}\0${scope.region}\0${name}\0${kind}\0${JSON.stringify(valueOf(value) ?? null)}`)
    .digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function valueOf(v: SeedVersion): Record<string, unknown> | undefined {
  if (v.binary !== undefined) return { SecretBinary: v.binary };
  if (v.value === undefined) return undefined;
  return { SecretString: typeof v.value === 'string' ? v.value : JSON.stringify(v.value) };
}

const tagList = (t: SeedSecret['tags']): { Key: string; Value?: string }[] =>
  t === undefined
    ? []
    : Array.isArray(t)
      ? [...(t as { Key: string; Value?: string }[])]
      : Object.entries(t).map(([Key, Value]) => ({ Key, Value }));

const policyText = (p: SeedSecret['policy']): string | undefined =>
  p === undefined ? undefined : typeof p === 'string' ? p : JSON.stringify(p);

const sameJson = (a: string | undefined, b: string | undefined): boolean => {
  if (a === undefined || b === undefined) return a === b;
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return a === b;
  }
};

/**
 * Applies a seed, secret by secret, in the file's order. Missing secrets are created; existing ones get what the
 * file says of their description, key, tags (added or changed, never removed), policy, values not applied yet,
 * replicas and rotation. Stops at the first error, naming the file, the line and the AWS error.
 */
export async function applySeed(
  seed: Seed,
  call: SeedCall,
  defaults: Scope,
  onProgress?: (done: number) => void,
): Promise<SeedResult> {
  let created = 0;
  let changed = 0;
  let unchanged = 0;
  for (const [i, s] of seed.secrets.entries()) {
    const scope: Scope = { accountId: s.account ?? defaults.accountId, region: s.region ?? defaults.region };
    const must = async (operation: string, input: Record<string, unknown>) => {
      const r = await call(scope, operation, input);
      if (!r.ok) {
        const at = `${seed.source ?? 'seed'}:${seed.lines?.[i] ?? 1}: secrets[${i}] (${s.name})`;
        throw new SeedError(`${at}: ${operation}: ${r.code}: ${r.message}`);
      }
      return r.body;
    };
    const before = await call(scope, 'DescribeSecret', { SecretId: s.name });
    // a secret scheduled for deletion is left as it is (restoring it lets the seed manage it again)
    if (before.ok && before.body.DeletedDate !== undefined) {
      unchanged++;
      onProgress?.(i + 1);
      continue;
    }
    let touched = false;
    const replicas = (s.replicas ?? []).map((r) =>
      typeof r === 'string' ? { Region: r } : { Region: r.region, KmsKeyId: r.kmsKeyId },
    );
    if (!before.ok) {
      // not there (or a name DescribeSecret refuses: CreateSecret then says why, as it would to a client)
      const main = valueOf(s);
      const tags = tagList(s.tags);
      await must('CreateSecret', {
        Name: s.name,
        Description: s.description,
        KmsKeyId: s.kmsKeyId,
        Tags: tags.length ? tags : undefined,
        AddReplicaRegions: replicas.length ? replicas : undefined,
        ...(main ? { ...main, ClientRequestToken: tokenFor(scope, s.name, 'current', s) } : {}),
      });
      created++;
    } else {
      const d = before.body as { Description?: string; KmsKeyId?: string; Tags?: { Key: string; Value: string }[] };
      const update: Record<string, unknown> = {};
      if (s.description !== undefined && s.description !== (d.Description ?? '')) update.Description = s.description;
      if (s.kmsKeyId !== undefined && s.kmsKeyId !== d.KmsKeyId) update.KmsKeyId = s.kmsKeyId;
      if (Object.keys(update).length) {
        await must('UpdateSecret', { SecretId: s.name, ...update });
        touched = true;
      }
      const have = new Map((d.Tags ?? []).map((t) => [t.Key, t.Value]));
      const missing = tagList(s.tags).filter((t) => !have.has(t.Key) || (have.get(t.Key) ?? '') !== (t.Value ?? ''));
      if (missing.length) {
        await must('TagResource', { SecretId: s.name, Tags: missing });
        touched = true;
      }
      const main = valueOf(s);
      if (main) {
        // the same token and value as before: AWS ignores it; a value new in the file becomes AWSCURRENT
        const token = tokenFor(scope, s.name, 'current', s);
        const versions = await must('ListSecretVersionIds', { SecretId: s.name, IncludeDeprecated: true });
        if (!(versions.Versions as { VersionId: string }[]).some((v) => v.VersionId === token)) {
          await must('PutSecretValue', { SecretId: s.name, ClientRequestToken: token, ...main });
          touched = true;
        }
      }
      const regions = new Set(((before.body.ReplicationStatus ?? []) as { Region: string }[]).map((r) => r.Region));
      const newReplicas = replicas.filter((r) => !regions.has(r.Region));
      if (newReplicas.length) {
        await must('ReplicateSecretToRegions', { SecretId: s.name, AddReplicaRegions: newReplicas });
        touched = true;
      }
    }
    for (const [k, v] of (s.versions ?? []).entries()) {
      const value = valueOf(v);
      if (!value) continue;
      const token = tokenFor(scope, s.name, `version-${k}`, v);
      const versions = await must('ListSecretVersionIds', { SecretId: s.name, IncludeDeprecated: true });
      if ((versions.Versions as { VersionId: string }[]).some((x) => x.VersionId === token)) continue;
      await must('PutSecretValue', {
        SecretId: s.name,
        ClientRequestToken: token,
        ...value,
        VersionStages: v.stages?.length ? v.stages : undefined,
      });
      touched = true;
    }
    const policy = policyText(s.policy);
    if (policy !== undefined) {
      const current = await must('GetResourcePolicy', { SecretId: s.name });
      if (!sameJson(current.ResourcePolicy as string | undefined, policy)) {
        await must('PutResourcePolicy', { SecretId: s.name, ResourcePolicy: policy });
        touched = true;
      }
    }
    if (s.rotation) {
      const d = (await must('DescribeSecret', { SecretId: s.name })) as {
        RotationEnabled?: boolean;
        RotationLambdaARN?: string;
        RotationRules?: Record<string, unknown>;
      };
      const rules = s.rotation.rules;
      const same =
        d.RotationEnabled === true &&
        (s.rotation.lambdaArn === undefined || s.rotation.lambdaArn === d.RotationLambdaARN) &&
        (rules === undefined ||
          Object.entries(rules).every(([k, v]) => JSON.stringify(d.RotationRules?.[k]) === JSON.stringify(v)));
      if (!same) {
        await must('RotateSecret', {
          SecretId: s.name,
          RotationLambdaARN: s.rotation.lambdaArn,
          RotationRules: rules,
          RotateImmediately: s.rotation.rotateImmediately ?? false,
          ClientRequestToken: tokenFor(scope, s.name, 'rotation', { value: JSON.stringify(s.rotation) }),
        });
        touched = true;
      }
    }
    if (before.ok) {
      if (touched) changed++;
      else unchanged++;
    }
    onProgress?.(i + 1);
  }
  return { created, changed, unchanged };
}
