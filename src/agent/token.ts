import { readFileSync } from 'node:fs';
import { AGENT } from './strings.js';
import { AGENT_TOKEN_ENV, agentTokenFromEnv } from '../config.js';

/**
 * Rust's `str::trim` (Unicode White_Space, char::is_whitespace): unlike JavaScript's trim it keeps U+FEFF and
 * removes U+0085.
 */
const WS = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const TRIM = new RegExp(`^${WS}+|${WS}+$`, 'g');
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The SSRF token as the agent reads it at startup (aws_secretsmanager_agent/src/utils.rs get_token): the value of
 * the first variable that is set, used as it is, unless it starts with `file://`: then it names a file whose
 * contents, trimmed, are the token. `names` are where the value came from, for the error that stops startup
 * (main.rs init).
 */
export function readAgentToken(value: string | undefined, names: readonly string[]): string {
  if (value === undefined) throw new Error(AGENT.noToken(names, AGENT.tokenNotFound) + AGENT.tokenHint);
  if (!value.startsWith('file://')) return value;
  let bytes: Buffer;
  try {
    bytes = readFileSync(value.slice('file://'.length));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? AGENT.noSuchFile : code === 'EACCES' ? AGENT.permissionDenied : String(e);
    throw new Error(AGENT.noToken(names, reason) + AGENT.tokenHint);
  }
  try {
    return utf8.decode(bytes).replace(TRIM, '');
  } catch {
    // fs::read_to_string refuses a file that is not UTF-8 (io::ErrorKind::InvalidData)
    throw new Error(AGENT.noToken(names, 'stream did not contain valid UTF-8') + AGENT.tokenHint);
  }
}

/** The token given (`--agent-token`), else the one the agent would find in the environment. */
export function agentToken(given: string | undefined): string {
  return given === undefined
    ? readAgentToken(agentTokenFromEnv(), AGENT_TOKEN_ENV)
    : readAgentToken(given, ['SECRETLITE_AGENT_TOKEN']);
}
