/**
 * Every text the Secrets Manager Agent endpoint sends, as the AWS Secrets Manager Agent sends it
 * (github.com/aws/aws-secretsmanager-agent, crate aws_secretsmanager_agent; paths below are in that repository).
 * Bodies are plain text without a Content-Type, except the JSON of a secret and of a Secrets Manager error.
 */
export const AGENT = {
  // aws_secretsmanager_agent/src/server.rs get_result: `"/ping" => Ok("healthy".into())`
  healthy: 'healthy',
  // server.rs get_result: `_ => Err(HttpError(404, "Not found".into()))`
  notFound: 'Not found',
  // server.rs validate_method: `Err(HttpError(405, "Not allowed".into()))`
  notAllowed: 'Not allowed',
  // server.rs validate_token: `Err(HttpError(400, "Forwarded".into()))` when X-Forwarded-For is present
  forwarded: 'Forwarded',
  // server.rs validate_token: `Err(HttpError(403, "Bad Token".into()))`, the token missing or wrong
  badToken: 'Bad Token',
  // server.rs validate_max_conn: `Err(HttpError(429, "Connection limit exceeded".into()))`
  connectionLimit: 'Connection limit exceeded',
  // aws_secretsmanager_agent/src/parse.rs try_from_query
  missingSecretIdParameter: 'missing parameter secretId',
  // parse.rs try_from_path_query
  missingSecretIdPath: 'missing secret ID',
  // parse.rs: `p => return Err(HttpError(400, format!("unknown parameter: {}", p)))`
  unknownParameter: (name: string) => `unknown parameter: ${name}`,
  // parse.rs parse_refresh_value
  invalidRefreshNow: 'invalid refreshNow value',
  // aws_secretsmanager_agent/src/utils.rs err_response: a failure without an error code and message (500)
  internalFailure: '{"__type":"InternalFailure"}',
  /**
   * utils.rs err_response: a Secrets Manager error passed through, built by `format!` (note the space after the
   * comma, the lower-case `message`, and that the message is not escaped).
   */
  serviceError: (code: string, message: string) => `{"__type":"${code}", "message":"${message}"}`,
  /**
   * aws_secretsmanager_agent/src/main.rs init: the agent does not start without a token. The names are listed as
   * Rust's `{:?}` prints a Vec<String>; "environment variable not found" is std::env::VarError::NotPresent.
   */
  noToken: (names: readonly string[], reason: string) =>
    `Could not read SSRF token variable(s) [${names.map((n) => JSON.stringify(n)).join(', ')}]: ${reason}`,
  tokenNotFound: 'environment variable not found',
  // Rust's std::io::Error texts for the token file (utils.rs get_token reads it with fs::read_to_string)
  noSuchFile: 'No such file or directory (os error 2)',
  permissionDenied: 'Permission denied (os error 13)',
  // [ours] what secretlite adds to the agent's startup error
  tokenHint: '; give the token with --agent-token (SECRETLITE_AGENT_TOKEN)',
  // [ours] startup errors of secretlite's own options
  unknownAccessKey: (key: string) => `--agent-access-key ${key} is not a key of the credentials file`,
  accessKeyNeeded: '--agent-port with --auth sigv4 needs --agent-access-key (a key id of the credentials file)',
} as const;

/**
 * The SSRF token headers the agent checks, in its order (aws_secretsmanager_agent/src/config.rs
 * DEFAULT_SSRF_HEADERS), and the request header it refuses (server.rs validate_token).
 */
export const TOKEN_HEADERS = ['x-aws-parameters-secrets-token', 'x-vault-token'] as const;
export const FORWARDED_HEADER = 'x-forwarded-for';

/**
 * The User-Agent of the calls the endpoint makes: the agent appends `aws-secrets-manager-agent/<version>` to its
 * SDK's (utils.rs AgentModifierInterceptor, constants.rs APPNAME; "0.0.0" when its version is unknown), which is
 * how CloudTrail tells its calls apart (its README, "Logging"); here the audit log does.
 */
export const agentUserAgent = (version: string): string => `secretlite/${version} aws-secrets-manager-agent/0.0.0`;
