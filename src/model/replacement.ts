// A pod that its controller replaces under a new name: the one rule, used by the reducer (which says
// "replaced by X" and links the two pods) and by the live source of a single pod (which uses it to
// find the replacement it should watch next). Pure.
//
// A pod departs when it stops counting for its controller: its deletion was requested
// (deletionTimestamp), it was deleted without that being seen, or it was evicted (status.reason
// Evicted, or a DisruptionTarget condition). Its controller (the ownerReference with controller:
// true) then creates a pod from the same template: same controller uid, created at or after the
// departure. A StatefulSet keeps the name (that is a new life of the same name, not a replacement);
// a Job pod that failed on its own and is retried is not a departure here.

import type { ModelState } from './reduce/state.ts';
import { podKey, type PodSnapshot } from './snapshot.ts';
import { deletionRequestedAt } from './termination.ts';

export interface ControllerRef {
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
}

export interface Departure {
  readonly podUid: string;
  readonly namespace: string;
  readonly name: string;
  readonly controller: ControllerRef;
  /** When the pod stopped counting for its controller: replacements are created from then on. */
  readonly since: number;
  /** `since` is a server timestamp (second precision), not the time this session saw it happen. */
  readonly sinceFromServer: boolean;
  readonly cause: 'deletion' | 'eviction';
}

/** A controller creates the replacement within this time of the departure (a quota, a Job's back-off, a long grace period delay it). */
export const REPLACEMENT_WINDOW_MS = 10 * 60_000;

/** Controllers that give the replacement the old pod's name. */
const KEEPS_NAME: ReadonlySet<string> = new Set(['StatefulSet']);

/** Labels that differ between the pods of one controller. */
const PER_POD_LABELS: ReadonlySet<string> = new Set([
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'batch.kubernetes.io/job-completion-index',
]);

export function controllerOf(p: PodSnapshot): ControllerRef | undefined {
  if (!p.ownerIsController || !p.owner || !p.ownerUid) return undefined;
  return { kind: p.owner.kind, name: p.owner.name, uid: p.ownerUid };
}

/** Evicted: by the kubelet (status.reason Evicted, phase Failed) or through the eviction API / a taint (DisruptionTarget). */
function evicted(p: PodSnapshot): number | 'yes' | undefined {
  const dt = p.conditions.find((c) => c.type === 'DisruptionTarget' && c.status === 'True');
  if (dt) return dt.lastTransitionTime ?? 'yes';
  return p.reason === 'Evicted' ? 'yes' : undefined;
}

/**
 * The pod's departure, if it departed and its controller replaces pods under new names.
 * `deletionRequest`: the deletion as first seen (the kubelet later shrinks the grace period to 0,
 * which moves deletionTimestamp); `deletedAt`: when a deletion was seen without a deletionTimestamp
 * before it; `seenAt`: when this snapshot was observed (the departure time when the object gives none).
 */
export function departureOf(
  p: PodSnapshot,
  o: {
    readonly deletionRequest?: { readonly deadline: number; readonly gracePeriodSeconds: number | undefined } | undefined;
    readonly deletedAt?: number | undefined;
    readonly seenAt: number;
  },
): Departure | undefined {
  const controller = controllerOf(p);
  if (!controller || KEEPS_NAME.has(controller.kind)) return undefined;
  const base = { podUid: p.uid, namespace: p.namespace, name: p.name, controller };
  const ev = evicted(p);
  const cause = ev !== undefined ? ('eviction' as const) : ('deletion' as const);
  const request =
    o.deletionRequest ??
    (p.deletion?.deadline !== undefined ? { deadline: p.deletion.deadline, gracePeriodSeconds: p.deletion.gracePeriodSeconds } : undefined);
  if (request) {
    const at = deletionRequestedAt(request, undefined);
    if (at !== undefined) return { ...base, since: typeof ev === 'number' ? Math.min(ev, at) : at, sinceFromServer: true, cause };
  }
  if (typeof ev === 'number') return { ...base, since: ev, sinceFromServer: true, cause };
  if (ev === 'yes' && p.phase === 'Failed') return { ...base, since: o.seenAt, sinceFromServer: false, cause };
  if (o.deletedAt !== undefined) return { ...base, since: o.deletedAt, sinceFromServer: false, cause };
  return undefined;
}

/**
 * Is `c` a replacement of the departed pod: another pod of the same controller, created at or
 * after the departure (creationTimestamp has second precision; a departure this session timed by
 * its own clock gets two seconds of slack), within REPLACEMENT_WINDOW_MS. Siblings that existed
 * before the departure are not.
 */
export function isReplacement(d: Departure, c: PodSnapshot): boolean {
  if (c.uid === d.podUid || c.namespace !== d.namespace || c.name === d.name) return false;
  if (controllerOf(c)?.uid !== d.controller.uid || c.createdAt === undefined) return false;
  const from = d.sinceFromServer ? Math.floor(d.since / 1000) * 1000 : d.since - 2000;
  return c.createdAt >= from && c.createdAt <= d.since + REPLACEMENT_WINDOW_MS;
}

/**
 * A label selector that finds the pods of the departed pod's controller (the uid still has to be
 * compared): a ReplicaSet's pod-template-hash, a Job's controller-uid, else every label of the pod
 * but the ones that differ per pod. Empty when the pod has none (every pod of the namespace).
 */
export function replacementSelector(p: PodSnapshot): string {
  const l = p.labels;
  for (const key of ['pod-template-hash', 'batch.kubernetes.io/controller-uid', 'controller-uid']) {
    const v = l[key];
    if (v !== undefined) return `${key}=${v}`;
  }
  return Object.entries(l)
    .filter(([k]) => !PER_POD_LABELS.has(k))
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join(',');
}

/**
 * The pod that stands for a pod named by the user now: its newest life under that name, or, once
 * a controller replaced that life under a new name, the replacement (and its replacement in turn).
 */
export function followedPod(state: ModelState, namespace: string, name: string): string {
  const lives = state.lives.get(podKey(namespace, name));
  let rec = lives?.length ? state.pods.get(lives[lives.length - 1]!) : undefined;
  for (let i = 0; rec?.replacement && i < 100; i++) {
    const next = state.pods.get(rec.replacement.uid);
    if (!next) break;
    // A newer life under the replacement's name, if any.
    const nextLives = state.lives.get(podKey(next.namespace, next.name));
    rec = nextLives?.length ? (state.pods.get(nextLives[nextLives.length - 1]!) ?? next) : next;
  }
  return rec?.name ?? name;
}
