// The SIGKILL family: one rule per cause, and the pod being deleted.

import {
  beingDeleted,
  deletionKill,
  evictionKill,
  gracePeriodKill,
  livenessKill,
  postStartKill,
  sigkillUnknown,
  startupKill,
} from '../../../src/model/diagnose/sigkill.ts';
import { finalPod, podWhen, ruleTables, startupKills, varyRecording, type RuleCase } from './helpers.ts';

/** The liveness recording when events cannot be read (e.g. RBAC): the kills have no cause. */
const noEvents = () => varyRecording('liveness', { event: () => false });

/** The grace recording with a longer grace period: the SIGKILL came well before the deadline. */
const killedBeforeDeadline = () =>
  varyRecording('grace', {
    pod: (d) => {
      if (!d.metadata.deletionTimestamp) return;
      d.metadata.deletionTimestamp = '2026-11-25T05:44:00Z';
      d.metadata.deletionGracePeriodSeconds = 46;
    },
  });

/** The eviction recording as the kubelet sometimes ends it: the writer lost, not reported as killed. */
const evictedLost = () =>
  varyRecording('eviction', {
    pod: (d) => {
      for (const cs of d.status?.containerStatuses ?? [])
        if (cs.name === 'writer' && cs.state?.terminated)
          cs.state = {
            terminated: {
              exitCode: 137,
              reason: 'ContainerStatusUnknown',
              message: 'The container could not be located when the pod was terminated',
            },
          };
    },
  });

const cases: RuleCase[] = [
  {
    rule: livenessKill,
    name: 'liveness recording: exec probe',
    subject: () => finalPod('liveness'),
    container: 'exec',
    want: {
      severity: 'error',
      title: 'killed by its liveness probe (exec cat /tmp/healthy)',
      evidence: [
        'terminated exit 137 (SIGKILL), reason Error, at 05:43:44 (3 times)',
        'probe: liveness exec cat /tmp/healthy every 2s, timeout 1s, 2 failures (4s) to fail',
        'event Normal Killing x3 at 05:43:42: Container exec failed liveness probe, will be restarted',
      ],
    },
  },
  {
    rule: livenessKill,
    name: 'liveness recording: http probe',
    subject: () => finalPod('liveness'),
    container: 'http',
    want: {
      title: 'killed by its liveness probe (httpGet /healthz :8080)',
      evidence: [/Liveness probe failed: HTTP probe failed with statuscode: 404$/],
    },
  },
  {
    rule: livenessKill,
    name: 'probes recording: readiness fails, nothing killed',
    subject: () => finalPod('probes'),
    container: 'flappy',
    want: undefined,
  },
  { rule: livenessKill, name: 'liveness recording with startup probes', subject: startupKills, container: 'exec', want: undefined },
  {
    rule: startupKill,
    name: 'liveness recording with startup probes',
    subject: startupKills,
    container: 'exec',
    want: {
      title: 'killed by its startup probe (exec cat /tmp/healthy)',
      evidence: [
        'probe: startup exec cat /tmp/healthy every 2s, timeout 1s, 2 failures (4s) to fail',
        /Container exec failed startup probe/,
      ],
    },
  },
  { rule: startupKill, name: 'liveness recording', subject: () => finalPod('liveness'), container: 'exec', want: undefined },
  {
    rule: gracePeriodKill,
    name: 'grace recording: SIGKILL at the deadline',
    subject: () => finalPod('grace'),
    container: 'app',
    want: {
      severity: 'warning',
      title: 'did not stop within the grace period of 6s: killed with SIGKILL',
      evidence: [
        'terminated exit 137 (SIGKILL), reason Error, at 05:43:20',
        'deletionTimestamp (the end of the grace period) at 05:43:20',
        'preStop hook (counts against the grace period): exec sh -c sleep 3; it returned within the grace period, SIGKILL came at its end',
        'event Normal Killing at 05:43:14: Stopping container app',
      ],
    },
  },
  {
    rule: gracePeriodKill,
    name: 'grace recording with a longer grace period',
    subject: killedBeforeDeadline,
    container: 'app',
    want: undefined,
  },
  { rule: gracePeriodKill, name: 'liveness recording', subject: () => finalPod('liveness'), container: 'exec', want: undefined },
  {
    rule: evictionKill,
    name: 'eviction recording',
    subject: () => finalPod('eviction'),
    container: 'writer',
    want: {
      severity: 'error',
      title: 'killed by an eviction by the kubelet: emptyDir volume "scratch" over its 8Mi limit',
      evidence: [
        'terminated exit 137 (SIGKILL), reason Error, at 06:09:47',
        'status.reason=Evicted: Usage of EmptyDir volume "scratch" exceeds the limit "8Mi".',
        'event Normal Killing at 06:09:45: Stopping container writer',
        // Grace period 1s for a local storage limit, raised to the kubelet's 2s minimum: SIGKILL at 06:09:47.
        /it ignored SIGTERM and was killed with SIGKILL 2s later \(the kubelet's minimum; grace period 1s\)$/,
      ],
    },
  },
  {
    rule: evictionKill,
    name: 'eviction recording whose writer the kubelet lost',
    subject: evictedLost,
    container: 'writer',
    want: {
      severity: 'error',
      title: 'killed by an eviction by the kubelet: emptyDir volume "scratch" over its 8Mi limit',
      evidence: [
        'terminated, reason ContainerStatusUnknown (exit 137 set by the kubelet, which lost the container)',
        'status.reason=Evicted: Usage of EmptyDir volume "scratch" exceeds the limit "8Mi".',
        'event Normal Killing at 06:09:45: Stopping container writer',
        /; the kubelet lost track of the container \(ContainerStatusUnknown\): how it ended is not known$/,
      ],
    },
  },
  { rule: evictionKill, name: 'grace recording', subject: () => finalPod('grace'), container: 'app', want: undefined },
  {
    rule: deletionKill,
    name: 'grace recording with a longer grace period: killed before the deadline',
    subject: killedBeforeDeadline,
    container: 'app',
    want: {
      severity: 'info',
      title: 'killed while the pod was being deleted',
      evidence: ['terminated exit 137 (SIGKILL), reason Error, at 05:43:20'],
    },
  },
  {
    rule: deletionKill,
    name: 'grace recording: killed at the deadline',
    subject: () => finalPod('grace'),
    container: 'app',
    want: undefined,
  },
  {
    rule: postStartKill,
    name: 'poststart recording (alone: poststart-hook-failed suppresses it)',
    subject: () => finalPod('poststart'),
    container: 'app',
    want: {
      title: /^the postStart hook fails \(exec sh -c sleep 3;/,
      evidence: [/^terminated exit 137 \(SIGKILL\)/, 'killed because its postStart hook failed (event FailedPostStartHook)'],
    },
  },
  { rule: postStartKill, name: 'liveness recording', subject: () => finalPod('liveness'), container: 'exec', want: undefined },
  {
    rule: sigkillUnknown,
    name: 'liveness recording without events: the probe is named, its events are missing',
    subject: noEvents,
    container: 'exec',
    want: {
      severity: 'error',
      title: 'killed by SIGKILL (exit 137); cause unknown: not OOMKilled, no liveness kill, no deletion or eviction seen',
      evidence: [
        'terminated exit 137 (SIGKILL), reason Error, at 05:43:44 (3 times)',
        'a liveness probe is defined (liveness exec cat /tmp/healthy every 2s, timeout 1s, 2 failures (4s) to fail); ' +
          'its Unhealthy/Killing events, which would show a probe kill, are not available',
        'last log line of instance 2: lost my health file',
      ],
    },
  },
  {
    rule: sigkillUnknown,
    name: 'liveness recording: the probe killed it',
    subject: () => finalPod('liveness'),
    container: 'exec',
    want: undefined,
  },
  { rule: sigkillUnknown, name: 'oom recording: OOMKilled', subject: () => finalPod('oom'), container: 'hog', want: undefined },
  {
    rule: beingDeleted,
    name: 'grace recording while the pod is being deleted',
    subject: () => podWhen('grace', (p) => p.deletion !== undefined),
    want: {
      severity: 'info',
      title: 'deletion requested: the grace period of 6s ends 05:43:20',
      evidence: ['metadata.deletionTimestamp=2026-11-25T05:43:20.000Z'],
    },
  },
  { rule: beingDeleted, name: 'grace recording once the pod is gone', subject: () => finalPod('grace'), want: undefined },
  { rule: beingDeleted, name: 'crashloop recording', subject: () => finalPod('crashloop'), want: undefined },
];

ruleTables('sigkill', cases);
