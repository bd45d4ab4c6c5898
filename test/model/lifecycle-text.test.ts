// lifecycleText: the one place lifecycle events become English (the text printer's lines and the
// JSON lifecycle line's `text`).

import assert from 'node:assert/strict';
import { test } from 'vitest';
import type { LifecycleDetail, LifecycleEvent } from '../../src/model/lifecycle-event.ts';
import { lifecycleText } from '../../src/model/lifecycle-text.ts';
import { eventsSince } from '../../src/model/index.ts';
import { toJsonLifecycle } from '../../src/output/json.ts';
import { formatEventLine, paint } from '../../src/output/text.ts';
import { visible } from '../../src/output/visible.ts';
import { recording, recordingNames, replayStepwise } from '../helpers/fixtures.ts';

const T = Date.UTC(2026, 10, 25, 5, 43, 5);

function ev(detail: LifecycleDetail, h: Partial<LifecycleEvent> = {}): LifecycleEvent {
  return {
    seq: 1,
    at: T,
    observedAt: T,
    reconstructed: false,
    podUid: 'uid-1',
    namespace: 'ns',
    pod: 'p',
    container: undefined,
    severity: 'info',
    reason: undefined,
    containerID: undefined,
    exitCode: undefined,
    ...h,
    ...detail,
  } as LifecycleEvent;
}

const termination = {
  state: 'terminated' as const,
  reason: 'OOMKilled',
  message: undefined,
  startedAt: T - 5000,
  finishedAt: T,
  exitCode: 137,
  signal: undefined,
  containerID: 'containerd://a',
};
const span = { firstSight: false, span: undefined };

test.each<[string, LifecycleEvent, string]>([
  [
    'pod-seen live',
    ev({ kind: 'pod-seen', asSaved: false, status: 'Running', ready: '1/1', restarts: 3, phase: 'Running' }),
    'watching: STATUS Running, READY 1/1, RESTARTS 3, phase Running',
  ],
  [
    'pod-seen from a file',
    ev({ kind: 'pod-seen', asSaved: true, status: 'Pending', ready: '0/1', restarts: 0, phase: undefined }),
    'as saved: STATUS Pending, READY 0/1, RESTARTS 0, phase unknown',
  ],
  ['pod-created with an owner', ev({ kind: 'pod-created', owner: { kind: 'ReplicaSet', name: 'web-1' } }), 'created by ReplicaSet/web-1'],
  ['pod-created', ev({ kind: 'pod-created', owner: undefined }), 'created'],
  [
    'new-life',
    ev({ kind: 'new-life', life: 2, previousUid: 'uid-0' }),
    'new pod under the same name (life 2, uid uid-1); the previous life was uid uid-0',
  ],
  ['scheduled', ev({ kind: 'scheduled', node: 'n1' }), 'scheduled to n1'],
  ['phase', ev({ kind: 'phase', from: 'Pending', to: 'Running' }), 'phase Pending -> Running'],
  ['first phase', ev({ kind: 'phase', from: undefined, to: 'Pending' }), 'phase Pending'],
  [
    'condition',
    ev(
      { kind: 'condition', conditionType: 'Ready', status: 'False', message: 'containers with unready status: [app]' },
      { reason: 'ContainersNotReady' },
    ),
    'Ready=False (ContainersNotReady: containers with unready status: [app])',
  ],
  ['condition, bare', ev({ kind: 'condition', conditionType: 'Initialized', status: 'True', message: undefined }), 'Initialized=True'],
  ['status-reason', ev({ kind: 'status-reason', message: 'low on memory' }, { reason: 'Evicted' }), 'Evicted: low on memory'],
  [
    'deleting',
    ev({ kind: 'deleting', deadline: T + 30_000, gracePeriodSeconds: 30 }),
    'deleting: grace period 30s, ends 05:43:35 (deletionTimestamp)',
  ],
  [
    'deleting, unknown',
    ev({ kind: 'deleting', deadline: undefined, gracePeriodSeconds: undefined }),
    'deleting: grace period ?s, ends at an unknown time (deletionTimestamp)',
  ],
  ['deleted', ev({ kind: 'deleted', whileDisconnected: false }), 'deleted'],
  ['deleted while away', ev({ kind: 'deleted', whileDisconnected: true }), 'deleted while the watch was disconnected'],
  [
    'waiting with a message',
    ev({ kind: 'container-waiting', message: 'secret "x" not found', ...span }, { reason: 'CreateContainerConfigError' }),
    'waiting: CreateContainerConfigError: secret "x" not found',
  ],
  [
    'waiting in back-off: the message is the back-off line',
    ev({ kind: 'container-waiting', message: 'back-off 10s ...', ...span }, { reason: 'CrashLoopBackOff' }),
    'waiting: CrashLoopBackOff',
  ],
  ['waiting without a reason', ev({ kind: 'container-waiting', message: undefined, ...span }), 'waiting: no reason'],
  ['running, first instance', ev({ kind: 'container-running', attempt: 0, current: true, startedAt: T, ready: false, ...span }), 'running'],
  [
    'running, a later instance',
    ev({ kind: 'container-running', attempt: 4, current: true, startedAt: T, ready: false, ...span }),
    'running (instance 4)',
  ],
  [
    'the previous instance started',
    ev({ kind: 'container-running', attempt: 0, current: false, startedAt: T, ready: false, ...span }),
    'running (instance 0)',
  ],
  [
    'terminated',
    ev({ kind: 'container-terminated', attempt: 1, current: true, termination, ...span }),
    'terminated: OOMKilled, exit 137 (SIGKILL) after 5s',
  ],
  [
    'terminated by a bare signal',
    ev({
      kind: 'container-terminated',
      attempt: 1,
      current: true,
      termination: { ...termination, reason: undefined, exitCode: undefined, signal: 15 },
      ...span,
    }),
    'terminated: terminated, SIGTERM after 5s',
  ],
  ['started', ev({ kind: 'container-started' }), 'started (startup probe passed or none)'],
  ['ready', ev({ kind: 'container-ready' }), 'ready'],
  ['not ready', ev({ kind: 'container-not-ready' }), 'not ready'],
  ['restarted', ev({ kind: 'container-restarted', restartCount: 5, missed: 0 }), 'restarted (restart 5)'],
  [
    'restarted, some missed',
    ev({ kind: 'container-restarted', restartCount: 5, missed: 2 }),
    'restarted (restart 5); 2 restart(s) in between were not observed',
  ],
  ['backoff', ev({ kind: 'backoff', delaySeconds: 80, lastFinishedAt: T }), 'back-off 1m20s (next attempt at 05:44:25)'],
  ['backoff, no base time', ev({ kind: 'backoff', delaySeconds: 10, lastFinishedAt: undefined }), 'back-off 10s'],
  [
    'event, folded',
    ev(
      { kind: 'event', eventType: 'Warning', message: 'Back-off restarting failed container', count: 3, firstAt: T, lastAt: T + 40_000 },
      { reason: 'BackOff' },
    ),
    'Warning BackOff: Back-off restarting failed container (x3 over 40s)',
  ],
  [
    'event',
    ev({ kind: 'event', eventType: 'Normal', message: 'Started container app', count: 1, firstAt: T, lastAt: T }, { reason: 'Started' }),
    'Normal Started: Started container app',
  ],
  ['logs', ev({ kind: 'logs', attempt: 2, lines: 1, note: undefined }), 'log tail of instance 2 (1 line)'],
  [
    'no logs',
    ev({ kind: 'logs', attempt: 2, lines: 0, note: 'log no longer available' }),
    'no log lines for instance 2: log no longer available',
  ],
])('%s', (_what, e, want) => {
  assert.equal(lifecycleText(e), want);
});

test.each(recordingNames())('%s: the JSON text and the text printer line are the same words', (name) => {
  const p = paint(false);
  for (const e of eventsSince(replayStepwise(recording(name)), 0)) {
    const text = lifecycleText(e);
    assert.ok(text.length > 0 && !/undefined|NaN|\[object/.test(text), text);
    assert.equal((toJsonLifecycle(e) as { text: string }).text, text);
    // (the printer shows control characters as symbols: a message's trailing newline is a visible ␊)
    assert.ok(formatEventLine(e, p, { showPod: false, width: 1000 }).endsWith(visible(text)), text);
  }
});
