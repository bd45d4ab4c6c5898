import { test } from 'vitest';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { newestTimestamp, parseObjectsFile } from '../../src/sources/file.ts';
import { parseRecording } from '../../src/sources/recording.ts';
import { UserError } from '../../src/kube/errors.ts';

const fixtures = join(import.meta.dirname, '..', 'fixtures');

test('malformed input: one line naming the place and the fix', () => {
  const cases: [string, RegExp][] = [
    ['', /x\.yaml is empty/],
    ['apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n   bad: indent\n', /x\.yaml:\d+:\d+: malformed YAML/],
    ['{"kind": "Pod", "metadata": {"name": "a"}', /x\.yaml:\d+:\d+: malformed JSON|x\.yaml: malformed JSON/],
    ['apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n', /contains no Pod \(found the document: Deployment\)/],
    ['kind: Pod\nspec: {}\n', /Pod without metadata.name/],
  ];
  for (const [text, re] of cases) {
    assert.throws(
      () => parseObjectsFile(text, 'x.yaml'),
      (e: unknown) => e instanceof UserError && re.test(e.message) && (e.hint ?? '').length > 0,
      JSON.stringify(text),
    );
  }
});

test('recordings: header skipped, bad lines named by line number', () => {
  const rec = '{"kind":"recording","version":1}\n{"kind":"note","observedAt":5,"level":"info","text":"hi"}\n';
  assert.deepEqual(parseRecording(rec, 'r.jsonl'), [{ kind: 'note', observedAt: 5, level: 'info', text: 'hi' }]);
  assert.throws(() => parseRecording(rec + 'nope\n', 'r.jsonl'), /r\.jsonl:3: malformed recording line/);
  assert.throws(() => parseRecording('{"kind":"pod"}\n', 'r.jsonl'), /r\.jsonl:1: not an observation/);
});

test('newest timestamp ignores deletionTimestamp (a future deadline) and zero times', () => {
  const o = {
    metadata: { creationTimestamp: '2024-01-01T00:00:00Z', deletionTimestamp: '2030-01-01T00:00:00Z' },
    status: { startTime: '2024-01-01T00:00:05Z', x: '0001-01-01T00:00:00Z' },
  };
  assert.equal(newestTimestamp(o), Date.parse('2024-01-01T00:00:05Z'));
});

test('every captured fixture parses: recordings from the real cluster, public pod and event objects', () => {
  let pods = 0;
  const recordings = join(import.meta.dirname, '..', '..', 'recordings');
  for (const f of readdirSync(recordings).filter((f) => f.endsWith('.jsonl'))) {
    const parsed = parseObjectsFile(readFileSync(join(recordings, f), 'utf8'), f);
    assert.ok(
      parsed.observations.some((o) => o.kind === 'pod'),
      f,
    );
    const times = parsed.observations.map((o) => o.observedAt);
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
      `${f}: observations in order`,
    );
    pods++;
  }
  let publicFiles: string[] = [];
  try {
    publicFiles = readdirSync(join(fixtures, 'public')).filter((f) => /\.(ya?ml|json)$/.test(f));
  } catch {
    // none collected
  }
  for (const f of publicFiles) {
    const parsed = parseObjectsFile(readFileSync(join(fixtures, 'public', f), 'utf8'), f);
    assert.ok(parsed.observations.length > 0, f);
    assert.ok(parsed.asOf > 0, `${f}: a capture time from its timestamps`);
    pods++;
  }
  assert.ok(pods >= 10, `fixtures read: ${pods}`);
});
