import { AGENT } from './strings.js';

/**
 * What the agent answers for a GetSecretValue result or error. The agent does not pass Secrets Manager's bytes
 * through: its SDK parses them, and it serializes what it kept.
 */

export interface AgentAnswer {
  readonly status: number;
  readonly body: string;
}

const str = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : 'null');

/**
 * The secret as the agent serializes it: serde_json::to_string (compact) of GetSecretValueOutputDef
 * (aws_secretsmanager_caching/src/output.rs), in its member order. ARN, Name and VersionId are always written
 * (null when absent); SecretString, SecretBinary (standard base64) and VersionStages only when present;
 * CreatedDate always, as a string: serde_with's TimestampSecondsWithFrac<String> writes Rust's `f64::to_string` of
 * the seconds, the shortest text that reads back as the same double (e.g. "1569534789.046", "1569534789" for a
 * whole second; the agent's main.rs tests expect "1569534789.046" for a wire value of 1569534789.046). JavaScript's
 * Number#toString is the same shortest round trip and never uses an exponent for dates. The SDK reads the wire
 * number into seconds and nanoseconds (aws-smithy-types DateTime::from_secs_f64); converting back gives the same
 * double, so the string is the wire number's own shortest text.
 */
export function agentSecretBody(apiJson: string): string {
  const o = JSON.parse(apiJson) as Record<string, unknown>;
  let out = `{"ARN":${str(o.ARN)},"Name":${str(o.Name)},"VersionId":${str(o.VersionId)}`;
  if (typeof o.SecretString === 'string') out += `,"SecretString":${JSON.stringify(o.SecretString)}`;
  if (typeof o.SecretBinary === 'string') {
    out += `,"SecretBinary":${JSON.stringify(Buffer.from(o.SecretBinary, 'base64').toString('base64'))}`;
  }
  if (Array.isArray(o.VersionStages)) out += `,"VersionStages":${JSON.stringify(o.VersionStages)}`;
  const created = typeof o.CreatedDate === 'number' ? JSON.stringify(String(o.CreatedDate)) : 'null';
  return `${out},"CreatedDate":${created}}`;
}

/**
 * aws-smithy's sanitize_error_code (aws-smithy-json / aws_json error parsing): a `:...` suffix and a `namespace#`
 * prefix are dropped from `__type`.
 */
function sanitizeCode(code: string): string {
  const colon = code.indexOf(':');
  const c = colon < 0 ? code : code.slice(0, colon);
  const hash = c.indexOf('#');
  return hash < 0 ? c : c.slice(hash + 1);
}

/**
 * A Secrets Manager error as the agent passes it on (aws_secretsmanager_agent/src/cache_manager.rs fetch and
 * svc_err, utils.rs err_response): the HTTP status Secrets Manager answered, and `{"__type":..., "message":...}`
 * from the error's code and message (the SDK reads `message` or `Message`). An error without a code or a message
 * is a 500 `{"__type":"InternalFailure"}` (`ok_or(int_err())`); an empty message, or the code InternalFailure, keeps
 * the status with that same body (err_response).
 */
export function agentErrorAnswer(status: number, apiJson: string): AgentAnswer {
  let code: unknown;
  let message: unknown;
  try {
    const o = JSON.parse(apiJson) as Record<string, unknown>;
    code = o.__type;
    message = o.message ?? o.Message;
  } catch {
    // not JSON: the SDK finds no error metadata
  }
  if (typeof code !== 'string' || typeof message !== 'string') return { status: 500, body: AGENT.internalFailure };
  const c = sanitizeCode(code);
  if (message === '' || c === 'InternalFailure') return { status, body: AGENT.internalFailure };
  return { status, body: AGENT.serviceError(c, message) };
}
