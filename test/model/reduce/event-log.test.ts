// The state's persistent log (src/model/reduce/event-log.ts) reads like the array it replaces:
// every version holds the events appended to it in order, since(seq) is the array's events after
// seq, and a bounded log keeps at least its newest `max` events, dropping only older ones. Older
// versions are unchanged by appends to newer ones (two appends to one version included).

import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, test } from 'vitest';
import type { LifecycleEvent } from '../../../src/model/lifecycle-event.ts';
import { EventLog } from '../../../src/model/reduce/event-log.ts';

const ev = (seq: number): LifecycleEvent => ({ seq }) as unknown as LifecycleEvent;
const seqs = (es: readonly LifecycleEvent[]): number[] => es.map((e) => e.seq);

describe('EventLog', () => {
  test('batches appended to versions of a log: each version is the array of its events; since() cuts it where the array would', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 300 })), { maxLength: 40 }),
        fc.integer({ min: 1, max: 1000 }),
        (steps, max) => {
          // Each step appends a batch to one of the versions made so far (not always the newest).
          const versions: { log: EventLog; want: number[] }[] = [{ log: EventLog.empty, want: [] }];
          let seq = 0;
          for (const [from, n] of steps) {
            const base = versions[from % versions.length]!;
            const start = Math.max(seq, base.want.at(-1) ?? 0);
            const batch = Array.from({ length: n }, (_, i) => ev(start + i + 1));
            seq = start + n;
            const log = base.log.append(batch, max);
            const all = [...base.want, ...seqs(batch)];
            const got = seqs(log.toArray());
            assert.equal(log.length, got.length);
            // The newest events, at least max of them (all when fewer), in order, a suffix of all.
            assert.ok(got.length >= Math.min(max, all.length), `kept ${got.length} of ${all.length}, max ${max}`);
            assert.ok(got.length <= Math.max(max, base.want.length) + 128 + n, `kept ${got.length}, max ${max}`);
            assert.deepEqual(got, all.slice(all.length - got.length));
            versions.push({ log, want: got });
          }
          for (const v of versions) {
            assert.deepEqual(seqs(v.log.toArray()), v.want, 'an older version is unchanged');
            for (const s of [0, ...v.want.slice(0, 5), ...v.want.slice(-3), (v.want.at(-1) ?? 0) + 1])
              assert.deepEqual(
                seqs(v.log.since(s)),
                v.want.filter((x) => x > s),
                `since(${s})`,
              );
            assert.equal(v.log.last()?.seq, v.want.at(-1));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  test('20,000 events in batches of one: the log stays bounded, each append copies little', () => {
    let log = EventLog.empty;
    for (let i = 1; i <= 50_000; i++) log = log.append([ev(i)], 20_000);
    assert.ok(log.length >= 20_000 && log.length < 20_000 + 128, String(log.length));
    assert.equal(log.last()?.seq, 50_000);
    assert.deepEqual(
      seqs(log.since(49_990)),
      Array.from({ length: 10 }, (_, i) => 49_991 + i),
    );
  });
});
