// A pod its controller replaces under a new name (model/replacement.ts and the reducer's
// pod-replaced event), on the real pods of test/fixtures/replacement/replace.jsonl: a Deployment's
// pod deleted (its ReplicaSet replaced it in the same second; a sibling kept running) and a Job's
// pod deleted (replaced after the Job's back-off, 10 s later).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'vitest';
import {
  followedPod,
  initialState,
  lifecycleText,
  reduce,
  toSessionView,
  type LifecycleEvent,
  type ModelState,
  type Observation,
  type PodJson,
} from '../../src/model/index.ts';
import { controllerOf, departureOf, isReplacement, replacementSelector, REPLACEMENT_WINDOW_MS } from '../../src/model/replacement.ts';
import { podSnapshot } from '../../src/model/snapshot.ts';
import { toJsonLifecycle, toJsonPod } from '../../src/output/json.ts';
import { parseRecording } from '../../src/sources/recording.ts';
import { initialUi, layout, lineText } from '../../src/ui/layout.ts';
import { fixturesDir, recording, recordingNames, replayStepwise, vary } from '../helpers/fixtures.ts';

const obs: Observation[] = parseRecording(readFileSync(join(fixturesDir, 'replacement', 'replace.jsonl'), 'utf8'), 'replace.jsonl');
type PodObs = Extract<Observation, { kind: 'pod' }>;
const podObs = obs.filter((o): o is PodObs => o.kind === 'pod');

const OLD = 'shop-95df54768-ckznz';
const NEW = 'shop-95df54768-ml4j9';
const SIBLING = 'shop-95df54768-nwg7t';
const JOB_OLD = 'batch-hgb4m';
const JOB_NEW = 'batch-9gtf5';

/** The first (or last) recorded object of a pod that satisfies `pred`. */
function object(name: string, pred: (o: PodObs) => boolean = () => true, last = false): PodJson {
  const all = podObs.filter((o) => o.object.metadata.name === name && pred(o));
  const hit = last ? all.at(-1) : all[0];
  assert.ok(hit, `no recorded object of ${name}`);
  return hit.object;
}
// Read as of the end of the recording (the reader leaves out times after the observation time).
const END = obs.at(-1)!.observedAt;
const snap = (p: PodJson) => podSnapshot(p, END);
const deleting = (o: PodObs): boolean => !!o.object.metadata.deletionTimestamp;
const t = (iso: string): number => Date.parse(iso);

describe('the rule, on the recorded pods', () => {
  const first = snap(object(OLD, deleting));
  const final = snap(object(OLD, deleting, true));

  test('a running pod has not departed; the deletion request is deletionTimestamp minus the grace period, as first seen', () => {
    assert.equal(departureOf(snap(object(OLD)), { seenAt: 0 }), undefined);
    const d = departureOf(first, { seenAt: 0 })!;
    assert.deepEqual(d, {
      podUid: first.uid,
      namespace: first.namespace,
      name: OLD,
      controller: { kind: 'ReplicaSet', name: 'shop-95df54768', uid: first.ownerUid },
      since: t('2026-12-01T16:16:16Z'), // deletionTimestamp 16:16:19, grace 3 s
      sinceFromServer: true,
      cause: 'deletion',
    });
    // At the end the kubelet shrank the grace period to 0 (deletionTimestamp 16:16:20): the first request stands.
    assert.equal(final.deletion?.gracePeriodSeconds, 0);
    const request = { deadline: first.deletion!.deadline!, gracePeriodSeconds: first.deletion!.gracePeriodSeconds };
    assert.equal(departureOf(final, { deletionRequest: request, seenAt: 0 })!.since, d.since);
    // Read from the final object alone, the replacement would look older than the departure.
    const late = departureOf(final, { seenAt: 0 })!;
    assert.equal(late.since, t('2026-12-01T16:16:20Z'));
    assert.equal(isReplacement(late, snap(object(NEW))), false);
  });

  test('the ReplicaSet replacement matches (created in the second of the request); the sibling, the pod itself and the Job pods do not', () => {
    const d = departureOf(first, { seenAt: 0 })!;
    const fresh = snap(object(NEW));
    assert.equal(fresh.createdAt, t('2026-12-01T16:16:16Z'));
    assert.equal(isReplacement(d, fresh), true);
    assert.equal(isReplacement(d, snap(object(SIBLING))), false);
    assert.equal(isReplacement(d, first), false);
    assert.equal(isReplacement(d, snap(object(JOB_NEW))), false);
  });

  test("the Job's replacement, created after its back-off, matches", () => {
    const d = departureOf(snap(object(JOB_OLD, deleting)), { seenAt: 0 })!;
    assert.deepEqual([d.controller.kind, d.controller.name, d.since], ['Job', 'batch', t('2026-12-01T16:16:28Z')]);
    const fresh = snap(object(JOB_NEW));
    assert.equal(fresh.createdAt, t('2026-12-01T16:16:38Z'));
    assert.equal(isReplacement(d, fresh), true);
    assert.equal(isReplacement(d, snap(object(NEW))), false);
  });

  test('the selector that finds the controller’s pods', () => {
    assert.equal(replacementSelector(first), 'pod-template-hash=95df54768');
    const job = snap(object(JOB_OLD));
    assert.equal(replacementSelector(job), `batch.kubernetes.io/controller-uid=${job.ownerUid}`);
    // Every term of it holds for the replacement.
    for (const [old, fresh] of [
      [first, snap(object(NEW))],
      [job, snap(object(JOB_NEW))],
    ] as const)
      for (const term of replacementSelector(old).split(',')) {
        const [k, v] = term.split('=') as [string, string];
        assert.equal(fresh.labels[k], v, term);
      }
    // Neither hash nor Job label: every label but the per-pod ones, in a stable order.
    const other = snap(
      vary(object(OLD), (p) => {
        p.metadata.labels = { 'apps.kubernetes.io/pod-index': '0', tier: 'web', app: 'x', 'statefulset.kubernetes.io/pod-name': 'x-0' };
      }),
    );
    assert.equal(replacementSelector(other), 'app=x,tier=web');
  });

  test('variations: no controller, a StatefulSet, an eviction, a deletion not seen, the window', () => {
    const base = object(OLD);
    const uncontrolled = snap(vary(base, (p) => (p.metadata.ownerReferences[0].controller = false)));
    assert.equal(controllerOf(uncontrolled), undefined);
    assert.equal(departureOf(snap(vary(object(OLD, deleting), (p) => delete p.metadata.ownerReferences)), { seenAt: 0 }), undefined);
    const sts = vary(object(OLD, deleting), (p) => (p.metadata.ownerReferences[0].kind = 'StatefulSet'));
    assert.equal(departureOf(snap(sts), { seenAt: 0 }), undefined, 'a StatefulSet keeps the name: a new life, not a replacement');
    // Evicted by the kubelet: Failed, reason Evicted, no deletion.
    const evicted = vary(base, (p) => {
      p.status.phase = 'Failed';
      p.status.reason = 'Evicted';
    });
    const seenAt = t('2026-12-01T16:16:30.500Z');
    assert.deepEqual(departureOf(snap(evicted), { seenAt }), {
      ...departureOf(first, { seenAt: 0 })!,
      since: seenAt,
      sinceFromServer: false,
      cause: 'eviction',
    });
    // ... with its DisruptionTarget condition: its time.
    const disrupted = vary(evicted, (p) =>
      p.status.conditions.push({
        type: 'DisruptionTarget',
        status: 'True',
        reason: 'TerminationByKubelet',
        lastTransitionTime: '2026-12-01T16:16:29Z',
      }),
    );
    assert.equal(departureOf(snap(disrupted), { seenAt })!.since, t('2026-12-01T16:16:29Z'));
    // Deleted without its deletionTimestamp being seen: this session's clock, with two seconds of slack.
    const gone = departureOf(snap(base), { deletedAt: t('2026-12-01T16:16:17.500Z'), seenAt: 0 })!;
    assert.equal(gone.sinceFromServer, false);
    assert.equal(isReplacement(gone, snap(object(NEW))), true); // created 16:16:16, 1.5 s before
    assert.equal(isReplacement({ ...gone, since: t('2026-12-01T16:16:18.500Z') }, snap(object(NEW))), false);
    // Too late to be its replacement (a scale-up long after).
    const d = departureOf(first, { seenAt: 0 })!;
    const later = snap(
      vary(object(NEW), (p) => (p.metadata.creationTimestamp = new Date(d.since + REPLACEMENT_WINDOW_MS + 1000).toISOString())),
    );
    assert.equal(isReplacement(d, later), false);
  });
});

const replaced = (s: ModelState): LifecycleEvent[] => s.log.toArray().filter((e) => e.kind === 'pod-replaced');

describe('the reducer', () => {
  test('the recording, one observation at a time and all at once: two replacements, said on the old pods', () => {
    for (const state of [replayStepwise(obs), reduce(initialState({ source: 'replay' }), obs)]) {
      const evs = replaced(state);
      assert.deepEqual(
        evs.map((e) => [e.pod, lifecycleText(e), e.at]),
        [
          [OLD, `replaced by ${NEW}: ReplicaSet shop-95df54768 created it after the deletion request`, t('2026-12-01T16:16:16Z')],
          [JOB_OLD, `replaced by ${JOB_NEW}: Job batch created it after the deletion request`, t('2026-12-01T16:16:38Z')],
        ],
      );
      const by = new Map([...state.pods.values()].map((p) => [p.name, p]));
      assert.equal(by.get(OLD)!.replacement?.name, NEW);
      assert.equal(by.get(NEW)!.replaces?.name, OLD);
      assert.equal(by.get(JOB_OLD)!.replacement?.name, JOB_NEW);
      assert.equal(by.get(JOB_NEW)!.replaces?.name, JOB_OLD);
      assert.equal(by.get(SIBLING)!.replaces, undefined);
      assert.equal(by.get(SIBLING)!.replacement, undefined);
      assert.equal(state.awaitingReplacement.size, 0);
    }
  });

  test('a list that names the replacement before the pod it replaces links them the same', () => {
    const at = t('2026-12-01T16:16:17Z');
    const item = (p: PodJson): Observation => ({ kind: 'pod', verb: 'list', observedAt: at, object: p });
    for (const order of [
      [object(NEW), object(OLD, deleting), object(SIBLING)],
      [object(OLD, deleting), object(SIBLING), object(NEW)],
    ]) {
      const s = reduce(initialState({ source: 'replay' }), [
        { kind: 'relist-start', resource: 'pods', observedAt: at },
        ...order.map(item),
        { kind: 'relist-done', resource: 'pods', observedAt: at },
      ]);
      assert.deepEqual(
        replaced(s).map((e) => [e.pod, e.kind === 'pod-replaced' && e.replacement]),
        [[OLD, NEW]],
      );
    }
  });

  test('no recording of recordings/ has a replacement (their goldens stay as they were)', () => {
    for (const name of recordingNames()) assert.deepEqual(replaced(replayStepwise(recording(name))), [], name);
  });

  test('a relist of one pod by name leaves the other followed pods alone; a relist of everything does not', () => {
    const upTo = obs.slice(0, obs.findIndex((o) => o.kind === 'pod' && o.object.metadata.name === NEW) + 1);
    const s = replayStepwise(upTo);
    const at = upTo.at(-1)!.observedAt + 1000;
    const relist = (podName?: string): Observation[] => [
      { kind: 'relist-start', resource: 'pods', observedAt: at, ...(podName ? { podName } : {}) },
      { kind: 'pod', verb: 'list', observedAt: at, object: object(OLD, deleting) },
      { kind: 'relist-done', resource: 'pods', observedAt: at, ...(podName ? { podName } : {}) },
    ];
    const fresh = (x: ModelState) => [...x.pods.values()].find((p) => p.name === NEW)!;
    assert.equal(fresh(s).deleted, false);
    assert.equal(fresh(reduce(s, relist(OLD))).deleted, false);
    assert.equal(fresh(reduce(s, relist())).deleted, true);
  });

  test('followedPod: the named pod, then its replacement', () => {
    const ns = snap(object(OLD)).namespace;
    const before = replayStepwise(
      obs.slice(
        0,
        obs.findIndex((o) => o.kind === 'pod' && deleting(o)),
      ),
    );
    assert.equal(followedPod(before, ns, OLD), OLD);
    const after = replayStepwise(obs);
    assert.equal(followedPod(after, ns, OLD), NEW);
    assert.equal(followedPod(after, ns, JOB_OLD), JOB_NEW);
    assert.equal(followedPod(after, ns, SIBLING), SIBLING);
    assert.equal(followedPod(after, ns, 'never-seen'), 'never-seen');
  });
});

describe('the views', () => {
  // The Deployment's pods only: the named pod, its replacement, a replacement whose name sorts first.
  const shop = obs.filter((o) => o.kind !== 'pod' || o.object.metadata.name?.startsWith('shop-'));
  const early = vary(shop, (all: any[]) => {
    for (const o of all) if (o.kind === 'pod' && o.object.metadata.name === NEW) o.object.metadata.name = 'shop-95df54768-aaaaa';
  });
  const whileTerminating = (x: Observation[]) =>
    x.slice(
      0,
      x.findIndex((o) => o.kind === 'pod' && o.object.status?.phase === 'Failed'),
    );

  test('the old pod comes first while it is there, its replacement right after it; once it is gone, the replacement', () => {
    for (const [input, fresh] of [
      [shop, NEW],
      [early, 'shop-95df54768-aaaaa'],
    ] as const) {
      const during = whileTerminating(input);
      const v = toSessionView(replayStepwise(during), during.at(-1)!.observedAt);
      assert.deepEqual(
        v.pods.map((p) => p.name),
        [OLD, fresh, SIBLING],
      );
      const end = toSessionView(replayStepwise(input), input.at(-1)!.observedAt);
      assert.deepEqual(
        end.pods.map((p) => [p.name, p.current]),
        [
          [fresh, true],
          [SIBLING, true],
          [OLD, false],
        ],
      );
    }
  });

  test('the pod screen: "replaced by" on the old pod, "replaces" on the new one', () => {
    const during = whileTerminating(early);
    const v = toSessionView(replayStepwise(during), during.at(-1)!.observedAt);
    const first = layout(v, initialUi, { width: 100, height: 40 }, `pod/${OLD}`).map(lineText);
    assert.ok(
      first.some((l) => l.startsWith(`replaced by shop-95df54768-aaaaa, created by ReplicaSet shop-95df54768  (tab shows it)`)),
      first.join('\n'),
    );
    const second = layout(v, { ...initialUi, podIndex: 1 }, { width: 100, height: 40 }, `pod/${OLD}`).map(lineText);
    assert.ok(
      second.some((l) => l.includes('/shop-95df54768-aaaaa')),
      second.join('\n'),
    );
    assert.ok(
      second.some((l) => l.startsWith(`replaces ${OLD}: created by ReplicaSet shop-95df54768 in its place`)),
      second.join('\n'),
    );
    // A sibling says neither.
    const third = layout(v, { ...initialUi, podIndex: 2 }, { width: 100, height: 40 }, `pod/${OLD}`).map(lineText);
    assert.ok(!third.some((l) => /^replace/.test(l)), third.join('\n'));
  });

  test('JSON: the lifecycle line carries the replacement; the pod lines link the two, and no other pod has the keys', () => {
    const s = replayStepwise(obs);
    const e = replaced(s)[0]!;
    const line = toJsonLifecycle(e) as Record<string, unknown>;
    const fresh = [...s.pods.values()].find((p) => p.name === NEW)!;
    assert.equal(line['type'], 'pod-replaced');
    assert.deepEqual(line['replacement'], {
      name: NEW,
      uid: fresh.uid,
      controller: { kind: 'ReplicaSet', name: 'shop-95df54768' },
      cause: 'deletion',
    });
    const v = toSessionView(s, obs.at(-1)!.observedAt);
    const pod = (name: string) =>
      toJsonPod(
        v.pods.find((p) => p.name === name)!,
        0,
      ) as Record<string, unknown>;
    assert.deepEqual(pod(OLD)['replacedBy'], { name: NEW, uid: fresh.uid });
    assert.deepEqual((pod(NEW)['replaces'] as { name: string }).name, OLD);
    assert.equal('replaces' in pod(SIBLING) || 'replacedBy' in pod(SIBLING), false);
    // Other lifecycle lines have no "replacement" key.
    assert.ok(
      s.log
        .toArray()
        .filter((x) => x.kind !== 'pod-replaced')
        .every((x) => !('replacement' in (toJsonLifecycle(x) as object))),
    );
  });
});
