import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import type { Store } from '../../src/store/Store.js';
import type { Scope, Secret, SecretVersion } from '../../src/domain/types.js';
import { SECRET_MEMBERS, VERSION_MEMBERS } from '../../src/domain/secret.js';
import { addVersion, newVersion, touchVersion, updateVersionStage, writeValue } from '../../src/domain/versions.js';
import { exportStore, importDump, type Dump } from '../../src/admin/dump.js';

export interface ContractOptions {
  /** closes the store and opens the same data again, as a restart would (persistent backends) */
  reopen?: (store: Store) => Promise<Store>;
}

const DAY = 86_400_000;

/**
 * A secret with every member set to a value that is not its default. The type lists every member of Secret:
 * a member added to the type without a sample here does not compile, and one that a store does not keep fails
 * the field-survival test below.
 */
function everyMember(scope: Scope): { [K in Exclude<keyof Secret, symbol>]-?: NonNullable<Secret[K]> } {
  const versions: SecretVersion[] = [
    {
      id: 'a'.repeat(32),
      createdDate: 1_000,
      stages: ['AWSPREVIOUS'],
      secretString: 'one',
      lastAccessedDate: 2 * DAY,
      kmsKeyId: 'alias/old',
    },
    {
      id: 'b'.repeat(32),
      createdDate: 1_500,
      stages: ['AWSCURRENT', 'custom'],
      secretString: undefined,
      secretBinary: Buffer.from([0, 1, 254, 255]),
      lastAccessedDate: 3 * DAY,
      kmsKeyId: 'alias/new',
    },
    {
      id: 'c'.repeat(32),
      createdDate: 1_700,
      stages: ['AWSPENDING'],
      secretString: undefined,
      lastAccessedDate: undefined,
    },
  ];
  return {
    arn: `arn:aws:secretsmanager:${scope.region}:${scope.accountId}:secret:every/member-EvErY1`,
    name: 'every/member',
    createdDate: 1_000,
    lastChangedDate: 2_000,
    lastAccessedDate: 3 * DAY,
    description: 'every member set',
    tags: [
      { Key: 'team', Value: 'blue' },
      { Key: 'empty', Value: '' },
    ],
    versions,
    kmsKeyId: 'alias/new',
    type: 'text/plain',
    resourcePolicy: '{"Version":"2012-10-17","Statement":[]}',
    deletedDate: 4 * DAY,
    deletionDate: 11 * DAY,
    rotationEnabled: true,
    rotationLambdaARN: 'arn:aws:lambda:us-east-1:111111111111:function:rotate',
    rotationRules: { AutomaticallyAfterDays: 30, Duration: '2h', ScheduleExpression: 'rate(30 days)' },
    lastRotatedDate: 2 * DAY,
    nextRotationDate: 32 * DAY,
    externalSecretRotationMetadata: [{ Key: 'partner', Value: 'x' }],
    externalSecretRotationRoleArn: 'arn:aws:iam::111111111111:role/rotator',
    rotationRun: { token: 'p'.repeat(32), testOnly: false, attempt: 2 },
    rotationFailure: { date: 5 * DAY, step: 'setSecret', message: 'boom' },
    rotationDueDate: 6 * DAY,
    owningService: 'rds',
    primaryRegion: 'eu-west-1',
    replicationStatus: [
      {
        Region: 'eu-west-2',
        KmsKeyId: 'alias/aws/secretsmanager',
        Status: 'InSync',
        StatusMessage: 'ok',
        LastAccessedDate: DAY,
      },
    ],
  };
}

/** Every member the tables declare, compared one by one (a message names the member that was lost). */
function expectEveryMember(got: Secret | undefined, expected: Secret, when: string): void {
  expect(got, when).toBeDefined();
  for (const k of Object.keys(SECRET_MEMBERS) as Array<keyof typeof SECRET_MEMBERS>) {
    if (k !== 'versions') expect(got![k], `${when}: ${k}`).toEqual(expected[k]);
  }
  expect(
    got!.versions.map((v) => v.id),
    `${when}: versions`,
  ).toEqual(expected.versions.map((v) => v.id));
  got!.versions.forEach((v, i) => {
    for (const k of Object.keys(VERSION_MEMBERS) as Array<keyof SecretVersion>) {
      expect(v[k], `${when}: version ${i + 1} ${k}`).toEqual(expected.versions[i]![k]);
    }
  });
}

/**
 * The contract every Store backend must pass, unchanged. A backend is done when it passes this suite.
 * Call it from a test file with a factory that returns a fresh, empty store.
 */
export function storeContract(kind: string, create: () => Promise<Store>, opts: ContractOptions = {}): void {
  describe(`Store contract: ${kind}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await create();
    });
    afterEach(async () => {
      await store.close();
    });

    const A: Scope = { accountId: '111111111111', region: 'us-east-1' };
    const B: Scope = { accountId: '222222222222', region: 'us-east-1' };
    const arnOf = (scope: Scope, name: string, suffix = 'AbC123') =>
      `arn:aws:secretsmanager:${scope.region}:${scope.accountId}:secret:${name}-${suffix}`;
    const secret = (scope: Scope, name: string, over: Partial<Secret> = {}): Secret => ({
      arn: arnOf(scope, name),
      name,
      createdDate: 1_000,
      lastChangedDate: 1_000,
      versions: [],
      ...over,
    });
    const put = (scope: Scope, s: Secret) =>
      store.mutate(scope, { kind: 'name', name: s.name }, () => ({ result: s.arn, next: s }));
    const all = {
      sortBy: 'created-date' as const,
      descending: false,
      limit: 1000,
      scanLimit: 100_000,
      filter: () => true,
    };

    it('creates, reads by name, full ARN and partial ARN', async () => {
      const s = secret(A, 'app/db', {
        versions: [
          { id: 'v'.repeat(32), createdDate: 1, stages: ['AWSCURRENT'], secretString: 'pw', secretBinary: undefined },
        ],
      });
      await put(A, s);
      expect((await store.get(A, { kind: 'name', name: 'app/db' }))?.arn).toBe(s.arn);
      expect((await store.get(A, { kind: 'arn', arn: s.arn }))?.name).toBe('app/db');
      const partial = s.arn.slice(0, -7);
      expect(
        (await store.get(A, { kind: 'arn', arn: partial, partialName: 'app/db' }))?.versions[0]?.secretString,
      ).toBe('pw');
      // a partial ARN from another account does not match
      expect(
        await store.get(A, { kind: 'arn', arn: arnOf(B, 'app/db').slice(0, -7), partialName: 'app/db' }),
      ).toBeUndefined();
      expect(await store.get(A, { kind: 'name', name: 'app/DB' })).toBeUndefined();
    });

    it('keeps every member of a secret and its versions: a write, a restart, an export and import', async () => {
      const sample = everyMember(A);
      // the sample sets every member the tables declare, and only those
      expect(Object.keys(sample).sort()).toEqual(Object.keys(SECRET_MEMBERS).sort());
      const versionKeys = new Set(
        sample.versions.flatMap((v) =>
          Object.entries(v)
            .filter(([, x]) => x !== undefined)
            .map(([k]) => k),
        ),
      );
      expect([...versionKeys].sort()).toEqual(Object.keys(VERSION_MEMBERS).sort());

      const id = { kind: 'name', name: sample.name } as const;
      await put(A, everyMember(A));
      expectEveryMember(await store.get(A, id), sample, 'read back');
      expectEveryMember(await store.get(A, { kind: 'arn', arn: sample.arn }), sample, 'read by ARN');

      // a write that changes one member keeps all the others
      await store.mutate(A, id, (s) => {
        s!.description = 'changed';
        return { result: null, next: s };
      });
      const changed = { ...everyMember(A), description: 'changed' };
      expectEveryMember(await store.get(A, id), changed, 'after a write');
      const listed = (await store.list(A, all)).items.find((s) => s.name === sample.name);
      expect(listed?.rotationRules, 'listed').toEqual(sample.rotationRules);
      expect(listed?.primaryRegion, 'listed').toBe(sample.primaryRegion);

      if (opts.reopen) {
        store = await opts.reopen(store);
        expectEveryMember(await store.get(A, id), changed, 'after a restart');
      }

      // export (plaintext and encrypted, through JSON as on disk) and import into an empty store of this kind
      for (const how of [{ plaintext: true }, { passphrase: 'contract' }]) {
        const dump = JSON.parse(JSON.stringify(await exportStore(store, how))) as Dump;
        const other = await create();
        try {
          expect(await importDump(other, dump, how.passphrase)).toBe(1);
          expectEveryMember(
            await other.get(A, id),
            changed,
            `after export/import (${how.plaintext ? 'plaintext' : 'encrypted'})`,
          );
        } finally {
          await other.close();
        }
      }
    });

    it('keeps binary values byte for byte', async () => {
      const bytes = Buffer.from([0, 255, 1, 254]);
      await put(
        A,
        secret(A, 'bin', {
          versions: [{ id: 'b'.repeat(32), createdDate: 1, stages: ['AWSCURRENT'], secretBinary: bytes }],
        }),
      );
      const got = await store.get(A, { kind: 'name', name: 'bin' });
      expect(Buffer.isBuffer(got!.versions[0]!.secretBinary)).toBe(true);
      expect(got!.versions[0]!.secretBinary!.equals(bytes)).toBe(true);
    });

    it('isolates scopes', async () => {
      await put(A, secret(A, 'same'));
      await put(B, secret(B, 'same', { description: 'b' }));
      expect((await store.get(A, { kind: 'name', name: 'same' }))?.description).toBeUndefined();
      expect((await store.get(B, { kind: 'name', name: 'same' }))?.description).toBe('b');
      expect((await store.list(A, all)).items).toHaveLength(1);
      expect(await store.stats()).toEqual({ secrets: 2, scopes: 2 });
    });

    it('clears every scope at once, and is usable after (names free, new writes kept)', async () => {
      await put(A, secret(A, 'one'));
      await put(B, secret(B, 'two', { description: 'b' }));
      const fn = {
        arn: `arn:aws:lambda:${A.region}:${A.accountId}:function:f`,
        name: 'f',
        accountId: A.accountId,
        region: A.region,
        role: `arn:aws:iam::${A.accountId}:role/r`,
        description: '',
        timeout: 3,
        memorySize: 128,
        architectures: ['x86_64'],
        ephemeralStorage: 512,
        tracingMode: 'PassThrough',
        codeSha256: 'x',
        codeSize: 1,
        lastModified: '2026-01-01T00:00:00.000+0000',
        revisionId: 'r',
        policy: [],
      };
      await store.functions?.put(fn);
      await store.clear();
      expect(await store.stats()).toEqual({ secrets: 0, scopes: 0 });
      expect(await store.get(A, { kind: 'name', name: 'one' })).toBeUndefined();
      expect((await store.list(B, all)).items).toHaveLength(0);
      expect(await store.functions?.get(A, 'f')).toBeUndefined();
      await put(A, secret(A, 'one', { description: 'again' }));
      expect((await store.get(A, { kind: 'name', name: 'one' }))?.description).toBe('again');
    });

    it('leaves nothing changed when a transition throws', async () => {
      await put(A, secret(A, 'atomic', { description: 'before' }));
      await expect(
        store.mutate(A, { kind: 'name', name: 'atomic' }, (s) => {
          s!.description = 'half-written';
          s!.versions = [...s!.versions, { id: 'x'.repeat(32), createdDate: 2, stages: [] }];
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      const got = await store.get(A, { kind: 'name', name: 'atomic' });
      expect(got?.description).toBe('before');
      expect(got?.versions).toHaveLength(0);
    });

    it('hands transitions a private copy: snapshots already read do not change', async () => {
      await put(A, secret(A, 'snap', { description: 'one', tags: [{ Key: 'a', Value: '1' }] }));
      const before = await store.get(A, { kind: 'name', name: 'snap' });
      await store.mutate(A, { kind: 'name', name: 'snap' }, (s) => {
        // tags are immutable and replaced whole (copy-on-write, see Tag); the other members change in place
        s!.tags = [{ Key: 'a', Value: '2' }];
        s!.description = 'two';
        return { result: null, next: s };
      });
      expect(before!.tags![0]!.Value).toBe('1');
      expect(before!.description).toBe('one');
      const after = await store.get(A, { kind: 'name', name: 'snap' });
      expect(after!.tags![0]!.Value).toBe('2');
      expect(after!.description).toBe('two');
    });

    // A copy shares its snapshot's versions array until domain/versions.ts changes it (cloneSecret, own): every way
    // versions.ts changes versions must leave the snapshots already read as they were.
    it('hands transitions versions to change: snapshots already read keep theirs', async () => {
      const versioned = secret(A, 'labels');
      addVersion(versioned, newVersion('a'.repeat(32), 1, undefined, { secretString: 'one' }), undefined, 1);
      addVersion(versioned, newVersion('b'.repeat(32), 2, undefined, { secretString: 'two' }), undefined, 2);
      await put(A, versioned);
      const before = (await store.get(A, { kind: 'name', name: 'labels' }))!;
      const labels = (s: Secret) =>
        s.versions.map((v) => `${v.secretString}:${v.stages.join('+')}:${v.lastAccessedDate}`);
      const expected = ['one:AWSPREVIOUS:undefined', 'two:AWSCURRENT:undefined'];
      expect(labels(before)).toEqual(expected);
      const changes: Array<(s: Secret) => void> = [
        (s) => updateVersionStage(s, 'mine', 'a'.repeat(32), undefined), // a label moved: a version replaced
        (s) => touchVersion(s, 'b'.repeat(32), 9), // a read recorded
        (s) => writeValue(s, 'c'.repeat(32), { secretString: 'three' }, undefined, 3), // a version added
      ];
      for (const change of changes) {
        const seen = (await store.get(A, { kind: 'name', name: 'labels' }))!;
        const seenLabels = labels(seen);
        await store.mutate(A, { kind: 'name', name: 'labels' }, (s) => {
          change(s!);
          return { result: null, next: s };
        });
        expect(labels(seen)).toEqual(seenLabels);
      }
      expect(labels(before)).toEqual(expected);
      expect(labels((await store.get(A, { kind: 'name', name: 'labels' }))!)).toEqual([
        'one:mine:undefined', // AWSPREVIOUS went to the version AWSCURRENT left
        'two:AWSPREVIOUS:9',
        'three:AWSCURRENT:undefined',
      ]);
    });

    it('loses no write under concurrent read-modify-writes', async () => {
      await put(A, secret(A, 'counter', { description: '0' }));
      await Promise.all(
        Array.from({ length: 200 }, () =>
          store.mutate(A, { kind: 'name', name: 'counter' }, (s) => {
            s!.description = String(Number(s!.description) + 1);
            return { result: null, next: s };
          }),
        ),
      );
      expect((await store.get(A, { kind: 'name', name: 'counter' }))?.description).toBe('200');
    });

    it('deletes, and a re-created name gets the new ARN', async () => {
      await put(A, secret(A, 'gone'));
      await store.mutate(A, { kind: 'name', name: 'gone' }, () => ({ result: null, next: null }));
      expect(await store.get(A, { kind: 'name', name: 'gone' })).toBeUndefined();
      await put(A, secret(A, 'gone', { arn: arnOf(A, 'gone', 'NeW999') }));
      expect(await store.get(A, { kind: 'arn', arn: arnOf(A, 'gone') })).toBeUndefined();
      expect((await store.get(A, { kind: 'name', name: 'gone' }))?.arn).toBe(arnOf(A, 'gone', 'NeW999'));
      // replacing a name by a secret with another ARN removes the old one
      await put(A, secret(A, 'gone', { arn: arnOf(A, 'gone', 'Third1') }));
      expect(await store.stats()).toEqual({ secrets: 1, scopes: 1 });
    });

    it('pages in sort order with cursors, for every sort key and direction', async () => {
      for (let i = 0; i < 25; i++) {
        const name = `s${String((i * 7) % 25).padStart(2, '0')}`;
        await put(
          A,
          secret(A, name, {
            createdDate: 1000 + (i % 5),
            lastChangedDate: 5000 - i,
            lastAccessedDate: i % 3 === 0 ? undefined : 86_400_000 * (i % 3),
          }),
        );
      }
      for (const sortBy of ['created-date', 'name', 'last-changed-date', 'last-accessed-date'] as const) {
        for (const descending of [false, true]) {
          const seen: string[] = [];
          let after;
          for (let pages = 0; pages < 20; pages++) {
            const page = await store.list(A, { ...all, sortBy, descending, limit: 4, after });
            seen.push(...page.items.map((s) => s.name));
            if (!page.next) break;
            after = page.next;
          }
          expect(new Set(seen).size, `${sortBy} ${descending}`).toBe(25);
          const full = (await store.list(A, { ...all, sortBy, descending })).items.map((s) => s.name);
          expect(seen).toEqual(full);
        }
      }
      const byName = (await store.list(A, { ...all, sortBy: 'name' })).items.map((s) => s.name);
      expect(byName).toEqual([...byName].sort());
    });

    it('lists the latest snapshot of each secret, by every sort key, after changes', async () => {
      for (let i = 0; i < 6; i++) await put(A, secret(A, `c${i}`, { createdDate: 10 + i, description: 'old' }));
      for (const sortBy of ['created-date', 'name', 'last-changed-date'] as const) {
        await store.list(A, { ...all, sortBy }); // an index built before the change must not serve stale snapshots
      }
      for (const i of [0, 3, 5]) {
        await store.mutate(A, { kind: 'name', name: `c${i}` }, (s) => {
          s!.description = `new ${i}`;
          s!.lastChangedDate = 100 + i;
          return { result: null, next: s };
        });
      }
      for (const sortBy of ['created-date', 'name', 'last-changed-date'] as const) {
        const items = (await store.list(A, { ...all, sortBy })).items;
        const described = Object.fromEntries(items.map((s) => [s.name, s.description]));
        expect(described, sortBy).toEqual({ c0: 'new 0', c1: 'old', c2: 'old', c3: 'new 3', c4: 'old', c5: 'new 5' });
      }
    });

    it('filters, stops after scanLimit with a cursor, and never returns more than asked', async () => {
      for (let i = 0; i < 30; i++) await put(A, secret(A, `f${String(i).padStart(2, '0')}`, { createdDate: i }));
      const even = (s: Secret) => Number(s.name.slice(1)) % 2 === 0;
      const page = await store.list(A, { ...all, filter: even, limit: 5 });
      expect(page.items.map((s) => s.name)).toEqual(['f00', 'f02', 'f04', 'f06', 'f08']);
      const short = await store.list(A, { ...all, filter: even, scanLimit: 3 });
      expect(short.items.length).toBeLessThanOrEqual(2);
      expect(short.next).toBeDefined();
      const rest = await store.list(A, { ...all, filter: even, after: short.next });
      expect([...short.items, ...rest.items]).toHaveLength(15);
    });

    it('finds secrets due for purge', async () => {
      await put(A, secret(A, 'due', { deletedDate: 1, deletionDate: 100 }));
      await put(B, secret(B, 'later', { deletedDate: 1, deletionDate: 1_000 }));
      await put(A, secret(A, 'live'));
      expect(await store.due('purge', 500, 10)).toEqual([{ scope: A, arn: arnOf(A, 'due') }]);
      expect(await store.due('purge', 5_000, 10)).toHaveLength(2);
      // restored secrets are no longer due
      await store.mutate(B, { kind: 'name', name: 'later' }, (s) => {
        delete s!.deletedDate;
        delete s!.deletionDate;
        return { result: null, next: s };
      });
      expect(await store.due('purge', 5_000, 10)).toHaveLength(1);
    });

    it('finds rotations due, earliest first, up to the limit, and follows their due date as it moves', async () => {
      for (let i = 0; i < 30; i++) {
        await put(i % 2 ? A : B, secret(i % 2 ? A : B, `rot${i}`, { rotationDueDate: 1_000 + i * 10 }));
      }
      await put(A, secret(A, 'no-rotation'));
      const due = await store.due('rotate', 1_095, 100);
      expect(due.map((d) => d.arn).sort()).toEqual(
        Array.from({ length: 10 }, (_, i) => arnOf(i % 2 ? A : B, `rot${i}`)).sort(),
      );
      expect(await store.due('rotate', 1_095, 4)).toHaveLength(4);
      expect(await store.due('rotate', 999, 100)).toEqual([]);
      // a rotation claimed (its lease moves the date) or turned off is no longer due
      await store.mutate(B, { kind: 'name', name: 'rot0' }, (s) => {
        s!.rotationDueDate = 50_000;
        return { result: null, next: s };
      });
      await store.mutate(A, { kind: 'name', name: 'rot1' }, (s) => {
        s!.rotationDueDate = undefined;
        return { result: null, next: s };
      });
      await store.mutate(B, { kind: 'name', name: 'rot2' }, () => ({ result: null, next: null }));
      expect((await store.due('rotate', 1_095, 100)).map((d) => d.arn).sort()).toEqual(
        Array.from({ length: 7 }, (_, i) => arnOf((i + 3) % 2 ? A : B, `rot${i + 3}`)).sort(),
      );
      expect((await store.due('rotate', 50_000, 100)).map((d) => d.arn)).toContain(arnOf(B, 'rot0'));
    });
  });
}
