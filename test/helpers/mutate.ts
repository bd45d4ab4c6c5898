// Mutations of real objects for property-based tests: what a broken API server, a hand-edited file
// or a foreign tool can hand the model. Each mutation picks a field of the object by index (among
// all fields, managedFields left out) and does one thing to it.

import fc from 'fast-check';

export type Path = readonly (string | number)[];

/** Every field path of a JSON value (objects and lists), depth first, down to 40 levels. */
export function paths(v: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (v !== null && typeof v === 'object' && prefix.length < 40) {
    for (const [k, x] of Object.entries(v)) {
      if (k === 'managedFields') continue;
      const p = [...prefix, Array.isArray(v) ? Number(k) : k];
      out.push(p);
      paths(x, p, out);
    }
  }
  return out;
}

function parentOf(root: unknown, p: Path): Record<string | number, unknown> | undefined {
  let v: unknown = root;
  for (const k of p.slice(0, -1)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[k];
  }
  return v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>) : undefined;
}

function deep(depth: number): unknown {
  let v: unknown = { leaf: 'x' };
  for (let i = 0; i < depth; i++) v = i % 2 ? { a: v } : [v];
  return v;
}

const HUGE = 'x'.repeat(100_000);
const TIME = /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d/;

/** Replacement values, by the kind of damage. */
const values = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, 3, 137, 1e308, -1e308, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER),
  fc.constantFrom<unknown>('3', '137', '-1', '1e3', '0x10', ' 42 ', 'true'),
  fc.constantFrom<unknown>(
    'Exploded',
    '',
    '?',
    'True',
    'False',
    'Always',
    'CrashLoopBackOff',
    'OOMKilled',
    'Evicted',
    'PostStartHookError',
  ),
  fc.constantFrom<unknown>(
    'back-off 99999999999h restarting failed container=app pod=x_y(z)',
    'back-off 1.5s restarting failed container=app pod=x_y(z)',
    `back-off ${'9'.repeat(400)}s restarting failed container=app pod=x_y(z)`,
    'containerd://ffffffff',
    'spec.containers{ghost}',
  ),
  fc.constantFrom<unknown>(
    '2024-13-45T99:99:99Z',
    'yesterday',
    '9999-12-31T23:59:59Z',
    '3006-01-01T00:00:00Z',
    '0001-01-01T00:00:00Z',
    '1970-01-01T00:00:00Z',
    '1969-07-20T20:17:40Z',
    '2026-11-25 05:43:05+00:00',
    '2026-11-25T05:43:05.123456789+02:00',
  ),
  fc.constantFrom<unknown>(HUGE, {}, [], [null], [1, 'a'], [{}], { a: 1 }, { exec: 5 }),
  fc.constant('DEEP'),
);

export type Mutation =
  | { readonly op: 'delete'; readonly at: number }
  | { readonly op: 'set'; readonly at: number; readonly value: unknown }
  | { readonly op: 'time'; readonly at: number; readonly form: 'python' | 'future' | 'past' | 'far-future' | 'fraction' }
  | { readonly op: 'duplicate'; readonly at: number }
  | { readonly op: 'ghost'; readonly at: number; readonly name: string }
  | { readonly op: 'swap-states'; readonly at: number };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat() }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: values }), weight: 6 },
  {
    arbitrary: fc.record({
      op: fc.constant('time' as const),
      at: fc.nat(),
      form: fc.constantFrom('python' as const, 'future' as const, 'past' as const, 'far-future' as const, 'fraction' as const),
    }),
    weight: 3,
  },
  { arbitrary: fc.record({ op: fc.constant('duplicate' as const), at: fc.nat() }), weight: 2 },
  {
    arbitrary: fc.record({ op: fc.constant('ghost' as const), at: fc.nat(), name: fc.constantFrom('ghost', 'app', '', 'x'.repeat(300)) }),
    weight: 1,
  },
  { arbitrary: fc.record({ op: fc.constant('swap-states' as const), at: fc.nat() }), weight: 1 },
);

function reformat(t: string, form: 'python' | 'future' | 'past' | 'far-future' | 'fraction'): string {
  const ms = Date.parse(t);
  if (Number.isNaN(ms)) return t;
  const iso = (x: number): string => new Date(x).toISOString();
  switch (form) {
    case 'python':
      return iso(ms)
        .replace('T', ' ')
        .replace(/\.\d+Z$/, '+00:00');
    case 'future':
      return iso(ms + 3600_000).replace('.000', '');
    case 'past':
      return iso(ms - 86_400_000).replace('.000', '');
    case 'far-future':
      return '2996-01-01T00:00:00Z';
    case 'fraction':
      return iso(ms).replace('Z', '123456+00:00');
  }
}

/** Applies mutations to a copy of `obj` (which it returns). */
export function mutate<T>(obj: T, ms: readonly Mutation[]): T {
  const root = structuredClone(obj) as unknown;
  for (const m of ms) mutateInPlace(root, m);
  return root as T;
}

function mutateInPlace(root: unknown, m: Mutation): void {
  const all = paths(root);
  if (all.length === 0) return;
  let p = all[m.at % all.length]!;
  const key = (): string | number => p[p.length - 1]!;
  switch (m.op) {
    case 'delete': {
      const parent = parentOf(root, p);
      if (Array.isArray(parent)) parent.splice(key() as number, 1);
      else if (parent) delete parent[key()];
      break;
    }
    case 'set': {
      const parent = parentOf(root, p);
      // A fresh copy: the constants are shared between runs, and later mutations change what they set.
      if (parent) parent[key()] = m.value === 'DEEP' ? deep(3000) : structuredClone(m.value);
      break;
    }
    case 'time': {
      // The nearest time at or after the chosen field.
      const times = all.filter((q) => {
        const v = parentOf(root, q)?.[q[q.length - 1]!];
        return typeof v === 'string' && TIME.test(v);
      });
      if (times.length === 0) break;
      p = times[m.at % times.length]!;
      const parent = parentOf(root, p);
      if (parent) parent[key()] = reformat(parent[key()] as string, m.form);
      break;
    }
    case 'duplicate': {
      const lists = all.filter((q) => Array.isArray(parentOf(root, q)?.[q[q.length - 1]!]));
      if (lists.length === 0) break;
      p = lists[m.at % lists.length]!;
      const list = parentOf(root, p)?.[key()];
      if (Array.isArray(list) && list.length > 0) list.push(list[m.at % list.length]); // the same entry twice
      break;
    }
    case 'ghost': {
      const status = (root as { status?: Record<string, unknown> }).status;
      if (!status || typeof status !== 'object') break;
      const key = (['containerStatuses', 'initContainerStatuses', 'ephemeralContainerStatuses'] as const)[m.at % 3]!;
      const list = Array.isArray(status[key]) ? (status[key] as unknown[]) : [];
      const model = list.find((x) => x && typeof x === 'object') ?? {
        restartCount: 0,
        state: { running: { startedAt: '2026-11-25T05:43:05Z' } },
      };
      status[key] = [...list, { ...(model as object), name: m.name, containerID: 'containerd://ghost' }];
      break;
    }
    case 'swap-states': {
      const holders = all.filter((q) => q[q.length - 1] === 'state');
      if (holders.length === 0) break;
      p = holders[m.at % holders.length]!;
      const parent = parentOf(root, p);
      if (parent) [parent['state'], parent['lastState']] = [parent['lastState'], parent['state']];
      break;
    }
  }
}
