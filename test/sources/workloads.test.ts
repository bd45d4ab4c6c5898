// Workloads in files and recordings: `kubectl get deploy,rs,pods,events -o json|yaml` gives
// workload observations (first, so that the pods' revisions are known), dated by the newest time
// in the file; recordings carry workload observations and leave the pod template's secrets out.

import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { stringify } from 'yaml';
import type { Observation } from '../../src/model/index.ts';
import { parseObjectsFile, newestTimestamp } from '../../src/sources/file.ts';
import { parseRecording, recordingHeader, redactWorkload } from '../../src/sources/recording.ts';
import { loadRolloutFixture, rolloutFixtureNames } from '../helpers/rollout-fixtures.ts';
import { recording } from '../helpers/fixtures.ts';

const listOf = (name: string): { apiVersion: string; kind: string; items: Record<string, unknown>[] } => {
  const fx = loadRolloutFixture(name);
  return { apiVersion: 'v1', kind: 'List', items: [...fx.snapshots.at(-1)!.items] };
};

describe('-f with workloads', () => {
  test.each(rolloutFixtureNames())('%s: every workload is an observation, before the pods; as of the newest time', (name) => {
    const list = listOf(name);
    for (const text of [JSON.stringify(list), stringify(list)]) {
      const r = parseObjectsFile(text, `${name}.txt`);
      const workloads = r.observations.filter((o) => o.kind === 'workload');
      const want = list.items.filter((o) =>
        ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ControllerRevision'].includes(o['kind'] as string),
      );
      assert.equal(workloads.length, want.length);
      const firstPod = r.observations.findIndex((o) => o.kind === 'pod');
      if (firstPod >= 0) assert.ok(r.observations.findIndex((o) => o.kind === 'workload') < firstPod);
      assert.equal(r.asOf, newestTimestamp(list.items));
      // Only what is neither a pod, an event nor a workload is skipped (a ResourceQuota).
      assert.deepEqual(
        r.skipped.map((x) => x.replace(/^.*: /, '')),
        list.items.filter((o) => o['kind'] === 'ResourceQuota').map(() => 'ResourceQuota'),
      );
    }
  });

  test('a List of Deployments as the raw API returns it (items without kind): read as Deployments, and said so', () => {
    const d = listOf('deploy-ok').items.find((o) => o['kind'] === 'Deployment')!;
    const { kind: _k, apiVersion: _a, ...bare } = d;
    const r = parseObjectsFile(JSON.stringify({ kind: 'DeploymentList', apiVersion: 'apps/v1', metadata: {}, items: [bare] }), 'd.json');
    assert.equal(r.observations.filter((o) => o.kind === 'workload').length, 1);
    assert.match(r.assumed.join(), /items of a DeploymentList read as Deployments/);
  });
});

describe('recordings', () => {
  test('the rollout recording carries the workload, its ReplicaSets and their events, and names its target', () => {
    const obs = recording('rollout');
    const kinds = new Set(obs.flatMap((o) => (o.kind === 'workload' ? [o.object.kind] : [])));
    assert.deepEqual([...kinds].sort(), ['Deployment', 'ReplicaSet']);
    assert.ok(obs.some((o) => o.kind === 'event' && o.object.involvedObject?.kind === 'ReplicaSet'));
    for (let i = 1; i < obs.length; i++) assert.ok(obs[i]!.observedAt >= obs[i - 1]!.observedAt, `in time order at ${i}`);
  });

  test('the header is read back', () => {
    const text =
      '{"kind":"recording","version":1,"namespace":"ns","target":{"kind":"workload","resource":"deployments","name":"shop"}}\n{"kind":"note","observedAt":1,"level":"info","text":"x"}\n';
    assert.deepEqual(recordingHeader(text)?.['target'], { kind: 'workload', resource: 'deployments', name: 'shop' });
    assert.equal(recordingHeader('{"kind":"note","observedAt":1}\n'), undefined);
    assert.equal(recordingHeader('not json'), undefined);
    assert.equal(parseRecording(text, 'r').length, 1);
  });

  test('a workload is recorded without literal env values and last-applied-configuration, in every pod template it holds', () => {
    const env = [
      { name: 'TOKEN', value: 'hunter2' },
      { name: 'FROM', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
    ];
    const template = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'app', image: 'i', env }] } };
    const annotations = { 'kubectl.kubernetes.io/last-applied-configuration': '{"secret": "hunter2"}', keep: 'me' };
    for (const w of [
      { kind: 'Deployment', metadata: { name: 'd', annotations }, spec: { template } },
      { kind: 'CronJob', metadata: { name: 'c' }, spec: { jobTemplate: { spec: { template } } } },
      { kind: 'ControllerRevision', metadata: { name: 'r' }, data: { spec: { template } }, revision: 1 },
    ]) {
      const out = JSON.stringify(redactWorkload(w as never));
      assert.doesNotMatch(out, /hunter2/, w.kind);
      assert.match(out, /secretKeyRef/, 'references stay');
      assert.match(out, /"app"/);
    }
    const d = redactWorkload({ kind: 'Deployment', metadata: { name: 'd', annotations }, spec: { template } } as never) as {
      metadata: { annotations: object };
    };
    assert.deepEqual(d.metadata.annotations, { keep: 'me' });
  });

  test('an observation of kind workload is accepted by the reader', () => {
    const o: Observation = { kind: 'workload', verb: 'added', observedAt: 5, object: { kind: 'Deployment', metadata: { name: 'x' } } };
    assert.deepEqual(parseRecording(JSON.stringify(o) + '\n', 'r'), [o]);
  });
});
