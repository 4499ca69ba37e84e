import type { Principal } from './principal.js';
import { authorize, compileCached, deniedMessage, type ConditionContext, type DenyReason } from './evaluate.js';
import type { Secret } from '../domain/types.js';
import { AccessDenied } from '../errors/ServiceError.js';

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
    const keys = new Map(this.#keys);
    for (const t of s.tags ?? []) {
      const k = t.Key.toLowerCase();
      keys.set(`secretsmanager:resourcetag/${k}`, t.Value);
      keys.set(`aws:resourcetag/${k}`, t.Value);
    }
    if (s.rotationLambdaARN) keys.set('secretsmanager:resource/allowrotationlambdaarn', s.rotationLambdaARN);
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

const accountOf = (arn: string): string => arn.split(':')[4] ?? '';

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

/** Tag list members of a request: `Tags` (CreateSecret, TagResource) and `TagKeys` (UntagResource). */
interface TagInput {
  Tags?: readonly { Key: string; Value: string }[];
  TagKeys?: readonly string[];
}

/**
 * The request's condition keys (lower-cased), from the call's input and its transport: the Secrets Manager keys
 * AWS documents ("Condition keys for AWS Secrets Manager", service authorization reference) and the global ones.
 */
export function requestKeys(
  input: Readonly<Record<string, unknown>>,
  transport: { sourceIp: string; secure: boolean; region: string; now: number },
): Map<string, string | readonly string[]> {
  const keys = new Map<string, string | readonly string[]>();
  const now = new Date(transport.now);
  keys.set('aws:currenttime', now.toISOString().replace(/\.\d{3}Z$/, 'Z'));
  keys.set('aws:epochtime', String(Math.floor(transport.now / 1000)));
  keys.set('aws:sourceip', transport.sourceIp);
  keys.set('aws:securetransport', String(transport.secure));
  keys.set('aws:requestedregion', transport.region);
  const str = (member: string, key: string) => {
    const v = input[member];
    if (typeof v === 'string') keys.set(key, v);
    else if (typeof v === 'boolean' || typeof v === 'number') keys.set(key, String(v));
  };
  str('SecretId', 'secretsmanager:secretid');
  str('Name', 'secretsmanager:name');
  str('VersionStage', 'secretsmanager:versionstage');
  str('VersionId', 'secretsmanager:versionid');
  str('Description', 'secretsmanager:description');
  str('KmsKeyId', 'secretsmanager:kmskeyid');
  str('RotationLambdaARN', 'secretsmanager:rotationlambdaarn');
  str('ForceDeleteWithoutRecovery', 'secretsmanager:forcedeletewithoutrecovery');
  str('RecoveryWindowInDays', 'secretsmanager:recoverywindowindays');
  str('BlockPublicPolicy', 'secretsmanager:blockpublicpolicy');
  str('ForceOverwriteReplicaSecret', 'secretsmanager:forceoverwritereplicasecret');
  const regions = input.AddReplicaRegions;
  if (Array.isArray(regions)) {
    keys.set(
      'secretsmanager:addreplicaregions',
      regions.map((r: { Region?: unknown }) => String(r.Region)),
    );
  }
  const { Tags, TagKeys } = input as TagInput;
  if (Tags) {
    for (const t of Tags) keys.set(`aws:requesttag/${t.Key.toLowerCase()}`, t.Value);
    keys.set(
      'aws:tagkeys',
      Tags.map((t) => t.Key),
    );
  }
  if (TagKeys) keys.set('aws:tagkeys', TagKeys);
  return keys;
}
