// Behaviour is kept across refactors: the JSON and text lines of every recording and fixture equal
// the golden files (see test/helpers/golden.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { goldenCases, goldenDir } from './helpers/golden.ts';

test.each(goldenCases().map((c) => [c.name, c] as const))('%s equals its golden file', (_name, c) => {
  const want = readFileSync(join(goldenDir, c.file), 'utf8');
  const got = c.compute();
  // Compare line by line first, so that a failure names the first line that differs.
  const a = got.split('\n');
  const b = want.split('\n');
  const i = a.findIndex((l, k) => l !== b[k]);
  expect(i === -1 && a.length === b.length ? 'same' : `line ${i + 1}:\n got: ${a[i]}\nwant: ${b[i]}`).toBe('same');
});
