/**
 * Sets `key` in a map kept to at most `limit` entries: a key not yet in it, once the map is full, first evicts
 * the oldest inserted entry (a Map iterates in insertion order).
 */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, limit: number): void {
  if (map.size >= limit && !map.has(key)) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
  map.set(key, value);
}
