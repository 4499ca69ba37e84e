import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite.js';
import { Keyring } from '../../src/crypto/keyring.js';
import { staticKeyring } from '../../src/crypto/source.js';
import { storeContract } from './contract.js';
import type { Store } from '../../src/store/Store.js';

const dir = mkdtempSync(join(tmpdir(), 'secretlite-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const keys = staticKeyring(new Keyring([{ id: 1, key: Buffer.alloc(32, 7) }]), 'test');
let n = 0;

const paths = new WeakMap<Store, string>();
storeContract(
  'sqlite',
  async () => {
    const path = join(dir, `db${n++}.sqlite`);
    const store = new SqliteStore({ path, keys });
    paths.set(store, path);
    return store;
  },
  {
    async reopen(store) {
      await store.close();
      return new SqliteStore({ path: paths.get(store)!, keys });
    },
  },
);

// Reads by name are served from the cache while PRAGMA data_version says no other connection committed
// (checked once per turn of the event loop): a second connection's writes must still be seen.
describe('sqlite: two connections on one database', () => {
  const scope = { accountId: '111111111111', region: 'us-east-1' };
  const arn = (suffix: string) => `arn:aws:secretsmanager:us-east-1:111111111111:secret:shared-${suffix}`;
  const version = (value: string) => ({
    id: value.padEnd(32, 'x'),
    createdDate: 1,
    stages: ['AWSCURRENT'],
    secretString: value,
  });
  const nextTurn = () => new Promise((r) => setImmediate(r));

  it("sees the other connection's changes, deletions and re-creations in the next turn", async () => {
    const path = join(dir, 'shared.sqlite');
    const a = new SqliteStore({ path, keys });
    const b = new SqliteStore({ path, keys });
    const put = (store: SqliteStore, suffix: string, value: string) =>
      store.mutate(scope, { kind: 'name', name: 'shared' }, () => ({
        result: undefined,
        next: { arn: arn(suffix), name: 'shared', createdDate: 1, lastChangedDate: 1, versions: [version(value)] },
      }));
    const read = async (store: SqliteStore) =>
      (await store.get(scope, { kind: 'name', name: 'shared' }))?.versions[0]?.secretString;
    try {
      await put(b, 'AAAAAA', 'one');
      expect(await read(a)).toBe('one');
      expect(await read(a)).toBe('one'); // now from a's cache
      await nextTurn();
      await put(b, 'AAAAAA', 'two');
      await nextTurn();
      expect(await read(a)).toBe('two');
      await b.mutate(scope, { kind: 'name', name: 'shared' }, () => ({ result: undefined, next: null }));
      await nextTurn();
      expect(await a.get(scope, { kind: 'name', name: 'shared' })).toBeUndefined();
      await put(b, 'BBBBBB', 'three');
      await nextTurn();
      expect((await a.get(scope, { kind: 'name', name: 'shared' }))?.arn).toBe(arn('BBBBBB'));
      // and a's own writes are seen at once, by both
      await put(a, 'BBBBBB', 'four');
      expect(await read(a)).toBe('four');
      await nextTurn();
      expect(await read(b)).toBe('four');
    } finally {
      await a.close();
      await b.close();
    }
  });
});
