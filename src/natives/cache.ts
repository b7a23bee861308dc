/**
 * A small bounded cache with least-recently-used eviction by generations. The natives cache what
 * they derive from an input string (a parsed SQL statement's verbs and tables, a shell command's
 * programs, a compiled pattern) so that the same input seen again — in the same decision or a later
 * one — costs a map lookup.
 *
 * Two maps, `young` and `old`, of at most ⌊capacity/2⌋ entries each: a hit in `young` costs one
 * lookup (an exact LRU moves every hit to the end of its Map, a delete and a set, which profiling
 * showed as a tenth of a guarded call); a hit in `old` moves the entry to `young`; when `young`
 * is full it becomes `old`, and the old `old` is dropped. So the cache never holds more than
 * `capacity` entries and always keeps the ⌊capacity/2⌋ most recently used ones.
 */
export class LruCache<K, V> {
  #young = new Map<K, V>();
  #old = new Map<K, V>();
  readonly #limit: number;
  readonly #keepOld: boolean;

  constructor(capacity: number) {
    // INVARIANT: a cache holds at least one entry; callers pass a constant.
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`INVARIANT: LRU capacity ${capacity}`);
    this.#limit = Math.max(1, Math.floor(capacity / 2));
    this.#keepOld = capacity >= 2;
  }

  get size(): number {
    return this.#young.size + this.#old.size;
  }

  get(key: K): V | undefined {
    const young = this.#young.get(key);
    if (young !== undefined) return young;
    const value = this.#old.get(key);
    if (value === undefined) return undefined;
    this.#old.delete(key);
    this.#put(key, value);
    return value;
  }

  has(key: K): boolean {
    return this.#young.has(key) || this.#old.has(key);
  }

  set(key: K, value: V): void {
    if (this.#young.has(key)) {
      this.#young.set(key, value);
      return;
    }
    this.#old.delete(key);
    this.#put(key, value);
  }

  clear(): void {
    this.#young.clear();
    this.#old.clear();
  }

  /** Add a key `young` does not hold (and `old` no longer does), starting a generation when full. */
  #put(key: K, value: V): void {
    if (this.#young.size >= this.#limit) {
      this.#old = this.#keepOld ? this.#young : new Map();
      this.#young = new Map();
    }
    this.#young.set(key, value);
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
