import type { OperationName } from '../model/service.js';
import type { OperationResults, ValueRead } from '../operations/results.js';
import { MEMO, type Secret } from '../domain/types.js';
import { AWSCURRENT, versionWithStage } from '../domain/versions.js';
import { describeView, listEntryView, secretValueView } from '../domain/views.js';
import { setBounded } from '../bounded.js';
import { JsonList } from './JsonList.js';

/**
 * Operation results become bytes here, and only here. This module owns every answer cache:
 * - GetSecretValue's memo: the AWSCURRENT answer of a stored snapshot, kept in the snapshot's MEMO slot (the one
 *   member of a stored snapshot that may be written after it was stored: a snapshot never changes, so neither
 *   does that answer; a slot costs less memory than an entry per secret in a map);
 * - the view caches of DescribeSecret and ListSecrets entries (bounded, see viewCache);
 * - pages as JsonList (head, serialized entries, tail), which the HTTP layer writes without joining.
 */
export function serialize<K extends OperationName>(operation: K, result: OperationResults[K]): string | JsonList {
  switch (operation) {
    case 'GetSecretValue':
      return valueJson(result as ValueRead);
    case 'DescribeSecret':
      return describeJson(result as Secret);
    case 'ListSecrets':
      return pageJson(result as OperationResults['ListSecrets']);
    case 'BatchGetSecretValue':
      return batchJson(result as OperationResults['BatchGetSecretValue']);
    default:
      return JSON.stringify(result);
  }
}

function pageJson(page: OperationResults['ListSecrets']): JsonList {
  const n = page.secrets.length;
  const entries = new Array<string>(n);
  for (let i = 0; i < n; i++) entries[i] = entryJson(page.secrets[i]!);
  const tail = page.nextToken === undefined ? ']}' : `],"NextToken":${JSON.stringify(page.nextToken)}}`;
  return new JsonList('{"SecretList":[', entries, tail);
}

function batchJson(r: OperationResults['BatchGetSecretValue']): JsonList {
  const n = r.values.length;
  const values = new Array<string>(n);
  for (let i = 0; i < n; i++) values[i] = valueJson(r.values[i]!);
  const next = r.nextToken === undefined ? '}' : `,"NextToken":${JSON.stringify(r.nextToken)}}`;
  return new JsonList('{"SecretValues":[', values, `],"Errors":${JSON.stringify(r.errors)}${next}`);
}

/**
 * A value read as JSON; the AWSCURRENT answer of a snapshot is made once (the memo). Measured 2026-12-06 with the
 * answers in a bounded viewCache instead: resident after reading each secret once, 1,204 MB at a million secrets
 * (1,447-1,518 with the memo) and 221 MB at 100,000 (228-239); but reads spread over many secrets then serialize
 * each time (1.1 µs, and 1.5 more in cache misses at 100,000), and GetSecretValue at 100,000 / 1,000,000 secrets
 * cost 1.53 / 1.97 times its cost at 1,000 (1.17 / 1.48 with the memo), BatchGetSecretValue of 20 ids 3.42 / 4.89
 * (1.63 / 2.60). Not adopted.
 */
function valueJson(r: ValueRead): string {
  const s = r.secret;
  const v = r.version;
  if (v !== undefined && !v.stages.includes(AWSCURRENT)) return JSON.stringify(secretValueView(s, v));
  const memo = s[MEMO];
  if (memo !== undefined) return memo;
  const json = flat(JSON.stringify(secretValueView(s, v ?? versionWithStage(s, AWSCURRENT)!)));
  s[MEMO] = json;
  return json;
}

/**
 * A string kept for long, as one flat string. V8's JSON.stringify returns a long result as a tree of parts: a
 * 312-character answer took 480 bytes of heap, 471 per secret once every secret was read (issue 13). Converting
 * a string to a number flattens it in place, and the next GC drops the tree: 337 bytes.
 */
function flat(s: string): string {
  Number(s);
  return s;
}

/**
 * How many serialized views one viewCache keeps, and the longest it keeps: at most 16 MB a cache, whatever the
 * number and size of the secrets (a DescribeSecret of 50 long tags is 20 KB; serializing one costs little beside
 * sending it).
 */
export const VIEW_CACHE_ENTRIES = 4096;
export const VIEW_CACHE_MAX_CHARS = 2048;

/**
 * A cache of serialized views, keyed by the snapshot object itself (it never changes). Bounded, oldest entry out
 * first: a cache entry per secret (a WeakMap) doubled the memory of every secret ever described, and slowed
 * every full GC.
 *
 * A view enters the cache on its second request among the last `capacity` first requests, not its first: a hot
 * secret (a client polling it, a listing's first page) is cached from its second read on, and reads spread over
 * many secrets are served without touching the cache (caching every miss evicted entries old enough to have
 * reached V8's old generation: garbage only a full GC reclaims; see CONTRIBUTING, "Performance").
 */
export function viewCache<K extends object>(
  render: (key: K) => unknown,
  capacity = VIEW_CACHE_ENTRIES,
): (key: K) => string {
  const cache = new Map<K, string>();
  // keys requested once: forgotten all at once when full (no per-entry bookkeeping on the miss path)
  let seen = new Set<K>();
  return (key) => {
    let json = cache.get(key);
    if (json !== undefined) return json;
    json = JSON.stringify(render(key));
    if (json.length > VIEW_CACHE_MAX_CHARS) return json;
    if (seen.has(key)) {
      seen.delete(key);
      setBounded(cache, key, flat(json), capacity);
    } else {
      if (seen.size >= capacity) seen = new Set();
      seen.add(key);
    }
    return json;
  };
}

const describeJson = viewCache((s: Secret) => describeView(s));
const entryJson = viewCache((s: Secret) => listEntryView(s));
