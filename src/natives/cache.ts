/**
 * A small bounded LRU map. The natives cache what they derive from an input string (a parsed
 * SQL statement's verbs and tables, a shell command's programs, a compiled pattern) so that the
 * same input seen again — in the same decision or a later one — costs a map lookup.
 *
 * A `Map` keeps insertion order: a hit is moved to the end, and the first key is the least
 * recently used one.
 */
export class LruCache<K, V> {
  readonly #map = new Map<K, V>();
  readonly #capacity: number;

  constructor(capacity: number) {
    // INVARIANT: a cache holds at least one entry; callers pass a constant.
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`INVARIANT: LRU capacity ${capacity}`);
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: K): V | undefined {
    const value = this.#map.get(key);
    if (value === undefined) return undefined;
    // Refresh: move the entry to the most recently used end.
    this.#map.delete(key);
    this.#map.set(key, value);
    return value;
  }

  has(key: K): boolean {
    return this.#map.has(key);
  }

  set(key: K, value: V): void {
    if (this.#map.has(key)) this.#map.delete(key);
    else if (this.#map.size >= this.#capacity) {
      const oldest = this.#map.keys().next();
      if (!oldest.done) this.#map.delete(oldest.value);
    }
    this.#map.set(key, value);
  }

  clear(): void {
    this.#map.clear();
  }
}

/** Entries per cache: enough for a busy agent's working set, small enough to bound memory. */
export const CACHE_ENTRIES = 1000;

/**
 * Inputs longer than this are analysed but not cached: a cache of 1,000 one-megabyte strings
 * would hold a gigabyte.
 */
export const MAX_CACHED_INPUT = 8192;

/** Get from `cache`, or compute, store (when the key is short enough) and return. */
export function memo<V>(cache: LruCache<string, V>, key: string, compute: (key: string) => V): V {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const value = compute(key);
  if (key.length <= MAX_CACHED_INPUT) cache.set(key, value);
  return value;
}
