/**
 * An operation output that is already serialized. Handlers whose answer is a pure function of an immutable
 * snapshot (a stored secret or version object never changes: a change makes a new one) cache it, so the
 * hot reads skip building and stringifying the same object again.
 */
export class JsonBody {
  constructor(readonly json: string) {}
}

/** How many serialized views one viewCache keeps: a few MB at most, whatever the number of secrets. */
export const VIEW_CACHE_ENTRIES = 4096;

/**
 * A cache of serialized views, keyed by the snapshot object itself. `context` must be fixed for a given key
 * (a version's secret, whose ARN and name never change). Bounded, oldest entry out first: a cache entry per
 * secret (a WeakMap) doubled the memory of every secret ever described, and slowed every full GC.
 */
export function viewCache<K extends object, C = undefined>(
  render: (key: K, context: C) => unknown,
  capacity = VIEW_CACHE_ENTRIES,
): (key: K, context: C) => JsonBody {
  const cache = new Map<K, JsonBody>();
  return (key, context) => {
    let body = cache.get(key);
    if (!body) {
      body = new JsonBody(JSON.stringify(render(key, context)));
      if (cache.size >= capacity) cache.delete(cache.keys().next().value!);
      cache.set(key, body);
    }
    return body;
  };
}
