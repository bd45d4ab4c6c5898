// Every way the kubelet or the control plane ends a container has a cause with its evidence and the
// setting behind it (issue 9): on the real recordings, and on variations of their real objects for
// the paths the test cluster cannot produce on demand (node shutdown, preemption, a taint, a Job's
// failure), built with the fields and messages the kubelet and the controllers write
// (docs/lifecycle-facts.md §3, §4).

import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import {
  initialState,
  reduce,
  toSessionView,
  type InstanceCause,
  type Observation,
  type PodStopCause,
  type PodView,
} from '../../src/model/index.ts';
import { lastTime, recording, vary } from '../helpers/fixtures.ts';

/** A recording with each pod version and event varied, more observations appended, replayed one by one. */
function replayed(
  name: string,
  change: { pod?: (d: any, o: Observation) => void; event?: (d: any) => boolean | void; extra?: (last: number) => Observation[] } = {},
): { pod: PodView; now: number } {
  const obs = recording(name).flatMap((o): Observation[] => {
    if (o.kind === 'pod' && change.pod) return [{ ...o, object: vary(o.object, (d) => change.pod!(d, o)) }];
    if (o.kind === 'event' && change.event) {
      let keep = true as boolean | void;
      const object = vary(o.object, (d) => (keep = change.event!(d)));
      return keep === false ? [] : [{ ...o, object }];
    }
    return [o];
  });
  const all = [...obs, ...(change.extra?.(lastTime(obs)) ?? [])];
  let s = initialState({ source: 'replay' });
  for (const o of all) s = reduce(s, [o]);
  const now = lastTime(all);
  return { pod: toSessionView(s, now).pods[0]!, now };
}

/** The grace recording's pod, stopped by something other than a deletion: no deletionTimestamp, these facts instead. */
function graceStoppedBy(facts: { reason?: string; message?: string; disruption?: { reason: string; message: string } }) {
  return replayed('grace', {
    pod: (d) => {
      if (!d.metadata.deletionTimestamp) return;
      delete d.metadata.deletionTimestamp;
      delete d.metadata.deletionGracePeriodSeconds;
      if (facts.reason) Object.assign(d.status, { reason: facts.reason, message: facts.message });
      if (facts.disruption)
        d.status.conditions.push({
          type: 'DisruptionTarget',
          status: 'True',
          lastTransitionTime: '2026-11-25T05:43:14Z',
          ...facts.disruption,
        });
    },
  });
}

/** The grace recording with a DisruptionTarget condition beside its deletion (who deleted it). */
function graceDeletedBy(disruption: { reason: string; message: string }) {
  return replayed('grace', {
    pod: (d) => {
      if (d.metadata.deletionTimestamp)
        d.status.conditions.push({ type: 'DisruptionTarget', status: 'True', lastTransitionTime: '2026-11-25T05:43:14Z', ...disruption });
    },
  });
}

/** An Event about the grace pod's owner: a Job, as its controller writes it when the Job fails. */
function jobEvent(at: number, reason: string, message: string, type = 'Warning'): Observation {
  const t = new Date(at).toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    kind: 'event',
    verb: 'added',
    observedAt: at,
    object: {
      kind: 'Event',
      apiVersion: 'v1',
      metadata: { name: `batch.${reason}`, namespace: 'rec-grace-1795585383', uid: `job-event-${reason}` },
      involvedObject: { kind: 'Job', namespace: 'rec-grace-1795585383', name: 'batch', uid: 'job-uid', apiVersion: 'batch/v1' },
      reason,
      message,
      source: { component: 'job-controller' },
      firstTimestamp: t,
      lastTimestamp: t,
      count: 1,
      type,
    },
  } as Observation;
}

interface Case {
  readonly subject: () => { pod: PodView; now: number };
  readonly container: string;
  readonly cause: InstanceCause;
  readonly causeText: RegExp;
  readonly podCause: PodStopCause | undefined;
  /** A finding about the kill: its title (and a piece of evidence naming the setting). */
  readonly finding: RegExp;
  readonly evidence?: RegExp;
}

const cases: Record<string, Case> = {
  'activeDeadlineSeconds (recorded)': {
    subject: () => replayed('deadline'),
    container: 'app',
    cause: 'active-deadline',
    causeText:
      /^stopped because activeDeadlineSeconds \(15s\) was exceeded; it ignored SIGTERM and was killed with SIGKILL after the 8s grace period$/,
    podCause: 'activeDeadlineSeconds',
    finding: /^killed by the kubelet: activeDeadlineSeconds \(15s\) exceeded; SIGKILL after the 8s grace period \(exit 137\)$/,
    evidence: /^event Normal Killing at 13:01:03: Stopping container app$/,
  },
  'liveness probe (recorded)': {
    subject: () => replayed('liveness'),
    container: 'exec',
    cause: 'liveness',
    causeText: /^killed after failing its liveness probe \(event Killing: Container exec failed liveness probe, will be restarted\)$/,
    podCause: undefined,
    finding: /^killed by its liveness probe \(exec cat \/tmp\/healthy\)$/,
    evidence: /2 failures \(4s\) to fail/,
  },
  'deletion, grace period used up (recorded)': {
    subject: () => replayed('grace'),
    container: 'app',
    cause: 'grace-period',
    causeText: /^the pod was deleted; the preStop hook \(exec sh -c sleep 3\) returned within the 6s grace period; it ignored SIGTERM/,
    podCause: 'deletion',
    finding: /^did not stop within the grace period of 6s: killed with SIGKILL$/,
    evidence: /^deletionTimestamp \(the end of the grace period\) at 05:43:20$/,
  },
  'preStop longer than the grace period (recorded)': {
    subject: () => replayed('prestop-long'),
    container: 'app',
    cause: 'grace-period',
    causeText: /^the preStop hook \(exec sleep 20\) was still running when the 5s grace period ended: SIGTERM then, SIGKILL 2s later$/,
    podCause: 'deletion',
    finding: /^the preStop hook \(exec sleep 20\) was still running when the 5s grace period ended: killed with SIGKILL$/,
    evidence: /^grace period 5s \(metadata\.deletionGracePeriodSeconds\)$/,
  },
  'eviction at a local storage limit (recorded)': {
    subject: () => replayed('eviction'),
    container: 'writer',
    cause: 'eviction',
    causeText:
      /^evicted by the kubelet: emptyDir volume "scratch" over its 8Mi limit; .*SIGKILL 2s later \(the kubelet's minimum; grace period 1s\)$/,
    podCause: 'eviction',
    finding: /^killed by an eviction by the kubelet: emptyDir volume "scratch" over its 8Mi limit$/,
    evidence: /^status\.reason=Evicted: Usage of EmptyDir volume "scratch" exceeds the limit "8Mi"\.$/,
  },
  'eviction under memory pressure': {
    subject: () => {
      const message =
        'The node was low on resource: memory. Threshold quantity: 100Mi, available: 52Mi. Container writer was using 412Mi, request is 0, has larger consumption of memory. ';
      return replayed('eviction', {
        pod: (d) => {
          if (d.status?.reason === 'Evicted') d.status.message = message;
        },
        event: (e) => {
          if (e.reason === 'Evicted') e.message = message;
        },
      });
    },
    container: 'writer',
    cause: 'eviction',
    causeText: /^evicted by the kubelet: the node is low on memory; /,
    podCause: 'eviction',
    finding: /^killed by an eviction by the kubelet: the node is low on memory$/,
    evidence: /Container writer was using 412Mi/,
  },
  'OOM kill and the memory limit (recorded)': {
    subject: () => replayed('oom'),
    container: 'hog',
    cause: 'oom',
    causeText: /^OOM-killed by the kernel: it used more than its memory limit of 16Mi$/,
    podCause: undefined,
    finding: /^OOM-killed: the process used more than its memory limit of 16Mi \(request 16Mi\)$/,
    evidence: /^resources\.limits\.memory=16Mi/,
  },
  'postStart hook failure (recorded)': {
    subject: () => replayed('poststart'),
    container: 'app',
    cause: 'postStart',
    causeText: /postStart hook failed/,
    podCause: undefined,
    finding: /^the postStart hook fails \(exec sh -c sleep 3/,
  },
  'a command the runtime cannot start (recorded)': {
    subject: () => replayed('no-such-binary'),
    container: 'app',
    cause: 'start-error',
    causeText: /^the runtime could not start the process: exec: "no-such-binary": executable file not found in \$PATH$/,
    podCause: undefined,
    finding: /^command not found \(StartError, exit 128\): exec: "no-such-binary": executable file not found in \$PATH$/,
  },
  'graceful node shutdown': {
    subject: () =>
      graceStoppedBy({
        reason: 'Terminated',
        message: 'Pod was terminated in response to imminent node shutdown.',
        disruption: { reason: 'TerminationByKubelet', message: 'Pod was terminated in response to imminent node shutdown.' },
      }),
    container: 'app',
    cause: 'node-shutdown',
    causeText: /^the node is shutting down \(graceful node shutdown\); /,
    podCause: 'node-shutdown',
    finding: /^the node is shutting down \(graceful node shutdown\): the pod was stopped$/,
    evidence: /^condition DisruptionTarget=True \(TerminationByKubelet\): Pod was terminated in response to imminent node shutdown\.$/,
  },
  'preemption by the kubelet for a critical pod': {
    subject: () => graceStoppedBy({ reason: 'Preempting', message: 'Preempted in order to admit critical pod' }),
    container: 'app',
    cause: 'preemption',
    causeText:
      /^preempted by the kubelet to admit a critical pod; the preStop hook \(exec sh -c sleep 3\) returned within the 6s grace period; it ignored SIGTERM and was killed with SIGKILL at its end$/,
    podCause: 'preemption',
    finding: /^preempted by the kubelet to admit a critical pod: the pod was stopped \(grace period 6s\)$/,
    evidence: /^status\.reason=Preempting: Preempted in order to admit critical pod$/,
  },
  'preemption by the scheduler (a deletion)': {
    subject: () =>
      graceDeletedBy({ reason: 'PreemptionByScheduler', message: 'default-scheduler: preempting to accommodate a higher priority pod' }),
    container: 'app',
    cause: 'preemption',
    causeText: /^preempted by the scheduler for a higher-priority pod; /,
    podCause: 'preemption',
    finding: /^preempted by the scheduler for a higher-priority pod: the pod was stopped \(grace period 6s\)$/,
    evidence: /PreemptionByScheduler/,
  },
  'a NoExecute taint (a deletion by the taint manager)': {
    subject: () => graceDeletedBy({ reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' }),
    container: 'app',
    cause: 'taint',
    causeText: /^deleted by the taint manager \(a NoExecute taint on its node\); /,
    podCause: 'taint',
    finding: /^deleted by the taint manager \(a NoExecute taint on its node\): the pod was stopped \(grace period 6s\)$/,
  },
  "a Job's backoffLimit (its controller deletes the pod)": {
    subject: () =>
      replayed('grace', {
        pod: (d) => {
          d.metadata.ownerReferences = [{ apiVersion: 'batch/v1', kind: 'Job', name: 'batch', uid: 'job-uid', controller: true }];
        },
        extra: () => [jobEvent(Date.UTC(2026, 10, 25, 5, 43, 14), 'BackoffLimitExceeded', 'Job has reached the specified backoff limit')],
      }),
    container: 'app',
    cause: 'job',
    causeText:
      /^its Job batch failed \(BackoffLimitExceeded: Job has reached the specified backoff limit\): the Job controller deleted it; /,
    podCause: 'job',
    finding:
      /^its Job batch failed \(BackoffLimitExceeded: Job has reached the specified backoff limit\): the Job controller deleted it \(grace period 6s\)$/,
    evidence: /^event Warning BackoffLimitExceeded at 05:43:14: Job has reached the specified backoff limit \(on Job\/batch\)$/,
  },
  "a Job's controller deleting the pod, before it writes its verdict": {
    subject: () =>
      replayed('grace', {
        pod: (d) => {
          d.metadata.ownerReferences = [{ apiVersion: 'batch/v1', kind: 'Job', name: 'batch', uid: 'job-uid', controller: true }];
        },
        extra: () => [jobEvent(Date.UTC(2026, 10, 25, 5, 43, 14), 'SuccessfulDelete', 'Deleted pod: grace', 'Normal')],
      }),
    container: 'app',
    cause: 'job',
    causeText: /^the controller of its Job batch deleted it; /,
    podCause: 'job',
    finding: /^the controller of its Job batch deleted it \(grace period 6s\)$/,
    evidence: /^event Normal SuccessfulDelete at 05:43:14: Deleted pod: grace \(on Job\/batch\)$/,
  },
  "a Job's podFailurePolicy": {
    subject: () =>
      replayed('grace', {
        pod: (d) => {
          d.metadata.ownerReferences = [{ apiVersion: 'batch/v1', kind: 'Job', name: 'batch', uid: 'job-uid', controller: true }];
        },
        extra: () => [
          jobEvent(
            Date.UTC(2026, 10, 25, 5, 43, 14),
            'PodFailurePolicy',
            'Container work for pod rec-grace-1795585383/other failed with exit code 42 matching FailJob rule at index 0',
          ),
        ],
      }),
    container: 'app',
    cause: 'job',
    causeText: /^its Job batch failed \(PodFailurePolicy: Container work .* matching FailJob rule at index 0\)/,
    podCause: 'job',
    finding: /^its Job batch failed \(PodFailurePolicy: /,
  },
};

describe('every way a container is ended has a cause, its evidence and the setting behind it', () => {
  test.each(Object.entries(cases))('%s', (_name, c) => {
    const { pod } = c.subject();
    const container = pod.containers.find((x) => x.name === c.container)!;
    const ended = container.instances.filter((i) => !i.running);
    const last = ended.at(-1)!;
    assert.ok(last, 'an instance ended');
    assert.equal(last.cause, c.cause, `${last.cause}: ${last.causeText}`);
    assert.match(last.causeText ?? '', c.causeText);
    assert.doesNotMatch(JSON.stringify(ended.filter((i) => i.exitCode === 137)), /exited by itself/);
    assert.equal(pod.termination?.cause, c.podCause, JSON.stringify(pod.termination));
    const f = pod.findings.find((x) => c.finding.test(x.title));
    assert.ok(f, pod.findings.map((x) => `${x.container}: ${x.title}`).join('\n'));
    if (c.evidence)
      assert.ok(
        f.evidence.some((e) => c.evidence!.test(e)),
        f.evidence.join('\n'),
      );
    assert.ok(!pod.findings.some((x) => /cause unknown/.test(x.title)), 'never "cause unknown" when the evidence says');
  });
});

test('a sidecar stopped after the main containers ended: its exit is part of the shutdown', () => {
  const obs = recording('sidecar');
  const last = obs.filter((o) => o.kind === 'pod').at(-1)!;
  const t0 = lastTime(obs);
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
  assert.ok(last.kind === 'pod');
  // The main container completes; the kubelet stops the sidecar (Killing), which exits on SIGTERM.
  const completed = vary(last.object, (d) => {
    d.metadata.resourceVersion = '900001';
    const app = d.status.containerStatuses.find((c: { name: string }) => c.name === 'app');
    app.state = {
      terminated: {
        exitCode: 0,
        reason: 'Completed',
        startedAt: app.state.running.startedAt,
        finishedAt: iso(t0 + 2000),
        containerID: app.containerID,
      },
    };
    app.ready = false;
  });
  const stopped = vary(completed, (d) => {
    d.metadata.resourceVersion = '900002';
    const s = d.status.initContainerStatuses.find((c: { name: string }) => c.name === 'log-shipper');
    s.state = {
      terminated: {
        exitCode: 143,
        reason: 'Error',
        startedAt: s.state.running.startedAt,
        finishedAt: iso(t0 + 4000),
        containerID: s.containerID,
      },
    };
    s.ready = false;
  });
  const killing = obs.find((o) => o.kind === 'event' && (o.object as { reason?: string }).reason === 'Started')!;
  assert.ok(killing.kind === 'event');
  const event = vary(killing.object, (e) => {
    e.metadata.uid = 'killing-log-shipper';
    e.metadata.name = 'sidecar.killing';
    e.reason = 'Killing';
    e.message = 'Stopping container log-shipper';
    e.involvedObject.fieldPath = 'spec.initContainers{log-shipper}';
    e.firstTimestamp = e.lastTimestamp = iso(t0 + 3000);
    e.count = 1;
  });
  let s = initialState({ source: 'replay' });
  for (const o of [
    ...obs,
    { kind: 'pod', verb: 'modified', observedAt: t0 + 2500, object: completed },
    { kind: 'event', verb: 'added', observedAt: t0 + 3100, object: event },
    { kind: 'pod', verb: 'modified', observedAt: t0 + 4500, object: stopped },
  ] as Observation[])
    s = reduce(s, [o]);
  const pod = toSessionView(s, t0 + 5000).pods[0]!;
  const shipper = pod.containers.find((c) => c.name === 'log-shipper')!;
  const i = shipper.instances.at(-1)!;
  assert.equal(i.cause, 'sidecar');
  assert.equal(
    i.causeText,
    'stopped by the kubelet after the main containers ended (event Killing: Stopping container log-shipper); it exited on SIGTERM (exit 143)',
  );
  const f = pod.findings.find((x) => x.container === 'log-shipper');
  assert.equal(f?.severity, 'info');
  assert.equal(f?.title, "stopped after the main containers ended (exit 143): part of the pod's shutdown, not a failure");
});
