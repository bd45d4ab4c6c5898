// Helpers shared by the rules: the events about a container, evidence sentences, the instances that
// ended, the last log line. Pure functions of the view-model.

import { describeProbe } from '../spec-describe.ts';
import { clockTime } from '../time.ts';
import type { ContainerView, EventView, HookView, InstanceView, ProbeView } from '../view.ts';
import type { DiagnosisInput } from './rule.ts';

export function at(t: number | undefined): string {
  return t === undefined ? 'at an unknown time' : `at ${clockTime(t)}`;
}

/** The pod's events with one of these reasons; about container `c` only when it is given. */
export function eventsOf(pod: DiagnosisInput, c: string | undefined, reasons: readonly string[]): EventView[] {
  return pod.events.filter((e) => (c === undefined || e.container === c) && reasons.includes(e.reason));
}

export function eventEvidence(e: EventView): string {
  return `event ${e.type} ${e.reason}${e.count > 1 ? ` x${e.count}` : ''} ${at(e.lastAt)}: ${e.message}`;
}

/** Instances that ended with a known exit code or reason, oldest first. */
export function endedInstances(c: ContainerView): InstanceView[] {
  return c.instances.filter((i) => !i.running && (i.exitCode !== undefined || i.reason !== undefined));
}

export function lastEnded(c: ContainerView): InstanceView | undefined {
  return endedInstances(c).at(-1);
}

/** The last non-blank line the instance wrote, if its log was captured. */
export function logEvidence(i: InstanceView | undefined): string[] {
  const line = i?.logTail?.filter((l) => l.trim() !== '').at(-1);
  return i && line ? [`last log line of instance ${i.attempt}: ${line.trim()}`] : [];
}

/** The last line of the instance's termination message (what it wrote to terminationMessagePath). */
export function terminationMessageEvidence(i: InstanceView | undefined): string[] {
  return i?.message ? [`termination message: ${i.message.trim().split('\n').at(-1)}`] : [];
}

export function probeOf(c: ContainerView, kind: ProbeView['kind']): ProbeView | undefined {
  return c.spec.probes.find((p) => p.kind === kind);
}

export function probeEvidence(p: ProbeView | undefined): string[] {
  return p ? [`probe: ${describeProbe(p)}`] : [];
}

export function hookOf(c: ContainerView, kind: HookView['kind']): HookView | undefined {
  return c.spec.hooks.find((h) => h.kind === kind);
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
