// Readers of the wire objects: the only place that knows where a fact lives inside a Pod or an
// Event. Everything else in the model works on the small values returned here.

import type { ContainerJson, ContainerStateJson, ContainerStatusJson, EventJson, PodJson } from './kube-json.ts';
import type { ContainerStateName, ContainerType } from './view.ts';
import { parseTime } from './time.ts';

export interface ContainerEntry {
  readonly name: string;
  readonly type: ContainerType;
  readonly spec: ContainerJson | undefined;
  readonly status: ContainerStatusJson | undefined;
}

/** Containers in lifecycle order: init containers (sidecars among them, in spec order), regular, ephemeral. */
export function containerEntries(pod: PodJson): ContainerEntry[] {
  const out: ContainerEntry[] = [];
  const add = (
    specs: readonly ContainerJson[] | null | undefined,
    statuses: readonly ContainerStatusJson[] | null | undefined,
    kind: 'init' | 'regular' | 'ephemeral',
  ): void => {
    const byName = new Map((statuses ?? []).map((s) => [s.name, s] as const));
    const seen = new Set<string>();
    for (const spec of specs ?? []) {
      seen.add(spec.name);
      const type: ContainerType = kind === 'init' && spec.restartPolicy === 'Always' ? 'sidecar' : kind;
      out.push({ name: spec.name, type, spec, status: byName.get(spec.name) });
    }
    // A status without a spec (a partial object): keep it rather than drop facts.
    for (const s of statuses ?? []) if (!seen.has(s.name)) out.push({ name: s.name, type: kind, spec: undefined, status: s });
  };
  add(pod.spec?.initContainers, pod.status?.initContainerStatuses, 'init');
  add(pod.spec?.containers, pod.status?.containerStatuses, 'regular');
  add(pod.spec?.ephemeralContainers, pod.status?.ephemeralContainerStatuses, 'ephemeral');
  return out;
}

export interface StateFacts {
  readonly state: ContainerStateName;
  readonly reason: string | undefined;
  readonly message: string | undefined;
  readonly startedAt: number | undefined;
  readonly finishedAt: number | undefined;
  readonly exitCode: number | undefined;
  readonly signal: number | undefined;
  readonly containerID: string | undefined;
}

export function stateFacts(s: ContainerStateJson | null | undefined): StateFacts | undefined {
  if (!s) return undefined;
  if (s.terminated) {
    const t = s.terminated;
    return {
      state: 'terminated',
      reason: t.reason || undefined,
      message: t.message || undefined,
      startedAt: parseTime(t.startedAt),
      finishedAt: parseTime(t.finishedAt),
      exitCode: t.exitCode,
      signal: t.signal || undefined,
      containerID: t.containerID || undefined,
    };
  }
  if (s.running) {
    return {
      state: 'running',
      reason: undefined,
      message: undefined,
      startedAt: parseTime(s.running.startedAt),
      finishedAt: undefined,
      exitCode: undefined,
      signal: undefined,
      containerID: undefined,
    };
  }
  if (s.waiting) {
    return {
      state: 'waiting',
      reason: s.waiting.reason || undefined,
      message: s.waiting.message || undefined,
      startedAt: undefined,
      finishedAt: undefined,
      exitCode: undefined,
      signal: undefined,
      containerID: undefined,
    };
  }
  return undefined;
}

export function podKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export function podIdentity(pod: PodJson): { uid: string; namespace: string; name: string } {
  const namespace = pod.metadata.namespace ?? 'default';
  const name = pod.metadata.name ?? '';
  // Objects saved without a uid (hand-written manifests) get a stable stand-in.
  const uid = pod.metadata.uid || `nouid:${namespace}/${name}`;
  return { uid, namespace, name };
}

export function ownerOf(pod: PodJson): { kind: string; name: string } | undefined {
  const refs = pod.metadata.ownerReferences ?? [];
  const ref = refs.find((r) => r.controller) ?? refs[0];
  return ref?.kind && ref.name ? { kind: ref.kind, name: ref.name } : undefined;
}

export interface EventFacts {
  readonly key: string;
  readonly namespace: string;
  readonly podName: string | undefined;
  readonly podUid: string | undefined;
  readonly type: string;
  readonly reason: string;
  readonly message: string;
  readonly count: number;
  readonly firstAt: number | undefined;
  readonly lastAt: number | undefined;
  readonly container: string | undefined;
  readonly source: string | undefined;
}

/** Events carry their time in eventTime (new API) or first/lastTimestamp (old), folded by count or series. */
export function eventFacts(e: EventJson): EventFacts {
  const first = parseTime(e.firstTimestamp) ?? parseTime(e.eventTime) ?? parseTime(e.metadata.creationTimestamp);
  const last = parseTime(e.series?.lastObservedTime) ?? parseTime(e.lastTimestamp) ?? parseTime(e.eventTime) ?? first;
  const count = e.series?.count ?? e.count ?? 1;
  const namespace = e.involvedObject?.namespace ?? e.metadata.namespace ?? 'default';
  return {
    key: e.metadata.uid || `${namespace}/${e.metadata.name ?? `${e.reason}/${e.involvedObject?.fieldPath ?? ''}/${e.message}`}`,
    namespace,
    podName: e.involvedObject?.kind === 'Pod' || e.involvedObject?.kind === undefined ? e.involvedObject?.name : undefined,
    podUid: e.involvedObject?.uid || undefined,
    type: e.type || 'Normal',
    reason: e.reason ?? '',
    message: (e.message ?? '').trim(),
    count: Math.max(1, count),
    firstAt: first,
    lastAt: last === undefined || first === undefined ? (last ?? first) : Math.max(first, last),
    container: containerOfFieldPath(e.involvedObject?.fieldPath),
    source: e.source?.component || e.reportingComponent || undefined,
  };
}

/** "spec.containers{app}", "spec.initContainers{init}", "spec.ephemeralContainers{dbg}" -> the name. */
export function containerOfFieldPath(fieldPath: string | undefined): string | undefined {
  const m = /^spec\.(?:initContainers|containers|ephemeralContainers)\{([^}]+)\}/.exec(fieldPath ?? '');
  return m?.[1];
}
