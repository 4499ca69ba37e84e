import type { Secret, Tag } from './types.js';
import { InvalidParameter } from '../errors/ServiceError.js';
import { MSG } from '../errors/messages.js';

export interface Filter {
  Key?: string;
  Values?: string[];
}

/**
 * ListSecrets filters [M API_Filter; LS-val test_list_secrets_filtering]:
 * - name, tag-key, tag-value, primary-region: prefix, case-sensitive;
 * - owning-service: prefix, case-insensitive (user guide);
 * - description: word prefix, case-insensitive ("a" matches "an secret" and "asecret", not "thesecret";
 *   "a secret" matches "an secret" but not "asecret": every filter word must start some word);
 * - all: every filter word starts some word of any attribute, case-insensitive;
 * - a leading "!" negates a value; values inside one filter are ORed, filters are ANDed.
 */
export function compileFilters(filters: readonly Filter[] | undefined): (s: Secret) => boolean {
  if (!filters || filters.length === 0) return () => true;
  const tests = filters.map(compileFilter);
  // Loops, not every/some with an arrow: these run once per secret examined, and each arrow is an allocation.
  return (s) => {
    for (const test of tests) if (!test(s)) return false;
    return true;
  };
}

function compileFilter(f: Filter): (s: Secret) => boolean {
  if (f.Key === undefined) throw InvalidParameter(MSG.filterWithoutKey);
  if (!f.Values || f.Values.length === 0) throw InvalidParameter(MSG.filterWithoutValues(f.Key));
  const key = f.Key;
  const matchers = f.Values.map((raw) => {
    const negate = raw.startsWith('!');
    const value = negate ? raw.slice(1) : raw;
    const m = matcherFor(key, value);
    return negate ? (s: Secret) => !m(s) : m;
  });
  return (s) => {
    for (const m of matchers) if (m(s)) return true;
    return false;
  };
}

const words = (text: string): string[] => text.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 0);

function wordPrefixMatcher(value: string): (texts: readonly string[]) => boolean {
  const wanted = words(value);
  const whole = value.toLowerCase();
  return (texts) => {
    const have = texts.flatMap(words);
    if (wanted.length === 0) return texts.some((t) => t.toLowerCase().startsWith(whole));
    return wanted.every((w) => have.some((h) => h.startsWith(w)));
  };
}

const NONE: readonly Tag[] = [];

function matcherFor(key: string, value: string): (s: Secret) => boolean {
  switch (key) {
    case 'name':
      return (s) => s.name.startsWith(value);
    case 'tag-key':
      return (s) => {
        for (const t of s.tags ?? NONE) if (t.Key.startsWith(value)) return true;
        return false;
      };
    case 'tag-value':
      return (s) => {
        for (const t of s.tags ?? NONE) if (t.Value.startsWith(value)) return true;
        return false;
      };
    case 'primary-region':
      return (s) => s.primaryRegion !== undefined && s.primaryRegion.startsWith(value);
    case 'owning-service': {
      const v = value.toLowerCase();
      return (s) => s.owningService !== undefined && s.owningService.toLowerCase().startsWith(v);
    }
    case 'description': {
      const m = wordPrefixMatcher(value);
      return (s) => s.description !== undefined && m([s.description]);
    }
    case 'all': {
      const m = wordPrefixMatcher(value);
      return (s) =>
        m([
          s.name,
          s.description ?? '',
          ...(s.tags ?? []).flatMap((t) => [t.Key, t.Value]),
          s.primaryRegion ?? '',
          s.owningService ?? '',
        ]);
    }
    default:
      // the model's enum check has already refused other keys
      return () => false;
  }
}
