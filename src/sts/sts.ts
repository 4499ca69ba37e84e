import { authorize, compilePolicy, deniedMessage } from '../auth/evaluate.js';
import { SessionTokens, sessionPrincipal, type RoleEntry } from '../auth/credentials.js';
import { anonymousPrincipal, type Authenticator } from '../auth/auth.js';
import type { Principal } from '../auth/principal.js';
import type { SignedRequest } from '../auth/verify.js';
import { asServiceError, ServiceError } from '../errors/ServiceError.js';
import type { Clock } from '../clock.js';
import type { Random } from '../random.js';

/**
 * A minimal STS on the API's port (AWS Query protocol: a form-encoded POST, an XML answer), for what clients of
 * Secrets Manager call: GetCallerIdentity (Terraform and the Secrets Manager Agent, at start) and AssumeRole of a
 * role in the credentials file. Shapes from the STS API reference and its model (botocore sts 2011-06-15).
 */

export interface StsRequest extends SignedRequest {
  readonly requestId: string;
}

export interface StsServices {
  /** `--auth sigv4`; without it every caller is its account's root, as the access key id maps it */
  readonly auth?: Authenticator;
  readonly clock: Clock;
  readonly random: Random;
  /** the account of an unsigned or unmapped caller, without `--auth` */
  readonly anonymous: (req: SignedRequest) => Principal;
}

export interface StsResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

const xmlEscape = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function xml(requestId: string, action: string, result: string): StsResponse {
  return {
    status: 200,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body:
      `<${action}Response xmlns="${NS}">\n  <${action}Result>\n${result}  </${action}Result>\n` +
      `  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n</${action}Response>\n`,
  };
}

/**
 * Query-protocol errors: `<ErrorResponse><Error><Type>Sender</Type><Code>...`. The JSON services' auth error codes
 * become the names STS uses for them (InvalidClientTokenId, SignatureDoesNotMatch, ...), with their statuses.
 */
const QUERY_CODES: Record<string, [string, number]> = {
  UnrecognizedClientException: ['InvalidClientTokenId', 403],
  InvalidSignatureException: ['SignatureDoesNotMatch', 403],
  IncompleteSignatureException: ['IncompleteSignature', 400],
  MissingAuthenticationTokenException: ['MissingAuthenticationToken', 403],
  ExpiredTokenException: ['ExpiredToken', 400],
  AccessDeniedException: ['AccessDenied', 403],
};

export function stsError(requestId: string, err: ServiceError): StsResponse {
  const [code, status] = QUERY_CODES[err.code] ?? [err.code, err.status];
  return {
    status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body:
      `<ErrorResponse xmlns="${NS}">\n  <Error>\n    <Type>Sender</Type>\n    <Code>${code}</Code>\n` +
      `    <Message>${xmlEscape(err.message)}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n` +
      `</ErrorResponse>\n`,
  };
}

const validation = (message: string) => new ServiceError('ValidationError', message);

export function handleSts(req: StsRequest, svc: StsServices): StsResponse {
  try {
    const params = new URLSearchParams(req.body.toString('utf8'));
    const action = params.get('Action');
    const principal = svc.auth ? svc.auth.verify(req, 'sts').principal : svc.anonymous(req);
    if (action === 'GetCallerIdentity') {
      // no permission needed: "No permissions are required to perform this operation" [doc: GetCallerIdentity]
      return xml(
        req.requestId,
        'GetCallerIdentity',
        `    <Arn>${xmlEscape(principal.arn)}</Arn>\n    <UserId>${xmlEscape(principal.userId)}</UserId>\n` +
          `    <Account>${principal.accountId}</Account>\n`,
      );
    }
    if (action === 'AssumeRole') return assumeRole(req.requestId, params, principal, svc);
    throw new ServiceError('InvalidAction', `Could not find operation ${action ?? ''} for version 2011-06-15`);
  } catch (e) {
    const err = asServiceError(e) ?? new ServiceError('InternalFailure', 'An internal error occurred.', 500);
    return stsError(req.requestId, err);
  }
}

function assumeRole(requestId: string, params: URLSearchParams, caller: Principal, svc: StsServices): StsResponse {
  const roleArn = params.get('RoleArn');
  const sessionName = params.get('RoleSessionName');
  if (roleArn === null) {
    throw validation(
      "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null",
    );
  }
  if (sessionName === null || !SESSION_NAME.test(sessionName)) {
    throw validation(
      `1 validation error detected: Value '${xmlEscape(sessionName ?? 'null')}' at 'roleSessionName' failed to ` +
        'satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*',
    );
  }
  if (!svc.auth) {
    // without `--auth` any role can be assumed: the credentials are the caller's own (the emulator default)
    const now = svc.clock.now();
    return assumed(requestId, roleArn, sessionName, `AROA${caller.accountId}`, {
      accessKeyId: xmlEscape(caller.accessKeyId || 'ASIAEXAMPLE'),
      secretAccessKey: 'secretlite',
      sessionToken: 'secretlite',
      expiration: now + 3600_000,
    });
  }
  const data = svc.auth.credentials;
  const role = data.roles.get(roleArn);
  const denied = () =>
    new ServiceError('AccessDeniedException', deniedMessage(caller.arn, 'sts:AssumeRole', roleArn, 'no-identity'));
  if (!role) throw denied();
  const context = new Map<string, string | readonly string[]>([['sts:rolesessionname', sessionName]]);
  const externalId = params.get('ExternalId');
  if (externalId !== null) context.set('sts:externalid', externalId);
  const decision = authorize({
    principal: caller,
    action: 'sts:AssumeRole',
    resource: roleArn,
    resourceAccount: role.accountId,
    resourcePolicy: compilePolicy(trustPolicyOf(role), 'resource'),
    context,
  });
  if (!decision.allowed) {
    throw new ServiceError(
      'AccessDeniedException',
      deniedMessage(caller.arn, 'sts:AssumeRole', roleArn, decision.reason),
    );
  }
  const duration = Number(params.get('DurationSeconds') ?? 3600);
  if (!Number.isInteger(duration) || duration < 900 || duration > role.maxSessionDuration) {
    throw validation(
      `The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`, // [doc: AssumeRole]
    );
  }
  const expiration = svc.clock.now() + duration * 1000;
  const creds = SessionTokens.issue(data, role.arn, sessionName, expiration, svc.random);
  const session = sessionPrincipal(role, sessionName, creds.accessKeyId);
  return assumed(requestId, session.arn, sessionName, role.roleId, { ...creds, expiration }, true);
}

/** A role without a trust policy trusts its own account: the account's identity policies decide [ours]. */
function trustPolicyOf(role: RoleEntry): unknown {
  return (
    role.trustPolicy ?? {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${role.accountId}:root` }, Action: 'sts:AssumeRole' },
      ],
    }
  );
}

function assumed(
  requestId: string,
  arnOrRole: string,
  sessionName: string,
  roleId: string,
  c: { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: number },
  isSessionArn = false,
): StsResponse {
  // without --auth the role ARN given becomes the session's ARN, as AWS would name it
  const m = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arnOrRole);
  const arn = isSessionArn || !m ? arnOrRole : `arn:aws:sts::${m[1]}:assumed-role/${m[2]}/${sessionName}`;
  return xml(
    requestId,
    'AssumeRole',
    `    <AssumedRoleUser>\n      <AssumedRoleId>${roleId}:${xmlEscape(sessionName)}</AssumedRoleId>\n` +
      `      <Arn>${xmlEscape(arn)}</Arn>\n    </AssumedRoleUser>\n` +
      `    <Credentials>\n      <AccessKeyId>${c.accessKeyId}</AccessKeyId>\n` +
      `      <SecretAccessKey>${c.secretAccessKey}</SecretAccessKey>\n` +
      `      <SessionToken>${c.sessionToken}</SessionToken>\n` +
      `      <Expiration>${isoSeconds(c.expiration)}</Expiration>\n    </Credentials>\n`,
  );
}

export { anonymousPrincipal };
