// The startup path of the shipped bundle: the entry file and everything it imports statically is
// loaded before the first line of output, so it must not hold the cluster client (undici,
// client-node) or the terminal UI (Ink, React). They come in through dynamic import() when used.
// Reads the esbuild metafile of the build `npm test` just made.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'vitest';

interface Metafile {
  outputs: Record<string, { entryPoint?: string; imports: { path: string; kind: string }[]; inputs: Record<string, unknown> }>;
}

test('the entry and its static imports hold no undici, client-node, Ink or React', () => {
  const meta = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'dist', 'meta.json'), 'utf8')) as Metafile;
  const entry = Object.keys(meta.outputs).find((o) => meta.outputs[o]!.entryPoint === 'src/main.ts');
  assert.ok(entry, 'the build has the src/main.ts entry');
  const seen = new Set<string>();
  const walk = (out: string): void => {
    if (seen.has(out)) return;
    seen.add(out);
    for (const i of meta.outputs[out]?.imports ?? []) if (i.kind === 'import-statement' && meta.outputs[i.path]) walk(i.path);
  };
  walk(entry);
  const inputs = [...seen].flatMap((o) => Object.keys(meta.outputs[o]!.inputs));
  const heavy = inputs.filter((i) => /node_modules\/(undici|@kubernetes\/client-node|ink|react|react-reconciler|yoga-layout)\//.test(i));
  assert.deepEqual(heavy, [], `loaded before the first line: ${heavy.slice(0, 5).join(', ')}`);
  // And the cluster path does reach them (the check above would pass for a broken build too).
  const all = Object.values(meta.outputs).flatMap((o) => Object.keys(o.inputs));
  assert.ok(all.some((i) => i.includes('node_modules/undici/')) && all.some((i) => i.includes('node_modules/ink/')));
});
