import { setBounded } from '../bounded.js';

/**
 * An operation output that is already serialized. Handlers whose answer is a pure function of an immutable
 * snapshot (a stored secret or version object never changes: a change makes a new one) cache it, so the
 * hot reads skip building and stringifying the same object again.
 */
export class JsonBody {
  constructor(readonly json: string) {}
}

/**
 * An answer that is a JSON array of already serialized values between an opening and a closing text:
 * `head + items.join(',') + tail`. The HTTP layer writes the parts straight into reusable memory outside
 * the V8 heap (server/listBody.ts), so a 40 KB ListSecrets page is never joined into one more 40 KB string:
 * young-generation garbage is what makes page cost grow with the number of secrets (each young collection
 * walks every page of the old generation). `text` joins it, for callers in-process.
 */
export class JsonList {
  constructor(
    readonly head: string,
    readonly items: readonly string[],
    readonly tail: string,
  ) {}

  get text(): string {
    return this.head + this.items.join(',') + this.tail;
  }
}

/** How many serialized views one viewCache keeps: a few MB at most, whatever the number of secrets. */
export const VIEW_CACHE_ENTRIES = 4096;

/**
 * A cache of serialized views, keyed by the snapshot object itself. `context` must be fixed for a given key
 * (a version's secret, whose ARN and name never change). Bounded, oldest entry out first: a cache entry per
 * secret (a WeakMap) doubled the memory of every secret ever described, and slowed every full GC.
 *
 * A view enters the cache on its second request among the last `capacity` first requests, not its first.
 * A hot secret (a client polling it, a listing's first page) is cached from its second read on; reads spread
 * over many secrets are served without touching the cache. Caching every miss made each random read of
 * 100,000 secrets evict an entry that had lived long enough to reach V8's old generation: garbage that
 * only a full GC reclaims, which grew the heap by about 85 MB in a 5 s DescribeSecret run, and cost more CPU
 * than the rare hits saved.
 */
export function viewCache<K extends object, C = undefined>(
  render: (key: K, context: C) => unknown,
  capacity = VIEW_CACHE_ENTRIES,
): (key: K, context: C) => JsonBody {
  const cache = new Map<K, JsonBody>();
  // keys requested once: forgotten all at once when full (no per-entry bookkeeping on the miss path)
  let seen = new Set<K>();
  return (key, context) => {
    let body = cache.get(key);
    if (body) return body;
    body = new JsonBody(JSON.stringify(render(key, context)));
    if (seen.has(key)) {
      seen.delete(key);
      setBounded(cache, key, body, capacity);
    } else {
      if (seen.size >= capacity) seen = new Set();
      seen.add(key);
    }
    return body;
  };
}
