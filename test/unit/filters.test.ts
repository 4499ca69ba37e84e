import { describe, expect, it } from 'vitest';
import { compileFilters, searchWords } from '../../src/domain/filters.js';
import type { Secret } from '../../src/domain/types.js';

// Domain unit test of the word split; the black-box cases are in test/operations/ListSecrets.test.ts.
const secret = (name: string, description?: string) => ({ name, description }) as unknown as Secret;

describe('searchWords (AWS user guide, "Find secrets")', () => {
  it('splits at case changes, letter/digit changes and punctuation', () => {
    expect(searchWords('credsDatabase#892')).toEqual(['creds', 'database', '892']);
    expect(searchWords('prod/AppBeta/x')).toEqual(['prod', 'app', 'beta', 'x']);
    expect(searchWords('uat/COMPANYthings/x')).toEqual(['uat', 'compan', 'ythings', 'x']);
    expect(searchWords('ABC')).toEqual(['abc']);
    expect(searchWords('abc123def')).toEqual(['abc', '123', 'def']);
    expect(searchWords('My_Secret')).toEqual(['my', 'secret']);
    expect(searchWords('--//')).toEqual([]);
    expect(searchWords('Été à Zürich')).toEqual(['été', 'à', 'zürich']);
  });

  it('matches every word of the value by prefix, case-insensitive', () => {
    const all = (v: string) => compileFilters([{ Key: 'all', Values: [v] }]);
    expect(all('compan')(secret('uat/COMPANYthings/x'))).toBe(true);
    expect(all('company')(secret('uat/COMPANYthings/x'))).toBe(false);
    expect(all('beta app')(secret('prod/AppBeta/x'))).toBe(true);
    expect(all('beta gamma')(secret('prod/AppBeta/x'))).toBe(false);
    expect(all('//')(secret('a/b'))).toBe(false);
    // the matcher's state is per secret: a word found in one secret does not count for the next
    const f = all('app zeta');
    expect(f(secret('app/x'))).toBe(false);
    expect(f(secret('zeta/y'))).toBe(false);
    expect(f(secret('app/zeta'))).toBe(true);
  });
});
