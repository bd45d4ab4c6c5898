// The state's persistent map (src/model/reduce/chunked-map.ts) reads like the Map it replaces:
// the same entries in insertion order, in every version made, including two different changes
// made from one version (the second gets an index of its own).

import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, test } from 'vitest';
import { ChunkedMap } from '../../../src/model/reduce/chunked-map.ts';

function same<V>(actual: ReadonlyMap<string, V>, expected: ReadonlyMap<string, V>, at: string): void {
  assert.equal(actual.size, expected.size, `${at}: size`);
  assert.deepEqual([...actual], [...expected], `${at}: entries in order`);
  assert.deepEqual([...actual.keys()], [...expected.keys()], `${at}: keys`);
  assert.deepEqual([...actual.values()], [...expected.values()], `${at}: values`);
  const seen: [string, V][] = [];
  actual.forEach((v, k) => seen.push([k, v]));
  assert.deepEqual(seen, [...expected], `${at}: forEach`);
  for (const k of expected.keys()) {
    assert.equal(actual.has(k), true, `${at}: has ${k}`);
    assert.equal(actual.get(k), expected.get(k), `${at}: get ${k}`);
  }
}

describe('ChunkedMap', () => {
  test('hundreds of keys over several chunks: a Map in insertion order; a change rewrites a value in place', () => {
    let m = ChunkedMap.empty<number>();
    const want = new Map<string, number>();
    for (let i = 0; i < 300; i++) {
      const d = m.edit();
      d.set(`k${i}`, i);
      want.set(`k${i}`, i);
      if (i % 7 === 0) {
        d.set(`k${i >> 1}`, -i);
        want.set(`k${i >> 1}`, -i);
      }
      m = d.freeze();
    }
    same(m, want, 'after 300');
    assert.equal(m.get('nope'), undefined);
    assert.equal(m.has('nope'), false);
  });

  test('a version never changes: later changes, and two changes made from one version, each see their own', () => {
    const a = ChunkedMap.from(new Map([['x', 1]]));
    const d1 = a.edit();
    d1.set('y', 2);
    const b = d1.freeze();
    const d2 = a.edit(); // a second change from `a`: its new key must not show in b, nor b's in it
    d2.set('z', 3);
    d2.set('x', 9);
    const c = d2.freeze();
    same(a, new Map([['x', 1]]), 'a');
    same(
      b,
      new Map([
        ['x', 1],
        ['y', 2],
      ]),
      'b',
    );
    same(
      c,
      new Map([
        ['x', 9],
        ['z', 3],
      ]),
      'c',
    );
    const d3 = b.edit();
    d3.set('w', 4);
    same(
      d3.freeze(),
      new Map([
        ['x', 1],
        ['y', 2],
        ['w', 4],
      ]),
      'd from b',
    );
    same(
      b,
      new Map([
        ['x', 1],
        ['y', 2],
      ]),
      'b again',
    );
  });

  test('a draft keeps writing after freeze() without changing what it froze; a frozen map refuses set()', () => {
    const d = ChunkedMap.empty<string>().edit();
    d.set('a', '1');
    const one = d.freeze();
    d.set('a', '2');
    d.set('b', '3');
    same(one, new Map([['a', '1']]), 'frozen');
    same(
      d.freeze(),
      new Map([
        ['a', '2'],
        ['b', '3'],
      ]),
      'draft',
    );
    assert.throws(() => (one as ChunkedMap<string>).set('c', '4'));
  });

  test('any sequence of changes on any earlier version reads as the same changes on Maps', () => {
    const op = fc.record({ from: fc.nat(), key: fc.integer({ min: 0, max: 150 }), value: fc.integer(), freeze: fc.boolean() });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const versions: ChunkedMap<number>[] = [ChunkedMap.empty()];
        const models: Map<string, number>[] = [new Map()];
        let draft: { map: ChunkedMap<number>; model: Map<string, number> } | undefined;
        for (const o of ops) {
          if (!draft) {
            const i = o.from % versions.length;
            draft = { map: versions[i]!.edit(), model: new Map(models[i]) };
          }
          draft.map.set(`k${o.key}`, o.value);
          draft.model.set(`k${o.key}`, o.value);
          if (o.freeze) {
            versions.push(draft.map.freeze());
            models.push(draft.model);
            draft = undefined;
          }
        }
        versions.forEach((v, i) => same(v, models[i]!, `version ${i}`));
      }),
      { numRuns: 200 },
    );
  });
});
