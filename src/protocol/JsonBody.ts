/**
 * An operation output that is already serialized. Handlers whose answer is a pure function of an immutable
 * snapshot (a stored secret or version object never changes: a change makes a new one) cache it, so the
 * hot reads skip building and stringifying the same object again.
 */
export class JsonBody {
  constructor(readonly json: string) {}
}

/**
 * A per-object cache of serialized views, keyed by the snapshot object itself. `context` must be fixed for
 * a given key (a version's secret, whose ARN and name never change).
 */
export function viewCache<K extends object, C = undefined>(render: (key: K, context: C) => unknown): (key: K, context: C) => JsonBody {
  const cache = new WeakMap<K, JsonBody>();
  return (key, context) => {
    let body = cache.get(key);
    if (!body) {
      body = new JsonBody(JSON.stringify(render(key, context)));
      cache.set(key, body);
    }
    return body;
  };
}
