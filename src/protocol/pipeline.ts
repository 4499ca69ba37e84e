import { randomUUID } from 'node:crypto';
import { isAscii } from 'node:buffer';
import { OPERATIONS, type OperationName } from '../model/service.js';
import { OPERATION_HANDLERS } from '../operations/index.js';
import type { Context, Handler } from '../operations/context.js';
import type { OperationResults } from '../operations/results.js';
import type { OperationInputs } from '../model/types.js';
import { validateInput } from '../validation/validate.js';
import { asServiceError, ServiceError, Validation } from '../errors/ServiceError.js';
import type { JsonList } from './JsonList.js';
import { serialize } from './answers.js';
import { MSG } from '../errors/messages.js';
import { isValidName, scopeOfSecretId } from '../domain/arn.js';
import { scopeOf, type ScopeDefaults } from './scope.js';
import type { Clock } from '../clock.js';
import type { RotationEngine } from '../rotation/engine.js';
import type { Random } from '../random.js';
import type { MaybePromise, Store } from '../store/Store.js';
import type { Logger } from '../logger.js';
import { AWS_JSON_1_1, legacyJsonEnvelope, servesMediaType, type Compat } from '../compat.js';
import type { Authenticator } from '../auth/auth.js';
import { RequestAccess, requestKeys } from '../auth/access.js';
import type { Scope } from '../domain/types.js';
import type { SignedRequest } from '../auth/verify.js';
import { anonymousPrincipal } from '../auth/auth.js';
import { handleSts } from '../sts/sts.js';
import { throttlingError, type Throttle } from '../server/throttle.js';
import type { AuditLog } from '../audit/log.js';
import { handleCloudTrailRequest, isCloudTrailTarget } from '../audit/lookup.js';
import type { Principal } from '../auth/principal.js';

/** What the audit record of a call needs, known once the caller is (step 3). */
interface Call {
  readonly scope: Scope;
  readonly principal: Principal | undefined;
  input: Record<string, unknown> | undefined;
}

export interface ApiRequest {
  readonly method: string;
  /** the path as sent (SigV4 signs it) */
  readonly path?: string;
  readonly query: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** the header lines as they arrived (SigV4 signs them, repeated ones included); default: from `headers` */
  readonly rawHeaders?: readonly string[];
  readonly body: Buffer;
  /** the caller's address (aws:SourceIp, the audit log) */
  readonly sourceIp?: string;
  /** whether it came over TLS (aws:SecureTransport) */
  readonly secure?: boolean;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON text, or a list of serialized entries that the HTTP layer writes out without joining (`.text` joins it). */
  body: string | JsonList;
  /** the operation, for the request log */
  operation?: string;
}

export interface Services extends Compat {
  readonly store: Store;
  readonly clock: Clock;
  readonly random: Random;
  readonly rotation: RotationEngine;
  readonly defaults: ScopeDefaults;
  readonly log: Logger;
  /** `--auth sigv4`: signatures checked, policies enforced (absent: any caller, as the access key maps it) */
  readonly auth?: Authenticator;
  /** `--throttle`: AWS's per-operation quotas per account and Region (absent: no limit) */
  readonly throttle?: Throttle;
  /** `--audit`: one CloudTrail record per call (off the request path: the log batches its writes) */
  readonly audit?: AuditLog;
}

const TARGET_PREFIX = 'secretsmanager.';
const utf8 = new TextDecoder('utf-8', { fatal: true });
/** Strict UTF-8 (invalid bytes are refused, never replaced); ASCII, the common case, takes the fast path. */
const decodeBody = (b: Buffer): string => (isAscii(b) ? b.toString('latin1') : utf8.decode(b));

/**
 * Request ids shaped like AWS's (UUIDs): a random prefix per process and a counter. Unique, and far cheaper
 * per request than a fresh random UUID.
 */
const ID_PREFIX = randomUUID().slice(0, 24);
let idCounter = 0;
export const nextRequestId = (): string => ID_PREFIX + (idCounter++ % 0x1000000000000).toString(16).padStart(12, '0');

/** A header's value (the first, if repeated). */
const first = (v: string | string[] | undefined): string | undefined =>
  typeof v === 'string' || v === undefined ? v : v[0];

/** The media type of a Content-Type header, lower-cased, without parameters. */
function mediaType(v: string | undefined): string {
  if (v === AWS_JSON_1_1 || v === undefined) return v ?? '';
  return v.split(';')[0]!.trim().toLowerCase();
}

function jsonResponse(requestId: string, status: number, body: string | JsonList): ApiResponse {
  return {
    status,
    headers: { 'content-type': AWS_JSON_1_1, 'x-amzn-requestid': requestId },
    body,
    operation: undefined,
  };
}

function xmlError(requestId: string, status: number, code: string, message?: string): ApiResponse {
  const body = message === undefined ? `<${code}/>\n` : `<${code}>\n  <Message>${message}</Message>\n</${code}>\n`;
  return { status, headers: { 'content-type': 'application/xml', 'x-amzn-requestid': requestId }, body };
}

/** The one place any error becomes a response: `{"__type", "Message"}` with the error's status. */
export function errorResponse(requestId: string, err: ServiceError): ApiResponse {
  const body: Record<string, string> = { __type: err.code };
  if (err.message) body.Message = err.message;
  return jsonResponse(requestId, err.status, JSON.stringify(body));
}

function operationOf(target: string | undefined): OperationName | undefined {
  if (!target?.startsWith(TARGET_PREFIX)) return undefined;
  const op = target.slice(TARGET_PREFIX.length);
  return Object.prototype.hasOwnProperty.call(OPERATIONS, op) ? (op as OperationName) : undefined;
}

/** Names are checked against AWS's character set wherever a secret is named [LS-val test_invalid_secret_name]. */
function checkSecretName(input: Record<string, unknown>): void {
  for (const member of ['SecretId', 'Name'] as const) {
    const v = input[member];
    if (typeof v === 'string' && !v.startsWith('arn:') && !isValidName(v)) throw Validation(MSG.invalidName);
  }
}

/**
 * A request's way through, in AWS's order (kinesalite's recordings of the same Coral front end):
 * method, content type and target, body, JSON, scope, types, constraints, the operation.
 */
export function handleApiRequest(req: ApiRequest, svc: Services): MaybePromise<ApiResponse> {
  const requestId = nextRequestId();
  let call: Call | undefined;
  if (req.method !== 'POST') return xmlError(requestId, 403, 'AccessDeniedException', MSG.accessDeniedNoOperation);

  const h = req.headers;
  const target = first(h['x-amz-target']);
  const operation = operationOf(target);
  const type = mediaType(first(h['content-type']));
  // STS (AWS Query: a form-encoded body naming an Action, no target) on the same endpoint, as AWS_ENDPOINT_URL
  // points every client here; any other form body is answered as before (AccessDenied, no operation)
  if (type === FORM && target === undefined && QUERY_ACTION.test(req.body.toString('latin1'))) {
    return stsResponse(req, requestId, svc);
  }
  // CloudTrail's LookupEvents over the audit log, on the same endpoint (`aws cloudtrail lookup-events`)
  if (isCloudTrailTarget(target)) return cloudTrailResponse(req, target, requestId, svc);
  const served = servesMediaType(svc, type);
  try {
    if (served === 'unsupported') {
      if (!target) return xmlError(requestId, 403, 'AccessDeniedException', MSG.accessDeniedNoOperation);
      return xmlError(requestId, 404, 'UnknownOperationException');
    }
    if (served === 'legacy-json') return legacyJsonResponse(requestId, req.body);
    if (req.body.length === 0) {
      throw new ServiceError(operation ? 'SerializationException' : 'UnknownOperationException', undefined);
    }
    let body: unknown;
    try {
      body = JSON.parse(decodeBody(req.body));
    } catch {
      throw new ServiceError('SerializationException', undefined);
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ServiceError('SerializationException', MSG.structureExpected);
    }
    if (!operation) throw new ServiceError('UnknownOperationException', undefined);

    // 3: who asks (with --auth, a valid signature of a known key), in which account and Region
    const verified = svc.auth?.verify(signedRequest(req), 'secretsmanager');
    const scope: Scope = verified
      ? { accountId: verified.principal.accountId, region: verified.region }
      : scopeOf(first(h.authorization), req.query, svc.defaults);
    if (svc.audit) call = { scope, principal: verified?.principal, input: undefined };
    // quotas are per account and Region, the caller's [doc: Secrets Manager quotas]
    if (svc.throttle && !svc.throttle.take(scope.accountId, scope.region, operation)) throw throttlingError();
    const input = validateInput(OPERATIONS[operation].input, body as Record<string, unknown>);
    if (call) call.input = input;
    checkSecretName(input);
    const access = verified && authorizeRequest(operation, input, verified.principal, scope, req, svc);
    const ownScope = verified ? ownerScope(input, scope) : scope;
    const ctx: Context = {
      access,
      events: svc.audit && serviceEvents(svc.audit, svc.clock, ownScope),
      // a secret of another account, addressed by its ARN, is acted on in that account (its resource policy allowing)
      scope: ownScope,
      store: svc.store,
      clock: svc.clock,
      random: svc.random,
      rotation: svc.rotation,
      requestId,
      strictAws: svc.strictAws,
    };
    const result = runHandler(operation, input, ctx);
    if (result instanceof Promise) {
      // serializing may fail too: that is the same funnel
      return result
        .then((r) => {
          if (call) audit(svc, req, requestId, operation, call, r);
          return success(requestId, operation, r);
        })
        .catch((err: unknown) => failure(err, requestId, operation, svc, req, call));
    }
    if (call) audit(svc, req, requestId, operation, call, result);
    return success(requestId, operation, result);
  } catch (err) {
    return failure(err, requestId, operation, svc, req, call);
  }
}

const FORM = 'application/x-www-form-urlencoded';
const QUERY_ACTION = /(?:^|&)Action=/;

function stsResponse(req: ApiRequest, requestId: string, svc: Services): ApiResponse {
  const signed = signedRequest(req);
  const anonymous = () => {
    const scope = scopeOf(first(req.headers.authorization), req.query, svc.defaults);
    const key = /Credential=([^/\s,]+)\//.exec(first(req.headers.authorization) ?? '')?.[1] ?? '';
    return anonymousPrincipal(scope.accountId, key);
  };
  const out = handleSts({ ...signed, requestId }, { auth: svc.auth, clock: svc.clock, random: svc.random, anonymous });
  return { ...out, operation: 'sts' };
}

/** The request as SigV4 signs it. */
export function signedRequest(req: ApiRequest): SignedRequest {
  let raw = req.rawHeaders;
  if (!raw) {
    const list: string[] = [];
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined) continue;
      for (const one of Array.isArray(v) ? v : [v]) list.push(k, one);
    }
    raw = list;
  }
  return { method: req.method, path: req.path ?? '/', query: req.query, rawHeaders: raw, body: req.body };
}

/** Service events a call causes, as audit records of the secret's account and Region. */
function serviceEvents(audit: AuditLog, clock: Clock, scope: Scope): NonNullable<Context['events']> {
  return (eventName, secretArn, details) =>
    audit.recordServiceEvent({
      time: clock.now(),
      accountId: scope.accountId,
      region: scope.region,
      eventName,
      secretArn,
      details,
    });
}

/** The account a SecretId that is a full ARN names, in the request's Region; else the caller's scope. */
const ownerScope = (input: Record<string, unknown>, scope: Scope): Scope =>
  typeof input.SecretId === 'string' ? scopeOfSecretId(input.SecretId, scope) : scope;

/** Operations on no particular secret: authorized on `*` before they run (the others, per secret they touch). */
const ON_NO_RESOURCE: ReadonlySet<OperationName> = new Set(['ListSecrets', 'GetRandomPassword', 'BatchGetSecretValue']);

/** With `--auth`: the request's authorization, checked at once for an operation on no secret. */
function authorizeRequest(
  operation: OperationName,
  input: Record<string, unknown>,
  principal: RequestAccess['principal'],
  scope: Scope,
  req: ApiRequest,
  svc: Services,
): RequestAccess {
  const keys = requestKeys(input, {
    sourceIp: (req.sourceIp ?? '127.0.0.1').replace(/^::ffff:/, ''),
    secure: req.secure === true,
    region: scope.region,
    now: svc.clock.now(),
  });
  const access = new RequestAccess(principal, `secretsmanager:${operation}`, keys);
  if (ON_NO_RESOURCE.has(operation) || (operation === 'ValidateResourcePolicy' && input.SecretId === undefined)) {
    access.any();
  }
  // BatchGetSecretValue by Filters lists secrets: it needs ListSecrets too [M: BatchGetSecretValue, "Required
  // permissions"]
  if (operation === 'BatchGetSecretValue' && input.Filters !== undefined) access.any('secretsmanager:ListSecrets');
  return access;
}

/** AWS's answer to `application/json` in strict mode (see compat.ts): HTTP 200, the legacy envelope. */
function legacyJsonResponse(requestId: string, body: Buffer): ApiResponse {
  let isObject = false;
  try {
    const parsed: unknown = JSON.parse(decodeBody(body));
    isObject = typeof parsed === 'object' && parsed !== null;
  } catch {
    // not JSON: SerializationException
  }
  return {
    status: 200,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId },
    body: legacyJsonEnvelope(isObject),
  };
}

/** The registry is indexed by a union of names: one handler's input and result types, correlated here. */
function runHandler<K extends OperationName>(
  operation: K,
  input: unknown,
  ctx: Context,
): MaybePromise<OperationResults[K]> {
  return (OPERATION_HANDLERS[operation] as unknown as Handler<K>)(input as OperationInputs[K], ctx);
}

function success<K extends OperationName>(requestId: string, operation: K, result: OperationResults[K]): ApiResponse {
  const res = jsonResponse(requestId, 200, serialize(operation, result));
  res.operation = operation;
  return res;
}

function failure(
  err: unknown,
  requestId: string,
  operation: string | undefined,
  svc: Services,
  req?: ApiRequest,
  call?: Call,
): ApiResponse {
  const e = toServiceError(err, requestId, operation, svc);
  if (call && req && operation) audit(svc, req, requestId, operation, call, undefined, e);
  const res = errorResponse(requestId, e);
  res.operation = operation;
  return res;
}

/**
 * The call's CloudTrail record, queued (the log writes in batches, off the request path). Only calls whose caller is
 * known are recorded, failed ones too (AccessDenied, validation), as CloudTrail does; the record builder writes an
 * allow-list of members, never a secret value.
 */
function audit(
  svc: Services,
  req: ApiRequest,
  requestId: string,
  operation: string,
  call: Call,
  output: unknown,
  error?: ServiceError,
): void {
  const out = output as { ARN?: unknown } | undefined;
  svc.audit!.recordApiCall({
    time: svc.clock.now(),
    principal: call.principal,
    accessKeyId: call.principal?.accessKeyId,
    accountId: call.scope.accountId,
    region: call.scope.region,
    sourceIp: (req.sourceIp ?? '127.0.0.1').replace(/^::ffff:/, ''),
    userAgent: first(req.headers['user-agent']),
    operation,
    input: call.input,
    output: error ? undefined : output,
    errorCode: error?.code,
    errorMessage: error?.message,
    requestId,
    resourceArn: typeof out?.ARN === 'string' ? out.ARN : undefined,
  });
}

/** LookupEvents: with `--auth`, signed for `cloudtrail` and allowed `cloudtrail:LookupEvents` by policy. */
function cloudTrailResponse(
  req: ApiRequest,
  target: string,
  requestId: string,
  svc: Services,
): MaybePromise<ApiResponse> {
  try {
    const verified = svc.auth?.verify(signedRequest(req), 'cloudtrail');
    const scope: Scope = verified
      ? { accountId: verified.principal.accountId, region: verified.region }
      : scopeOf(first(req.headers.authorization), req.query, svc.defaults);
    if (verified) new RequestAccess(verified.principal, 'cloudtrail:LookupEvents', new Map()).any();
    if (!svc.audit) throw new ServiceError('UnsupportedOperationException', MSG.noAuditLog);
    return handleCloudTrailRequest(svc.audit, target, req.body, { scope, requestId }).then(
      (r) => ({ ...r, operation: 'cloudtrail' }),
      (err: unknown) => failure(err, requestId, 'cloudtrail', svc),
    );
  } catch (err) {
    return failure(err, requestId, 'cloudtrail', svc);
  }
}

/** Any error as the AWS error to send. Unexpected ones are logged without the request's content. */
function toServiceError(err: unknown, requestId: string, operation: string | undefined, svc: Services): ServiceError {
  const known = asServiceError(err);
  if (known) {
    if (known.code === 'DecryptionFailure') svc.log.error('decryption failed', { requestId, operation });
    return known;
  }
  // Never the request body or the error's own text: either may hold secret material.
  svc.log.error('internal error', {
    requestId,
    operation,
    error: err instanceof Error ? err.name : typeof err,
    stack: safeStack(err),
  });
  return new ServiceError('InternalServiceError', MSG.internalError, 500);
}

/** Stack frames only: the first line of a stack repeats the message, which may quote input. */
function safeStack(err: unknown): string | undefined {
  if (!(err instanceof Error) || !err.stack) return undefined;
  return err.stack
    .split('\n')
    .filter((l) => l.trimStart().startsWith('at '))
    .join('\n');
}
