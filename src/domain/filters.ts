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
 *   words split as the user guide says (searchWords: case changes, letters and digits, punctuation);
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

/**
 * A word, as the AWS user guide splits search terms ("Find secrets in AWS Secrets Manager": words are
 * separated by any change from uppercase to lowercase, from letter to number or number to letter, and by
 * punctuation; `credsDatabase#892` searches for `creds`, `Database` and `892`). A run of capitals followed by
 * a lowercase letter gives its last capital to the next word (`COMPANYthings` is `COMPAN`, `Ythings`; issue
 * 11), as camel-case splitters do. Letters are Unicode letters (descriptions and tags may hold any); letters
 * without case (CJK) form words of their own.
 */
const WORD = /\p{Lu}+(?!\p{Ll})|\p{Lu}?\p{Ll}+|\p{N}+|[\p{Lt}\p{Lm}\p{Lo}]+/gu;

/** The words of a text, lower-cased (matching is case-insensitive; the split is made on the original case). */
export function searchWords(text: string): string[] {
  const out: string[] = [];
  WORD.lastIndex = 0; // matchAll starts where the shared expression last stopped
  for (const m of text.matchAll(WORD)) out.push(m[0].toLowerCase());
  return out;
}

/**
 * Word-prefix matching for `description` and `all`: every word of the filter value must start some word of
 * the texts, case-insensitive ("a secret" matches "an secret", not "asecret" [LS-val]; "Beta" matches
 * "prod/AppBeta/x"). A value with no word at all (only punctuation, or empty) matches nothing [ours: AWS
 * ignores punctuation, so such a search has nothing to look for].
 */
interface WordPrefixMatcher {
  /** forget the words found so far (call before each secret) */
  reset(): void;
  /** looks at one more text; true once every word of the value has been found */
  feed(text: string): boolean;
}

function wordPrefixMatcher(value: string): WordPrefixMatcher {
  const wanted = [...new Set(searchWords(value))];
  const found = new Array<boolean>(wanted.length).fill(false);
  let missing = wanted.length;
  return {
    reset() {
      found.fill(false);
      missing = wanted.length;
    },
    feed(text) {
      if (wanted.length === 0) return false;
      WORD.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = WORD.exec(text)) !== null) {
        const word = m[0].toLowerCase();
        for (let i = 0; i < wanted.length; i++) {
          if (!found[i] && word.startsWith(wanted[i]!)) {
            found[i] = true;
            if (--missing === 0) {
              WORD.lastIndex = 0;
              return true;
            }
          }
        }
      }
      return false;
    },
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
      return (s) => {
        m.reset();
        return s.description !== undefined && m.feed(s.description);
      };
    }
    case 'all': {
      // name, description, tag keys and values [user guide], and the Region and owning service
      const m = wordPrefixMatcher(value);
      return (s) => {
        m.reset();
        if (m.feed(s.name) || (s.description !== undefined && m.feed(s.description))) return true;
        for (const t of s.tags ?? NONE) if (m.feed(t.Key) || m.feed(t.Value)) return true;
        return (
          (s.primaryRegion !== undefined && m.feed(s.primaryRegion)) ||
          (s.owningService !== undefined && m.feed(s.owningService))
        );
      };
    }
    default:
      // the model's enum check has already refused other keys
      return () => false;
  }
}
