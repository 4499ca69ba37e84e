/**
 * CloudTrail records of what Secrets Manager did: pure functions from an API call (or a service event) to the
 * record CloudTrail would write. Nothing here reads the clock or a random source of its own; the event's time and
 * a uuid source are given.
 *
 * Sources for the shapes (cited again where used):
 * - [CT-rec] record contents:
 *   https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 * - [CT-uid] userIdentity:
 *   https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
 * - [CT-svc] service events (eventType AwsServiceEvent, serviceEventDetails):
 *   https://docs.aws.amazon.com/awscloudtrail/latest/userguide/non-api-aws-service-events.html
 * - [SM-ct] Secrets Manager's entries, the service events it writes and the CreateSecret/DeleteSecret examples:
 *   https://docs.aws.amazon.com/secretsmanager/latest/userguide/cloudtrail_log_entries.html and its earlier
 *   version https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieve-ct-entries.html
 * - [SM-arn] "Before February 2024, some Secrets Manager operations reported events that contained "aRN" instead
 *   of "arn"" ([SM-ct]; https://repost.aws/knowledge-center/secrets-manager-arn): responseElements name the ARN
 *   `arn` now.
 * - [REAL-svc] RotationSucceeded and RotationFailed records as EventBridge delivered them (2021, quoted in an AWS
 *   blog's sample and in a Slack notifier's source): userIdentity {accountId, invokedBy}, sourceIPAddress and
 *   userAgent "secretsmanager.amazonaws.com", requestParameters and responseElements null,
 *   additionalEventData {SecretId}, requestID "Rotation-<arn>-<token>", errorMessage on a failure, readOnly false,
 *   managementEvent true, eventCategory "Management", no resources.
 * - [REAL-api] a GetSecretValue record (eventVersion 1.09, requestParameters {secretId, versionId}, readOnly true,
 *   an AssumedRole userIdentity with sessionContext) and a PutSecretValue record (requestParameters {secretId,
 *   clientRequestToken}, responseElements {arn}), both 2024, quoted in public detection rules and docs.
 */
import type { Principal } from '../auth/principal.js';
import type { OperationName } from '../model/service.js';
import type { OperationInputs, OperationOutputs } from '../model/types.js';

/** 1.09 is the version [REAL-api] records carry; 1.10 and 1.11 add fields we never write [CT-rec]. */
export const EVENT_VERSION = '1.09';
export const EVENT_SOURCE = 'secretsmanager.amazonaws.com';
export const SECRET_RESOURCE_TYPE = 'AWS::SecretsManager::Secret';

/**
 * The service events Secrets Manager writes [SM-ct]. Others may be recorded (ServiceEvent.eventName is a string):
 * the replication events of the current page were not seen in any record we could read [unverified].
 */
export const SERVICE_EVENT_NAMES = [
  'RotationStarted',
  'RotationSucceeded',
  'RotationFailed',
  'RotationAbandoned',
  'StartSecretVersionDelete',
  'CancelSecretVersionDelete',
  'EndSecretVersionDelete',
] as const;

/** What the pipeline knows of an API call once it has an answer (or an error). */
export interface ApiCallEvent {
  /** ms since the epoch */
  time: number;
  principal: Principal | undefined;
  accessKeyId?: string;
  accountId: string;
  region: string;
  sourceIp: string;
  userAgent?: string;
  operation: string;
  /** the validated input; undefined when the request never got that far */
  input: Readonly<Record<string, unknown>> | undefined;
  /** the handler's result before serialization: may hold secret values, which are never logged */
  output?: unknown;
  errorCode?: string;
  errorMessage?: string;
  requestId: string;
  /** the secret the call named, when the pipeline resolved it */
  resourceArn?: string;
}

/** Something Secrets Manager did on its own: a rotation's progress, a scheduled deletion. */
export interface ServiceEvent {
  /** ms since the epoch */
  time: number;
  accountId: string;
  region: string;
  eventName: string;
  secretArn: string;
  /** serviceEventDetails: only allow-listed keys with string, number or boolean values are written */
  details?: Record<string, unknown>;
  /** RotationFailed carries one, e.g. "Error when executing lambda <arn> during createSecret step" [REAL-svc] */
  errorMessage?: string;
  /** [REAL-svc] rotations use "Rotation-<secret arn>-<token>"; absent: none written */
  requestId?: string;
}

export interface SessionIssuer {
  type: 'Role';
  principalId: string;
  arn: string;
  accountId: string;
  userName: string;
}

export interface UserIdentity {
  type?: string;
  principalId?: string;
  arn?: string;
  accountId: string;
  accessKeyId?: string;
  userName?: string;
  sessionContext?: { attributes: { mfaAuthenticated: 'false' }; sessionIssuer?: SessionIssuer };
  invokedBy?: string;
}

export interface CloudTrailResource {
  accountId: string;
  type: string;
  ARN: string;
}

/** Members in the order CloudTrail writes them ([CT-rec], [REAL-svc]); absent members are undefined. */
export interface CloudTrailRecord {
  eventVersion: string;
  userIdentity: UserIdentity;
  /** ISO 8601 to the second: `2026-12-06T10:00:00Z` */
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent?: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  additionalEventData?: Record<string, unknown>;
  requestID?: string;
  eventID: string;
  readOnly: boolean;
  resources?: CloudTrailResource[];
  eventType: 'AwsApiCall' | 'AwsServiceEvent';
  managementEvent: true;
  recipientAccountId: string;
  serviceEventDetails?: Record<string, unknown>;
  eventCategory: 'Management';
}

export interface UuidSource {
  uuid(): string;
}

/** `2026-12-06T10:00:00Z`: CloudTrail writes whole seconds [CT-rec examples]. */
export const eventTimeOf = (ms: number): string => new Date(ms).toISOString().slice(0, 19) + 'Z';

// ---- allow-lists ----------------------------------------------------------------------------------------------

/** Takes an allowed member's value, or undefined to leave it out. Never returns what it was not told to take. */
type Take = (v: unknown) => unknown;

const scalar: Take = (v) => (typeof v === 'string' || typeof v === 'boolean' || isFiniteNumber(v) ? v : undefined);
const strings: Take = (v) => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : undefined);
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A structure: only the named members, each by its own Take, renamed the way CloudTrail names them. */
function struct(members: Readonly<Record<string, Take>>): Take {
  return (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
    return pick(v as Record<string, unknown>, members);
  };
}
const listOf =
  (item: Take): Take =>
  (v) =>
    Array.isArray(v) ? v.map(item).filter((x) => x !== undefined) : undefined;

/**
 * CloudTrail writes the request's members in camelCase (`secretId`, `versionStage` [SM-ct], `recoveryWindowInDays`
 * [SM-ct DeleteSecret]); an all-capitals name is lower-cased whole (`ARN` -> `arn` [SM-arn]).
 */
export const camel = (name: string): string =>
  name === name.toUpperCase() ? name.toLowerCase() : name.charAt(0).toLowerCase() + name.slice(1);

function pick(
  from: Readonly<Record<string, unknown>>,
  members: Readonly<Record<string, Take>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [member, take] of Object.entries(members)) {
    if (!Object.prototype.hasOwnProperty.call(from, member)) continue;
    const v = take(from[member]);
    if (v !== undefined) out[camel(member)] = v;
  }
  return out;
}

const tags = listOf(struct({ Key: scalar, Value: scalar }));
const filters = listOf(struct({ Key: scalar, Values: strings }));
const replicaRegions = listOf(struct({ Region: scalar, KmsKeyId: scalar }));
const rotationRules = struct({ AutomaticallyAfterDays: scalar, Duration: scalar, ScheduleExpression: scalar });
const metadata = listOf(struct({ Key: scalar, Value: scalar }));

/**
 * Java's default date text, which [SM-ct]'s DeleteSecret example shows for deletionDate ("May 3, 2018 5:51:02
 * PM"); in UTC. Whether records still carry it is [unverified]: it is the only example of a date we found.
 */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
export function javaDateText(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const h = d.getUTCHours();
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()} ` +
    `${h % 12 === 0 ? 12 : h % 12}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`
  );
}
const dateText: Take = (v) => (isFiniteNumber(v) ? javaDateText(v) : undefined);

/** Members of an input that no record may ever hold: the model marks them sensitive. */
type Sensitive = 'SecretString' | 'SecretBinary' | 'RotationToken';

interface OperationAudit<K extends OperationName> {
  readonly readOnly: boolean;
  /** requestParameters: the members logged; a sensitive member cannot be named here (a type error) */
  readonly request: { readonly [M in Exclude<keyof OperationInputs[K], Sensitive>]?: Take };
  /** responseElements: the members logged from the handler's result; absent: null, as for every read */
  readonly response?: { readonly [M in keyof OperationOutputs[K]]?: Take };
}

const ARN_ONLY = { ARN: scalar } as const;

/**
 * Per operation: readOnly, and which members CloudTrail shows. Reads answer responseElements null (GetSecretValue
 * [SM-ct], [REAL-api]); writes answer the secret's ARN ([REAL-api] PutSecretValue, [SM-arn]), DeleteSecret its
 * name and deletion date too ([SM-ct] example). The members a write answers beyond the ARN (Name, VersionId) are
 * left out for want of an example [unverified]. GetRandomPassword's password is never logged. An operation
 * missing here does not compile.
 */
const AUDIT: { readonly [K in OperationName]: OperationAudit<K> } = {
  BatchGetSecretValue: {
    readOnly: true,
    request: { SecretIdList: strings, Filters: filters, MaxResults: scalar, NextToken: scalar },
  },
  CancelRotateSecret: { readOnly: false, request: { SecretId: scalar }, response: ARN_ONLY },
  CreateSecret: {
    readOnly: false,
    request: {
      Name: scalar,
      ClientRequestToken: scalar,
      Description: scalar,
      KmsKeyId: scalar,
      Tags: tags,
      AddReplicaRegions: replicaRegions,
      ForceOverwriteReplicaSecret: scalar,
      Type: scalar,
    },
    response: ARN_ONLY,
  },
  DeleteResourcePolicy: { readOnly: false, request: { SecretId: scalar }, response: ARN_ONLY },
  DeleteSecret: {
    readOnly: false,
    request: { SecretId: scalar, RecoveryWindowInDays: scalar, ForceDeleteWithoutRecovery: scalar },
    response: { Name: scalar, DeletionDate: dateText, ARN: scalar },
  },
  DescribeSecret: { readOnly: true, request: { SecretId: scalar } },
  GetRandomPassword: {
    readOnly: true,
    request: {
      PasswordLength: scalar,
      ExcludeCharacters: scalar,
      ExcludeNumbers: scalar,
      ExcludePunctuation: scalar,
      ExcludeUppercase: scalar,
      ExcludeLowercase: scalar,
      IncludeSpace: scalar,
      RequireEachIncludedType: scalar,
    },
  },
  GetResourcePolicy: { readOnly: true, request: { SecretId: scalar } },
  GetSecretValue: { readOnly: true, request: { SecretId: scalar, VersionId: scalar, VersionStage: scalar } },
  ListSecretVersionIds: {
    readOnly: true,
    request: { SecretId: scalar, MaxResults: scalar, NextToken: scalar, IncludeDeprecated: scalar },
  },
  ListSecrets: {
    readOnly: true,
    request: {
      IncludePlannedDeletion: scalar,
      MaxResults: scalar,
      NextToken: scalar,
      Filters: filters,
      SortOrder: scalar,
      SortBy: scalar,
    },
  },
  PutResourcePolicy: {
    readOnly: false,
    request: { SecretId: scalar, ResourcePolicy: scalar, BlockPublicPolicy: scalar },
    response: ARN_ONLY,
  },
  PutSecretValue: {
    readOnly: false,
    request: { SecretId: scalar, ClientRequestToken: scalar, VersionStages: strings },
    response: ARN_ONLY,
  },
  RemoveRegionsFromReplication: {
    readOnly: false,
    request: { SecretId: scalar, RemoveReplicaRegions: strings },
    response: ARN_ONLY,
  },
  ReplicateSecretToRegions: {
    readOnly: false,
    request: { SecretId: scalar, AddReplicaRegions: replicaRegions, ForceOverwriteReplicaSecret: scalar },
    response: ARN_ONLY,
  },
  RestoreSecret: { readOnly: false, request: { SecretId: scalar }, response: ARN_ONLY },
  RotateSecret: {
    readOnly: false,
    request: {
      SecretId: scalar,
      ClientRequestToken: scalar,
      RotationLambdaARN: scalar,
      RotationRules: rotationRules,
      ExternalSecretRotationMetadata: metadata,
      ExternalSecretRotationRoleArn: scalar,
      RotateImmediately: scalar,
    },
    response: ARN_ONLY,
  },
  StopReplicationToReplica: { readOnly: false, request: { SecretId: scalar }, response: ARN_ONLY },
  TagResource: { readOnly: false, request: { SecretId: scalar, Tags: tags } },
  UntagResource: { readOnly: false, request: { SecretId: scalar, TagKeys: strings } },
  UpdateSecret: {
    readOnly: false,
    request: { SecretId: scalar, ClientRequestToken: scalar, Description: scalar, KmsKeyId: scalar, Type: scalar },
    response: ARN_ONLY,
  },
  UpdateSecretVersionStage: {
    readOnly: false,
    request: { SecretId: scalar, VersionStage: scalar, RemoveFromVersionId: scalar, MoveToVersionId: scalar },
    response: ARN_ONLY,
  },
  ValidateResourcePolicy: { readOnly: true, request: { SecretId: scalar, ResourcePolicy: scalar } },
};

interface AnyAudit {
  readonly readOnly: boolean;
  readonly request: Readonly<Record<string, Take>>;
  readonly response?: Readonly<Record<string, Take>>;
}

function auditOf(operation: string): AnyAudit | undefined {
  return Object.prototype.hasOwnProperty.call(AUDIT, operation)
    ? (AUDIT[operation as OperationName] as AnyAudit)
    : undefined;
}

/** Whether CloudTrail marks the operation's records readOnly (false for an operation it does not know). */
export const isReadOnly = (operation: string): boolean => auditOf(operation)?.readOnly ?? false;

/** requestParameters: the allow-listed members of the input, or null when there is nothing to show. */
export function requestParametersOf(
  operation: string,
  input: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown> | null {
  const audit = auditOf(operation);
  if (!audit || !input) return null;
  const out = pick(input, audit.request);
  return Object.keys(out).length > 0 ? out : null;
}

/** responseElements: the allow-listed members of a write's result; null for reads and failed calls. */
export function responseElementsOf(operation: string, output: unknown): Record<string, unknown> | null {
  const members = auditOf(operation)?.response;
  if (!members || typeof output !== 'object' || output === null) return null;
  const out = pick(output as Record<string, unknown>, members);
  return Object.keys(out).length > 0 ? out : null;
}

// ---- identities and resources ---------------------------------------------------------------------------------

const lastSegment = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);

/**
 * userIdentity for a caller [CT-uid]: IAMUser {principalId, arn, accountId, accessKeyId, userName}; Root
 * (principalId is the account); AssumedRole with sessionContext.sessionIssuer (the role). A session's
 * creationDate is not known to secretlite and is left out [unverified: AWS always writes one]. A call without a
 * principal is `Unknown`, which CloudTrail uses for identities it cannot name [CT-uid, current version].
 */
export function userIdentityOf(
  principal: Principal | undefined,
  accessKeyId: string | undefined,
  accountId: string,
): UserIdentity {
  if (!principal) return { type: 'Unknown', accountId, accessKeyId };
  const key = accessKeyId ?? principal.accessKeyId;
  switch (principal.type) {
    case 'Root':
      return {
        type: 'Root',
        principalId: principal.accountId,
        arn: principal.arn,
        accountId: principal.accountId,
        accessKeyId: key,
      };
    case 'IAMUser':
      return {
        type: 'IAMUser',
        principalId: principal.userId,
        arn: principal.arn,
        accountId: principal.accountId,
        accessKeyId: key,
        userName: lastSegment(principal.arn),
      };
    default: {
      const roleArn = principal.roleArn ?? roleArnOf(principal.arn, principal.accountId);
      return {
        type: 'AssumedRole',
        principalId: principal.userId,
        arn: principal.arn,
        accountId: principal.accountId,
        accessKeyId: key,
        sessionContext: {
          attributes: { mfaAuthenticated: 'false' },
          sessionIssuer: {
            type: 'Role',
            principalId: principal.userId.split(':')[0]!,
            arn: roleArn,
            accountId: principal.accountId,
            userName: lastSegment(roleArn),
          },
        },
      };
    }
  }
}

/** `arn:aws:sts::111:assumed-role/Role/session` -> `arn:aws:iam::111:role/Role` (a role ARN is kept as it is). */
function roleArnOf(arn: string, accountId: string): string {
  const m = /^arn:([^:]+):sts::\d{12}:assumed-role\/([^/]+)\//.exec(arn);
  return m ? `arn:${m[1]}:iam::${accountId}:role/${m[2]}` : arn;
}

const SECRET_ARN = /^arn:[^:]+:secretsmanager:[^:]*:(\d{12}):secret:/;

/** The secret a result names: an `ARN` member, a stored secret's `arn`, or a value read's `secret.arn`. */
function arnOfOutput(output: unknown): string | undefined {
  if (typeof output !== 'object' || output === null) return undefined;
  const o = output as { ARN?: unknown; arn?: unknown; secret?: { arn?: unknown } };
  for (const v of [o.ARN, o.arn, o.secret?.arn]) if (typeof v === 'string' && SECRET_ARN.test(v)) return v;
  return undefined;
}

/**
 * resources: the secret the record is about. The Secrets Manager records we found carry none (Event history shows
 * `"Resources": []` [SM-ct], [REAL-svc], [REAL-api]); secretlite writes the secret so that LookupEvents can find a
 * secret's records by ResourceName and ResourceType [ours].
 */
function resourcesOf(arn: string | undefined, accountId: string): CloudTrailResource[] | undefined {
  if (!arn) return undefined;
  return [{ accountId: SECRET_ARN.exec(arn)?.[1] ?? accountId, type: SECRET_RESOURCE_TYPE, ARN: arn }];
}

// ---- records --------------------------------------------------------------------------------------------------

/** The record of an API call, successful or not. Secret values never reach it: every member is allow-listed. */
export function buildApiCallRecord(ev: ApiCallEvent, random: UuidSource): CloudTrailRecord {
  const failed = ev.errorCode !== undefined;
  const secretId = ev.input?.SecretId;
  const arn =
    ev.resourceArn ??
    (failed ? undefined : arnOfOutput(ev.output)) ??
    (typeof secretId === 'string' && SECRET_ARN.test(secretId) ? secretId : undefined);
  return {
    eventVersion: EVENT_VERSION,
    userIdentity: userIdentityOf(ev.principal, ev.accessKeyId, ev.accountId),
    eventTime: eventTimeOf(ev.time),
    eventSource: EVENT_SOURCE,
    eventName: ev.operation,
    awsRegion: ev.region,
    sourceIPAddress: ev.sourceIp,
    userAgent: ev.userAgent,
    errorCode: ev.errorCode,
    errorMessage: failed ? ev.errorMessage : undefined,
    requestParameters: requestParametersOf(ev.operation, ev.input),
    responseElements: failed ? null : responseElementsOf(ev.operation, ev.output),
    requestID: ev.requestId,
    eventID: random.uuid(),
    readOnly: isReadOnly(ev.operation),
    resources: resourcesOf(arn, ev.accountId),
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ev.accountId,
    eventCategory: 'Management',
  };
}

/** serviceEventDetails members secretlite writes; anything else in ServiceEvent.details is dropped [ours]. */
const SERVICE_DETAIL_KEYS = ['versionId', 'step', 'region', 'status', 'statusMessage', 'attempt'] as const;

function serviceDetailsOf(details: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!details) return undefined;
  const out: Record<string, unknown> = {};
  for (const k of SERVICE_DETAIL_KEYS) {
    const v = Object.prototype.hasOwnProperty.call(details, k) ? scalar(details[k]) : undefined;
    if (v !== undefined) out[k] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * The record of a service event, as [REAL-svc] shows them: written by secretsmanager.amazonaws.com itself, the
 * secret in additionalEventData.SecretId. serviceEventDetails [CT-svc] holds the allow-listed details given.
 */
export function buildServiceEventRecord(ev: ServiceEvent, random: UuidSource): CloudTrailRecord {
  return {
    eventVersion: EVENT_VERSION,
    userIdentity: { accountId: ev.accountId, invokedBy: EVENT_SOURCE },
    eventTime: eventTimeOf(ev.time),
    eventSource: EVENT_SOURCE,
    eventName: ev.eventName,
    awsRegion: ev.region,
    sourceIPAddress: EVENT_SOURCE,
    userAgent: EVENT_SOURCE,
    errorMessage: ev.errorMessage,
    requestParameters: null,
    responseElements: null,
    additionalEventData: { SecretId: ev.secretArn },
    requestID: ev.requestId,
    eventID: random.uuid(),
    readOnly: false,
    resources: resourcesOf(ev.secretArn, ev.accountId),
    eventType: 'AwsServiceEvent',
    managementEvent: true,
    recipientAccountId: ev.accountId,
    serviceEventDetails: serviceDetailsOf(ev.details),
    eventCategory: 'Management',
  };
}
