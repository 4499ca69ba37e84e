import { open, seal, type SealedValue } from '../crypto/envelope.js';
import { KeyringError, type Keyring } from '../crypto/keyring.js';

/**
 * A known value sealed under each key term, kept beside the data: at startup a wrong master key is a
 * clear error instead of garbage or a failure on the first read.
 */
const PREFIX = 'keycheck:';
const ARN = 'secretlite:keycheck';
const PLAINTEXT = 'secretlite key check';

export function recordKeyCheck(keyring: Keyring, set: (key: string, value: string) => void): void {
  const term = keyring.current();
  set(`${PREFIX}${term.id}`, JSON.stringify(seal(keyring, ARN, String(term.id), { secretString: PLAINTEXT })));
}

export interface KeyCheck {
  readonly term: number;
  readonly value: string;
}

export const keyCheckTerm = (metaKey: string): number | undefined =>
  metaKey.startsWith(PREFIX) ? Number(metaKey.slice(PREFIX.length)) : undefined;
export const KEYCHECK_PATTERN = `${PREFIX}%`;

/** Verifies the keyring against the checks a database holds, then records one for the current term. */
export function checkKeys(
  keyring: Keyring,
  checks: readonly KeyCheck[],
  set: (key: string, value: string) => void,
): void {
  const terms = new Set(keyring.terms().map((t) => t.id));
  const ours = checks.filter((c) => terms.has(c.term));
  for (const c of ours) {
    let ok = false;
    try {
      ok = open(keyring, ARN, String(c.term), JSON.parse(c.value) as SealedValue).secretString === PLAINTEXT;
    } catch {
      ok = false;
    }
    if (!ok)
      throw new KeyringError(
        `the master key does not match this database (key term ${c.term} fails its check); refusing to start`,
      );
  }
  if (checks.length > 0 && ours.length === 0) {
    throw new KeyringError(
      'the master key does not match this database (none of its key terms is known); refusing to start',
    );
  }
  if (!checks.some((c) => c.term === keyring.current().id)) recordKeyCheck(keyring, set);
}
