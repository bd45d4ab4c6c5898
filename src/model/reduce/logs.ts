// Folds log tails into the instance they belong to (by containerID, else the last ended instance
// for a previous log, the current one otherwise).

import { NEVER_STARTED, neverStarted } from '../causes.ts';
import type { Observation } from '../observation.ts';
import type { Draft } from './state.ts';

export function onLogs(d: Draft, o: Extract<Observation, { kind: 'logs' }>): void {
  const pod = d.podMap.get(o.podUid);
  const c = pod?.containers.get(o.container);
  if (!pod || !c) return;
  const instances = [...c.instances];
  let i = o.containerID !== undefined ? instances.findIndex((x) => x.containerID === o.containerID) : -1;
  if (i < 0) {
    if (o.previous) {
      for (let j = instances.length - 1; j >= 0; j--)
        if (!instances[j]!.running) {
          i = j;
          break;
        }
    } else i = instances.length - 1;
  }
  const inst = instances[i];
  if (!inst) return;
  if (inst.logTail && inst.logTail.length === o.lines.length && inst.logTail.every((l, k) => l === o.lines[k])) return;
  // A process the runtime could not start wrote nothing: that, not what the log request found, is the note.
  const note = o.lines.length === 0 && neverStarted(inst) ? NEVER_STARTED : o.note;
  instances[i] = { ...inst, logTail: o.lines, logNote: note };
  const containers = new Map(pod.containers);
  containers.set(c.name, { ...c, instances });
  d.setPod({ ...pod, containers });
  d.emit([
    {
      at: o.observedAt,
      observedAt: o.observedAt,
      reconstructed: false,
      podUid: pod.uid,
      namespace: pod.namespace,
      pod: pod.name,
      container: c.name,
      severity: 'info',
      reason: undefined,
      containerID: inst.containerID,
      exitCode: undefined,
      kind: 'logs',
      attempt: inst.attempt,
      lines: o.lines.length,
      note,
    },
  ]);
}
