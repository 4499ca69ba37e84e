import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../src/store/postgres.js';
import { Keyring } from '../../src/crypto/keyring.js';
import { staticKeyring } from '../../src/crypto/source.js';
import { storeContract } from './contract.js';
import { postgresAvailable, startPostgres, type TestPostgres } from '../postgres.js';

const keys = staticKeyring(new Keyring([{ id: 1, key: Buffer.alloc(32, 9) }]), 'test');
const available = postgresAvailable();

describe.runIf(process.env.CI && !available)('PostgreSQL for the tests', () => {
  it('is installed (CI needs it)', () => {
    expect(available, 'PostgreSQL binaries not found: install postgresql or set SECRETLITE_TEST_DATABASE_URL').toBe(true);
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
  storeContract('postgres', async () => PostgresStore.open(await pg.newDatabase(), keys));
});
if (!available) console.warn('PostgreSQL not found: skipping the postgres store contract');
