import { parseArgs } from 'node:util';
import type { LogLevel } from './logger.js';
import { isRegionName } from './domain/arn.js';
import { DEFAULT_HEAP_GROWTH_PERCENT } from './server/heap.js';

/** The one place options, defaults and environment variables are read. */
export interface Config {
  host: string;
  port: number;
  accountId: string;
  region: string;
  logLevel: LogLevel;
  /** how often secrets past their recovery window are purged, ms */
  purgeIntervalMs: number;
  /** SQLite data directory; unset = memory (unless a database URL is given) */
  dataDir?: string;
  databaseUrl?: string;
  /** the key-encryption key itself (environment only: a key on a command line shows in `ps`) */
  masterKey?: string;
  masterKeyFile?: string;
  /** V8's heap growth between full GCs, percent; 0 = V8's own policy (see server/heap.ts) */
  heapGrowthPercent: number;
  /** answer exactly as AWS does where the default is more lenient (compat.ts; README "Differences from AWS") */
  strictAws: boolean;
  /** an external Lambda-API endpoint where rotation functions are invoked (LocalStack, sam local, AWS) */
  lambdaEndpoint?: string;
  /** serve the Lambda API (local functions) off loopback too: undefined = on loopback only */
  lambdaApi?: boolean;
  /** 'sigv4': signatures checked and policies enforced, with the principals of `credentials` */
  auth: 'none' | 'sigv4';
  /** the credentials file (JSON or YAML) of `--auth sigv4` */
  credentials?: string;
  /** the audit log (CloudTrail records, hash-chained JSON lines) */
  audit?: string;
  /** AWS's per-operation request quotas (ThrottlingException) */
  throttle: boolean;
  /** serve HTTPS with this certificate and key (PEM), reloaded when they change */
  tlsCert?: string;
  tlsKey?: string;
  /** host names a loopback server answers to besides localhost (DNS-rebinding protection) */
  allowedHosts?: string[];
  /** secrets to start with (JSON or YAML), applied idempotently at start */
  seed?: string;
  /** serve the Secrets Manager Agent's HTTP API on this port too (src/agent/) */
  agentPort?: number;
  /** the Agent endpoint's SSRF token (`file://PATH` reads it); unset: AGENT_TOKEN_ENV, as the agent reads it */
  agentToken?: string;
  /** the Region of the Agent endpoint's calls (default: region) */
  agentRegion?: string;
  /** the access key id the Agent endpoint calls with (with --auth sigv4: a key of the credentials file) */
  agentAccessKey?: string;
}

export const DEFAULTS: Config = {
  host: '127.0.0.1',
  port: 4566, // the port AWS emulators conventionally use (LocalStack)
  accountId: '000000000000',
  region: 'us-east-1',
  logLevel: 'info',
  purgeIntervalMs: 60_000,
  heapGrowthPercent: DEFAULT_HEAP_GROWTH_PERCENT,
  strictAws: false,
  auth: 'none',
  throttle: false,
};

export const OPTIONS = {
  host: { type: 'string', env: 'SECRETLITE_HOST', help: 'address to listen on' },
  port: { type: 'string', env: 'SECRETLITE_PORT', help: 'port to listen on; 0 picks a free port' },
  'account-id': {
    type: 'string',
    env: 'SECRETLITE_ACCOUNT_ID',
    help: 'account used when the access key id is not a 12-digit account id',
  },
  region: {
    type: 'string',
    env: 'SECRETLITE_REGION',
    help: 'Region used when a request carries no SigV4 credential scope',
  },
  'data-dir': {
    type: 'string',
    env: 'SECRETLITE_DATA_DIR',
    help: 'keep secrets in SQLite in this directory (PERSISTENCE=1 picks a default one)',
  },
  'database-url': {
    type: 'string',
    env: 'SECRETLITE_DATABASE_URL',
    help: 'keep secrets in PostgreSQL (postgres://...), shared by several instances',
  },
  'master-key-file': {
    type: 'string',
    env: 'SECRETLITE_MASTER_KEY_FILE',
    help: 'key file with the key-encryption keys (else SECRETLITE_MASTER_KEY, else <data-dir>/master.key)',
  },
  'heap-growth': {
    type: 'string',
    env: 'SECRETLITE_HEAP_GROWTH',
    help: `heap growth allowed between full GCs, % of live size (default ${DEFAULT_HEAP_GROWTH_PERCENT}; 0 = V8's)`,
  },
  'strict-aws': {
    type: 'boolean',
    env: 'SECRETLITE_STRICT_AWS',
    help: 'answer as AWS does where the default is lenient (calls without ClientRequestToken, application/json)',
  },
  'lambda-endpoint': {
    type: 'string',
    env: 'SECRETLITE_LAMBDA_ENDPOINT',
    help: 'invoke rotation functions on this Lambda API endpoint (LocalStack, sam local start-lambda, AWS)',
  },
  'lambda-api': {
    type: 'boolean',
    env: 'SECRETLITE_LAMBDA_API',
    help: 'serve the Lambda API (rotation functions run here) on a non-loopback address too: it runs code',
  },
  auth: {
    type: 'string',
    env: 'SECRETLITE_AUTH',
    help: 'none (default: any credentials) | sigv4 (signatures checked, IAM policies enforced; needs --credentials)',
  },
  credentials: {
    type: 'string',
    env: 'SECRETLITE_CREDENTIALS',
    help: 'credentials file of --auth sigv4 (JSON or YAML: principals, keys, policies, roles); reloaded on change',
  },
  audit: {
    type: 'string',
    env: 'SECRETLITE_AUDIT',
    help: 'append an audit record (CloudTrail format, hash-chained) per call and service event to this file',
  },
  throttle: {
    type: 'boolean',
    env: 'SECRETLITE_THROTTLE',
    help: "apply AWS's per-operation request quotas (ThrottlingException: Rate exceeded)",
  },
  seed: {
    type: 'string',
    env: 'SECRETLITE_SEED',
    help: 'secrets to start with (JSON or YAML: values, tags, policies, versions, rotation, replicas); idempotent',
  },
  'allowed-hosts': {
    type: 'string',
    env: 'SECRETLITE_ALLOWED_HOSTS',
    help: 'comma-separated host names (or *.domain) a loopback server also answers to (DNS-rebinding protection)',
  },
  'agent-port': {
    type: 'string',
    env: 'SECRETLITE_AGENT_PORT',
    help: "serve the Secrets Manager Agent's HTTP API on this port too (the agent's is 2773; 0 picks a free one)",
  },
  'agent-token': {
    type: 'string',
    env: 'SECRETLITE_AGENT_TOKEN',
    help: 'its SSRF token, or file://PATH (default: AWS_TOKEN, AWS_SESSION_TOKEN, AWS_CONTAINER_AUTHORIZATION_TOKEN)',
  },
  'agent-region': {
    type: 'string',
    env: 'SECRETLITE_AGENT_REGION',
    help: 'the Region of its calls (default --region)',
  },
  'agent-access-key': {
    type: 'string',
    env: 'SECRETLITE_AGENT_ACCESS_KEY',
    help: 'the access key id its calls use; with --auth sigv4 a key of --credentials, whose policies apply',
  },
  'tls-cert': { type: 'string', env: 'SECRETLITE_TLS_CERT', help: 'serve HTTPS with this certificate (PEM)' },
  'tls-key': { type: 'string', env: 'SECRETLITE_TLS_KEY', help: "the TLS certificate's private key (PEM)" },
  'log-level': {
    type: 'string',
    env: 'SECRETLITE_LOG_LEVEL',
    help: 'debug | info | warn | error | silent (debug logs one line per request)',
  },
  help: { type: 'boolean', env: undefined, help: 'print this help and exit' },
  version: { type: 'boolean', env: undefined, help: 'print the version and exit' },
} as const;

export class ConfigError extends Error {}

/** Where PERSISTENCE=1 (LocalStack's switch) keeps data when no directory is named. */
export function defaultDataDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_DATA_HOME ?? `${env.HOME ?? '.'}/.local/share`;
  return `${base}/secretlite`;
}

/** A boolean from the environment: 1/true/yes/on or 0/false/no/off/empty, else a ConfigError. */
function envFlag(name: string, v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  const t = v.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(t)) return true;
  if (['', '0', 'false', 'no', 'off'].includes(t)) return false;
  throw new ConfigError(`invalid ${name} (1 or 0 expected): ${v}`);
}

function lambdaEndpoint(v: string | undefined): string | undefined {
  if (v === undefined || v === '') return undefined;
  try {
    const u = new URL(v);
    if (u.protocol === 'http:' || u.protocol === 'https:') return v;
  } catch {
    // below
  }
  throw new ConfigError(`invalid Lambda endpoint (an http or https URL expected): ${v}`);
}

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

/**
 * Where the AWS Secrets Manager Agent reads its SSRF token, in its order: the first variable set
 * (aws/aws-secretsmanager-agent, aws_secretsmanager_agent/src/config.rs DEFAULT_SSRF_ENV_VARIABLES, utils.rs).
 */
export const AGENT_TOKEN_ENV = ['AWS_TOKEN', 'AWS_SESSION_TOKEN', 'AWS_CONTAINER_AUTHORIZATION_TOKEN'] as const;

/** The Agent endpoint's token from the environment, as the agent finds it (`file://` is resolved by src/agent/). */
export function agentTokenFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const name of AGENT_TOKEN_ENV) if (env[name] !== undefined) return env[name];
  return undefined;
}

/** The Agent endpoint's options (src/agent/). */
function agentConfig(
  get: (name: keyof typeof OPTIONS) => string | undefined,
  auth: Config['auth'],
): Pick<Config, 'agentPort' | 'agentToken' | 'agentRegion' | 'agentAccessKey'> {
  const port = get('agent-port');
  if (port === undefined || port === '') return {};
  const agentPort = Number(port);
  if (!/^\d+$/.test(port) || agentPort > 65535) throw new ConfigError(`invalid agent port: ${port}`);
  const agentRegion = get('agent-region');
  // the Regions SigV4 accepts
  if (agentRegion !== undefined && !isRegionName(agentRegion)) {
    throw new ConfigError(`invalid agent region: ${agentRegion}`);
  }
  const agentAccessKey = get('agent-access-key');
  if (auth === 'sigv4' && agentAccessKey === undefined) {
    throw new ConfigError('--agent-port with --auth sigv4 needs --agent-access-key (a key id of --credentials)');
  }
  return { agentPort, agentToken: get('agent-token'), agentRegion, agentAccessKey };
}

export function parseConfig(argv: string[], env: NodeJS.ProcessEnv): Config & { help: boolean; version: boolean } {
  let values: Record<string, string | boolean | undefined>;
  try {
    const options = Object.fromEntries(Object.entries(OPTIONS).map(([k, o]) => [k, { type: o.type }]));
    ({ values } = parseArgs({ args: argv, options: options as never, strict: true, allowPositionals: false }));
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
  const get = (name: keyof typeof OPTIONS): string | undefined => {
    const v = values[name];
    if (typeof v === 'string') return v;
    const envName = OPTIONS[name].env;
    return envName ? env[envName] : undefined;
  };
  const port = get('port');
  const portNumber = port === undefined ? DEFAULTS.port : Number(port);
  if (!Number.isInteger(portNumber) || portNumber < 0 || portNumber > 65535)
    throw new ConfigError(`invalid port: ${port}`);
  const accountId = get('account-id') ?? DEFAULTS.accountId;
  if (!/^\d{12}$/.test(accountId)) throw new ConfigError(`invalid account id (12 digits expected): ${accountId}`);
  const growth = get('heap-growth');
  const heapGrowthPercent = growth === undefined ? DEFAULTS.heapGrowthPercent : Number(growth);
  if (!Number.isInteger(heapGrowthPercent) || heapGrowthPercent < 0 || heapGrowthPercent > 1000)
    throw new ConfigError(`invalid heap growth (0-1000 percent): ${growth}`);
  const auth = get('auth') ?? DEFAULTS.auth;
  if (auth !== 'none' && auth !== 'sigv4') throw new ConfigError(`invalid auth (none or sigv4): ${auth}`);
  const credentials = get('credentials');
  if (auth === 'sigv4' && !credentials) throw new ConfigError('--auth sigv4 needs --credentials FILE');
  const tlsCert = get('tls-cert');
  const tlsKey = get('tls-key');
  if ((tlsCert === undefined) !== (tlsKey === undefined)) throw new ConfigError('--tls-cert and --tls-key go together');
  const logLevel = (get('log-level') ?? DEFAULTS.logLevel) as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`invalid log level: ${logLevel}`);
  const agent = agentConfig(get, auth);
  return {
    ...DEFAULTS,
    host: get('host') ?? DEFAULTS.host,
    port: portNumber,
    accountId,
    region: get('region') ?? DEFAULTS.region,
    logLevel,
    heapGrowthPercent,
    strictAws:
      values['strict-aws'] === true ||
      (envFlag(OPTIONS['strict-aws'].env, env.SECRETLITE_STRICT_AWS) ?? DEFAULTS.strictAws),
    dataDir:
      get('data-dir') ?? (env.PERSISTENCE === '1' || env.PERSISTENCE === 'true' ? defaultDataDir(env) : undefined),
    databaseUrl: get('database-url'),
    lambdaEndpoint: lambdaEndpoint(get('lambda-endpoint')),
    lambdaApi: values['lambda-api'] === true ? true : envFlag(OPTIONS['lambda-api'].env, env.SECRETLITE_LAMBDA_API),
    auth,
    credentials,
    audit: get('audit'),
    throttle: values.throttle === true || (envFlag(OPTIONS.throttle.env, env.SECRETLITE_THROTTLE) ?? DEFAULTS.throttle),
    tlsCert,
    tlsKey,
    seed: get('seed'),
    ...agent,
    allowedHosts: get('allowed-hosts')
      ?.split(',')
      .map((h) => h.trim())
      .filter((h) => h !== ''),
    masterKey: env.SECRETLITE_MASTER_KEY,
    masterKeyFile: get('master-key-file'),
    help: values.help === true,
    version: values.version === true,
  };
}

export function helpText(): string {
  const rows = Object.entries(OPTIONS).map(([name, o]) => {
    const flag = `--${name}${o.type === 'string' ? ' <value>' : ''}`;
    const env = o.env ? ` (env ${o.env})` : '';
    return `  ${flag.padEnd(24)} ${o.help}${env}`;
  });
  return [
    'Usage: secretlite [options]',
    '       secretlite rotate-master-key [options]   add a key term and re-wrap every data key',
    '       secretlite export [options] [--out FILE] [--plaintext]',
    '       secretlite import [options] FILE',
    '',
    'A local, AWS-compatible Secrets Manager (AWS JSON 1.1 on POST /).',
    '',
    'Options:',
    ...rows,
    '',
    'Environment only: SECRETLITE_MASTER_KEY (32 bytes, base64 or hex), SECRETLITE_EXPORT_PASSPHRASE, PERSISTENCE=1.',
    '',
    `Defaults: --host ${DEFAULTS.host} --port ${DEFAULTS.port} --account-id ${DEFAULTS.accountId} ` +
      `--region ${DEFAULTS.region}`,
  ].join('\n');
}
