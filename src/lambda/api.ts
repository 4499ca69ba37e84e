import { createHash, randomUUID } from 'node:crypto';
import type { Route, RouteRequest, RouteResponse } from '../server/http.js';
import type { Scope } from '../domain/types.js';
import type { Clock } from '../clock.js';
import { scopeOf, type ScopeDefaults } from '../protocol/scope.js';
import type { FunctionStore, LambdaFunction, PolicyStatement } from './functions.js';
import { FunctionRuntime, type InvokeResult } from './runtime.js';
import { readZip, ZipError } from './zip.js';
import type { Authenticator } from '../auth/auth.js';
import { RequestAccess } from '../auth/access.js';
import { accountOfArn } from '../domain/arn.js';
import { asServiceError } from '../errors/ServiceError.js';

/*
 * The part of the AWS Lambda API (REST JSON, `/2015-03-31/functions`) that rotation needs, on secretlite's own port:
 * create, read, list, update, delete functions, their resource policy, and Invoke. Status codes, error codes and
 * messages are real AWS's as LocalStack's AWS-validated snapshots recorded them (tests/aws/services/lambda_), unless
 * a comment says otherwise. Versions and aliases are not kept: every function is $LATEST.
 */

const PREFIX = '/2015-03-31/functions';
/** CreateFunction's largest request [REAL: "Request must be smaller than 70167211 bytes for the CreateFunction
 * operation"] */
const MAX_CREATE_BYTES = 70_167_211;
/** Invoke's largest synchronous payload [DOC] */
const MAX_PAYLOAD = 6_291_456;
const MAX_ENV_BYTES = 4096;
/** Lambda's own: reserved, refused in Environment [DOC; user reports of the message]. */
const RESERVED_ENV = new Set([
  '_HANDLER',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
]);
const ROLE = /^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/;
const NAME = /^[a-zA-Z0-9-_]{1,64}$/;
const RUNTIMES = [
  'nodejs18.x',
  'nodejs20.x',
  'nodejs22.x',
  'nodejs24.x',
  'python3.8',
  'python3.9',
  'python3.10',
  'python3.11',
  'python3.12',
  'python3.13',
  'python3.14',
];

class LambdaError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** the modelled shape's member: `Message` (ResourceNotFound and the 5xx) or `message` (the others) */
    readonly key: 'Message' | 'message' = 'message',
  ) {
    super(message);
  }
}

const notFound = (arn: string) =>
  new LambdaError(404, 'ResourceNotFoundException', `Function not found: ${arn}`, 'Message');
const invalid = (message: string) => new LambdaError(400, 'InvalidParameterValueException', message);
const validation = (value: unknown, path: string, constraint: string) =>
  new LambdaError(
    400,
    'ValidationException',
    `1 validation error detected: Value '${String(value)}' at '${path}' failed to satisfy constraint: ${constraint}`,
  );

function respond(status: number, body?: unknown, headers: Record<string, string> = {}): RouteResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID(), ...headers },
    body: body === undefined ? '' : JSON.stringify(body),
  };
}

function errorResponse(e: LambdaError): RouteResponse {
  const body: Record<string, string> = e.code === 'ValidationException' ? {} : { Type: 'User' };
  body[e.key] = e.message;
  return respond(e.status, body, { 'x-amzn-errortype': e.code });
}

/** `2024-03-27T09:14:35.123+0000` */
const lastModified = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');

export interface LambdaApiOptions {
  readonly functions: FunctionStore;
  readonly runtime: FunctionRuntime;
  readonly clock: Clock;
  readonly defaults: ScopeDefaults;
  /** the server's URL, for GetFunction's Code.Location */
  readonly endpoint: () => string;
  /** `--auth sigv4`: requests signed for `lambda`, each action allowed by the caller's identity policies */
  readonly auth?: Authenticator;
}

/**
 * The IAM action of a Lambda API request [doc: Actions defined by AWS Lambda, service authorization reference]:
 * creating or changing a function runs code on this machine, so with `--auth` it needs its permission by policy.
 */
function lambdaAction(method: string, named: boolean, sub: string | undefined): string {
  if (!named) return method === 'POST' ? 'lambda:CreateFunction' : 'lambda:ListFunctions';
  switch (sub) {
    case undefined:
      return method === 'DELETE' ? 'lambda:DeleteFunction' : 'lambda:GetFunction';
    case 'configuration':
      return method === 'PUT' ? 'lambda:UpdateFunctionConfiguration' : 'lambda:GetFunctionConfiguration';
    case 'code':
      return method === 'PUT' ? 'lambda:UpdateFunctionCode' : 'lambda:GetFunction';
    case 'invocations':
      return 'lambda:InvokeFunction';
    case 'policy':
      return method === 'POST'
        ? 'lambda:AddPermission'
        : method === 'DELETE'
          ? 'lambda:RemovePermission'
          : 'lambda:GetPolicy';
    default:
      return `lambda:${sub}`;
  }
}

/** The execution role a CreateFunction or UpdateFunctionConfiguration gives the function, if any. */
function roleOf(action: string, req: RouteRequest): string | undefined {
  if (action !== 'lambda:CreateFunction' && action !== 'lambda:UpdateFunctionConfiguration') return undefined;
  try {
    const role = (JSON.parse(req.body.toString('utf8')) as { Role?: unknown }).Role;
    return typeof role === 'string' ? role : undefined;
  } catch {
    return undefined;
  }
}

function arnOfName(raw: string, scope: Scope): string {
  const ref = nameOf(raw, scope);
  return functionArn(ref.scope, ref.name);
}

/** The function CreateFunction would make, for its authorization (`*` when the body names none). */
function createdArn(req: RouteRequest, scope: Scope): string {
  try {
    const name = (JSON.parse(req.body.toString('utf8')) as { FunctionName?: unknown }).FunctionName;
    return typeof name === 'string' ? arnOfName(name, scope) : '*';
  } catch {
    return '*';
  }
}

/** Lambda (REST-JSON) answers authentication and authorization failures with HTTP 403. */
function authorizeLambda(
  auth: Authenticator,
  req: RouteRequest,
  resolve: (scope: Scope) => { action: string; resource: string },
): Scope {
  let verified;
  try {
    verified = auth.verify(
      { method: req.method, path: req.path, query: req.rawQuery, rawHeaders: req.rawHeaders, body: req.body },
      'lambda',
    );
  } catch (e) {
    const err = asServiceError(e);
    if (!err) throw e;
    throw new LambdaError(403, err.code, err.message, 'message');
  }
  const principal = verified.principal;
  const scope = { accountId: principal.accountId, region: verified.region };
  const { action, resource } = resolve(scope);
  const access = new RequestAccess(principal, action, new Map());
  try {
    access.resource(resource, accountOfArn(resource) ?? principal.accountId);
    // giving a function a role lets its code act as the role: iam:PassRole on it [doc: Lambda execution role]
    const role = roleOf(action, req);
    if (role) access.resource(role, accountOfArn(role) ?? principal.accountId, 'iam:PassRole');
  } catch (e) {
    throw new LambdaError(403, 'AccessDeniedException', (e as Error).message, 'Message');
  }
  return scope;
}

/** FunctionName as a path member: a name, a full ARN or a partial ARN (`123456789012:function:name`). */
function nameOf(raw: string, scope: Scope): { scope: Scope; name: string; qualifier?: string } {
  const full = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([a-zA-Z0-9-_]+)(?::([^:]+))?$/.exec(raw);
  if (full) return { scope: { accountId: full[2]!, region: full[1]! }, name: full[3]!, qualifier: full[4] };
  const partial = /^(\d{12}):function:([a-zA-Z0-9-_]+)(?::([^:]+))?$/.exec(raw);
  if (partial) return { scope: { ...scope, accountId: partial[1]! }, name: partial[2]!, qualifier: partial[3] };
  const plain = /^([a-zA-Z0-9-_]+)(?::([^:]+))?$/.exec(raw);
  if (plain) return { scope, name: plain[1]!, qualifier: plain[2] };
  throw validation(
    raw,
    'functionName',
    'Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?' +
      '([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)' +
      '(:(\\$LATEST|[a-zA-Z0-9-_]+))?',
  );
}

export const functionArn = (scope: Scope, name: string) =>
  `arn:aws:lambda:${scope.region}:${scope.accountId}:function:${name}`;

/** FunctionConfiguration as AWS answers it; `state`: what GetFunction shows (List leaves it out). */
export function configuration(fn: LambdaFunction, state?: 'create' | 'get' | 'update'): Record<string, unknown> {
  const c: Record<string, unknown> = {
    FunctionName: fn.name,
    FunctionArn: fn.arn,
    Runtime: fn.runtime,
    Role: fn.role,
    Handler: fn.handler,
    CodeSize: fn.codeSize,
    Description: fn.description,
    Timeout: fn.timeout,
    MemorySize: fn.memorySize,
    LastModified: fn.lastModified,
    CodeSha256: fn.codeSha256,
    Version: '$LATEST',
    Environment: fn.environment && { Variables: fn.environment },
    TracingConfig: { Mode: fn.tracingMode },
    RevisionId: fn.revisionId,
    PackageType: 'Zip',
    Architectures: fn.architectures,
    EphemeralStorage: { Size: fn.ephemeralStorage },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${fn.name}` },
  };
  // Functions are ready at once here: AWS's Pending (after a create) and InProgress (after an update) would only
  // make the next Invoke fail (409) until a poll saw them Active.
  if (state !== undefined) Object.assign(c, { State: 'Active', LastUpdateStatus: 'Successful' });
  return c;
}

function parseBody(req: RouteRequest): Record<string, unknown> {
  if (req.body.length === 0) return {};
  try {
    const v: unknown = JSON.parse(req.body.toString('utf8'));
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // below
  }
  throw new LambdaError(400, 'InvalidRequestContentException', 'Could not parse request body into json');
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function checkEnvironment(env: unknown): Record<string, string> | undefined {
  if (env === undefined || env === null) return undefined;
  const vars = (env as { Variables?: unknown }).Variables ?? {};
  if (typeof vars !== 'object' || vars === null) throw invalid('Environment.Variables must be a map of strings.');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(vars)) {
    if (typeof v !== 'string') throw invalid('Environment.Variables must be a map of strings.');
    out[k] = v;
  }
  const reserved = Object.keys(out).filter((k) => RESERVED_ENV.has(k) || k.startsWith('AWS_LAMBDA_'));
  if (reserved.length) {
    throw invalid(
      'Lambda was unable to configure your environment variables because the environment variables you have ' +
        'provided contains reserved keys that are currently not supported for modification. Reserved keys used ' +
        `in this request: ${reserved.join(', ')}`,
    );
  }
  const text = JSON.stringify(out);
  if (Buffer.byteLength(text) > MAX_ENV_BYTES) {
    throw invalid(
      'Lambda was unable to configure your environment variables because the environment variables you have ' +
        `provided exceeded the 4KB limit. String measured: ${text}`,
    );
  }
  return out;
}

function checkNumbers(body: Record<string, unknown>): void {
  if (body.Timeout !== undefined && !(Number.isInteger(body.Timeout) && (body.Timeout as number) >= 1))
    throw validation(body.Timeout, 'timeout', 'Member must have value greater than or equal to 1');
  // [ours: AWS's text unverified]
  if ((body.Timeout as number) > 900) throw invalid('Timeout value must be less than or equal to 900 seconds.');
  const mem = body.MemorySize;
  if (mem !== undefined && !(Number.isInteger(mem) && (mem as number) >= 128 && (mem as number) <= 32768))
    throw validation(mem, 'memorySize', 'Member must have value greater than or equal to 128');
  if (body.Role !== undefined && !ROLE.test(String(body.Role)))
    throw validation(body.Role, 'role', `Member must satisfy regular expression pattern: ${ROLE.source.slice(1, -1)}`);
  if (body.Runtime !== undefined && !RUNTIMES.includes(String(body.Runtime)))
    throw invalid(
      `Value ${String(body.Runtime)} at 'runtime' failed to satisfy constraint: Member must satisfy enum value ` +
        `set: [${RUNTIMES.join(', ')}] or be a valid ARN`,
    );
}

/** The zip of a Code member: base64, unzippable. */
function zipOf(zipFile: unknown): Buffer {
  if (typeof zipFile !== 'string') {
    throw invalid('secretlite takes function code as ZipFile only (no S3 or image).'); // [ours]
  }
  const zip = Buffer.from(zipFile, 'base64');
  try {
    readZip(zip);
  } catch (e) {
    if (e instanceof ZipError || e instanceof RangeError || e instanceof Error)
      throw invalid('Could not unzip uploaded file. Please check your file, then try to upload again.');
    throw e;
  }
  return zip;
}

const sha256b64 = (b: Buffer) => createHash('sha256').update(b).digest('base64');

/** The statement AddPermission builds [LS build_statement, matching AWS's recordings]. */
function statement(fn: LambdaFunction, body: Record<string, unknown>): PolicyStatement {
  const sid = str(body.StatementId);
  if (!sid || !/^[a-zA-Z0-9-_]{1,100}$/.test(sid))
    throw validation(sid, 'statementId', 'Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+)');
  const action = str(body.Action);
  if (!action || !/^(lambda:[*]|lambda:[a-zA-Z]+|[*])$/.test(action))
    throw validation(
      action,
      'action',
      'Member must satisfy regular expression pattern: (lambda:[*]|lambda:[a-zA-Z]+|[*])',
    );
  const p = str(body.Principal) ?? '';
  let principal: PolicyStatement['Principal'];
  if (p === '*') principal = '*';
  else if (/^\d{12}$/.test(p)) principal = { AWS: `arn:aws:iam::${p}:root` };
  else if (p.startsWith('arn:aws')) principal = { AWS: p };
  else if (/^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(p)) principal = { Service: p };
  else throw invalid('The provided principal was invalid. Please check the principal and try again.');
  const condition: Record<string, Record<string, string>> = {};
  if (str(body.SourceAccount)) condition.StringEquals = { 'AWS:SourceAccount': str(body.SourceAccount)! };
  if (str(body.SourceArn)) condition.ArnLike = { 'AWS:SourceArn': str(body.SourceArn)! };
  if (str(body.PrincipalOrgID))
    condition.StringEquals = { ...condition.StringEquals, 'aws:PrincipalOrgID': str(body.PrincipalOrgID)! };
  const s: PolicyStatement = { Sid: sid, Effect: 'Allow', Principal: principal, Action: action, Resource: fn.arn };
  return Object.keys(condition).length ? { ...s, Condition: condition } : s;
}

/** Whether a function's policy lets Secrets Manager invoke it [DOC rotating-secrets-required-permissions]. */
export function allowsSecretsManager(fn: LambdaFunction): boolean {
  return fn.policy.some(
    (s) =>
      (s.Principal === '*' ||
        (typeof s.Principal === 'object' && s.Principal.Service === 'secretsmanager.amazonaws.com')) &&
      (s.Action === 'lambda:InvokeFunction' || s.Action === 'lambda:*' || s.Action === '*'),
  );
}

export function lambdaApi(o: LambdaApiOptions): Route {
  const load = async (scope: Scope, name: string): Promise<LambdaFunction> => {
    const fn = await o.functions.get(scope, name);
    if (!fn) throw notFound(functionArn(scope, name));
    return fn;
  };
  const revise = (fn: LambdaFunction, changes: Partial<LambdaFunction>): LambdaFunction => ({
    ...fn,
    ...changes,
    revisionId: randomUUID(),
  });
  const checkRevision = (fn: LambdaFunction, revisionId: unknown, api: string) => {
    if (revisionId !== undefined && revisionId !== fn.revisionId) {
      throw new LambdaError(
        412,
        'PreconditionFailedException',
        'The Revision Id provided does not match the latest Revision Id. ' +
          `Call the ${api} API to retrieve the latest Revision Id`,
      );
    }
  };

  async function invoke(fn: LambdaFunction, req: RouteRequest): Promise<RouteResponse> {
    const type = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
    if (!['RequestResponse', 'Event', 'DryRun'].includes(type)) {
      throw validation(type, 'invocationType', 'Member must satisfy enum value set: [Event, RequestResponse, DryRun]');
    }
    if (req.body.length > MAX_PAYLOAD) {
      return respond(
        413,
        { Message: `Request must be smaller than ${MAX_PAYLOAD} bytes for the InvokeFunction operation` },
        {
          'x-amzn-errortype': 'RequestEntityTooLargeException',
        },
      );
    }
    const payload = req.body.toString('utf8');
    if (payload.trim() !== '') {
      try {
        JSON.parse(payload);
      } catch (e) {
        throw new LambdaError(
          400,
          'InvalidRequestContentException',
          `Could not parse request body into json: Could not parse payload into json: ${(e as Error).message}`,
        );
      }
    }
    if (type === 'DryRun') return { status: 204, headers: { 'x-amzn-requestid': randomUUID() }, body: '' };
    const run = (): Promise<InvokeResult> => o.runtime.invoke(fn, () => o.functions.code(fn.arn), payload);
    if (type === 'Event') {
      void run();
      return { status: 202, headers: { 'x-amzn-requestid': randomUUID() }, body: '' };
    }
    const r = await run();
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-amzn-requestid': randomUUID(),
      'x-amz-executed-version': '$LATEST',
    };
    if (r.functionError) headers['x-amz-function-error'] = r.functionError;
    if (String(req.headers['x-amz-log-type'] ?? '') === 'Tail') {
      headers['x-amz-log-result'] = Buffer.from(Buffer.from(r.log).subarray(-4096)).toString('base64');
    }
    return { status: 200, headers, body: r.payload };
  }

  async function handle(req: RouteRequest): Promise<RouteResponse> {
    const rest = req.path.slice(PREFIX.length).replace(/^\//, '');
    let parts: string[];
    try {
      parts = rest.split('/').map((s) => decodeURIComponent(s));
    } catch {
      throw validation(rest, 'functionName', 'Member must be a valid percent-encoded path segment'); // [ours]
    }
    const [rawName, sub, subId] = parts;
    const m = req.method;
    const scope = o.auth
      ? authorizeLambda(o.auth, req, (sc) => ({
          action: lambdaAction(m, Boolean(rawName), sub),
          resource: rawName ? arnOfName(rawName, sc) : m === 'POST' ? createdArn(req, sc) : '*',
        }))
      : scopeOf(
          typeof req.headers.authorization === 'string' ? req.headers.authorization : undefined,
          req.query.toString(),
          o.defaults,
        );
    if (!rawName) {
      if (m === 'POST') return create(scope, parseBody(req));
      if (m === 'GET') {
        const fns = await o.functions.list(scope);
        const max = Math.min(Number(req.query.get('MaxItems') ?? 50) || 50, 50);
        const start = req.query.get('Marker') ? fns.findIndex((f) => f.name > req.query.get('Marker')!) : 0;
        const page = start < 0 ? [] : fns.slice(start, start + max);
        const next = start >= 0 && start + max < fns.length ? page[page.length - 1]!.name : undefined;
        return respond(200, { Functions: page.map((f) => configuration(f)), NextMarker: next });
      }
      throw new LambdaError(405, 'MethodNotAllowed', `${m} is not supported here.`);
    }
    const ref = nameOf(rawName, scope);
    const qualifier = req.query.get('Qualifier') ?? ref.qualifier;
    if (qualifier !== undefined && qualifier !== '$LATEST') {
      throw notFound(`${functionArn(ref.scope, ref.name)}:${qualifier}`);
    }
    if (ref.scope.region !== scope.region) {
      throw new LambdaError(
        404,
        'ResourceNotFoundException',
        `Functions from '${ref.scope.region}' are not reachable in this region ('${scope.region}')`,
        'Message',
      );
    }
    const fn = await load(ref.scope, ref.name).catch((e: unknown) => {
      if (sub === 'invocations' && e instanceof LambdaError)
        throw notFound(`${functionArn(ref.scope, ref.name)}:$LATEST`);
      if (sub === 'policy' && m === 'DELETE' && e instanceof LambdaError)
        throw new LambdaError(
          404,
          'ResourceNotFoundException',
          `No policy found for: ${functionArn(ref.scope, ref.name)}`,
          'Message',
        );
      throw e;
    });
    if (sub === undefined) {
      if (m === 'GET') {
        return respond(200, {
          Configuration: configuration(fn, 'get'),
          Code: { RepositoryType: 'S3', Location: `${o.endpoint()}${PREFIX}/${encodeURIComponent(fn.arn)}/code` },
          Tags: fn.tags,
        });
      }
      if (m === 'DELETE') {
        await o.functions.delete(ref.scope, ref.name);
        return { status: 204, headers: { 'x-amzn-requestid': randomUUID() }, body: '' };
      }
    } else if (sub === 'configuration') {
      if (m === 'GET') return respond(200, configuration(fn, 'get'));
      if (m === 'PUT') {
        const body = parseBody(req);
        checkNumbers(body);
        checkRevision(fn, body.RevisionId, 'GetFunction/GetAlias');
        const env = body.Environment !== undefined ? checkEnvironment(body.Environment) : fn.environment;
        const next = revise(fn, {
          role: str(body.Role) ?? fn.role,
          handler: str(body.Handler) ?? fn.handler,
          description: str(body.Description) ?? fn.description,
          timeout: (body.Timeout as number | undefined) ?? fn.timeout,
          memorySize: (body.MemorySize as number | undefined) ?? fn.memorySize,
          runtime: str(body.Runtime) ?? fn.runtime,
          environment: env,
          lastModified: lastModified(o.clock.now()),
        });
        await o.functions.put(next);
        return respond(200, configuration(next, 'update'));
      }
    } else if (sub === 'code') {
      if (m === 'GET') {
        const zip = await o.functions.code(fn.arn);
        return { status: 200, headers: { 'content-type': 'application/zip' }, body: zip ?? Buffer.alloc(0) };
      }
      if (m === 'PUT') {
        const body = parseBody(req);
        checkRevision(fn, body.RevisionId, 'GetFunction/GetAlias');
        const zip = zipOf(body.ZipFile);
        const next = revise(fn, {
          codeSha256: sha256b64(zip),
          codeSize: zip.length,
          lastModified: lastModified(o.clock.now()),
        });
        await o.functions.put(next, zip);
        return respond(200, configuration(next, 'update'));
      }
    } else if (sub === 'policy') {
      if (m === 'GET' && subId === undefined) {
        if (fn.policy.length === 0)
          throw new LambdaError(
            404,
            'ResourceNotFoundException',
            'The resource you requested does not exist.',
            'Message',
          );
        return respond(200, {
          Policy: JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: fn.policy }),
          RevisionId: fn.revisionId,
        });
      }
      if (m === 'POST' && subId === undefined) {
        const body = parseBody(req);
        checkRevision(fn, body.RevisionId, 'GetPolicy');
        const st = statement(fn, body);
        if (fn.policy.some((s) => s.Sid === st.Sid)) {
          throw new LambdaError(
            409,
            'ResourceConflictException',
            `The statement id (${st.Sid}) provided already exists. ` +
              'Please provide a new statement id, or remove the existing statement.',
          );
        }
        await o.functions.put(revise(fn, { policy: [...fn.policy, st] }));
        return respond(201, { Statement: JSON.stringify(st) });
      }
      if (m === 'DELETE' && subId !== undefined) {
        checkRevision(fn, req.query.get('RevisionId') ?? undefined, 'GetPolicy');
        if (fn.policy.length === 0)
          throw new LambdaError(
            404,
            'ResourceNotFoundException',
            'No policy is associated with the given resource.',
            'Message',
          );
        if (!fn.policy.some((s) => s.Sid === subId))
          throw new LambdaError(
            404,
            'ResourceNotFoundException',
            `Statement ${subId} is not found in resource policy.`,
            'Message',
          );
        await o.functions.put(revise(fn, { policy: fn.policy.filter((s) => s.Sid !== subId) }));
        return { status: 204, headers: { 'x-amzn-requestid': randomUUID() }, body: '' };
      }
    } else if (sub === 'invocations' && m === 'POST') {
      return invoke(fn, req);
    }
    throw new LambdaError(404, 'ResourceNotFoundException', `No route for ${m} ${req.path}.`, 'Message'); // [ours]
  }

  async function create(scope: Scope, body: Record<string, unknown>): Promise<RouteResponse> {
    const name = str(body.FunctionName);
    if (!name) throw validation(name, 'functionName', 'Member must not be null');
    const ref = nameOf(name, scope);
    if (!NAME.test(ref.name))
      throw validation(name, 'functionName', 'Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+');
    if (body.Role === undefined) throw validation(null, 'role', 'Member must not be null');
    checkNumbers(body);
    if (!body.Code || typeof body.Code !== 'object') throw validation(null, 'code', 'Member must not be null');
    if (body.Runtime === undefined || body.Handler === undefined) {
      throw invalid('Runtime and Handler are mandatory parameters for functions created with deployment packages.');
    }
    const env = checkEnvironment(body.Environment);
    const zip = zipOf((body.Code as { ZipFile?: unknown }).ZipFile);
    if (await o.functions.get(ref.scope, ref.name)) {
      throw new LambdaError(409, 'ResourceConflictException', `Function already exist: ${ref.name}`);
    }
    const tags = body.Tags && typeof body.Tags === 'object' ? (body.Tags as Record<string, string>) : undefined;
    const fn: LambdaFunction = {
      arn: functionArn(ref.scope, ref.name),
      name: ref.name,
      accountId: ref.scope.accountId,
      region: ref.scope.region,
      runtime: str(body.Runtime),
      role: String(body.Role),
      handler: str(body.Handler),
      description: str(body.Description) ?? '',
      timeout: (body.Timeout as number | undefined) ?? 3,
      memorySize: (body.MemorySize as number | undefined) ?? 128,
      environment: env,
      architectures: Array.isArray(body.Architectures) ? (body.Architectures as string[]) : ['x86_64'],
      ephemeralStorage: (body.EphemeralStorage as { Size?: number } | undefined)?.Size ?? 512,
      tracingMode: (body.TracingConfig as { Mode?: string } | undefined)?.Mode ?? 'PassThrough',
      codeSha256: sha256b64(zip),
      codeSize: zip.length,
      lastModified: lastModified(o.clock.now()),
      revisionId: randomUUID(),
      policy: [],
      tags,
    };
    await o.functions.put(fn, zip);
    return respond(201, configuration(fn, 'create'));
  }

  return {
    handles: (path) => path === PREFIX || path.startsWith(`${PREFIX}/`),
    maxBodyBytes: MAX_CREATE_BYTES,
    async handle(req) {
      try {
        return await handle(req);
      } catch (e) {
        if (e instanceof LambdaError) return errorResponse(e);
        throw e;
      }
    },
  };
}
