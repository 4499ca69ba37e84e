import type { Secret, SecretVersion } from './types.js';
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

// Loops rather than find with an arrow: these run on every read, and each arrow is an allocation.
export function versionWithStage(s: Secret, stage: string): SecretVersion | undefined {
  for (const v of s.versions) if (v.stages.includes(stage)) return v;
  return undefined;
}

export function versionById(s: Secret, id: string): SecretVersion | undefined {
  for (const v of s.versions) if (v.id === id) return v;
  return undefined;
}

function detach(s: Secret, stage: string): SecretVersion | undefined {
  const holder = versionWithStage(s, stage);
  if (holder) holder.stages = labels(holder.stages.filter((l) => l !== stage));
  return holder;
}

function attach(v: SecretVersion, stage: string): void {
  if (v.stages.includes(stage)) return;
  if (v.stages.length >= MAX_STAGES_PER_VERSION) throw LimitExceeded(MSG.tooManyStages);
  v.stages = labels(v.stages.concat([stage])); // copy-on-write, exact size (see addVersion)
}

/**
 * Puts `stage` on `target`, taking it from whichever version held it. AWSCURRENT drags AWSPREVIOUS
 * along: the version it leaves becomes AWSPREVIOUS [M UpdateSecretVersionStage, PutSecretValue].
 */
export function moveStage(s: Secret, stage: string, target: SecretVersion): void {
  const from = versionWithStage(s, stage);
  if (from === target) return;
  detach(s, stage);
  attach(target, stage);
  if (stage === AWSCURRENT && from) {
    detach(s, AWSPREVIOUS);
    attach(from, AWSPREVIOUS);
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
  s.versions = s.versions.concat([version]);
  applyStages(
    s,
    version,
    wanted.includes(AWSCURRENT) || !versionWithStage(s, AWSCURRENT) ? [...new Set([...wanted, AWSCURRENT])] : wanted,
  );
  pruneVersions(s, now);
}

/** Gives `version` the labels in `stages`, moving each from wherever it was. */
export function applyStages(s: Secret, version: SecretVersion, stages: readonly string[]): void {
  for (const stage of new Set(stages)) {
    const from = versionWithStage(s, stage);
    moveStage(s, stage, version);
    if (stage === AWSCURRENT && from && from !== version) {
      from.stages = labels(from.stages.filter((l) => l !== AWSPENDING));
    }
  }
}

/** Drops the oldest unlabelled versions beyond VERSIONS_KEPT, never one younger than 24 hours. */
export function pruneVersions(s: Secret, now: number): void {
  let excess = s.versions.length - VERSIONS_KEPT;
  if (excess <= 0) return;
  s.versions = s.versions.filter((v) => {
    if (excess > 0 && v.stages.length === 0 && now - v.createdDate >= VERSION_MIN_AGE_MS) {
      excess--;
      return false;
    }
    return true;
  });
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
    const version = newVersion(token, now, s.kmsKeyId, value);
    addVersion(s, version, stages, now);
    return { version, changed: true };
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
  s.versions = s.versions.map((v) => (v === placeholder ? version : v));
  applyStages(s, version, stages ?? version.stages);
  pruneVersions(s, now);
  return { version, changed: true };
}

/** UpdateSecretVersionStage [M; TF for the AWSCURRENT message]. */
export function updateVersionStage(
  s: Secret,
  stage: string,
  moveTo: string | undefined,
  removeFrom: string | undefined,
): void {
  const holder = versionWithStage(s, stage);
  const requireVersion = (id: string): SecretVersion => {
    const v = versionById(s, id);
    if (!v) throw InvalidParameter(MSG.notAValidVersion(id));
    return v;
  };
  if (removeFrom !== undefined) {
    const from = requireVersion(removeFrom);
    if (!from.stages.includes(stage)) throw InvalidParameter(MSG.labelNotOnVersion(stage, removeFrom));
  }
  if (moveTo === undefined) {
    if (removeFrom === undefined) throw InvalidParameter(MSG.stageNeedsVersion);
    if (stage === AWSCURRENT) throw InvalidParameter(MSG.cannotRemoveAwsCurrent);
    detach(s, stage);
    return;
  }
  const target = requireVersion(moveTo);
  if (holder && holder !== target && holder.id !== removeFrom) {
    throw InvalidParameter(MSG.labelOnOtherVersion(stage, holder.id));
  }
  moveStage(s, stage, target);
}
