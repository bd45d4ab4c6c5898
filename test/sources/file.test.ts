// -f FILE: every captured fixture parses (recordings from the real cluster, public pod and event
// objects); malformed input is one line naming the place and the fix; the picture is drawn as of
// the file's newest timestamp.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'vitest';
import { UserError } from '../../src/kube/errors.ts';
import { newestTimestamp, parseObjectsFile, readInput } from '../../src/sources/file.ts';
import { publicFixtures, recordingNames, recordingsDir } from '../helpers/fixtures.ts';

test.each<[string, string, RegExp]>([
  ['an empty file', '', /x\.yaml is empty/],
  ['bad YAML indentation', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n   bad: indent\n', /x\.yaml:\d+:\d+: malformed YAML/],
  ['unterminated JSON', '{"kind": "Pod", "metadata": {"name": "a"}', /x\.yaml:\d+:\d+: malformed JSON|x\.yaml: malformed JSON/],
  ['a Deployment', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n', /contains no Pod \(found the document: Deployment\)/],
  ['a Pod without a name', 'kind: Pod\nspec: {}\n', /Pod without metadata.name/],
])('malformed input, %s: one line naming the place and the fix', (_, text, re) => {
  assert.throws(
    () => parseObjectsFile(text, 'x.yaml'),
    (e: unknown) => e instanceof UserError && re.test(e.message) && (e.hint ?? '').length > 0,
  );
});

test.each([
  ['/no/such/file.yaml', /^cannot read \/no\/such\/file\.yaml: no such file$/],
  ['/', /^cannot read \/: it is a directory$/],
])('a file that cannot be read (%s): one line', (path, re) => {
  assert.throws(
    () => readInput(path, () => ''),
    (e: unknown) => e instanceof UserError && re.test(e.message),
  );
});

test('newest timestamp ignores deletionTimestamp (a future deadline) and zero times', () => {
  const o = {
    metadata: { creationTimestamp: '2024-01-01T00:00:00Z', deletionTimestamp: '2030-01-01T00:00:00Z' },
    status: { startTime: '2024-01-01T00:00:05Z', x: '0001-01-01T00:00:00Z' },
  };
  assert.equal(newestTimestamp(o), Date.parse('2024-01-01T00:00:05Z'));
});

test.each(recordingNames())('recording %s read with -f: pods, observations in time order', (name) => {
  const parsed = parseObjectsFile(readFileSync(join(recordingsDir, `${name}.jsonl`), 'utf8'), name);
  assert.ok(parsed.observations.some((o) => o.kind === 'pod'));
  const times = parsed.observations.map((o) => o.observedAt);
  assert.deepEqual(
    times,
    [...times].sort((a, b) => a - b),
  );
});

test('there are public fixtures to read', () => {
  assert.ok(publicFixtures().length >= 5);
});

test.each(publicFixtures().map((f) => [f.name, f.text] as const))(
  'public fixture %s: observations, drawn as of its newest timestamp',
  (name, text) => {
    const parsed = parseObjectsFile(text, name);
    assert.ok(parsed.observations.length > 0);
    assert.ok(parsed.asOf > 0, 'a capture time from its timestamps');
    for (const o of parsed.observations) assert.ok(o.observedAt <= parsed.asOf);
  },
);
