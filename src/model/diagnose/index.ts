// The diagnosis: evidence -> a short ranked list of findings. Each finding names the facts it rests
// on; nothing is guessed: where the evidence does not say why, the finding says "unknown".
//
// A table of rules, each a pure function of the pod's view-model (one file per family). Findings come
// in table order: pod rules where they stand, and each run of container rules container by container.
// Then a finding is dropped when a rule that fired for the same container (or the pod) suppresses its
// rule, a repeated title of the same container is kept once, and the list is ranked by severity.

import type { FindingView, Severity } from '../view.ts';
import { crashLoopExit, crashLoopExitZero, crashLoopUnknown, backoffReset } from './crash-loop.ts';
import { createContainerError, podSetupFailed, runContainerError } from './create.ts';
import { commandNotFound, startError } from './exit-codes.ts';
import { evicted, initFailed, podFailed, processFailed, statusUnknown } from './final-failure.ts';
import { postStartHookFailed, preStopHookFailed } from './hooks.ts';
import { imagePull } from './image.ts';
import { oomKilled } from './oom.ts';
import { livenessFailing, readinessFailing, startupFailing, startupPending, startupSlow } from './probes.ts';
import { notReady, readinessGate } from './readiness.ts';
import type { ContainerRule, DiagnoseContext, DiagnosisInput, Rule } from './rule.ts';
import { activeDeadline, deadlineKill, kubeletStopped, podStopped, preStopOutlivedGrace, sidecarStopped } from './termination.ts';
import { schedulingGated, unschedulable } from './scheduling.ts';
import {
  beingDeleted,
  deletionKill,
  evictionKill,
  gracePeriodKill,
  livenessKill,
  postStartKill,
  sigkillUnknown,
  startupKill,
} from './sigkill.ts';

export type { ContainerRule, DiagnoseContext, DiagnosisInput, Family, PodRule, Rule } from './rule.ts';

export const RULES: readonly Rule[] = [
  // The pod first.
  evicted,
  activeDeadline,
  podStopped,
  podFailed,
  unschedulable,
  schedulingGated,
  podSetupFailed,
  // Then each container: creation, image, hooks,
  createContainerError,
  runContainerError,
  imagePull,
  postStartHookFailed,
  preStopHookFailed,
  // terminations,
  oomKilled,
  commandNotFound,
  startError,
  deadlineKill,
  preStopOutlivedGrace,
  livenessKill,
  startupKill,
  gracePeriodKill,
  evictionKill,
  deletionKill,
  postStartKill,
  sidecarStopped,
  kubeletStopped,
  sigkillUnknown,
  // probes that fail without a kill,
  livenessFailing,
  readinessFailing,
  startupSlow,
  startupFailing,
  // what the instances did together, and final failures,
  crashLoopExitZero,
  crashLoopExit,
  crashLoopUnknown,
  initFailed,
  processFailed,
  statusUnknown,
  backoffReset,
  // readiness.
  notReady,
  startupPending,
  // The pod again.
  readinessGate,
  beingDeleted,
];

const RANK: Readonly<Record<Severity, number>> = { error: 0, warning: 1, info: 2 };

export interface RuleFinding {
  readonly rule: string;
  readonly finding: FindingView;
}

/** Every finding with the id of the rule that made it, before suppression, in table order. */
function fire(pod: DiagnosisInput, ctx: DiagnoseContext, rules: readonly Rule[]): RuleFinding[] {
  const out: RuleFinding[] = [];
  for (let k = 0; k < rules.length;) {
    const rule = rules[k]!;
    if (rule.scope === 'pod') {
      const r = rule.run(pod, ctx);
      for (const finding of r === undefined ? [] : Array.isArray(r) ? r : [r]) out.push({ rule: rule.id, finding });
      k++;
      continue;
    }
    let end = k;
    while (rules[end]?.scope === 'container') end++;
    const block = rules.slice(k, end).filter((r): r is ContainerRule => r.scope === 'container');
    for (const c of pod.containers) {
      const mine: { rule: string; order: number | undefined; finding: FindingView }[] = [];
      for (const r of block) {
        const finding = r.run(pod, c, ctx);
        if (finding) mine.push({ rule: r.id, order: r.order?.(c), finding });
      }
      // Findings of ordered rules trade places among themselves by their key.
      const slots = mine.flatMap((m, i) => (m.order === undefined ? [] : [i]));
      const ordered = slots.map((i) => mine[i]!).sort((a, b) => a.order! - b.order!);
      slots.forEach((slot, n) => (mine[slot] = ordered[n]!));
      for (const m of mine) out.push({ rule: m.rule, finding: m.finding });
    }
    k = end;
  }
  return out;
}

/** The findings with the rule behind each, ranked: what `diagnose` returns, for tests and future views. */
export function diagnoseWithRules(pod: DiagnosisInput, now: number, rules: readonly Rule[] = RULES): RuleFinding[] {
  const fired = fire(pod, { now }, rules);
  const suppressesOf = new Map(rules.map((r) => [r.id, r.suppresses ?? []]));
  const suppressed = (f: RuleFinding): boolean =>
    fired.some((s) => s.finding.container === f.finding.container && suppressesOf.get(s.rule)!.includes(f.rule));
  const kept: RuleFinding[] = [];
  for (const f of fired) {
    if (suppressed(f)) continue;
    if (kept.some((x) => x.finding.title === f.finding.title && x.finding.container === f.finding.container)) continue;
    kept.push(f);
  }
  return kept.sort((a, b) => RANK[a.finding.severity] - RANK[b.finding.severity]);
}

export function diagnose(pod: DiagnosisInput, now: number): FindingView[] {
  return diagnoseWithRules(pod, now).map((f) => f.finding);
}
