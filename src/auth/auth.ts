import { timingSafeEqual } from 'node:crypto';
import { CredentialsFile, SessionTokens, type CredentialsData, type KeyEntry } from './credentials.js';
import { verifySigV4, type SignedRequest, type Verified } from './verify.js';
import { compilePolicy } from './evaluate.js';
import type { Principal } from './principal.js';
import { systemClock, type Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { Random } from '../random.js';

/**
 * `--auth sigv4`: every request is signed by a key of the credentials file (or temporary credentials STS made from
 * it), and its principal's policies decide what it may do. Made once per server; `verify` is the pipeline's step 3.
 */
export class Authenticator {
  readonly #file: CredentialsFile;
  readonly #clock: Clock;

  constructor(path: string, clock: Clock, log: Logger, pollMs?: number) {
    this.#file = new CredentialsFile(path, (doc) => void compilePolicy(doc, 'identity'), log, pollMs);
    this.#clock = clock;
  }

  get credentials(): CredentialsData {
    return this.#file.data;
  }

  /** The principal who signed the request for `service`, and the Region it signed for; or an AWS auth error. */
  verify(req: SignedRequest, service: string): Verified {
    const data = this.#file.data;
    const now = this.#clock.now();
    // Signatures are made by clients' real clocks: the 5-minute window is checked against the system's, so that a
    // test moving the server's clock days ahead keeps its clients working; temporary credentials expire by the
    // server's clock, which the same test moves on purpose.
    return verifySigV4(req, {
      service,
      now: systemClock.now(),
      lookup: (id, token) => lookupKey(data, id, token, now),
    });
  }

  /**
   * Credentials of a role's session for a local rotation function (its execution role), or undefined when the role
   * is not in the file. They last a week [ours]: a warm function process keeps the credentials it started with.
   */
  roleCredentials(
    accountId: string,
    roleArn: string,
    sessionName: string,
    random: Random,
  ): { accessKeyId: string; secretAccessKey: string; sessionToken: string } | undefined {
    const data = this.#file.data;
    const role = data.roles.get(roleArn);
    // a function runs as a role of its own account only (creating it needed iam:PassRole on the role)
    if (!role || role.accountId !== accountId) return undefined;
    const name = sessionName.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
    return SessionTokens.issue(data, roleArn, name, this.#clock.now() + FUNCTION_SESSION_MS, random);
  }

  close(): void {
    this.#file.close();
  }
}

/** How long a local function's role credentials last. */
const FUNCTION_SESSION_MS = 7 * 86_400_000;

const same = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * A key of the file (its session token, if it has one, must come with it, and none otherwise: AWS refuses a
 * long-term key sent with a token), or temporary credentials from STS (`ASIA...` with their token).
 */
export function lookupKey(
  data: CredentialsData,
  accessKeyId: string,
  sessionToken: string | undefined,
  now: number,
): KeyEntry | 'unknown' | 'expired' {
  const entry = data.keys.get(accessKeyId);
  if (entry) {
    if (entry.sessionToken === undefined) return sessionToken === undefined ? entry : 'unknown';
    return sessionToken !== undefined && same(sessionToken, entry.sessionToken) ? entry : 'unknown';
  }
  if (sessionToken === undefined || !accessKeyId.startsWith('ASIA')) return 'unknown';
  const opened = SessionTokens.open(data, accessKeyId, sessionToken, now);
  return opened === 'invalid' ? 'unknown' : opened;
}

/** Without `--auth`: the caller as the access key id maps to an account (pipeline scopeOf), with no policies. */
export function anonymousPrincipal(accountId: string, accessKeyId: string): Principal {
  return {
    arn: `arn:aws:iam::${accountId}:root`,
    accountId,
    userId: accessKeyId || accountId,
    accessKeyId,
    tags: {},
    policies: [],
    type: 'Root',
  };
}
