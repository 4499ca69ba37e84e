import { describe, expect, it } from 'vitest';
import { versionChanges } from '../../src/store/shared.js';
import { Keyring } from '../../src/crypto/keyring.js';
import { cloneSecret, newSecret, shapedVersion } from '../../src/domain/secret.js';
import { addVersion, newVersion, pruneVersions, writeValue } from '../../src/domain/versions.js';
import { DAY_MS } from '../../src/clock.js';
import type { Secret } from '../../src/domain/types.js';

const keyring = new Keyring([{ id: 1, key: Buffer.alloc(32, 6) }]);
const id = (n: number) => `v${n}`.padEnd(32, 'x');

function secret(versions: number, now = 1000): Secret {
  const s = newSecret('arn:aws:secretsmanager:us-east-1:111111111111:secret:x-AbCdEf', 'x', now);
  for (let i = 0; i < versions; i++)
    addVersion(s, newVersion(id(i), now + i, undefined, { secretString: `plain-canary ${i}` }), undefined, now + i);
  return s;
}
const summary = (c: ReturnType<typeof versionChanges>) => ({
  insert: c.insert.map((v) => [v.id, v.val !== null]),
  update: c.update.map((v) => [v.id, v.val !== undefined]),
  remove: c.remove,
});

describe('versionChanges: the version rows a write changes', () => {
  it('a new secret: every version is new, sealed (no plaintext in what is written)', () => {
    const s = secret(3);
    const c = versionChanges(keyring, undefined, s);
    expect(summary(c)).toEqual({
      insert: [
        [id(0), true],
        [id(1), true],
        [id(2), true],
      ],
      update: [],
      remove: [],
    });
    expect(JSON.stringify(c)).not.toContain('plain-canary');
  });

  it('a put on 1,000 versions: the new one, the one AWSCURRENT left, the one AWSPREVIOUS left', () => {
    const prev = secret(1000);
    const next = cloneSecret(prev);
    writeValue(next, id(1000), { secretString: 'new' }, undefined, 5000);
    expect(summary(versionChanges(keyring, prev, next))).toEqual({
      insert: [[id(1000), true]],
      update: [
        [id(998), false],
        [id(999), false],
      ],
      remove: [],
    });
  });

  it('labels in a new array but the same: no write; pruned versions: removed', () => {
    const prev = secret(103);
    const next = cloneSecret(prev);
    const v = next.versions[102]!;
    const same = shapedVersion(v.id, v.createdDate, [...v.stages], v.secretString, undefined, undefined, undefined);
    next.versions = next.versions.slice(0, 102).concat([same]);
    pruneVersions(next, 1000 + 2 * DAY_MS);
    expect(summary(versionChanges(keyring, prev, next))).toEqual({
      insert: [],
      update: [],
      remove: [id(0), id(1), id(2)],
    });
  });

  it("a rotation's placeholder filled: its value is sealed", () => {
    const prev = secret(1);
    const placeholder = shapedVersion(id(1), 2000, ['AWSPENDING'], undefined, undefined, undefined, undefined);
    prev.versions = prev.versions.concat([placeholder]);
    expect(summary(versionChanges(keyring, undefined, prev)).insert).toEqual([
      [id(0), true],
      [id(1), false],
    ]);
    const next = cloneSecret(prev);
    writeValue(next, id(1), { secretString: 'filled' }, undefined, 3000);
    expect(summary(versionChanges(keyring, prev, next))).toEqual({ insert: [], update: [[id(1), true]], remove: [] });
  });
});
