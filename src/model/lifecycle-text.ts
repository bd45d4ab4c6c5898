// One line of English per lifecycle event, without the pod/container prefix: the text printer's
// event lines and the JSON "lifecycle" line's `text` field. Pure; the only place events become words.

import type { LifecycleEvent } from './lifecycle-event.ts';
import type { StateFacts } from './snapshot.ts';
import { signalName, terminationSignal } from './signals.ts';
import { clockTime, formatGoDuration, runLength } from './time.ts';

/** "Error, exit 1 after 2s", "OOMKilled, exit 137 (SIGKILL) after 5s", "Completed, exit 0". */
export function terminationText(f: StateFacts): string {
  const sig = terminationSignal(f.exitCode, f.signal);
  const parts = [f.reason ?? 'terminated'];
  if (f.exitCode !== undefined) parts.push(`exit ${f.exitCode}${sig !== undefined ? ` (${signalName(sig) ?? `signal ${sig}`})` : ''}`);
  else if (sig !== undefined) parts.push(signalName(sig) ?? `signal ${sig}`);
  let s = parts.join(', ');
  if (f.startedAt !== undefined && f.finishedAt !== undefined) s += ` after ${runLength(f.finishedAt - f.startedAt)}`;
  return s;
}

export function lifecycleText(e: LifecycleEvent): string {
  switch (e.kind) {
    case 'pod-seen':
      return `${e.asSaved ? 'as saved' : 'watching'}: STATUS ${e.status}, READY ${e.ready}, RESTARTS ${e.restarts}, phase ${e.phase ?? 'unknown'}`;
    case 'pod-created':
      return `created${e.owner ? ` by ${e.owner.kind}/${e.owner.name}` : ''}`;
    case 'new-life':
      return `new pod under the same name (life ${e.life}, uid ${e.podUid}); the previous life was uid ${e.previousUid}`;
    case 'scheduled':
      return `scheduled${e.node ? ` to ${e.node}` : ''}`;
    case 'phase':
      return `phase ${e.from ? `${e.from} -> ` : ''}${e.to}`;
    case 'condition': {
      const detail = [e.reason, e.message].filter(Boolean).join(': ');
      return `${e.conditionType}=${e.status}${detail ? ` (${detail})` : ''}`;
    }
    case 'status-reason':
      return `${e.reason ?? ''}${e.message ? `: ${e.message}` : ''}`;
    case 'deleting':
      return `deleting: grace period ${e.gracePeriodSeconds ?? '?'}s, ends ${e.deadline !== undefined ? clockTime(e.deadline) : 'at an unknown time'} (deletionTimestamp)`;
    case 'pod-replaced':
      return `replaced by ${e.replacement}: ${e.controller.kind} ${e.controller.name} created it after the ${e.cause === 'eviction' ? 'eviction' : 'deletion request'}`;
    case 'deleted':
      return e.whileDisconnected ? 'deleted while the watch was disconnected' : 'deleted';
    case 'container-waiting':
      // The crash-loop message repeats the back-off line that follows it.
      return `waiting: ${e.reason ?? 'no reason'}${e.message && e.reason !== 'CrashLoopBackOff' ? `: ${e.message}` : ''}`;
    case 'container-running': {
      const what = !e.current || e.attempt > 0 ? `running (instance ${e.attempt})` : 'running';
      // Reported well after the process started (a postStart hook ran in between): say when it started.
      return e.startedAt !== undefined && e.at - e.startedAt >= 2000 ? `${what}; the process started ${clockTime(e.startedAt)}` : what;
    }
    case 'container-terminated':
      return `terminated: ${terminationText(e.termination)}`;
    case 'container-unknown':
      return 'state unknown';
    case 'container-started':
      return 'started (startup probe passed or none)';
    case 'container-ready':
      return 'ready';
    case 'container-not-ready':
      return 'not ready';
    case 'container-restarted':
      return `restarted (restart ${e.restartCount})${e.missed > 0 ? `; ${e.missed} restart(s) in between were not observed` : ''}`;
    case 'backoff':
      return `back-off ${formatGoDuration(e.delaySeconds)}${e.lastFinishedAt !== undefined ? ` (next attempt at ${clockTime(e.lastFinishedAt + e.delaySeconds * 1000)})` : ''}`;
    case 'event': {
      const over =
        e.firstAt !== undefined && e.lastAt !== undefined && e.lastAt > e.firstAt
          ? ` over ${Math.round((e.lastAt - e.firstAt) / 1000)}s`
          : '';
      return `${e.eventType} ${e.reason ?? ''}: ${e.message}${e.count > 1 ? ` (x${e.count}${over})` : ''}`;
    }
    case 'history-unknown':
      return `history unknown from ${clockTime(e.from)} to ${clockTime(e.to)}`;
    case 'hook-started':
      return e.hook === 'postStart'
        ? `postStart hook running (inferred: started ${clockTime(e.since)}, not reported running yet): ${e.handler}`
        : `preStop hook running (inferred: event Killing ${clockTime(e.since)}; SIGTERM when it returns${e.graceDeadline !== undefined ? `, at ${clockTime(e.graceDeadline)} at the latest` : ''}): ${e.handler}`;
    case 'hook-finished': {
      const after = runLength(e.at - e.since);
      if (e.outcome === 'running') return `postStart hook finished after ${after} (inferred: the container is reported running)`;
      if (e.outcome === 'failed') return `postStart hook failed after ${after} (event FailedPostStartHook)`;
      return `postStart hook ended after ${after} (inferred: the container or the pod ended first)`;
    }
    case 'logs':
      return e.lines > 0
        ? `log tail of instance ${e.attempt} (${e.lines} line${e.lines === 1 ? '' : 's'})`
        : `no log lines for instance ${e.attempt}${e.note ? `: ${e.note}` : ''}`;
  }
}
