// Evidence -> a short ranked list of findings. Each finding names the facts it rests on; nothing
// is guessed: where the evidence does not say why, the finding says "unknown".

import { BACKOFF_RESET_MS } from './backoff.ts';
import { describeProbe } from './spec-describe.ts';
import { clockTime, formatGoDuration, runLength } from './time.ts';
import type { ContainerView, EventView, FindingView, InstanceView, PodView } from './view.ts';

type Input = Omit<PodView, 'findings'>;

const RANK = { error: 0, warning: 1, info: 2 } as const;

function at(t: number | undefined): string {
  return t === undefined ? 'at an unknown time' : `at ${clockTime(t)}`;
}

function eventsOf(pod: Input, c: string | undefined, reasons: readonly string[]): EventView[] {
  return pod.events.filter((e) => (c === undefined || e.container === c) && reasons.includes(e.reason));
}

function evEvidence(e: EventView): string {
  return `event ${e.type} ${e.reason}${e.count > 1 ? ` x${e.count}` : ''} ${at(e.lastAt)}: ${e.message}`;
}

function ended(c: ContainerView): InstanceView[] {
  return c.instances.filter((i) => !i.running && (i.exitCode !== undefined || i.reason !== undefined));
}

function lastEnd(c: ContainerView): InstanceView | undefined {
  return ended(c).at(-1);
}

function logEvidence(i: InstanceView | undefined): string[] {
  const line = i?.logTail?.filter((l) => l.trim() !== '').at(-1);
  return line ? [`last log line of instance ${i!.attempt}: ${line.trim()}`] : [];
}

export function diagnose(pod: Input, now: number): FindingView[] {
  const out: FindingView[] = [];
  const add = (f: FindingView): void => {
    if (!out.some((x) => x.title === f.title && x.container === f.container)) out.push(f);
  };

  // Pod-level facts first.
  if (pod.statusReason === 'Evicted') {
    add({
      severity: 'error',
      container: undefined,
      title: `evicted by the kubelet${pod.statusMessage ? `: ${pod.statusMessage}` : ''}`,
      evidence: [
        `status.reason=Evicted`,
        ...(pod.statusMessage ? [`status.message: ${pod.statusMessage}`] : []),
        ...eventsOf(pod, undefined, ['Evicted']).map(evEvidence),
      ],
    });
  } else if (
    pod.statusReason &&
    [
      'OutOfcpu',
      'OutOfmemory',
      'UnexpectedAdmissionError',
      'NodeAffinity',
      'NodeLost',
      'Shutdown',
      'DeadlineExceeded',
      'Preempting',
    ].includes(pod.statusReason)
  ) {
    add({
      severity: 'error',
      container: undefined,
      title: `${pod.statusReason}${pod.statusMessage ? `: ${pod.statusMessage}` : ''}`,
      evidence: [`status.reason=${pod.statusReason}`, ...(pod.statusMessage ? [`status.message: ${pod.statusMessage}`] : [])],
    });
  }
  const sched = pod.conditions.find((c) => c.type === 'PodScheduled');
  if (sched && sched.status !== 'True' && sched.reason !== 'SchedulingGated') {
    const fs = eventsOf(pod, undefined, ['FailedScheduling']);
    add({
      severity: 'error',
      container: undefined,
      title: `cannot be scheduled${sched.message ? `: ${sched.message}` : fs.at(-1) ? `: ${fs.at(-1)!.message}` : ''}`,
      evidence: [`condition PodScheduled=${sched.status}${sched.reason ? ` (${sched.reason})` : ''}`, ...fs.map(evEvidence)],
    });
  } else if (sched?.reason === 'SchedulingGated') {
    add({
      severity: 'info',
      container: undefined,
      title: 'waiting for scheduling gates to be removed',
      evidence: [`condition PodScheduled: ${sched.message ?? 'SchedulingGated'}`],
    });
  }
  // Volume and sandbox failures matter while containers still wait to be created; once they run,
  // an old FailedMount (e.g. a token ConfigMap not synced yet) was transient.
  const stillCreating =
    pod.containers.some((c) => c.state === 'waiting' && (c.reason === 'ContainerCreating' || c.reason === 'PodInitializing')) ||
    pod.containers.every((c) => c.state === 'unknown');
  for (const e of stillCreating ? eventsOf(pod, undefined, ['FailedMount', 'FailedAttachVolume', 'FailedCreatePodSandBox']) : []) {
    add({
      severity: e.type === 'Warning' ? 'error' : 'warning',
      container: undefined,
      title: `${e.reason}: ${e.message.split('\n')[0]}`,
      evidence: [evEvidence(e)],
    });
  }

  for (const c of pod.containers) {
    const name = c.name;
    const last = lastEnd(c);
    const endings = ended(c);
    const exitCounts = new Map<string, number>();
    for (const i of endings)
      exitCounts.set(`${i.reason ?? ''}/${i.exitCode}`, (exitCounts.get(`${i.reason ?? ''}/${i.exitCode}`) ?? 0) + 1);

    // Waiting reasons that are errors by themselves.
    if (c.state === 'waiting' && c.reason) {
      const startFailed = endings.some(
        (i) =>
          i.reason === 'ContainerCannotRun' || i.reason === 'StartError' || i.exitCode === 127 || i.exitCode === 126 || i.exitCode === 128,
      );
      if (
        c.reason === 'CreateContainerConfigError' ||
        c.reason === 'CreateContainerError' ||
        (c.reason === 'RunContainerError' && !startFailed)
      ) {
        const missing = /couldn't find key (\S+) in (ConfigMap|Secret) (\S+)|(configmap|secret) "([^"]+)" not found/i.exec(c.message ?? '');
        const what = missing
          ? missing[1]
            ? `key ${missing[1]} is missing in ${missing[2]} ${missing[3]}`
            : `${missing[4]} ${missing[5]} does not exist`
          : (c.message ?? 'reason not stated');
        add({
          severity: 'error',
          container: name,
          title: `cannot create the container: ${what}`,
          evidence: [
            `state.waiting.reason=${c.reason}`,
            ...(c.message ? [`state.waiting.message: ${c.message}`] : []),
            ...eventsOf(pod, name, ['Failed']).map(evEvidence),
          ],
        });
      } else if (['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull', 'RegistryUnavailable'].includes(c.reason)) {
        const pullErr = eventsOf(pod, name, ['Failed']).filter((e) => /image/i.test(e.message));
        const detail = pullErr.find((e) => /Failed to pull image/.test(e.message))?.message ?? c.message;
        add({
          severity: 'error',
          container: name,
          title: `image ${c.image ?? '?'} cannot be pulled${detail ? `: ${detail}` : ''}`,
          evidence: [
            `state.waiting.reason=${c.reason}`,
            ...(c.message ? [`state.waiting.message: ${c.message}`] : []),
            ...pullErr.map(evEvidence),
          ],
        });
      } else if (c.reason === 'PostStartHookError' || c.reason === 'PreStartHookError') {
        const hook = c.spec.hooks.find((h) => h.kind === 'postStart');
        add({
          severity: 'error',
          container: name,
          title: `the postStart hook fails${hook ? ` (${hook.handler})` : ''}; the container is killed and restarted`,
          evidence: [
            `state.waiting.reason=${c.reason}`,
            ...(c.message ? [`message: ${c.message}`] : []),
            ...eventsOf(pod, name, ['FailedPostStartHook']).map(evEvidence),
          ],
        });
      }
    }
    if (eventsOf(pod, name, ['FailedPostStartHook']).length > 0 && c.reason !== 'PostStartHookError') {
      const hook = c.spec.hooks.find((h) => h.kind === 'postStart');
      add({
        severity: 'error',
        container: name,
        title: `the postStart hook fails${hook ? ` (${hook.handler})` : ''}; the container is killed and restarted`,
        evidence: eventsOf(pod, name, ['FailedPostStartHook']).map(evEvidence),
      });
    }
    if (eventsOf(pod, name, ['FailedPreStopHook']).length > 0) {
      const hook = c.spec.hooks.find((h) => h.kind === 'preStop');
      add({
        severity: 'warning',
        container: name,
        title: `the preStop hook failed${hook ? ` (${hook.handler})` : ''}; termination went on without it`,
        evidence: eventsOf(pod, name, ['FailedPreStopHook']).map(evEvidence),
      });
    }

    // Terminations.
    const oom = endings.filter((i) => i.reason === 'OOMKilled');
    const curOom = c.state === 'terminated' && c.reason === 'OOMKilled';
    if (oom.length > 0 || curOom || c.lastTermination?.reason === 'OOMKilled') {
      const lim = c.spec.limits.memory;
      const req = c.spec.requests.memory;
      const i = oom.at(-1);
      add({
        severity: 'error',
        container: name,
        title: lim
          ? `OOM-killed: the process used more than its memory limit of ${lim}${req ? ` (request ${req})` : ''}`
          : `OOM-killed with no memory limit on the container: the node or pod cgroup ran out of memory`,
        evidence: [
          `terminated.reason=OOMKilled, exit ${i?.exitCode ?? c.lastTermination?.exitCode ?? c.exitCode ?? 137} ${at(i?.finishedAt ?? c.lastTermination?.finishedAt ?? c.finishedAt)}${oom.length > 1 ? ` (${oom.length} times while watched)` : ''}`,
          lim ? `resources.limits.memory=${lim}${req ? `, requests.memory=${req}` : ''}` : 'no resources.limits.memory',
          ...logEvidence(i),
        ],
      });
    }
    const notFound = endings.filter((i) => i.exitCode === 127 || i.exitCode === 126);
    if (notFound.length > 0) {
      const i = notFound.at(-1)!;
      add({
        severity: 'error',
        container: name,
        title:
          i.exitCode === 127
            ? `command not found (exit 127)${c.spec.command ? `: ${c.spec.command.join(' ')}` : ''}`
            : `command not executable (exit 126)${c.spec.command ? `: ${c.spec.command.join(' ')}` : ''}`,
        evidence: [
          `terminated${i.reason ? ` ${i.reason}` : ''} exit ${i.exitCode} ${at(i.finishedAt)}`,
          c.spec.command ? `command: ${JSON.stringify(c.spec.command)}` : 'command: the image default',
          ...(i.message ? [`termination message: ${i.message}`] : []),
          ...logEvidence(i),
        ],
      });
    }
    const startErr = endings.filter((i) => i.reason === 'StartError' || i.reason === 'ContainerCannotRun' || i.exitCode === 128);
    if (startErr.length > 0 && notFound.length === 0) {
      const i = startErr.at(-1)!;
      add({
        severity: 'error',
        container: name,
        title: `the runtime could not start the process${i.message ? `: ${i.message}` : ''}`,
        evidence: [
          `terminated.reason=${i.reason ?? '?'}, exit ${i.exitCode ?? '?'} ${at(i.finishedAt)}`,
          ...(c.state === 'waiting' && c.message ? [`state.waiting: ${c.reason}: ${c.message}`] : []),
        ],
      });
    }
    const killed = endings.filter((i) => i.exitCode === 137 && i.reason !== 'OOMKilled');
    for (const cause of new Set(killed.map((i) => i.cause ?? 'unknown'))) {
      const list = killed.filter((i) => (i.cause ?? 'unknown') === cause);
      const i = list.at(-1)!;
      const ev = [
        `terminated exit 137 (SIGKILL), reason ${i.reason ?? 'none'}, ${at(i.finishedAt)}${list.length > 1 ? ` (${list.length} times)` : ''}`,
      ];
      if (cause === 'liveness' || cause === 'startup') {
        const probe = c.spec.probes.find((p) => p.kind === cause);
        add({
          severity: 'error',
          container: name,
          title: `killed by its ${cause} probe${probe ? ` (${probe.handler})` : ''}`,
          evidence: [
            ...ev,
            ...(probe ? [`probe: ${describeProbe(probe)}`] : []),
            ...eventsOf(pod, name, ['Unhealthy', 'Killing']).map(evEvidence),
          ],
        });
      } else if (cause === 'grace-period') {
        const pre = c.spec.hooks.find((h) => h.kind === 'preStop');
        add({
          severity: 'warning',
          container: name,
          title: `did not stop within the grace period${pod.deletion?.gracePeriodSeconds !== undefined ? ` of ${pod.deletion.gracePeriodSeconds}s` : ''}: killed with SIGKILL`,
          evidence: [
            ...ev,
            `deletionTimestamp (SIGKILL deadline) ${at(pod.deletion?.deadline)}`,
            ...(pre ? [`preStop hook (counts against the grace period): ${pre.handler}`] : []),
            ...eventsOf(pod, name, ['Killing', 'ExceededGracePeriod']).map(evEvidence),
          ],
        });
      } else if (cause === 'eviction') {
        add({
          severity: 'error',
          container: name,
          title: 'killed by an eviction',
          evidence: [...ev, `status.reason=Evicted: ${pod.statusMessage ?? ''}`],
        });
      } else if (cause === 'deletion') {
        add({ severity: 'info', container: name, title: 'killed while the pod was being deleted', evidence: ev });
      } else if (cause === 'postStart') {
        if (!out.some((f) => f.container === name && /postStart hook fails/.test(f.title))) {
          const hook = c.spec.hooks.find((h) => h.kind === 'postStart');
          add({
            severity: 'error',
            container: name,
            title: `the postStart hook fails${hook ? ` (${hook.handler})` : ''}; the container is killed and restarted`,
            evidence: [...ev, ...(i.causeText ? [i.causeText] : [])],
          });
        }
      } else if (cause !== 'lost') {
        const live = c.spec.probes.find((p) => p.kind === 'liveness' || p.kind === 'startup');
        const hint = live
          ? [
              `a ${live.kind} probe is defined (${describeProbe(live)}); its Unhealthy/Killing events, which would show a probe kill, are not available`,
            ]
          : [];
        add({
          severity: 'error',
          container: name,
          title: 'killed by SIGKILL (exit 137); cause unknown: not OOMKilled, no liveness kill, no deletion or eviction seen',
          evidence: [...ev, ...hint, ...logEvidence(i)],
        });
      }
    }

    // Probe failures that did not (or not yet) kill.
    const unhealthy = eventsOf(pod, name, ['Unhealthy']);
    for (const kind of ['Liveness', 'Readiness', 'Startup'] as const) {
      const evs = unhealthy.filter((e) => e.message.startsWith(`${kind} probe`));
      if (evs.length === 0) continue;
      // A kill by this probe is already a finding that lists these events.
      if (kind !== 'Readiness' && out.some((f) => f.container === name && f.title.startsWith(`killed by its ${kind.toLowerCase()} probe`)))
        continue;
      const probe = c.spec.probes.find((p) => p.kind === kind.toLowerCase());
      const total = evs.reduce((n, e) => n + e.count, 0);
      if (kind === 'Startup' && c.started === true) {
        add({
          severity: 'info',
          container: name,
          title: `slow start: the startup probe failed ${total} time${total === 1 ? '' : 's'} before it passed`,
          evidence: [...(probe ? [`probe: ${describeProbe(probe)}`] : []), ...evs.map(evEvidence)],
        });
        continue;
      }
      const consequence =
        kind === 'Readiness'
          ? 'the container is taken out of service (not ready), not restarted'
          : kind === 'Liveness'
            ? `the kubelet kills the container after ${probe ? `${probe.failureThreshold} failures x ${probe.periodSeconds}s = ${probe.failureThreshold * probe.periodSeconds}s` : 'failureThreshold failures'}`
            : 'the container is killed if the startup probe keeps failing';
      add({
        severity: kind === 'Readiness' ? 'warning' : 'error',
        container: name,
        title: `${kind.toLowerCase()} probe failing (${total} failure${total === 1 ? '' : 's'}): ${consequence}`,
        evidence: [...(probe ? [`probe: ${describeProbe(probe)}`] : []), ...evs.map(evEvidence)],
      });
    }

    // Crash loop in general: what the instances did.
    // A crash loop also while an instance is briefly running again between two crashes; once an
    // instance has run for 10 minutes the back-off has reset and the loop is over.
    const failedEndings = endings.filter((i) => (i.exitCode ?? 0) !== 0 || i.reason !== 'Completed');
    const settled = c.state === 'running' && c.startedAt !== undefined && now - c.startedAt > BACKOFF_RESET_MS;
    if (
      c.type !== 'init' &&
      (c.reason === 'CrashLoopBackOff' ||
        (endings.length > 0 && c.restartCount > 0 && (c.state !== 'running' || (failedEndings.length > 0 && !settled))))
    ) {
      const exits = [...exitCounts.entries()]
        .map(([k, n]) => {
          const [reason, code] = k.split('/');
          return `${reason || 'exit'} ${code}${n > 1 ? ` x${n}` : ''}`;
        })
        .join(', ');
      const durations = endings.map((i) => i.durationMs).filter((d): d is number => d !== undefined);
      const typical = durations.length > 0 ? runLength(durations.sort((a, b) => a - b)[Math.floor(durations.length / 2)]!) : undefined;
      // What the process said comes first: it is the most direct evidence of why it exits.
      const ev = [...logEvidence(last), ...(last?.message ? [`termination message: ${last.message.trim().split('\n').at(-1)}`] : [])];
      ev.push(
        ...(exits ? [`terminations seen: ${exits}`] : []),
        ...(typical ? [`typical run: ${typical}`] : []),
        `restartCount=${c.restartCount}`,
      );
      if (c.backoff?.delaySeconds !== undefined)
        ev.push(`kubelet back-off ${formatGoDuration(c.backoff.delaySeconds)} (from the waiting message)`);
      if (last?.exitCode === 0 && pod.restartPolicy === 'Always') {
        add({
          severity: 'warning',
          container: name,
          title: 'the process exits by itself with 0; the container is restarted because restartPolicy is Always',
          evidence: ev,
        });
      } else if (
        last?.exitCode !== undefined &&
        ![137, 128, 127, 126].includes(last.exitCode) &&
        !['OOMKilled', 'StartError', 'ContainerCannotRun'].includes(last.reason ?? '')
      ) {
        const how = last.signalName ? `is killed by ${last.signalName} (exit ${last.exitCode})` : `exits with ${last.exitCode}`;
        add({
          severity: 'error',
          container: name,
          title: `crash loop: the process ${how}${typical ? ` after about ${typical}` : ''}; the cause is in its output${last.logTail?.length ? '' : ' (no log lines captured)'}`,
          evidence: ev,
        });
      } else if (!last) {
        add({ severity: 'error', container: name, title: 'crash loop: cause unknown (no termination recorded)', evidence: ev });
      }
    }
    // A final failure (no restart coming): an init container, or restartPolicy Never/OnFailure exhausted.
    const initLooping = c.type === 'init' && c.reason === 'CrashLoopBackOff' && last !== undefined;
    if (
      initLooping ||
      (c.state === 'terminated' &&
        (c.exitCode ?? 0) !== 0 &&
        c.reason !== 'OOMKilled' &&
        c.exitCode !== 137 &&
        c.exitCode !== 127 &&
        c.exitCode !== 126 &&
        c.exitCode !== 128 &&
        c.reason !== 'ContainerStatusUnknown' &&
        c.reason !== 'StartError' &&
        c.reason !== 'ContainerCannotRun')
    ) {
      const cur = c.instances.at(-1);
      const ran = cur?.durationMs !== undefined ? ` after ${runLength(cur.durationMs)}` : '';
      const endedCur = initLooping ? last : cur;
      const exit = endedCur?.exitCode ?? c.exitCode;
      const ranFor = endedCur?.durationMs !== undefined ? ` after ${runLength(endedCur.durationMs)}` : ran;
      const ev = [
        ...logEvidence(endedCur),
        `${initLooping ? 'last termination' : 'state.terminated'}: ${endedCur?.reason ?? c.reason ?? 'no reason'}, exit ${exit} ${at(endedCur?.finishedAt ?? c.finishedAt)}`,
        `restartPolicy=${pod.restartPolicy}`,
        ...(c.restartCount > 0 ? [`restartCount=${c.restartCount}`] : []),
        ...(endedCur?.message ? [`termination message: ${endedCur.message.trim().split('\n').at(-1)}`] : []),
      ];
      if (c.type === 'init') {
        add({
          severity: 'error',
          container: name,
          title:
            pod.restartPolicy === 'Never'
              ? `init container failed with exit ${exit}${ranFor}; the containers after it do not start and the pod fails`
              : `init container fails with exit ${exit}${ranFor}; it is retried with back-off and the containers after it wait`,
          evidence: ev,
        });
      } else if (pod.restartPolicy !== 'Always' && !initLooping)
        add({
          severity: 'error',
          container: name,
          title: `the process failed with exit ${c.exitCode}${ran}; not restarted (restartPolicy ${pod.restartPolicy})`,
          evidence: ev,
        });
    }
    if (c.state === 'terminated' && c.reason === 'ContainerStatusUnknown') {
      add({
        severity: 'warning',
        container: name,
        title: 'the kubelet lost track of the container (ContainerStatusUnknown); its real exit is unknown',
        evidence: [`state.terminated.reason=ContainerStatusUnknown${c.message ? `: ${c.message}` : ''}`],
      });
    }
    // A container that ran > 10 min after restarts: the back-off has reset.
    if (c.state === 'running' && c.restartCount > 0 && c.startedAt !== undefined && now - c.startedAt > BACKOFF_RESET_MS) {
      add({
        severity: 'info',
        container: name,
        title: `running for ${runLength(now - c.startedAt)} since restart ${c.restartCount}: the crash-loop back-off has reset (after 10 minutes of running)`,
        evidence: [`state.running.startedAt ${at(c.startedAt)}`],
      });
    }
    const readinessEvents = eventsOf(pod, name, ['Unhealthy']).filter((e) => e.message.startsWith('Readiness probe'));
    const readiness = c.spec.probes.find((p) => p.kind === 'readiness');
    if (
      c.state === 'running' &&
      !c.ready &&
      c.started !== false &&
      c.type !== 'ephemeral' &&
      readinessEvents.length === 0 &&
      !pod.deletion
    ) {
      const since = pod.conditions.find((x) => x.type === 'ContainersReady' && x.status === 'False')?.lastTransitionTime;
      add({
        severity: 'warning',
        container: name,
        title: readiness
          ? `not ready: its readiness probe (${readiness.handler}) is not passing; the container is not restarted for it`
          : 'not ready while running, with no readiness probe: unknown why',
        evidence: [
          `ready=false, state running${c.startedAt !== undefined ? ` since ${clockTime(c.startedAt)}` : ''}`,
          ...(since !== undefined ? [`ContainersReady=False since ${clockTime(since)}`] : []),
          ...(readiness ? [`probe: ${describeProbe(readiness)}`] : []),
          'no Unhealthy events to say what the probe saw',
        ],
      });
    }
    if (c.state === 'running' && !c.ready && c.started === false) {
      const probe = c.spec.probes.find((p) => p.kind === 'startup');
      if (probe)
        add({
          severity: 'info',
          container: name,
          title: `waiting for the startup probe (${probe.handler})`,
          evidence: [`started=false`, `probe: ${describeProbe(probe)}`],
        });
    }
  }
  // Readiness gates: Ready=False although every container is ready.
  const readyCond = pod.conditions.find((c) => c.type === 'Ready');
  if (readyCond?.status === 'False' && readyCond.reason === 'ReadinessGatesNotReady') {
    add({
      severity: 'warning',
      container: undefined,
      title: `not ready: a readiness gate is not satisfied${readyCond.message ? ` (${readyCond.message})` : ''}`,
      evidence: [`condition Ready=False reason ReadinessGatesNotReady`, ...(readyCond.message ? [`message: ${readyCond.message}`] : [])],
    });
  }
  // Deletion in progress.
  if (pod.deletion && pod.current) {
    add({
      severity: 'info',
      container: undefined,
      title: `being deleted: SIGKILL deadline ${clockTime(pod.deletion.deadline)}${pod.deletion.gracePeriodSeconds !== undefined ? ` (grace period ${pod.deletion.gracePeriodSeconds}s)` : ''}`,
      evidence: [`metadata.deletionTimestamp=${new Date(pod.deletion.deadline).toISOString()}`],
    });
  }
  return out.sort((a, b) => RANK[a.severity] - RANK[b.severity]);
}
