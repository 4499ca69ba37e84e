import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../src/store/postgres.js';
import { Keyring } from '../../src/crypto/keyring.js';
import { staticKeyring } from '../../src/crypto/source.js';
import { storeContract } from './contract.js';
import type { Store } from '../../src/store/Store.js';
import { postgresAvailable, startPostgres, type TestPostgres } from '../postgres.js';

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
});
if (!available) console.warn('PostgreSQL not found: skipping the postgres store contract');
