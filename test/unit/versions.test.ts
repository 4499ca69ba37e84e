import { describe, expect, it } from 'vitest';
import { cloneSecret, newSecret } from '../../src/domain/secret.js';
import {
  addVersion,
  AWSCURRENT,
  AWSPENDING,
  AWSPREVIOUS,
  matchToken,
  newVersion,
  pruneVersions,
  updateVersionStage,
  VERSIONS_KEPT,
  versionById,
  writeValue,
} from '../../src/domain/versions.js';
import type { Secret } from '../../src/domain/types.js';
import { ServiceError } from '../../src/errors/ServiceError.js';

// Staging labels and versions as pure transitions; black-box cases are in test/operations/*.
const DAY = 86_400_000;
const id = (c: string) => c.repeat(32);
const labelsOf = (s: Secret) => Object.fromEntries(s.versions.map((v) => [v.id[0], [...v.stages].sort()]));
function secretWith(...values: string[]): Secret {
  const s = newSecret('arn:aws:secretsmanager:us-east-1:111111111111:secret:x-AbCdEf', 'x', 0);
  values.forEach((v, i) =>
    addVersion(s, newVersion(id(String.fromCharCode(97 + i)), i, undefined, { secretString: v }), undefined, i),
  );
  return s;
}
const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof ServiceError ? `${e.code}: ${e.message}` : String(e);
  }
  return 'no error';
};

describe('versions and staging labels', () => {
  it('a new version takes AWSCURRENT; the one it leaves becomes AWSPREVIOUS, and the older one loses it', () => {
    const s = secretWith('1', '2', '3');
    expect(labelsOf(s)).toEqual({ a: [], b: [AWSPREVIOUS], c: [AWSCURRENT] });
  });

  it('the first version gets AWSCURRENT even when other labels are asked for', () => {
    const s = newSecret('arn', 'x', 0);
    addVersion(s, newVersion(id('a'), 0, undefined, { secretString: 'v' }), ['custom'], 0);
    expect(labelsOf(s)).toEqual({ a: ['AWSCURRENT', 'custom'] });
  });

  it('a version put with AWSPENDING only leaves AWSCURRENT where it is', () => {
    const s = secretWith('1');
    addVersion(s, newVersion(id('p'), 1, undefined, { secretString: 'p' }), [AWSPENDING], 1);
    expect(labelsOf(s)).toEqual({ a: [AWSCURRENT], p: [AWSPENDING] });
  });

  it('moving AWSCURRENT onto the pending version drops AWSPENDING from it... and AWSPREVIOUS follows', () => {
    const s = secretWith('1');
    addVersion(s, newVersion(id('p'), 1, undefined, { secretString: 'p' }), [AWSPENDING], 1);
    updateVersionStage(s, AWSCURRENT, id('p'), id('a'));
    expect(labelsOf(s)).toEqual({ a: [AWSPREVIOUS], p: [AWSCURRENT, AWSPENDING] });
  });

  it('refuses to remove AWSCURRENT, and a label from a version that does not hold it', () => {
    const s = secretWith('1', '2');
    expect(code(() => updateVersionStage(s, AWSCURRENT, undefined, id('b')))).toMatch(
      /^InvalidParameterException: You can only move staging label AWSCURRENT/,
    );
    expect(code(() => updateVersionStage(s, AWSPREVIOUS, undefined, id('b')))).toBe(
      `InvalidParameterException: Version stage AWSPREVIOUS not found in version ${id('b')}`,
    );
    expect(code(() => updateVersionStage(s, 'x', undefined, undefined))).toBe(
      'InvalidParameterException: You must specify MoveToVersionId, RemoveFromVersionId, or both.',
    );
  });

  it('matches a token: new, a retry with the same value, the empty placeholder, or a clash', () => {
    const s = secretWith('1');
    expect(matchToken(s, id('z'), { secretString: 'x' }).kind).toBe('new');
    expect(matchToken(s, id('a'), { secretString: '1' }).kind).toBe('retry');
    expect(code(() => matchToken(s, id('a'), { secretString: 'other' }))).toMatch(
      /^ResourceExistsException: You can't use ClientRequestToken a{32} because/,
    );
    s.versions = s.versions.concat([
      { id: id('p'), createdDate: 5, stages: [AWSPENDING], secretString: undefined, lastAccessedDate: undefined },
    ]);
    expect(matchToken(s, id('p'), { secretString: 'x' }).kind).toBe('placeholder');
  });

  it('writeValue fills the placeholder in a new object, keeping its labels unless told otherwise', () => {
    const s = secretWith('1');
    const placeholder = {
      id: id('p'),
      createdDate: 5,
      stages: [AWSPENDING],
      secretString: undefined,
      lastAccessedDate: undefined,
    };
    s.versions = s.versions.concat([placeholder]);
    const w = writeValue(s, id('p'), { secretString: 'new' }, undefined, 10);
    expect(w.changed).toBe(true);
    expect(w.version).not.toBe(placeholder);
    expect(placeholder.secretString).toBeUndefined();
    expect(w.version).toMatchObject({ id: id('p'), createdDate: 5, secretString: 'new', stages: [AWSPENDING] });
    expect(writeValue(s, id('p'), { secretString: 'new' }, undefined, 11).changed).toBe(false);
  });

  it('prunes the oldest unlabelled versions beyond 100, never one younger than a day', () => {
    const s = secretWith('first'); // created at 0
    for (let i = 0; i < VERSIONS_KEPT + 5; i++) {
      const created = i < 3 ? 0 : 10 * DAY;
      addVersion(
        s,
        newVersion(`v${String(i).padStart(31, '0')}`, created, undefined, { secretString: String(i) }),
        undefined,
        10 * DAY,
      );
    }
    // 106 versions made; only the four created at 0 were old enough to go: 102 remain, over the 100 kept
    expect(s.versions).toHaveLength(102);
    expect(s.versions.every((v) => v.createdDate === 10 * DAY)).toBe(true);
    pruneVersions(s, 11 * DAY); // a day later the young ones may go too: down to 100, the labelled kept
    expect(s.versions).toHaveLength(VERSIONS_KEPT);
    expect(s.versions.filter((v) => v.stages.length > 0).map((v) => v.stages[0])).toEqual([AWSPREVIOUS, AWSCURRENT]);
  });

  it('a write replaces the versions it changes and shares the others; the snapshot it copied is untouched', () => {
    const stored = secretWith(...Array.from({ length: 1000 }, (_, i) => `value ${i}`));
    const before = JSON.stringify(stored);
    const next = cloneSecret(stored);
    const w = writeValue(next, '0'.repeat(32), { secretString: 'new' }, undefined, 2000);
    expect(JSON.stringify(stored)).toBe(before);
    expect(w.version.stages).toEqual([AWSCURRENT]);
    expect(next.versions.at(-2)!.stages).toEqual([AWSPREVIOUS]); // was AWSCURRENT
    expect(next.versions.at(-3)!.stages).toEqual([]); // was AWSPREVIOUS
    // the new version and the two whose labels changed are new objects; the 997 others are the stored ones
    const replaced = next.versions.filter((v, i) => v !== stored.versions[i]);
    expect(replaced.map((v) => v.id)).toEqual([stored.versions[998]!.id, stored.versions[999]!.id, '0'.repeat(32)]);
    // UpdateSecretVersionStage the same way
    const moved = cloneSecret(next);
    updateVersionStage(moved, 'custom', next.versions[5]!.id, undefined);
    expect(moved.versions.filter((v, i) => v !== next.versions[i]).map((v) => v.stages)).toEqual([['custom']]);
    expect(next.versions[5]!.stages).toEqual([]);
  });

  it('a secret of many versions finds its tokens through its set of ids, carried and grown by its copies', () => {
    let s = secretWith(...Array.from({ length: 200 }, (_, i) => `value ${i}`));
    const old = s.versions[3]!.id;
    // every kind of token: a retry, a clash, a new one, on copy after copy
    for (let i = 0; i < 50; i++) {
      s = cloneSecret(s);
      const token = `t${String(i).padStart(31, '0')}`;
      expect(writeValue(s, token, { secretString: `new ${i}` }, undefined, 3000 + i).changed).toBe(true);
      expect(writeValue(s, token, { secretString: `new ${i}` }, undefined, 3000 + i).changed).toBe(false);
      expect(() => writeValue(s, token, { secretString: 'other' }, undefined, 3000 + i)).toThrow(ServiceError);
      expect(versionById(s, old)?.secretString).toBe('value 3');
    }
    expect(s.versions).toHaveLength(250);
    expect(versionById(s, '!'.repeat(32))).toBeUndefined();
  });
});
