import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../src/store/postgres.js';
import { Keyring } from '../../src/crypto/keyring.js';
import { staticKeyring } from '../../src/crypto/source.js';
import { storeContract } from './contract.js';
import type { Store } from '../../src/store/Store.js';
import { postgresAvailable, startPostgres, type TestPostgres } from '../postgres.js';
import { newSecret } from '../../src/domain/secret.js';

const keys = staticKeyring(new Keyring([{ id: 1, key: Buffer.alloc(32, 9) }]), 'test');
const available = postgresAvailable();

describe.runIf(process.env.CI && !available)('PostgreSQL for the tests', () => {
  it('is installed (CI needs it)', () => {
    expect(available, 'PostgreSQL binaries not found: install postgresql or set SECRETLITE_TEST_DATABASE_URL').toBe(
      true,
    );
  });
});

describe.skipIf(!available)('postgres backend', () => {
  let pg: TestPostgres;
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(async () => {
    await pg?.stop();
  });
  const urls = new WeakMap<Store, string>();
  storeContract(
    'postgres',
    async () => {
      const url = await pg.newDatabase();
      const store = await PostgresStore.open(url, keys);
      urls.set(store, url);
      return store;
    },
    {
      async reopen(store) {
        await store.close();
        return PostgresStore.open(urls.get(store)!, keys);
      },
    },
  );

  // A write's BEGIN and name lock go as one query with the name as a literal (src/store/postgres.ts begin): names
  // reach the store validated, but the store must not depend on it.
  it('locks any name: quotes and backslashes as a literal, a NUL never in a query text', async () => {
    const store = await PostgresStore.open(await pg.newDatabase(), keys);
    const scope = { accountId: '111111111111', region: 'us-east-1' };
    const arn = (name: string) => `arn:aws:secretsmanager:us-east-1:111111111111:secret:${name}-AbCdEf`;
    const create = (name: string) =>
      store.mutate(scope, { kind: 'name', name }, () => ({ result: name, next: newSecret(arn(name), name, 1) }));
    try {
      for (const name of [`it's`, `back\\slash'); SELECT 1; --`, `E'x'`]) {
        expect(await create(name)).toBe(name);
        expect((await store.get(scope, { kind: 'name', name }))?.arn).toBe(arn(name));
      }
      // PostgreSQL text cannot hold a NUL: the write fails (as a parameter, the server refuses it), nothing else
      await expect(create('nul\0; DROP TABLE secretlite_secrets; --')).rejects.toThrow();
      expect(await create('after')).toBe('after');
      expect((await store.stats()).secrets).toBe(4);
    } finally {
      await store.close();
    }
  });
});
if (!available) console.warn('PostgreSQL not found: skipping the postgres store contract');
