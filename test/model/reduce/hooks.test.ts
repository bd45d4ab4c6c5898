// Hooks the kubelet does not report, inferred from its Events beside the status (reduce/hooks.ts):
// a postStart hook between the Started event and the running report (or its failure), a preStop
// hook from the Killing event; and every occurrence of the Events that time a start and a stop.

import assert from 'node:assert/strict';
import { test } from 'vitest';
import { eventsSince, initialState, lifecycleText, reduce, toSessionView, type Observation } from '../../../src/model/index.ts';
import { recording } from '../../helpers/fixtures.ts';

const hm = (t: number): string => new Date(t).toISOString().slice(11, 19);

function hookLines(obs: readonly Observation[]): string[] {
  let s = initialState({ source: 'replay' });
  for (const o of obs) s = reduce(s, [o]);
  return eventsSince(s, 0)
    .filter((e) => e.kind === 'hook-started' || e.kind === 'hook-finished')
    .map((e) => `${hm(e.at)} [${e.container}] ${lifecycleText(e)}`);
}

test('poststart-slow: the hook from the Started event until the container is reported running', () => {
  assert.deepEqual(hookLines(recording('poststart-slow')), [
    '13:00:18 [app] postStart hook running (inferred: started 13:00:18, not reported running yet): exec sh -c echo "postStart: registering" > /proc/1/fd/1; sleep 8; echo "postStart: registered" > /proc/1/fd/1',
    '13:00:26 [app] postStart hook finished after 9s (inferred: the container is reported running)',
  ]);
});

test('poststart (a hook that fails): each start runs the hook again, each FailedPostStartHook ends it', () => {
  assert.deepEqual(
    hookLines(recording('poststart')).map((l) => l.replace(/: exec sh -c .*$/, '')),
    [
      '05:43:06 [app] postStart hook running (inferred: started 05:43:06, not reported running yet)',
      '05:43:09 [app] postStart hook failed after 3s (event FailedPostStartHook)',
      '05:43:11 [app] postStart hook running (inferred: started 05:43:11, not reported running yet)',
      '05:43:14 [app] postStart hook failed after 3s (event FailedPostStartHook)',
      '05:43:31 [app] postStart hook running (inferred: started 05:43:31, not reported running yet)',
      '05:43:34 [app] postStart hook failed after 3s (event FailedPostStartHook)',
    ],
  );
});

test('prestop-long: the Killing event starts the preStop hook, with the latest SIGTERM', () => {
  assert.deepEqual(hookLines(recording('prestop-long')), [
    '13:08:51 [app] preStop hook running (inferred: event Killing 13:08:51; SIGTERM when it returns, at 13:08:56 at the latest): exec sleep 20',
  ]);
});

test('no hook, no inference: a crash loop restarting without a postStart hook', () => {
  assert.deepEqual(hookLines(recording('crashloop')), []);
});

test('first sight in the middle of the hook (podlife --once): the pod listed, then its events', () => {
  const obs = recording('poststart-slow');
  const started = obs.find((o) => o.kind === 'event' && (o.object as { reason?: string }).reason === 'Started')!;
  const at = started.observedAt + 2000;
  const pod = obs.filter((o) => o.kind === 'pod' && o.observedAt <= at).at(-1)!;
  const events = obs.filter((o) => o.kind === 'event' && o.observedAt <= at);
  const listed: Observation[] = [
    { ...pod, verb: 'list', observedAt: at } as Observation,
    ...events.map((e) => ({ ...e, verb: 'list', observedAt: at }) as Observation),
  ];
  const view = toSessionView(reduce(initialState({ source: 'cluster' }), listed), at + 500);
  const app = view.pods[0]!.containers[0]!;
  assert.equal(app.state, 'waiting');
  assert.deepEqual(
    { kind: app.hook?.kind, since: app.hook && hm(app.hook.since), inferred: app.hook?.inferred },
    { kind: 'postStart', since: '13:00:18', inferred: true },
  );
  // The lane ends in the hook's segment.
  assert.ok(app.lane.segments.some((s) => s.state === 'hook' && s.label === 'postStart' && s.to === undefined));
});

test('the Events that time a stop keep each occurrence, not only the first and last of their count', () => {
  let s = initialState({ source: 'replay' });
  for (const o of recording('liveness')) s = reduce(s, [o]);
  const exec = [...s.pods.values()][0]!.containers.get('exec')!;
  const kills = exec.occurrences.filter((o) => o.reason === 'Killing').map((o) => hm(o.at));
  // Killing x3 (first 05:43:18, last 05:43:42): the one in between was seen happen too.
  assert.deepEqual(kills, ['05:43:18', '05:43:30', '05:43:42']);
});
