// -f FILE: every captured fixture parses (recordings from the real cluster, public pod and event
// objects); malformed input is one line naming the place and the fix; the picture is drawn as of
// the file's newest timestamp.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { UserError } from '../../src/kube/errors.ts';
import { InputInterrupted, MAX_INPUT_BYTES, newestTimestamp, parseObjectsFile, readInput, yamlListItems } from '../../src/sources/file.ts';
import { publicFixtures, recordingNames, recordingsDir } from '../helpers/fixtures.ts';

const fixtures = join(import.meta.dirname, '..', 'fixtures');

// What kubectl printed for a reader (recorded from the real kubectl 1.32 on the project's cluster), pasted where
// objects belong: named as such, with the command that saves objects instead.
test.each<[string, string]>([
  ['describe-pod.txt', 'this is the output of `kubectl describe`, not Kubernetes objects'],
  ['get-pods.txt', 'this is the output of `kubectl get` (a table), not Kubernetes objects'],
  ['get-events.txt', 'this is the output of `kubectl get` (a table), not Kubernetes objects'],
])('kubectl output instead of objects, %s: says so, and how to save objects', (file, words) => {
  const text = readFileSync(join(fixtures, 'printed', file), 'utf8');
  for (const input of [text, `$ kubectl get pods\n${text}`, `# pasted from a terminal\n${text}`])
    assert.throws(
      () => parseObjectsFile(input, file),
      (e: unknown) => e instanceof UserError && e.message === `${file}: ${words}` && /kubectl get pod NAME -o yaml/.test(e.hint ?? ''),
    );
});

test.each<[string, string, RegExp]>([
  ['an empty file', '', /x\.yaml is empty/],
  ['bad YAML indentation', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n   bad: indent\n', /x\.yaml:\d+:\d+: malformed YAML/],
  ['unterminated JSON', '{"kind": "Pod", "metadata": {"name": "a"}', /x\.yaml:\d+:\d+: malformed JSON|x\.yaml: malformed JSON/],
  ['a Service', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n', /contains no Pod \(found the document: Service\)/],
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
])('a file that cannot be read (%s): one line', async (path, re) => {
  await assert.rejects(readInput(path, Readable.from([])), (e: unknown) => e instanceof UserError && re.test(e.message));
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

const publicPod = (f: string): Record<string, any> => parseYaml(readFileSync(join(fixtures, 'public', f), 'utf8'));

test('objects without kind: items of a PodList / EventList, a lone pod; each assumption reported', () => {
  const pod = publicPod('crashloop-backoff-10s-exit1.yaml');
  const { kind: _k, apiVersion: _a, ...bare } = pod;
  // As the raw API and the kubelet's /pods return them: the list has a kind, its items none.
  const list = JSON.stringify({
    kind: 'PodList',
    apiVersion: 'v1',
    metadata: {},
    items: [bare, { ...bare, metadata: { ...bare.metadata, name: 'two', uid: 'u2' } }],
  });
  const r = parseObjectsFile(list, 'pods.json');
  assert.equal(r.observations.filter((o) => o.kind === 'pod').length, 2);
  assert.deepEqual(r.assumed, ['2 items of a PodList read as Pods']);
  const lone = parseObjectsFile(JSON.stringify(bare), 'pod.json');
  assert.equal(lone.observations.length, 1);
  assert.match(lone.assumed[0]!, /object\(s\) without kind read as Pods \(they have containers\)/);
  const events = parseObjectsFile(
    JSON.stringify({
      kind: 'EventList',
      apiVersion: 'v1',
      items: [
        {
          metadata: { name: 'e1', namespace: 'default' },
          involvedObject: { kind: 'Pod', name: 'crashloop', namespace: 'default' },
          reason: 'BackOff',
          message: 'x',
          type: 'Warning',
        },
      ],
    }),
    'ev.json',
  );
  assert.equal(events.observations.filter((o) => o.kind === 'event').length, 1);
  assert.deepEqual(events.assumed, ['1 items of a EventList read as Events']);
  // Something that is clearly neither is still refused with one line.
  assert.throws(
    () => parseObjectsFile('{"metadata": {"name": "x"}}', 'x.json'),
    /contains no Pod \(found the document: an object without kind\)/,
  );
});

test('a large kubectl-style YAML List is read item by item, with the same result as the whole-document parser', () => {
  const pod = publicPod('crashloop-backoff-5m-exit139.yaml');
  const items = Array.from({ length: 40 }, (_, i) => ({ ...pod, metadata: { ...pod.metadata, name: `p-${i}`, uid: `uid-${i}` } }));
  const doc = { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
  // kubectl writes the items at column 0; the yaml library (and others) indent them.
  for (const indentSeq of [false, true]) {
    const text = stringifyYaml(doc, { aliasDuplicateObjects: false, indentSeq });
    assert.equal(yamlListItems(text)?.items.length, 40, `indentSeq ${indentSeq}`);
    // Item by item from 1 MiB on; here from the first byte, compared with the whole-document parser.
    const itemByItem = parseObjectsFile(text, 'big.yaml', { itemByItemFrom: 0 });
    const whole = parseObjectsFile(text, 'big.yaml', { itemByItemFrom: Infinity });
    assert.equal(itemByItem.observations.length, 40);
    assert.deepEqual(itemByItem, whole);
    // A broken item falls back to the whole-document parser, which names the line.
    const broken = text.replace(/( +)name: p-7\n/, '$1name: p-7\n$1 bad: indent\n');
    assert.equal(yamlListItems(broken), undefined);
    assert.throws(() => parseObjectsFile(broken, 'big.yaml', { itemByItemFrom: 0 }), /big\.yaml:\d+:\d+: malformed YAML/);
  }
  // "&&" in a command is text, not an anchor (crashloop-backoff-10s-exit1 runs `echo "see ya!" && exit 1`).
  const shell = publicPod('crashloop-backoff-10s-exit1.yaml');
  assert.equal(
    yamlListItems(stringifyYaml({ apiVersion: 'v1', items: [shell, shell], kind: 'List' }, { aliasDuplicateObjects: false }))?.items.length,
    2,
  );
  // Other shapes, and anchors or aliases, are left to the whole-document parser.
  for (const other of [
    'kind: Pod\nmetadata: {name: a}\n',
    'items:\n- a\n---\nkind: List\n',
    '{"items": []}',
    'items:\n- a: &x 1\n  b: *x\nkind: List\n',
    'items:\n- a: [1, *x]\nkind: List\n',
  ])
    assert.equal(yamlListItems(other), undefined, other);
});

test('a YAML alias bomb is bad input, not a crash', () => {
  const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 9; i++)
    bomb.push(
      `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
        .fill(`*${String.fromCharCode(96 + i)}`)
        .join(',')}]`,
    );
  assert.throws(
    () => parseObjectsFile(bomb.join('\n') + '\nkind: Pod\n', 'bomb.yaml'),
    (e: unknown) => e instanceof UserError && /bomb\.yaml: malformed YAML/.test(e.message),
  );
});

test('readInput: reads a slow producer to its end, refuses more than the limit, stops on a signal', async () => {
  const chunks = ['apiVersion: v1\n', 'kind: Pod\n', 'metadata: {name: a}\n'];
  const slow = Readable.from(
    (async function* () {
      for (const c of chunks) {
        await new Promise((r) => setTimeout(r, 30));
        yield Buffer.from(c);
      }
    })(),
  );
  assert.equal(await readInput('-', slow), chunks.join(''));
  const endless = new Readable({
    read() {
      this.push(Buffer.alloc(64 * 1024));
    },
  });
  await assert.rejects(
    readInput('-', endless, { max: 1 << 20 }),
    (e: unknown) => e instanceof UserError && /stdin is larger than 1 MiB/.test(e.message),
  );
  const quiet = new Readable({ read() {} });
  const abort = new AbortController();
  setTimeout(() => abort.abort(), 50);
  await assert.rejects(readInput('-', quiet, { signal: abort.signal }), (e: unknown) => e instanceof InputInterrupted);
  const dir = mkdtempSync(join(tmpdir(), 'podlife-input-'));
  const big = join(dir, 'big.yaml');
  writeFileSync(big, 'x'.repeat(2 << 20));
  await assert.rejects(readInput(big, quiet, { max: 1 << 20 }), /big\.yaml is larger than 1 MiB, the most podlife reads/);
  await assert.rejects(readInput(dir, quiet), /it is a directory/);
  await assert.rejects(readInput(join(dir, 'missing'), quiet), /no such file/);
  await assert.rejects(readInput('/dev/zero', quiet, { max: 1 << 20 }), /\/dev\/zero is larger than 1 MiB/);
  assert.equal(MAX_INPUT_BYTES, 256 * 1024 * 1024);
});
