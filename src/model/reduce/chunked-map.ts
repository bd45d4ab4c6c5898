// A persistent map for the state's large collections (pods by UID, lives by namespace/name): a
// reduce that changes one pod of 5,000 copies one chunk of 64 values and the list of chunks
// instead of a 5,000-entry Map (a copy of which went straight to V8's large-object space on every
// reduce, and the resident memory of the process followed the garbage). Read as a ReadonlyMap,
// in insertion order, like the Map it replaces; keys are never removed (the reducer marks pods
// deleted, it does not forget them).
//
// The key -> position index and the list of keys are shared by a map and the maps made from it:
// appending a key is the only change they ever see, and a map reads only the positions below its
// own size, so a map never changes once made. A map that is not the newest of its line (two
// different changes made from one map) gets an index of its own on its first new key.

const SHIFT = 6;
const CHUNK = 1 << SHIFT;
const MASK = CHUNK - 1;

interface Shared {
  readonly index: Map<string, number>;
  readonly keys: string[];
}

export class ChunkedMap<V> implements ReadonlyMap<string, V> {
  private constructor(
    private shared: Shared,
    private chunks: V[][],
    private count: number,
    /** Set while this is a draft: which chunks (and the chunk list) it may write to. */
    private owned: boolean[] | undefined,
  ) {}

  static empty<V>(): ChunkedMap<V> {
    return new ChunkedMap<V>({ index: new Map(), keys: [] }, [], 0, undefined);
  }

  /** The same entries as a map, in its order (a plain Map of a test's hand-made state). */
  static from<V>(map: ReadonlyMap<string, V>): ChunkedMap<V> {
    if (map instanceof ChunkedMap) return map as ChunkedMap<V>;
    const d = ChunkedMap.empty<V>().edit();
    for (const [k, v] of map) d.set(k, v);
    return d.freeze();
  }

  get size(): number {
    return this.count;
  }

  private position(key: string): number | undefined {
    const pos = this.shared.index.get(key);
    return pos !== undefined && pos < this.count ? pos : undefined;
  }

  get(key: string): V | undefined {
    const pos = this.position(key);
    return pos === undefined ? undefined : this.chunks[pos >>> SHIFT]![pos & MASK];
  }

  has(key: string): boolean {
    return this.position(key) !== undefined;
  }

  *keys(): MapIterator<string> {
    const keys = this.shared.keys;
    for (let i = 0; i < this.count; i++) yield keys[i]!;
  }

  *values(): MapIterator<V> {
    for (let i = 0; i < this.count; i++) yield this.chunks[i >>> SHIFT]![i & MASK]!;
  }

  *entries(): MapIterator<[string, V]> {
    const keys = this.shared.keys;
    for (let i = 0; i < this.count; i++) yield [keys[i]!, this.chunks[i >>> SHIFT]![i & MASK]!];
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  /** A loop without an iterator result per entry (the views go over every pod on a change). */
  forEach(fn: (value: V, key: string, map: ReadonlyMap<string, V>) => void): void {
    const keys = this.shared.keys;
    for (let i = 0; i < this.count; i++) fn(this.chunks[i >>> SHIFT]![i & MASK]!, keys[i]!, this);
  }

  /** A draft: set() on it changes only the draft; freeze() makes the new map. */
  edit(): ChunkedMap<V> {
    return new ChunkedMap(this.shared, this.chunks.slice(), this.count, []);
  }

  set(key: string, value: V): void {
    const owned = this.owned;
    if (!owned) throw new Error('ChunkedMap: set() on a map that is not a draft');
    let pos = this.position(key);
    if (pos === undefined) {
      if (this.shared.keys.length !== this.count) {
        // Another map made from the same one added keys first: this line gets its own index.
        const keys = this.shared.keys.slice(0, this.count);
        this.shared = { index: new Map(keys.map((k, i) => [k, i])), keys };
      }
      pos = this.count++;
      this.shared.keys.push(key);
      this.shared.index.set(key, pos);
    }
    const c = pos >>> SHIFT;
    if (!owned[c]) {
      this.chunks[c] = this.chunks[c] ? this.chunks[c]!.slice() : [];
      owned[c] = true;
    }
    this.chunks[c]![pos & MASK] = value;
  }

  /** The map as the draft holds it now; the draft copies again before its next change. */
  freeze(): ChunkedMap<V> {
    if (!this.owned) return this;
    const frozen = new ChunkedMap(this.shared, this.chunks, this.count, undefined);
    this.chunks = this.chunks.slice();
    this.owned = [];
    return frozen;
  }

  get [Symbol.toStringTag](): string {
    return 'ChunkedMap';
  }
}
