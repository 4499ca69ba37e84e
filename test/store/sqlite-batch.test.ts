import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite.js';
import { Keyring } from '../../src/crypto/keyring.js';
import { staticKeyring } from '../../src/crypto/source.js';
import { newSecret } from '../../src/domain/secret.js';
import { addVersion, newVersion } from '../../src/domain/versions.js';
import type { Secret } from '../../src/domain/types.js';

const dir = mkdtempSync(join(tmpdir(), 'secretlite-batch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const keys = staticKeyring(new Keyring([{ id: 1, key: Buffer.alloc(32, 5) }]), 'test');
const scope = { accountId: '111111111111', region: 'us-east-1' };
const arnOf = (name: string, suffix = 'AbCdEf') =>
  `arn:aws:secretsmanager:us-east-1:111111111111:secret:${name}-${suffix}`;
const byName = (name: string) => ({ kind: 'name' as const, name });

function create(name: string, value: string, suffix?: string): Secret {
  const s = newSecret(arnOf(name, suffix), name, 1);
  addVersion(s, newVersion(`${value}`.padEnd(32, '0'), 1, undefined, { secretString: value }), undefined, 1);
  return s;
}

/** Appends a version whose value counts the versions it saw: writes to one secret in a batch must see each other. */
function append(s: Secret | undefined, i: number) {
  if (!s) throw new Error('missing');
  const seen = s.versions.length;
  addVersion(
    s,
    newVersion(`append-${i}-`.padEnd(32, 'x'), 2, undefined, { secretString: `saw ${seen}` }),
    undefined,
    2,
  );
  return { result: seen, next: s };
}

describe('sqlite group commit', () => {
  it('commits concurrent mutations together; a failing one is rolled back alone', async () => {
    const path = join(dir, 'batch.sqlite');
    let store = new SqliteStore({ path, keys });
    await store.mutate(scope, byName('shared'), () => ({ result: 0, next: create('shared', 'first') }));
    await store.mutate(scope, byName('victim'), () => ({ result: 0, next: create('victim', 'kept') }));
    const commitsBefore = store.commits;

    // 64 mutations fired in one turn: 40 creations, 20 appends to one secret, one transition that throws, one
    // whose SQL ran (the old secret of a name deleted) before it failed, a deletion and a read-only transition
    const calls: Array<Promise<unknown>> = [];
    for (let i = 0; i < 40; i++)
      calls.push(store.mutate(scope, byName(`new/${i}`), () => ({ result: i, next: create(`new/${i}`, `v${i}`) })));
    for (let i = 0; i < 10; i++) calls.push(store.mutate(scope, byName('shared'), (s) => append(s, i)));
    const thrown = store.mutate(scope, byName('shared'), () => {
      throw new Error('transition refused');
    });
    const failedSql = store.mutate(scope, byName('victim'), () => {
      // another ARN for the name: the store deletes the old row, then fails to serialize the new one
      const s = create('victim', 'replacement', 'XyZwVu');
      (s as { description?: unknown }).description = 1n;
      return { result: 0, next: s };
    });
    for (let i = 10; i < 20; i++) calls.push(store.mutate(scope, byName('shared'), (s) => append(s, i)));
    calls.push(store.mutate(scope, byName('new/0'), () => ({ result: 'deleted', next: null })));
    calls.push(store.mutate(scope, byName('new/1'), (s) => ({ result: s?.versions[0]?.secretString })));
    expect(calls.length + 2).toBe(64);

    await expect(thrown).rejects.toThrow('transition refused');
    await expect(failedSql).rejects.toThrow(/BigInt/);
    const results = await Promise.all(calls);
    expect(results.slice(0, 40)).toEqual([...Array(40).keys()]);
    // each append saw the versions the earlier ones of the batch wrote (the first version plus one per append)
    expect(results.slice(40, 60)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(results.slice(60)).toEqual(['deleted', 'v1']);
    expect(store.commits - commitsBefore).toBe(1);

    // what the caches answer, then what the database holds after a restart
    for (let round = 0; round < 2; round++) {
      const shared = await store.get(scope, byName('shared'));
      expect(shared?.versions.map((v) => v.secretString)).toEqual([
        'first',
        ...Array.from({ length: 20 }, (_, i) => `saw ${i + 1}`),
      ]);
      expect(shared?.versions.filter((v) => v.stages.includes('AWSCURRENT')).map((v) => v.id)).toEqual([
        'append-19-'.padEnd(32, 'x'),
      ]);
      expect((await store.get(scope, byName('victim')))?.arn).toBe(arnOf('victim'));
      expect((await store.get(scope, byName('victim')))?.versions[0]?.secretString).toBe('kept');
      expect(await store.get(scope, byName('new/0'))).toBeUndefined();
      for (let i = 1; i < 40; i++)
        expect((await store.get(scope, byName(`new/${i}`)))?.versions[0]?.secretString).toBe(`v${i}`);
      await store.close();
      store = new SqliteStore({ path, keys });
    }
    await store.close();
  });

  it('caps a batch; mutations queued during a flush go into the next one', async () => {
    const store = new SqliteStore({ path: join(dir, 'cap.sqlite'), keys });
    const before = store.commits;
    const first = Array.from({ length: 300 }, (_, i) =>
      store.mutate(scope, byName(`cap/${i}`), () => ({ result: i, next: create(`cap/${i}`, `c${i}`) })),
    );
    let later: Promise<unknown> | undefined;
    const inside = store.mutate(scope, byName('cap/0'), (s) => {
      later ??= store.mutate(scope, byName('cap/0'), (t) => ({ result: t?.versions.length }));
      return { result: s?.versions.length };
    });
    expect(await Promise.all(first)).toEqual([...Array(300).keys()]);
    expect(await inside).toBe(1);
    expect(await later).toBe(1);
    expect(store.commits - before).toBe(3); // 256, then 44 and the one queued before the flush, then `later`
    await store.close();
  });

  it('answers a write only once a sync of the WAL that started after its commit has finished', async () => {
    const store = new SqliteStore({ path: join(dir, 'sync.sqlite'), keys });
    const syncs = store.walSyncs!;
    expect(syncs).toBeDefined();
    // 200 writes in waves, so that commits happen while a sync runs: for each, the syncs started when its
    // transition ran (inside its commit's transaction) and the syncs finished when its answer came
    const seen: Array<{ atCommit: number; atAnswer: number }> = [];
    const writes: Array<Promise<void>> = [];
    for (let wave = 0; wave < 10; wave++) {
      for (let i = 0; i < 20; i++) {
        const name = `sync/${wave}/${i}`;
        let atCommit = -1;
        writes.push(
          store
            .mutate(scope, byName(name), () => {
              atCommit = syncs.started;
              return { result: undefined, next: create(name, 'v') };
            })
            .then(() => void seen.push({ atCommit, atAnswer: syncs.finished })),
        );
      }
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(writes);
    expect(seen).toHaveLength(200);
    for (const s of seen) expect(s.atAnswer).toBeGreaterThan(s.atCommit);
    // commits made while a sync ran share the next one: never more syncs than commits
    expect(syncs.finished).toBeGreaterThan(0);
    expect(syncs.finished).toBeLessThanOrEqual(store.commits);
    await store.close();
  });

  it('commits what is still queued when closed', async () => {
    const path = join(dir, 'close.sqlite');
    const store = new SqliteStore({ path, keys });
    const pending = store.mutate(scope, byName('late'), () => ({ result: 'ok', next: create('late', 'x') }));
    await store.close();
    expect(await pending).toBe('ok');
    const again = new SqliteStore({ path, keys });
    expect((await again.get(scope, byName('late')))?.versions[0]?.secretString).toBe('x');
    await again.close();
  });
});
