import type { Principal } from './principal.js';
import { authorize, compileCached, deniedMessage, type ConditionContext, type DenyReason } from './evaluate.js';
import type { Secret } from '../domain/types.js';
import { AccessDenied } from '../errors/ServiceError.js';
import { accountOfArn } from '../domain/arn.js';

/**
 * The authorization of one request (`--auth sigv4`): who asks, for which action, with which request keys. The
 * pipeline makes one per request; operations ask it about each secret they touch (operations/context.ts does, for
 * every lookup), so the check sees the secret's resource policy and tags as stored. Without `--auth` there is none
 * and nothing is checked.
 */
export class RequestAccess {
  readonly principal: Principal;
  /** `secretsmanager:GetSecretValue` */
  readonly action: string;
  readonly #keys: ConditionContext;
  /**
   * The last secret allowed, by ARN: an operation that looks a secret up again (a read that records its access
   * date, BatchGetSecretValue reading a secret it checked as GetSecretValue) is not checked twice.
   */
  #allowed = '';

  constructor(principal: Principal, action: string, keys: ConditionContext) {
    this.principal = principal;
    this.action = action;
    this.#keys = keys;
  }

  /** AccessDeniedException unless the caller may act on this secret; `shown` is how the caller named it. */
  secret(s: Secret, shown: string, action: string = this.action): void {
    if (this.#allowed === s.arn) return;
    const keys = secretKeys(s, this.#keys);
    const policy = s.resourcePolicy ? resourcePolicyOf(s.resourcePolicy) : undefined;
    this.#check(action, s.arn, accountOf(s.arn), shown, keys, policy);
    this.#allowed = s.arn;
  }

  /**
   * AccessDeniedException unless this request already allowed the secret (a replica's own record, changed after a
   * lookup of its view: the record alone has none of its primary's tags or policy to decide by).
   */
  requireChecked(arn: string, shown: string, action: string = this.action): void {
    if (this.#allowed !== arn) throw AccessDenied(denied(this.principal.arn, action, shown, 'no-identity'));
  }

  /**
   * A secret that is not there: AWS answers AccessDenied, not "not found", to a caller who could not have acted on
   * it (so that names do not leak); the resource is the ARN without its random suffix.
   */
  missing(arnWithoutSuffix: string, shown: string, action: string = this.action): void {
    this.#check(action, arnWithoutSuffix, accountOf(arnWithoutSuffix), shown, this.#keys, undefined);
  }

  /** An action on a resource that is not a secret (a Lambda function): the identity policies decide. */
  resource(arn: string, account: string, action: string = this.action): void {
    this.#check(action, arn, account, arn, this.#keys, undefined);
  }

  /** An action on no particular resource (ListSecrets, GetRandomPassword, BatchGetSecretValue itself). */
  any(action: string = this.action): void {
    this.#check(action, '*', this.principal.accountId, '', this.#keys, undefined);
  }

  #check(
    action: string,
    resource: string,
    resourceAccount: string,
    shown: string,
    context: ConditionContext,
    resourcePolicy: ReturnType<typeof compileCached> | undefined,
  ): void {
    const decision = authorize({
      principal: this.principal,
      action,
      resource,
      resourceAccount,
      resourcePolicy,
      context,
    });
    if (!decision.allowed) throw AccessDenied(denied(this.principal.arn, action, shown, decision.reason));
  }
}

/** IAM's message; an action on no resource names none ("... to perform: secretsmanager:ListSecrets because ..."). */
function denied(principalArn: string, action: string, shown: string, reason: DenyReason): string {
  const text = deniedMessage(principalArn, action, shown || '*', reason);
  return shown ? text : text.replace(' on resource: *', '');
}

const accountOf = (arn: string): string => accountOfArn(arn) ?? '';

/**
 * A stored resource policy, compiled. One that no longer compiles (stored by an older secretlite, whose checks were
 * looser, or imported) counts as no policy rather than locking every caller out of the secret, its owner included.
 */
function resourcePolicyOf(text: string): ReturnType<typeof compileCached> | undefined {
  try {
    return compileCached(text, 'resource');
  } catch {
    return undefined;
  }
}

/** Input members whose value is a Secrets Manager condition key of the same name (lower-cased). */
const INPUT_KEYS: Readonly<Record<string, string>> = {
  'secretsmanager:secretid': 'SecretId',
  'secretsmanager:name': 'Name',
  'secretsmanager:versionstage': 'VersionStage',
  'secretsmanager:versionid': 'VersionId',
  'secretsmanager:description': 'Description',
  'secretsmanager:kmskeyid': 'KmsKeyId',
  'secretsmanager:rotationlambdaarn': 'RotationLambdaARN',
  'secretsmanager:forcedeletewithoutrecovery': 'ForceDeleteWithoutRecovery',
  'secretsmanager:recoverywindowindays': 'RecoveryWindowInDays',
  'secretsmanager:blockpublicpolicy': 'BlockPublicPolicy',
  'secretsmanager:forceoverwritereplicasecret': 'ForceOverwriteReplicaSecret',
};

/** Tag list members of a request: `Tags` (CreateSecret, TagResource) and `TagKeys` (UntagResource). */
interface TagInput {
  Tags?: readonly { Key: string; Value: string }[];
  TagKeys?: readonly string[];
}

/**
 * The request's condition keys (lower-cased names), from the call's input and its transport: the Secrets Manager
 * keys AWS documents ("Condition keys for AWS Secrets Manager", service authorization reference) and the global
 * ones. Computed when a condition asks (most policies ask none), never per request.
 */
export function requestKeys(
  input: Readonly<Record<string, unknown>>,
  transport: { sourceIp: string; secure: boolean; region: string; now: number },
): ConditionContext {
  return {
    get(key: string): string | readonly string[] | undefined {
      switch (key) {
        case 'aws:currenttime':
          return new Date(transport.now).toISOString().replace(/\.\d{3}Z$/, 'Z');
        case 'aws:epochtime':
          return String(Math.floor(transport.now / 1000));
        case 'aws:sourceip':
          return transport.sourceIp;
        case 'aws:securetransport':
          return String(transport.secure);
        case 'aws:requestedregion':
          return transport.region;
        case 'secretsmanager:addreplicaregions': {
          const regions = input.AddReplicaRegions;
          return Array.isArray(regions) ? regions.map((r: { Region?: unknown }) => String(r.Region)) : undefined;
        }
        case 'aws:tagkeys': {
          const { Tags, TagKeys } = input as TagInput;
          return TagKeys ?? Tags?.map((t) => t.Key);
        }
      }
      if (key.startsWith('aws:requesttag/')) {
        const tag = key.slice('aws:requesttag/'.length);
        return (input as TagInput).Tags?.find((t) => t.Key.toLowerCase() === tag)?.Value;
      }
      const member = INPUT_KEYS[key];
      if (member === undefined) return undefined;
      const v = input[member];
      return typeof v === 'string' ? v : typeof v === 'boolean' || typeof v === 'number' ? String(v) : undefined;
    },
  };
}

/** A secret's own keys (its tags, its rotation function) over the request's. */
function secretKeys(s: Secret, request: ConditionContext): ConditionContext {
  return {
    get(key: string) {
      const tag = key.startsWith('secretsmanager:resourcetag/')
        ? key.slice('secretsmanager:resourcetag/'.length)
        : key.startsWith('aws:resourcetag/')
          ? key.slice('aws:resourcetag/'.length)
          : undefined;
      if (tag !== undefined) return s.tags?.find((t) => t.Key.toLowerCase() === tag)?.Value;
      if (key === 'secretsmanager:resource/allowrotationlambdaarn') return s.rotationLambdaARN;
      return request.get(key);
    },
  };
}
