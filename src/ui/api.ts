import { sign, type Credentials } from './sigv4.js';

/**
 * The console's only way to the server: the AWS API the SDKs call (POST / with X-Amz-Target, AWS JSON 1.1; STS
 * in the Query protocol), each request signed with SigV4. Credentials live in this module's memory only: a reload
 * or a closed tab forgets them.
 */

export interface Session {
  region: string;
  /** the account: without --auth, the 12-digit access key id the console signs with */
  account: string;
  /** the server checks signatures (--auth sigv4): the user's keys sign */
  auth: boolean;
  credentials: Credentials | undefined;
  /** the caller's ARN (GetCallerIdentity) */
  identity: string | undefined;
  /** the server keeps an audit log (LookupEvents answers) */
  audit: boolean;
}

export const session: Session = {
  region: 'us-east-1',
  account: '000000000000',
  auth: false,
  credentials: undefined,
  identity: undefined,
  audit: false,
};

/** An AWS error answer: its code (`__type`) and message, as the SDKs report them. */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message ? `${code}: ${message}` : code);
    this.name = code;
  }
}

/** Without --auth any secret key will do: the key id alone picks the account. */
const ANY_SECRET = 'secretlite-console';

function credentials(): Credentials {
  return session.credentials ?? { accessKeyId: session.account, secretAccessKey: ANY_SECRET };
}

async function post(service: string, headers: Record<string, string>, body: string, creds = credentials()) {
  const signed = await sign({
    host: location.host,
    headers,
    body,
    region: session.region,
    service,
    credentials: creds,
    now: new Date(),
  });
  return fetch('/', { method: 'POST', headers: signed, body, credentials: 'omit', cache: 'no-store' });
}

const JSON_TYPE = 'application/x-amz-json-1.1';

async function jsonCall<T>(service: string, target: string, input: object): Promise<T> {
  const res = await post(service, { 'content-type': JSON_TYPE, 'x-amz-target': target }, JSON.stringify(input));
  const text = await res.text();
  let out: Record<string, unknown> = {};
  try {
    out = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    // an XML or text answer (a refusal before the API): shown as it is
    if (!res.ok) throw new AwsError(`HTTP ${res.status}`, xmlError(text)?.message ?? text.slice(0, 300), res.status);
  }
  if (!res.ok) {
    const type = String(out.__type ?? `HTTP ${res.status}`);
    const message = String(out.Message ?? out.message ?? '');
    throw new AwsError(type.slice(type.lastIndexOf('#') + 1), message, res.status);
  }
  return out as T;
}

/** A Secrets Manager operation. */
export const sm = <T = Record<string, unknown>>(operation: string, input: object): Promise<T> =>
  jsonCall<T>('secretsmanager', `secretsmanager.${operation}`, input);

/** CloudTrail's LookupEvents over the server's audit log. */
export const lookupEvents = <T>(input: object): Promise<T> =>
  jsonCall<T>('cloudtrail', 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents', input);

function xmlError(text: string): { code: string; message: string } | undefined {
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  if (doc.querySelector('parsererror')) return undefined;
  const code = doc.querySelector('Error > Code')?.textContent ?? doc.documentElement.nodeName;
  return { code, message: doc.querySelector('Message')?.textContent ?? '' };
}

export interface Identity {
  readonly account: string;
  readonly arn: string;
}

/** STS GetCallerIdentity: who the keys are (without --auth: the account the key id maps to). */
export async function callerIdentity(creds: Credentials): Promise<Identity> {
  const res = await post(
    'sts',
    { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    'Action=GetCallerIdentity&Version=2011-06-15',
    creds,
  );
  const text = await res.text();
  if (!res.ok) {
    const err = xmlError(text) ?? { code: `HTTP ${res.status}`, message: text.slice(0, 300) };
    throw new AwsError(err.code, err.message, res.status);
  }
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  return {
    account: doc.querySelector('Account')?.textContent ?? '',
    arn: doc.querySelector('Arn')?.textContent ?? '',
  };
}

/** Probes the server: does it check signatures? (A key id it cannot know is refused only then.) */
export async function probeAuth(): Promise<Identity | undefined> {
  try {
    return await callerIdentity({ accessKeyId: 'secretlite-console', secretAccessKey: ANY_SECRET });
  } catch (e) {
    if (e instanceof AwsError && e.status < 500) return undefined;
    throw e;
  }
}

/** An idempotency token, as the SDKs send with every write. */
export const token = (): string => crypto.randomUUID();
