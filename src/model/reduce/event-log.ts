// The state's log of lifecycle events, persistent: appending to it copies the last chunk of at most
// 128 events and the list of chunks, not the log. (The log was an array copied whole on every
// reduce that logged an event, and sliced again once over its bound: with 5,000 pods, 20,000
// entries, two 160 KB copies for each watch event, most of the reducer's garbage.) Bounded like the
// array was, to at least the newest `max` events: whole chunks are dropped from the front.

import type { LifecycleEvent } from '../lifecycle-event.ts';

const CHUNK = 128;

export class EventLog {
  private constructor(
    private readonly chunks: readonly (readonly LifecycleEvent[])[],
    readonly length: number,
  ) {}

  static readonly empty = new EventLog([], 0);

  static of(events: readonly LifecycleEvent[]): EventLog {
    return EventLog.empty.append(events, Infinity);
  }

  /** This log with `events` after it (seq increasing), keeping at least the newest `max`. */
  append(events: readonly LifecycleEvent[], max: number): EventLog {
    if (events.length === 0) return this;
    const chunks = this.chunks.slice();
    let last = chunks.length > 0 && chunks[chunks.length - 1]!.length < CHUNK ? chunks.pop()!.slice() : [];
    for (const e of events) {
      if (last.length === CHUNK) {
        chunks.push(last);
        last = [];
      }
      last.push(e);
    }
    chunks.push(last);
    let length = this.length + events.length;
    let drop = 0;
    while (drop < chunks.length - 1 && length - chunks[drop]!.length >= max) length -= chunks[drop++]!.length;
    return new EventLog(drop > 0 ? chunks.slice(drop) : chunks, length);
  }

  /** The newest event, if any. */
  last(): LifecycleEvent | undefined {
    return this.chunks.at(-1)?.at(-1);
  }

  /** The events with seq greater than `seq`, oldest first. */
  since(seq: number): LifecycleEvent[] {
    const newest = this.last();
    if (newest === undefined || newest.seq <= seq) return [];
    // The first chunk whose newest event is newer than seq, then the first such event in it.
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.chunks[mid]!.at(-1)!.seq <= seq) lo = mid + 1;
      else hi = mid;
    }
    const first = this.chunks[lo]!;
    let i = 0;
    let j = first.length;
    while (i < j) {
      const mid = (i + j) >> 1;
      if (first[mid]!.seq <= seq) i = mid + 1;
      else j = mid;
    }
    const out = first.slice(i);
    for (let c = lo + 1; c < this.chunks.length; c++) for (const e of this.chunks[c]!) out.push(e);
    return out;
  }

  /** Every event, oldest first. */
  toArray(): LifecycleEvent[] {
    return this.chunks.flat();
  }
}
