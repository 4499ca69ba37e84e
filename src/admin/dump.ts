import { randomBytes, scryptSync } from 'node:crypto';
import type { Scope, Secret } from '../domain/types.js';
import type { Store } from '../store/Store.js';
import { Keyring } from '../crypto/keyring.js';
import { open, seal, type PlainValue, type SealedValue } from '../crypto/envelope.js';
import { shapedSecret, shapedVersion } from '../domain/secret.js';

/**
 * secretlite's export format: every scope's secrets as JSON. Values are sealed with a key derived from a
 * passphrase (scrypt), or, only when asked for explicitly, in plaintext.
 */
export interface Dump {
  format: 'secretlite-export';
  version: 1;
  exportedAt: string;
  encryption: { kdf: 'scrypt'; salt: string; N: number; r: number; p: number } | 'none';
  secrets: DumpEntry[];
}

interface DumpVersion {
  id: string;
  createdDate: number;
  stages: readonly string[];
  lastAccessedDate?: number;
  kmsKeyId?: string;
  SecretString?: string;
  SecretBinary?: string;
  sealed?: SealedValue;
}

interface DumpEntry {
  accountId: string;
  region: string;
  secret: Omit<Secret, 'versions'> & { versions: DumpVersion[] };
}

const SCRYPT = { N: 1 << 15, r: 8, p: 1 };

function passphraseKeyring(passphrase: string, salt: Buffer, params = SCRYPT): Keyring {
  const key = scryptSync(passphrase, salt, 32, { ...params, maxmem: 256 * params.N * params.r });
  return new Keyring([{ id: 1, key }]);
}

export class DumpError extends Error {}

export async function exportStore(
  store: Store,
  opts: { passphrase?: string; plaintext?: boolean; onProgress?: (done: number) => void },
): Promise<Dump> {
  if (!opts.plaintext && !opts.passphrase)
    throw new DumpError('an export needs a passphrase (SECRETLITE_EXPORT_PASSPHRASE) or --plaintext');
  const salt = randomBytes(16);
  const ring = opts.plaintext ? undefined : passphraseKeyring(opts.passphrase!, salt);
  const secrets: DumpEntry[] = [];
  for await (const { scope, secret } of store.entries()) {
    const versions = secret.versions.map(({ secretString, secretBinary, ...v }): DumpVersion => {
      if (secretString === undefined && secretBinary === undefined) return v;
      if (ring) return { ...v, sealed: seal(ring, secret.arn, v.id, { secretString, secretBinary }) };
      return { ...v, SecretString: secretString, SecretBinary: secretBinary?.toString('base64') };
    });
    secrets.push({ accountId: scope.accountId, region: scope.region, secret: { ...secret, versions } });
    opts.onProgress?.(secrets.length);
  }
  return {
    format: 'secretlite-export',
    version: 1,
    exportedAt: new Date().toISOString(),
    encryption: ring ? { kdf: 'scrypt', salt: salt.toString('base64'), ...SCRYPT } : 'none',
    secrets,
  };
}

/** Writes every secret of a dump into the store; a secret of the same name in the same scope is replaced. */
export async function importDump(
  store: Store,
  dump: Dump,
  passphrase?: string,
  onProgress?: (done: number) => void,
): Promise<number> {
  if (dump.format !== 'secretlite-export' || dump.version !== 1)
    throw new DumpError('not a secretlite export (or a newer format)');
  let ring: Keyring | undefined;
  if (dump.encryption !== 'none') {
    if (!passphrase) throw new DumpError('this export is encrypted: set SECRETLITE_EXPORT_PASSPHRASE');
    const { salt, N, r, p } = dump.encryption;
    ring = passphraseKeyring(passphrase, Buffer.from(salt, 'base64'), { N, r, p });
  }
  let count = 0;
  for (const entry of dump.secrets) {
    const scope: Scope = { accountId: entry.accountId, region: entry.region };
    const secret = shapedSecret(
      entry.secret,
      entry.secret.versions.map(({ sealed, SecretString, SecretBinary, ...v }) => {
        let value: PlainValue = {
          secretString: SecretString,
          secretBinary: SecretBinary === undefined ? undefined : Buffer.from(SecretBinary, 'base64'),
        };
        if (sealed) {
          if (!ring) throw new DumpError('sealed value in a plaintext export');
          try {
            value = open(ring, entry.secret.arn, v.id, sealed);
          } catch {
            throw new DumpError('wrong passphrase, or the export was altered');
          }
        }
        return shapedVersion(
          v.id,
          v.createdDate,
          v.stages,
          value.secretString,
          value.secretBinary,
          v.lastAccessedDate,
          v.kmsKeyId,
        );
      }),
    );
    await store.mutate(scope, { kind: 'name', name: secret.name }, () => ({ result: null, next: secret }));
    count++;
    onProgress?.(count);
  }
  return count;
}
