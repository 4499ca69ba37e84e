import { describe, expect, it } from 'vitest';
import { ListedCache } from '../../src/store/shared.js';
import { secretDoc } from '../../src/store/sealed.js';
import { newSecret } from '../../src/domain/secret.js';

const arn = (name: string) => `arn:aws:secretsmanager:us-east-1:111111111111:secret:${name}-AbCdEf`;
const docOf = (name: string, description: string) => {
  const s = newSecret(arn(name), name, 1);
  s.description = description;
  return secretDoc(s);
};

describe('the SQL stores: listed secrets as parsed', () => {
  it('gives the same object for the same document, and a new one when the document changed', () => {
    const cache = new ListedCache();
    // each row read from the database is a new string: equal content, not the same string
    const first = cache.parse(arn('a'), docOf('a', 'one'));
    expect(first.description).toBe('one');
    expect(cache.parse(arn('a'), docOf('a', 'one'))).toBe(first);
    const changed = cache.parse(arn('a'), docOf('a', 'two'));
    expect(changed).not.toBe(first);
    expect(changed.description).toBe('two');
    expect(first.description).toBe('one'); // an object given out is never changed
  });

  it('keeps at most its limit, the oldest going first', () => {
    const cache = new ListedCache(2);
    const a = cache.parse(arn('a'), docOf('a', 'x'));
    const b = cache.parse(arn('b'), docOf('b', 'x'));
    cache.parse(arn('c'), docOf('c', 'x'));
    expect(cache.parse(arn('b'), docOf('b', 'x'))).toBe(b);
    expect(cache.parse(arn('a'), docOf('a', 'x'))).not.toBe(a);
  });
});
