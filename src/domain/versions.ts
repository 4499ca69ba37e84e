import { SHARED_VERSIONS, VERSION_IDS, type Secret, type SecretVersion } from './types.js';
import { shapedVersion } from './secret.js';
import { InvalidParameter, LimitExceeded, ResourceExists } from '../errors/ServiceError.js';
import { MSG } from '../errors/messages.js';
import { DAY_MS } from '../clock.js';

export const AWSCURRENT = 'AWSCURRENT';
export const AWSPREVIOUS = 'AWSPREVIOUS';
export const AWSPENDING = 'AWSPENDING';

/**
 * "removes unlabeled versions when there are more than 100, but it does not remove versions created less than 24
 * hours ago" [Quotas doc]
 */
export const VERSIONS_KEPT = 100;
export const VERSION_MIN_AGE_MS = DAY_MS;
/** Defensive cap (ours): AWS's own per-secret version quota is not documented as a number. */
export const MAX_VERSIONS_PER_SECRET = 10_000;
/** SecretVersionStagesType max 20 [M] */
export const MAX_STAGES_PER_VERSION = 20;

// Shared, and not frozen: V8's array builtins (includes, some) take a slow path on frozen arrays, about twice
// the time. The readonly types keep them unchanged.
const NO_LABELS: readonly string[] = [];
const ONE_LABEL = new Map([AWSCURRENT, AWSPREVIOUS, AWSPENDING].map((l): [string, readonly string[]] => [l, [l]]));

/**
 * Labels as stored. Label arrays are copy-on-write (see SecretVersion.stages), so the common sets (none, or
 * one of the rotation labels) can be one shared array each instead of an array per version.
 */
export function labels(stages: readonly string[]): readonly string[] {
  if (stages.length === 0) return NO_LABELS;
  return stages.length === 1 ? (ONE_LABEL.get(stages[0]!) ?? stages) : stages;
}

export interface SecretValue {
  secretString?: string;
  secretBinary?: Buffer;
}

/** A new version, with only the members that have a value. */
export function newVersion(id: string, now: number, kmsKeyId: string | undefined, value: SecretValue): SecretVersion {
  const binary = value.secretString === undefined ? value.secretBinary : undefined;
  return shapedVersion(id, now, NO_LABELS, value.secretString, binary, undefined, kmsKeyId);
}

export const hasValue = (v: SecretVersion): boolean => v.secretString !== undefined || v.secretBinary !== undefined;

export function sameValue(v: SecretVersion, value: SecretValue): boolean {
  if (value.secretString !== undefined) return v.secretString === value.secretString;
  if (value.secretBinary !== undefined)
    return v.secretBinary !== undefined && v.secretBinary.equals(value.secretBinary);
  return !hasValue(v);
}

// Versions are values: a change replaces a version in the secret's array by a changed copy, never changes it in
// place. A transition's secret is a copy that shares the stored snapshot's versions and, until it changes one, its
// array (cloneSecret, own), so a write costs the versions it changes and at most one copy of the array, not one
// copy of each version (a secret may hold a thousand).
// Lookups run newest first: the labels a write moves and the tokens it names are on the newest versions.
// Loops rather than find with an arrow: these run on every read, and each arrow is an allocation.
function stageIndex(s: Secret, stage: string): number {
  const vs = s.versions;
  for (let i = vs.length - 1; i >= 0; i--) if (vs[i]!.stages.includes(stage)) return i;
  return -1;
}

/**
 * Above this many versions a secret keeps the set of its version ids (VERSION_IDS): a new token (every
 * PutSecretValue's) is known new at once, where a look at each version cost 100 µs at 1,000 versions among
 * 100,000 secrets. A set larger than twice the versions (pruned ones in it) is made anew.
 */
const ID_SET_MIN = 64;

function idIndex(s: Secret, id: string): number {
  const vs = s.versions;
  if (vs.length > ID_SET_MIN) {
    let ids = s[VERSION_IDS];
    if (ids === undefined || ids.size > 2 * vs.length) {
      ids = new Set();
      for (const v of vs) ids.add(v.id);
      s[VERSION_IDS] = ids;
    }
    if (!ids.has(id)) return -1;
  }
  for (let i = vs.length - 1; i >= 0; i--) if (vs[i]!.id === id) return i;
  return -1;
}

export function versionWithStage(s: Secret, stage: string): SecretVersion | undefined {
  const i = stageIndex(s, stage);
  return i < 0 ? undefined : s.versions[i];
}

export function versionById(s: Secret, id: string): SecretVersion | undefined {
  const i = idIndex(s, id);
  return i < 0 ? undefined : s.versions[i];
}

/**
 * The secret's versions array, to change in place: its own (a copy of the one it shares with the snapshot it was
 * copied from, the first time: cloneSecret).
 */
function own(s: Secret): SecretVersion[] {
  if (s[SHARED_VERSIONS] === s.versions) replaceVersions(s, s.versions.slice());
  return s.versions as SecretVersion[];
}

/** A new array of versions: its own (the one it shared, if any, is no longer held: a stored secret keeps none). */
function replaceVersions(s: Secret, versions: readonly SecretVersion[]): void {
  s.versions = versions;
  s[SHARED_VERSIONS] = undefined;
}

/** Version `i` replaced by a copy with `stages` (label arrays are copy-on-write too). */
function restage(s: Secret, i: number, stages: readonly string[]): void {
  const v = s.versions[i]!;
  own(s)[i] = shapedVersion(
    v.id,
    v.createdDate,
    labels(stages),
    v.secretString,
    v.secretBinary,
    v.lastAccessedDate,
    v.kmsKeyId,
  );
}

/** Records a read of version `id` on `day` (a copy of it replaces it); the version read, or undefined if gone. */
export function touchVersion(s: Secret, id: string, day: number): SecretVersion | undefined {
  const i = idIndex(s, id);
  if (i < 0) return undefined;
  const v = s.versions[i]!;
  if (v.lastAccessedDate === day) return v;
  const read = shapedVersion(v.id, v.createdDate, v.stages, v.secretString, v.secretBinary, day, v.kmsKeyId);
  own(s)[i] = read;
  return read;
}

/** Takes `stage` off whichever version holds it. */
function detach(s: Secret, stage: string): void {
  const i = stageIndex(s, stage);
  if (i >= 0)
    restage(
      s,
      i,
      s.versions[i]!.stages.filter((l) => l !== stage),
    );
}

function attach(s: Secret, i: number, stage: string): void {
  const v = s.versions[i]!;
  if (v.stages.includes(stage)) return;
  if (v.stages.length >= MAX_STAGES_PER_VERSION) throw LimitExceeded(MSG.tooManyStages);
  restage(s, i, v.stages.concat([stage])); // exact size (see addVersion)
}

/**
 * Puts `stage` on version `target` (an index), taking it from whichever version held it. AWSCURRENT drags
 * AWSPREVIOUS along: the version it leaves becomes AWSPREVIOUS [M UpdateSecretVersionStage, PutSecretValue].
 */
function moveStage(s: Secret, stage: string, target: number): void {
  const from = stageIndex(s, stage);
  if (from === target) return;
  detach(s, stage);
  attach(s, target, stage);
  if (stage === AWSCURRENT && from >= 0) {
    detach(s, AWSPREVIOUS);
    attach(s, from, AWSPREVIOUS);
  }
}

/**
 * Adds a new version carrying `stages` (default AWSCURRENT). The first version of a secret always gets
 * AWSCURRENT [M]. When AWSCURRENT moves this way, the version it leaves keeps only AWSPREVIOUS of the
 * rotation labels: AWS drops its AWSPENDING [LS-val test_update_secret_version_stages_current_pending].
 */
export function addVersion(
  s: Secret,
  version: SecretVersion,
  stages: readonly string[] | undefined,
  now: number,
): void {
  if (s.versions.length >= MAX_VERSIONS_PER_SECRET) throw LimitExceeded(MSG.versionLimit);
  const wanted = stages ?? [AWSCURRENT];
  // concat makes an array of the exact size; push and spread leave spare capacity (17 slots for one
  // element) in every stored secret.
  replaceVersions(s, s.versions.concat([version]));
  s[VERSION_IDS]?.add(version.id);
  applyStages(
    s,
    s.versions.length - 1,
    wanted.includes(AWSCURRENT) || stageIndex(s, AWSCURRENT) < 0 ? [...new Set([...wanted, AWSCURRENT])] : wanted,
  );
  pruneVersions(s, now);
}

/**
 * Adds a rotation's AWSPENDING version (RotateSecret): it takes only AWSPENDING, even on a secret without an
 * AWSCURRENT version, which keeps none until the rotation's finishSecret moves it [REAL aws-samples #16].
 */
export function addPlaceholderVersion(s: Secret, version: SecretVersion, now: number): void {
  if (s.versions.length >= MAX_VERSIONS_PER_SECRET) throw LimitExceeded(MSG.versionLimit);
  replaceVersions(s, s.versions.concat([version]));
  s[VERSION_IDS]?.add(version.id);
  moveStage(s, AWSPENDING, s.versions.length - 1);
  pruneVersions(s, now);
}

/** Gives version `i` the labels in `stages`, moving each from wherever it was. */
function applyStages(s: Secret, i: number, stages: readonly string[]): void {
  for (const stage of new Set(stages)) {
    const from = stageIndex(s, stage);
    moveStage(s, stage, i);
    if (stage === AWSCURRENT && from >= 0 && from !== i) {
      restage(
        s,
        from,
        s.versions[from]!.stages.filter((l) => l !== AWSPENDING),
      );
    }
  }
}

/**
 * Drops the oldest unlabelled versions beyond VERSIONS_KEPT, never one younger than 24 hours. Versions are in
 * creation order, so the scan for one old enough stops at the first younger than a day: a secret of many young
 * versions (a busy day) costs no copy of its array per write.
 */
export function pruneVersions(s: Secret, now: number): void {
  let excess = s.versions.length - VERSIONS_KEPT;
  if (excess <= 0) return;
  let any = false;
  for (const v of s.versions) {
    if (now - v.createdDate < VERSION_MIN_AGE_MS) break;
    if (v.stages.length === 0) {
      any = true;
      break;
    }
  }
  if (!any) return;
  replaceVersions(
    s,
    s.versions.filter((v) => {
      if (excess > 0 && v.stages.length === 0 && now - v.createdDate >= VERSION_MIN_AGE_MS) {
        excess--;
        return false;
      }
      return true;
    }),
  );
}

/**
 * What a ClientRequestToken names in a secret: nothing yet (a new version), a version holding this very value
 * (a retry: "the request is ignored" [M]), or a version without a value, the AWSPENDING placeholder RotateSecret
 * creates, which takes the value (the rotation template's createSecret step does exactly this). A version holding
 * another value is ResourceExistsException [M; moto @aws_verified].
 */
export type TokenMatch =
  | { readonly kind: 'new' }
  | { readonly kind: 'retry'; readonly version: SecretVersion }
  | { readonly kind: 'placeholder'; readonly version: SecretVersion };

const NEW: TokenMatch = { kind: 'new' };

export function matchToken(s: Secret, token: string, value: SecretValue): TokenMatch {
  const existing = versionById(s, token);
  if (!existing) return NEW;
  if (!hasValue(existing)) return { kind: 'placeholder', version: existing };
  if (sameValue(existing, value)) return { kind: 'retry', version: existing };
  throw ResourceExists(MSG.tokenInUse(token, s.arn));
}

/**
 * Writes `value` under `token` (PutSecretValue, UpdateSecret): a new version with `stages` (default AWSCURRENT),
 * or the rotation's placeholder filled, taking `stages` (default: the labels it has); a retry changes nothing.
 */
export function writeValue(
  s: Secret,
  token: string,
  value: SecretValue,
  stages: readonly string[] | undefined,
  now: number,
): { version: SecretVersion; changed: boolean } {
  const match = matchToken(s, token, value);
  if (match.kind === 'retry') return { version: match.version, changed: false };
  if (match.kind === 'new') {
    addVersion(s, newVersion(token, now, s.kmsKeyId, value), stages, now);
    // the version as it is now, labels given (a label change replaced the object added)
    return { version: versionById(s, token)!, changed: true };
  }
  const placeholder = match.version;
  const binary = value.secretString === undefined ? value.secretBinary : undefined;
  const version = shapedVersion(
    placeholder.id,
    placeholder.createdDate,
    placeholder.stages,
    value.secretString,
    binary,
    placeholder.lastAccessedDate,
    placeholder.kmsKeyId,
  );
  const i = s.versions.indexOf(placeholder);
  own(s)[i] = version;
  applyStages(s, i, stages ?? version.stages);
  pruneVersions(s, now);
  return { version: versionById(s, placeholder.id)!, changed: true };
}

/** UpdateSecretVersionStage [M; TF for the AWSCURRENT message]. */
export function updateVersionStage(
  s: Secret,
  stage: string,
  moveTo: string | undefined,
  removeFrom: string | undefined,
): void {
  const holder = stageIndex(s, stage);
  const requireVersion = (id: string): number => {
    const i = idIndex(s, id);
    if (i < 0) throw InvalidParameter(MSG.notAValidVersion(id));
    return i;
  };
  if (removeFrom !== undefined) {
    const from = requireVersion(removeFrom);
    if (!s.versions[from]!.stages.includes(stage)) throw InvalidParameter(MSG.labelNotOnVersion(stage, removeFrom));
  }
  if (moveTo === undefined) {
    if (removeFrom === undefined) throw InvalidParameter(MSG.stageNeedsVersion);
    if (stage === AWSCURRENT) throw InvalidParameter(MSG.cannotRemoveAwsCurrent);
    detach(s, stage);
    return;
  }
  const target = requireVersion(moveTo);
  if (holder >= 0 && holder !== target && s.versions[holder]!.id !== removeFrom) {
    throw InvalidParameter(MSG.labelOnOtherVersion(stage, s.versions[holder]!.id));
  }
  moveStage(s, stage, target);
}
