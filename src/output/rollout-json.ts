// The JSON lines of a rollout (`-o json` on a workload target): one "workload" line after each
// change of the workload's picture, beside the "pod" and "lifecycle" lines; and the "until" line
// that ends a `--until` watch. Stable; documented in the README next to the pod line. Unknown
// values are null, times are RFC 3339 strings.

import type { GroupView, UntilDecision } from '../model/index.ts';
import { eventJson, iso, n } from './json.ts';

/** The workload line, as of `observedAt` (the progress deadline's `exceeded` is decided then). Undefined for pod groups. */
export function toJsonWorkload(view: GroupView, observedAt: number): object | undefined {
  const r = view.rollout;
  if (!r || view.target.kind !== 'workload') return undefined;
  const d = r.progressDeadline;
  const newRef = r.revision.new;
  return {
    kind: 'workload',
    namespace: r.namespace,
    name: r.name,
    workloadKind: r.kind,
    revision: n(newRef?.revision),
    replicas: {
      desired: n(r.replicas.desired),
      updated: n(r.replicas.updated),
      ready: n(r.replicas.ready),
      available: n(r.replicas.available),
      unavailable: n(r.replicas.unavailable),
    },
    conditions: r.conditions.map((c) => ({
      type: c.type,
      status: c.status,
      reason: n(c.reason),
      message: n(c.message),
      lastUpdateTime: iso(c.lastUpdateTime),
      lastTransitionTime: iso(c.lastTransitionTime),
    })),
    progressDeadline:
      d && (d.at !== undefined || d.marked)
        ? { seconds: d.seconds, at: iso(d.at), exceeded: d.marked || (d.at !== undefined && d.at < observedAt) }
        : null,
    revisions: view.groups.map((g) => ({
      revision: n(g.revision),
      name: n(g.name),
      current: n(g.current),
      desired: n(g.desired),
      ready: n(g.ready),
      available: n(g.available),
      pods: g.pods.map((p) => p.name),
    })),
    verdict: { state: view.verdict.state, reason: view.verdict.reason, evidence: [...view.verdict.evidence] },
    events: view.events.map((e) => ({ object: `${e.involvedKind ?? '?'}/${e.involvedName ?? '?'}`, ...eventJson(e) })),
    findings: view.groups.flatMap((g) => g.findings),
    observedAt: iso(observedAt),
  };
}

/** The last line of a --until watch: what was decided and why. */
export function toJsonUntil(d: UntilDecision, target: string, observedAt: number): object {
  return {
    kind: 'until',
    target,
    until: d.until,
    outcome: d.outcome,
    reason: d.reason,
    evidence: [...d.evidence],
    pods: [...d.pods],
    observedAt: iso(observedAt),
  };
}
