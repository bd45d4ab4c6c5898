// The rollout model: a workload, its revisions (ReplicaSets, ControllerRevisions, Jobs), the owner-
// side events and summaries of its pods -> a RolloutView: revision old -> new, replicas, budgets,
// conditions, the progress deadline, pods grouped by revision, and a verdict with its evidence;
// plus the decision of `--until` (reached, failed as soon as the rollout cannot succeed on its own,
// or still waiting). Pure and deterministic: no I/O, time comes in as `now`. Strings that depend on
// `now` ("in 23s", "12s ago") are made by the format functions at the end, at render time.
//
// "complete" is what `kubectl rollout status` calls done, for the kinds it has a status viewer for
// (Deployment, StatefulSet, DaemonSet): see kubectlRolloutStatus below, a line-by-line port of
// k8s.io/kubectl@v0.34.4 pkg/polymorphichelpers/rollout_status.go. kubectl has none for
// ReplicaSets, Jobs and CronJobs; their rules are ours and are written out at verdictFor().

import { FAILING_WAIT_REASONS } from './types.ts';
import {
  conditionOf,
  intOrPercentText,
  isControlledBy,
  type WorkloadCondition,
  type WorkloadEvent,
  type WorkloadKind,
  type WorkloadSnapshot,
} from './workload.ts';

// ---- inputs ----------------------------------------------------------------------------------

export interface RolloutContainer {
  readonly name: string;
  readonly type: 'init' | 'sidecar' | 'regular';
  readonly ready: boolean;
  readonly restartCount: number;
  readonly state: 'waiting' | 'running' | 'terminated' | 'unknown';
  /** waiting.reason and waiting.message (terminated.reason / message when terminated). */
  readonly reason: string | undefined;
  readonly message: string | undefined;
  /** The last termination: the current state when terminated, else lastState.terminated. */
  readonly lastExitCode: number | undefined;
  readonly lastTerminationReason: string | undefined;
  /** The crash-loop back-off the kubelet stated in the waiting message, in seconds (backoff.ts parseBackoffDelay). */
  readonly backOffSeconds: number | undefined;
}

/** What the rollout needs to know of one pod; filled by the integrator from the pod model. */
export interface RolloutPod {
  readonly name: string;
  readonly uid: string;
  /** The pod's controller ownerReference: a ReplicaSet for a Deployment's pods, the Job for a Job's or a CronJob's. */
  readonly owner: { readonly kind: string; readonly name: string; readonly uid: string | undefined } | undefined;
  /** Its pod-template-hash label (Deployment / ReplicaSet pods) or controller-revision-hash label (StatefulSet / DaemonSet pods). */
  readonly revisionKey: string | undefined;
  readonly createdAt: number | undefined;
  readonly node: string | undefined;
  readonly phase: string | undefined;
  /** kubectl's STATUS, READY and RESTARTS columns, exactly as kubectl prints them (pod-status.ts). */
  readonly status: string;
  readonly ready: string;
  readonly restarts: number;
  readonly lastRestartAt: number | undefined;
  /** The pod's Ready condition is True. */
  readonly isReady: boolean;
  /** metadata.deletionTimestamp is set: the pod is terminating. */
  readonly deleting: boolean;
  /** The deletionTimestamp: the SIGKILL deadline. */
  readonly deletionAt: number | undefined;
  /** PodScheduled=False with reason Unschedulable: the scheduler's message and since when. */
  readonly unschedulable: { readonly message: string; readonly since: number | undefined } | undefined;
  readonly nominatedNode: string | undefined;
  readonly restartPolicy: string | undefined;
  readonly containers: readonly RolloutContainer[];
  /** Titles of the pod's findings (its diagnosis), most severe first. */
  readonly findings: readonly string[];
}

export interface RolloutInput {
  /** Which workload is watched: known even before it was seen or after it is gone. */
  readonly target: { readonly kind: WorkloadKind; readonly namespace: string; readonly name: string };
  /** The workload as last seen; undefined when it does not exist (deleted, or not seen yet). */
  readonly workload: WorkloadSnapshot | undefined;
  /** Its ReplicaSets (Deployment), ControllerRevisions (StatefulSet, DaemonSet) or Jobs (CronJob); others are ignored. */
  readonly children: readonly WorkloadSnapshot[];
  /** Events about the workload and its children (others are ignored). */
  readonly events: readonly WorkloadEvent[];
  /** Its pods that exist now, terminating ones included. */
  readonly pods: readonly RolloutPod[];
  readonly now: number;
}

export interface RolloutOptions {
  /** A new pod's container that restarted this many times and is not ready blocks the rollout (--fail-restarts, default 2). */
  readonly failRestarts: number;
}

export const DEFAULT_FAIL_RESTARTS = 2;

// ---- outputs ---------------------------------------------------------------------------------

export type VerdictState = 'progressing' | 'complete' | 'failed' | 'stuck' | 'paused';

export type BlockerRule =
  'crash-loop' | 'image-pull' | 'unschedulable' | 'config-error' | 'failed-create' | 'progress-deadline' | 'job-failed' | 'deleted';

/** One reason the rollout cannot succeed on its own. */
export interface Blocker {
  readonly rule: BlockerRule;
  /** "pod shop-7b6f77bdbf-vnj7p CrashLoopBackOff (exit 3, 2 restarts, back-off 20s)". */
  readonly text: string;
  readonly pod: string | undefined;
}

export interface Verdict {
  readonly state: VerdictState;
  /** One line without now-dependent words: "new revision 2 cannot become available". */
  readonly reason: string;
  /** The facts behind it, each naming where it comes from. */
  readonly evidence: readonly string[];
  /** What stops the rollout (empty unless stuck or failed); the first one leads the verdict line. */
  readonly blockers: readonly Blocker[];
  /** Pods whose diagnosis and log tails belong beside the verdict (the failing new pods). */
  readonly pods: readonly string[];
}

export interface BudgetView {
  /** The written values ("1", "25%") and what the controller resolves them to. */
  readonly maxSurgeText: string | undefined;
  readonly maxUnavailableText: string | undefined;
  readonly maxSurge: number | undefined;
  readonly maxUnavailable: number | undefined;
  /** Deployment: desired + maxSurge; undefined where it does not apply or is unknown. */
  readonly maxPods: number | undefined;
  /** Deployment: desired - maxUnavailable. */
  readonly minAvailable: number | undefined;
  /** "maxSurge 1 -> at most 4 pods; maxUnavailable 0 -> at least 3 available". */
  readonly text: string;
}

export interface ProgressDeadlineView {
  readonly seconds: number;
  /**
   * While counting: the Progressing condition's lastUpdateTime + seconds. Once the controller marked
   * it (reason ProgressDeadlineExceeded): when it did. undefined when nothing counts (complete,
   * paused, no Progressing condition yet).
   */
  readonly at: number | undefined;
  readonly exceeded: boolean;
  /** The controller's condition says so (Progressing=False, ProgressDeadlineExceeded); false when only the clock does. */
  readonly marked: boolean;
}

export interface RevisionRef {
  readonly revision: number | undefined;
  readonly name: string | undefined;
}

export type PodHealth = 'failing' | 'changing' | 'healthy';

export interface RevisionGroup {
  /** The ReplicaSet / Job uid, the ControllerRevision name, or 'unknown' for pods of no known revision. */
  readonly key: string;
  readonly revision: number | undefined;
  /** ReplicaSet, ControllerRevision or Job name. */
  readonly name: string | undefined;
  readonly role: 'new' | 'old' | 'unknown';
  /** kubectl get rs columns (ReplicaSets); a Job's: desired = completions, current = active, ready, available = succeeded. */
  readonly desired: number | undefined;
  readonly current: number | undefined;
  readonly ready: number | undefined;
  readonly available: number | undefined;
  readonly images: readonly { readonly container: string; readonly image: string }[];
  /** Failing first, then changing, then healthy; by name within each. */
  readonly pods: readonly RolloutPod[];
  /** Pods by kubectl STATUS, most first: [{status: 'Running', count: 2}, ...]. */
  readonly counts: readonly { readonly status: string; readonly count: number }[];
  /** "2 Running, 1 CrashLoopBackOff"; "no pods". */
  readonly countsText: string;
  /** The pods' findings aggregated: "3 of 3 new pods: OOMKilled at the 64Mi limit". */
  readonly findings: readonly string[];
}

/** The port of kubectl rollout status: its message (as printed, without the newline) and whether it is done. */
export interface KubectlRolloutStatus {
  readonly message: string;
  readonly done: boolean;
  /** kubectl's error (it then exits 1): "deployment \"shop\" exceeded its progress deadline". */
  readonly error: string | undefined;
}

export interface RolloutView {
  readonly kind: WorkloadKind;
  readonly namespace: string;
  readonly name: string;
  readonly exists: boolean;
  readonly deleting: boolean;
  readonly revision: { readonly old: RevisionRef | undefined; readonly new: RevisionRef | undefined; readonly text: string };
  readonly replicas: {
    readonly desired: number | undefined;
    readonly current: number | undefined;
    readonly updated: number | undefined;
    readonly ready: number | undefined;
    readonly available: number | undefined;
    readonly unavailable: number | undefined;
  };
  readonly budget: BudgetView | undefined;
  /** StatefulSet: the rolling update's partition (see WorkloadStrategy.partition). */
  readonly partition: number | undefined;
  /** The controller has observed the latest spec (status.observedGeneration >= metadata.generation). */
  readonly observed: boolean;
  readonly paused: boolean;
  readonly conditions: readonly WorkloadCondition[];
  readonly progressDeadline: ProgressDeadlineView | undefined;
  /** New revision first, then older ones that still have pods, then pods of no known revision. */
  readonly revisions: readonly RevisionGroup[];
  readonly kubectlStatus: KubectlRolloutStatus | undefined;
  readonly verdict: Verdict;
  /** Events about the workload and its children, oldest first. */
  readonly events: readonly WorkloadEvent[];
}

// ---- kubectl rollout status ------------------------------------------------------------------

/**
 * `kubectl rollout status --watch=false`, ported line by line from k8s.io/kubectl@v0.34.4
 * pkg/polymorphichelpers/rollout_status.go (DeploymentStatusViewer, DaemonSetStatusViewer,
 * StatefulSetStatusViewer; the --revision check is left out). Missing numbers read 0 as Go's zero
 * values do. undefined for kinds kubectl has no status viewer for (ReplicaSet, Job, CronJob: it
 * answers "no status viewer has been implemented").
 */
export function kubectlRolloutStatus(w: WorkloadSnapshot): KubectlRolloutStatus | undefined {
  const z = (n: number | undefined): number => n ?? 0;
  const generation = z(w.generation);
  const observed = z(w.observedGeneration);
  const r = w.replicas;
  const waiting = (message: string): KubectlRolloutStatus => ({ message, done: false, error: undefined });
  switch (w.kind) {
    case 'Deployment': {
      if (generation <= observed) {
        const cond = conditionOf(w, 'Progressing');
        if (cond?.reason === 'ProgressDeadlineExceeded') {
          return { message: '', done: false, error: `deployment "${w.name}" exceeded its progress deadline` };
        }
        if (r.desired !== undefined && z(r.updated) < r.desired) {
          return waiting(
            `Waiting for deployment "${w.name}" rollout to finish: ${z(r.updated)} out of ${r.desired} new replicas have been updated...`,
          );
        }
        if (z(r.current) > z(r.updated)) {
          return waiting(
            `Waiting for deployment "${w.name}" rollout to finish: ${z(r.current) - z(r.updated)} old replicas are pending termination...`,
          );
        }
        if (z(r.available) < z(r.updated)) {
          return waiting(
            `Waiting for deployment "${w.name}" rollout to finish: ${z(r.available)} of ${z(r.updated)} updated replicas are available...`,
          );
        }
        return { message: `deployment "${w.name}" successfully rolled out`, done: true, error: undefined };
      }
      return waiting('Waiting for deployment spec update to be observed...');
    }
    case 'DaemonSet': {
      if (w.strategy?.type !== 'RollingUpdate') {
        return { message: '', done: true, error: 'rollout status is only available for RollingUpdate strategy type' };
      }
      if (generation <= observed) {
        if (z(r.updated) < z(r.desired)) {
          return waiting(
            `Waiting for daemon set "${w.name}" rollout to finish: ${z(r.updated)} out of ${z(r.desired)} new pods have been updated...`,
          );
        }
        if (z(r.available) < z(r.desired)) {
          return waiting(
            `Waiting for daemon set "${w.name}" rollout to finish: ${z(r.available)} of ${z(r.desired)} updated pods are available...`,
          );
        }
        return { message: `daemon set "${w.name}" successfully rolled out`, done: true, error: undefined };
      }
      return waiting('Waiting for daemon set spec update to be observed...');
    }
    case 'StatefulSet': {
      if (w.strategy?.type !== 'RollingUpdate') {
        return { message: '', done: true, error: 'rollout status is only available for RollingUpdate strategy type' };
      }
      if (observed === 0 || generation > observed) return waiting('Waiting for statefulset spec update to be observed...');
      if (r.desired !== undefined && z(r.ready) < r.desired) return waiting(`Waiting for ${r.desired - z(r.ready)} pods to be ready...`);
      const partition = w.strategy.partition;
      if (partition !== undefined) {
        if (r.desired !== undefined && z(r.updated) < r.desired - partition) {
          return waiting(
            `Waiting for partitioned roll out to finish: ${z(r.updated)} out of ${r.desired - partition} new pods have been updated...`,
          );
        }
        return { message: `partitioned roll out complete: ${z(r.updated)} new pods have been updated...`, done: true, error: undefined };
      }
      if ((w.updateRevision ?? '') !== (w.currentRevision ?? '')) {
        return waiting(`waiting for statefulset rolling update to complete ${z(r.updated)} pods at revision ${w.updateRevision ?? ''}...`);
      }
      return {
        message: `statefulset rolling update complete ${z(r.atCurrentRevision)} pods at revision ${w.currentRevision ?? ''}...`,
        done: true,
        error: undefined,
      };
    }
    default:
      return undefined;
  }
}

// ---- budgets and the progress deadline -------------------------------------------------------

export function budgetOf(w: WorkloadSnapshot): BudgetView | undefined {
  const s = w.strategy;
  const desired = w.replicas.desired;
  const surgeText = s?.maxSurge === undefined ? undefined : intOrPercentText(s.maxSurge);
  const unavailText = s?.maxUnavailable === undefined ? undefined : intOrPercentText(s.maxUnavailable);
  // "25% (1)": the resolved count beside a percentage; "1" alone when written as a number.
  const shown = (text: string | undefined, n: number | undefined): string =>
    text === undefined
      ? String(n ?? 'unknown')
      : text.endsWith('%')
        ? `${text} (${n ?? 'unknown'})`
        : n === undefined
          ? `${text} (invalid)`
          : String(n);
  const base = {
    maxSurgeText: surgeText,
    maxUnavailableText: unavailText,
    maxSurge: s?.resolvedMaxSurge,
    maxUnavailable: s?.resolvedMaxUnavailable,
    maxPods: undefined,
    minAvailable: undefined,
  };
  switch (w.kind) {
    case 'Deployment': {
      if (!s) return undefined;
      if (s.type !== 'RollingUpdate') return { ...base, text: `${s.type}: every old pod stops before the new ones start` };
      const maxPods = desired !== undefined && s.resolvedMaxSurge !== undefined ? desired + s.resolvedMaxSurge : undefined;
      const minAvailable = desired !== undefined && s.resolvedMaxUnavailable !== undefined ? desired - s.resolvedMaxUnavailable : undefined;
      return {
        ...base,
        maxPods,
        minAvailable,
        text:
          `maxSurge ${shown(surgeText, s.resolvedMaxSurge)}${maxPods === undefined ? '' : ` -> at most ${maxPods} pods`}; ` +
          `maxUnavailable ${shown(unavailText, s.resolvedMaxUnavailable)}${minAvailable === undefined ? '' : ` -> at least ${minAvailable} available`}`,
      };
    }
    case 'StatefulSet': {
      if (!s) return undefined;
      if (s.type !== 'RollingUpdate') return { ...base, text: `${s.type}: pods move to the new revision only when deleted` };
      const pace =
        s.maxUnavailable === undefined
          ? `one pod at a time (${s.podManagementPolicy ?? 'OrderedReady'})`
          : `maxUnavailable ${shown(unavailText, s.resolvedMaxUnavailable)} (${s.podManagementPolicy ?? 'OrderedReady'})`;
      const part =
        s.partition === undefined
          ? ''
          : s.partition > 0 && desired !== undefined
            ? `; partition ${s.partition} -> ordinals ${s.partition}..${desired - 1} are updated`
            : `; partition ${s.partition}`;
      return { ...base, text: `${pace}${part}` };
    }
    case 'DaemonSet': {
      if (!s) return undefined;
      if (s.type !== 'RollingUpdate') return { ...base, text: `${s.type}: pods move to the new revision only when deleted` };
      const nodes = desired === undefined ? '' : ` of ${desired}`;
      return {
        ...base,
        text:
          `maxSurge ${shown(surgeText, s.resolvedMaxSurge)}; maxUnavailable ${shown(unavailText, s.resolvedMaxUnavailable)}` +
          (s.resolvedMaxUnavailable === undefined ? '' : ` -> at most ${s.resolvedMaxUnavailable}${nodes} nodes without an available pod`),
      };
    }
    case 'Job': {
      const j = w.job;
      if (!j) return undefined;
      return {
        ...base,
        text: `parallelism ${j.parallelism ?? 'unknown'}, completions ${j.completions ?? 'any one'}, backoffLimit ${j.backoffLimit ?? 'unknown'}`,
      };
    }
    case 'CronJob': {
      const c = w.cronJob;
      if (!c) return undefined;
      return {
        ...base,
        text: `schedule "${c.schedule ?? ''}"${c.timeZone ? ` ${c.timeZone}` : ''}, concurrencyPolicy ${c.concurrencyPolicy ?? 'Allow'}`,
      };
    }
    default:
      return undefined;
  }
}

/**
 * The Deployment controller's progress deadline (deployment_util.go DeploymentTimedOut): it counts
 * from the Progressing condition's lastUpdateTime (moved on at every sign of progress) and is
 * passed when lastUpdateTime + progressDeadlineSeconds is before now; nothing counts once the
 * reason is NewReplicaSetAvailable, while paused, or without a deadline (unset or MaxInt32).
 */
export function progressDeadlineOf(w: WorkloadSnapshot, now: number): ProgressDeadlineView | undefined {
  const seconds = w.progressDeadlineSeconds;
  if (w.kind !== 'Deployment' || seconds === undefined || seconds === 2147483647) return undefined;
  const cond = conditionOf(w, 'Progressing');
  if (cond?.reason === 'ProgressDeadlineExceeded') return { seconds, at: cond.lastUpdateTime, exceeded: true, marked: true };
  if (
    !cond ||
    cond.reason === 'NewReplicaSetAvailable' ||
    cond.reason === 'DeploymentPaused' ||
    w.paused ||
    cond.lastUpdateTime === undefined
  ) {
    return { seconds, at: undefined, exceeded: false, marked: false };
  }
  const at = cond.lastUpdateTime + seconds * 1000;
  return { seconds, at, exceeded: at < now, marked: false };
}

// ---- pods ------------------------------------------------------------------------------------

const IMAGE_PULL_FAILURES = new Set(['ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);
const CONFIG_ERRORS = new Set(['CreateContainerConfigError', 'CreateContainerError']);

/** How a pod reads in a rollout: failing (an error state, restarts while not ready), changing (starting, not ready, terminating), healthy. */
export function podHealth(p: RolloutPod): PodHealth {
  if (p.phase === 'Succeeded') return 'healthy';
  if (p.phase === 'Failed' && !p.deleting) return 'failing';
  if (p.unschedulable) return 'failing';
  for (const c of p.containers) {
    if (c.state === 'waiting' && c.reason !== undefined && FAILING_WAIT_REASONS.has(c.reason)) return 'failing';
    if (c.restartCount > 0 && !c.ready && c.type !== 'init') return 'failing';
  }
  if (p.deleting || !p.isReady) return 'changing';
  return 'healthy';
}

const HEALTH_ORDER: Record<PodHealth, number> = { failing: 0, changing: 1, healthy: 2 };

const healthCache = new WeakMap<RolloutPod, PodHealth>();
/** podHealth, worked out once per pod object (pods are immutable; the group views pass cached rows). */
function healthOf(p: RolloutPod): PodHealth {
  let h = healthCache.get(p);
  if (h === undefined) healthCache.set(p, (h = podHealth(p)));
  return h;
}

/**
 * Failing first, then changing, then healthy; by name within each. The ranks are looked up once
 * and the positions sorted (no object per pod: thousands of pods, sorted at every change).
 */
export function sortPods<P extends RolloutPod>(pods: readonly P[]): P[] {
  const n = pods.length;
  const rank = new Uint8Array(n);
  const at = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    rank[i] = HEALTH_ORDER[healthOf(pods[i]!)];
    at[i] = i;
  }
  at.sort((a, b) => {
    const r = rank[a]! - rank[b]!;
    if (r !== 0) return r;
    const x = pods[a]!.name;
    const y = pods[b]!.name;
    return x < y ? -1 : x > y ? 1 : a - b;
  });
  const out = new Array<P>(n);
  for (let i = 0; i < n; i++) out[i] = pods[at[i]!]!;
  return out;
}

export function countsOf(pods: readonly RolloutPod[]): { status: string; count: number }[] {
  const m = new Map<string, number>();
  for (const p of pods) m.set(p.status, (m.get(p.status) ?? 0) + 1);
  return sortedCounts(m);
}

/** Pods by STATUS, most first (then by STATUS): the counts a group shows, from a count per STATUS. */
export function sortedCounts(m: ReadonlyMap<string, number>): { status: string; count: number }[] {
  return [...m]
    .filter(([, count]) => count > 0)
    .map(([status, count]) => ({ status, count }))
    .sort((a, b) => b.count - a.count || (a.status < b.status ? -1 : 1));
}

export function aggregateFindings(pods: readonly RolloutPod[], noun: string): string[] {
  const m = new Map<string, number>();
  for (const p of pods) {
    const f = p.findings;
    if (f.length === 0) continue;
    if (f.length === 1) m.set(f[0]!, (m.get(f[0]!) ?? 0) + 1);
    else for (const t of new Set(f)) m.set(t, (m.get(t) ?? 0) + 1);
  }
  return [...m].sort((a, b) => b[1] - a[1]).map(([title, n]) => `${n} of ${pods.length} ${noun}: ${title}`);
}

/** At most this many blockers are spelled out as evidence; the rest are counted (thousands of failing pods say the same). */
export const EVIDENCE_BLOCKERS = 10;

export function blockerEvidence(blockers: readonly Blocker[]): string[] {
  const shown = blockers.slice(0, EVIDENCE_BLOCKERS).map((b) => b.text);
  const more = blockers.length - shown.length;
  return more > 0 ? [...shown, `... and ${more} more like these`] : shown;
}

/** "pod x CrashLoopBackOff (exit 3, 2 restarts, back-off 20s)". */
function podBlockerText(p: RolloutPod, c: RolloutContainer | undefined, word: string): string {
  const details: string[] = [];
  if (c && p.containers.filter((x) => x.type !== 'init').length > 1) details.push(`container ${c.name}`);
  if (c && (word === 'CrashLoopBackOff' || c.restartCount > 0)) {
    if (c.lastTerminationReason === 'OOMKilled') details.push('OOMKilled');
    if (c.lastExitCode !== undefined) details.push(`exit ${c.lastExitCode}`);
    details.push(`${c.restartCount} restart${c.restartCount === 1 ? '' : 's'}`);
    if (c.backOffSeconds !== undefined) details.push(`back-off ${goSeconds(c.backOffSeconds)}`);
  } else if (c?.message) {
    details.push(c.message);
  }
  return `pod ${p.name} ${word}${details.length ? ` (${details.join(', ')})` : ''}`;
}

export function goSeconds(s: number): string {
  const r = Math.round(s);
  if (r < 60) return `${r}s`;
  const h = Math.floor(r / 3600);
  const m = Math.floor((r % 3600) / 60);
  return h > 0 ? `${h}h${m}m${r % 60}s` : `${m}m${r % 60}s`;
}

/**
 * The fail-fast rules on one new pod: a container that restarted `failRestarts` times and is not
 * ready; an image that cannot be pulled (ImagePullBackOff, InvalidImageName, ErrImageNeverPull:
 * a first ErrImagePull is not enough); a config error (CreateContainerConfigError,
 * CreateContainerError); unschedulable while no pod of the workload is terminating (whose room
 * could make it fit) and no node is nominated for it.
 */
export function podBlockers(p: RolloutPod, o: RolloutOptions, somethingTerminating: boolean): readonly Blocker[] {
  // Pods are immutable (the group views pass cached rows): the answer is kept per pod and options.
  const hit = blockerCache.get(p);
  if (hit && hit.failRestarts === o.failRestarts && hit.terminating === somethingTerminating) return hit.blockers;
  const blockers = findBlockers(p, o, somethingTerminating);
  blockerCache.set(p, { failRestarts: o.failRestarts, terminating: somethingTerminating, blockers });
  return blockers;
}

const blockerCache = new WeakMap<RolloutPod, { failRestarts: number; terminating: boolean; blockers: readonly Blocker[] }>();
const NO_BLOCKERS: readonly Blocker[] = [];

function findBlockers(p: RolloutPod, o: RolloutOptions, somethingTerminating: boolean): readonly Blocker[] {
  if (p.deleting) return NO_BLOCKERS;
  const out: Blocker[] = [];
  if (p.unschedulable && !somethingTerminating && !p.nominatedNode) {
    out.push({ rule: 'unschedulable', text: `pod ${p.name} cannot be scheduled: ${p.unschedulable.message}`, pod: p.name });
  }
  for (const c of p.containers) {
    const waiting = c.state === 'waiting' ? c.reason : undefined;
    if (waiting !== undefined && IMAGE_PULL_FAILURES.has(waiting)) {
      out.push({ rule: 'image-pull', text: podBlockerText(p, c, waiting), pod: p.name });
    } else if (waiting !== undefined && CONFIG_ERRORS.has(waiting)) {
      out.push({ rule: 'config-error', text: podBlockerText(p, c, waiting), pod: p.name });
    } else if (c.restartCount >= o.failRestarts && !c.ready && !(c.type === 'init' && c.state === 'terminated' && c.lastExitCode === 0)) {
      out.push({ rule: 'crash-loop', text: podBlockerText(p, c, waiting ?? p.status), pod: p.name });
    }
  }
  return out.length ? out : NO_BLOCKERS;
}

// ---- revisions -------------------------------------------------------------------------------

interface Group {
  key: string;
  revision: number | undefined;
  name: string | undefined;
  role: 'new' | 'old' | 'unknown';
  source: WorkloadSnapshot | undefined;
  order: number;
  pods: RolloutPod[];
}

function byRevisionDesc(a: WorkloadSnapshot, b: WorkloadSnapshot): number {
  return (b.revision ?? -1) - (a.revision ?? -1) || (b.createdAt ?? 0) - (a.createdAt ?? 0) || (a.name < b.name ? -1 : 1);
}

/** The revisions of the workload and which pod belongs to which. */
function groupRevisions(
  w: WorkloadSnapshot | undefined,
  input: RolloutInput,
): { groups: Group[]; newGroup: Group | undefined; oldRef: RevisionRef | undefined } {
  const kind = input.target.kind;
  const groups: Group[] = [];
  let newGroup: Group | undefined;
  const mk = (
    key: string,
    source: WorkloadSnapshot | undefined,
    name: string | undefined,
    revision: number | undefined,
    role: 'new' | 'old',
  ): Group => {
    const g: Group = { key, revision, name, role, source, order: groups.length, pods: [] };
    groups.push(g);
    if (role === 'new') newGroup = g;
    return g;
  };
  const children = w
    ? input.children.filter((c) => isControlledBy(c, w))
    : input.children.filter((c) => c.controller?.kind === kind && c.controller.name === input.target.name);
  let assign: (p: RolloutPod) => Group | undefined = () => undefined;

  if (kind === 'Deployment') {
    const rss = children.filter((c) => c.kind === 'ReplicaSet').sort(byRevisionDesc);
    // The new ReplicaSet carries the Deployment's revision (the controller copies it both ways);
    // before the controller observed a new template there is none.
    const current =
      w && (w.observedGeneration ?? 0) >= (w.generation ?? 0)
        ? rss.find((rs) => rs.revision !== undefined && rs.revision === w.revision)
        : undefined;
    for (const rs of rss) mk(rs.uid, rs, rs.name, rs.revision, rs === current ? 'new' : 'old');
    assign = (p) =>
      groups.find((g) => p.owner?.uid !== undefined && g.source?.uid === p.owner.uid) ??
      groups.find((g) => p.owner?.name !== undefined && g.name === p.owner.name) ??
      groups.find((g) => p.revisionKey !== undefined && g.source?.podTemplateHash === p.revisionKey);
  } else if (kind === 'StatefulSet' || kind === 'DaemonSet') {
    const crs = children.filter((c) => c.kind === 'ControllerRevision').sort(byRevisionDesc);
    // StatefulSet: status.updateRevision names the new ControllerRevision; DaemonSet: the highest revision is the one it rolls to.
    const newName = kind === 'StatefulSet' ? w?.updateRevision : crs[0]?.name;
    for (const cr of crs) mk(cr.name, cr, cr.name, cr.revision, cr.name === newName ? 'new' : 'old');
    for (const name of [w?.updateRevision, w?.currentRevision]) {
      if (name !== undefined && !groups.some((g) => g.name === name))
        mk(name, undefined, name, undefined, name === newName ? 'new' : 'old');
    }
    assign = (p) =>
      p.revisionKey === undefined
        ? undefined
        : (groups.find((g) => g.name === p.revisionKey) ?? groups.find((g) => g.source?.controllerRevisionHash === p.revisionKey));
  } else if (kind === 'CronJob') {
    const jobs = children
      .filter((c) => c.kind === 'Job')
      .sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0) || (a.name < b.name ? 1 : -1));
    jobs.forEach((j, i) => mk(j.uid, j, j.name, undefined, i === 0 ? 'new' : 'old'));
    assign = (p) =>
      groups.find((g) => p.owner?.uid !== undefined && g.source?.uid === p.owner.uid) ??
      groups.find((g) => p.owner?.name !== undefined && g.name === p.owner.name);
  } else if (w) {
    // A Job or a ReplicaSet: one revision, itself.
    mk(w.uid, w, w.name, w.revision, 'new');
    assign = () => groups[0];
  }

  let unknown: Group | undefined;
  for (const p of input.pods) {
    const g = assign(p);
    if (g) g.pods.push(p);
    else
      (unknown ??= {
        key: 'unknown',
        revision: undefined,
        name: undefined,
        role: 'unknown',
        source: undefined,
        order: Infinity,
        pods: [],
      }).pods.push(p);
  }

  // The old revision of "old -> new": the newest older one that still has pods, else the newest older one.
  const ng = newGroup as Group | undefined;
  const olds = groups.filter(
    (g) => g.role === 'old' && (ng?.revision === undefined || g.revision === undefined || g.revision < ng.revision),
  );
  const active = olds.filter((g) => g.pods.length > 0 || (g.source?.replicas.current ?? 0) > 0 || (g.source?.replicas.desired ?? 0) > 0);
  const oldGroup =
    kind === 'StatefulSet' && w?.currentRevision !== w?.updateRevision
      ? groups.find((g) => g.name === w?.currentRevision)
      : (active[0] ?? olds[0]);
  const oldRef = oldGroup ? { revision: oldGroup.revision, name: oldGroup.name } : undefined;

  // Shown: the new revision, old ones with pods or replicas, pods of no known revision.
  const shown = groups.filter(
    (g) =>
      g.role === 'new' ||
      g.pods.length > 0 ||
      (g.source?.replicas.current ?? 0) > 0 ||
      (kind === 'Deployment' && (g.source?.replicas.desired ?? 0) > 0),
  );
  shown.sort((a, b) => (a.role === 'new' ? -1 : b.role === 'new' ? 1 : a.order - b.order));
  if (unknown) shown.push(unknown);
  return { groups: shown, newGroup: ng, oldRef };
}

function toRevisionGroup(g: Group, kind: WorkloadKind): RevisionGroup {
  const s = g.source;
  const pods = sortPods(g.pods);
  const counts = countsOf(pods);
  let desired = s?.replicas.desired;
  let current = s?.replicas.current;
  let ready = s?.replicas.ready;
  let available = s?.replicas.available;
  if (s?.kind === 'Job' && s.job) {
    desired = s.job.completions;
    current = s.job.active;
    ready = s.job.ready;
    available = s.job.succeeded;
  } else if (s?.kind === 'ControllerRevision') {
    // A ControllerRevision has no counters: its pods are the count.
    desired = undefined;
    current = pods.filter((p) => !p.deleting).length;
    ready = pods.filter((p) => p.isReady && !p.deleting).length;
    available = undefined;
  }
  return {
    key: g.key,
    revision: g.revision,
    name: g.name,
    role: g.role,
    desired,
    current,
    ready,
    available,
    images: s?.images ?? [],
    pods,
    counts,
    countsText: counts.length ? counts.map((c) => `${c.count} ${c.status}`).join(', ') : 'no pods',
    findings: aggregateFindings(
      pods,
      g.role === 'unknown'
        ? 'pods of no known revision'
        : kind === 'Deployment' || kind === 'StatefulSet' || kind === 'DaemonSet'
          ? `${g.role} pods`
          : kind === 'CronJob'
            ? `pods of job ${g.name ?? ''}`
            : 'pods',
    ),
  };
}

function revisionText(oldRef: RevisionRef | undefined, newRef: RevisionRef | undefined): string {
  const t = (r: RevisionRef): string => (r.revision !== undefined ? String(r.revision) : (r.name ?? 'unknown'));
  if (!newRef) return oldRef ? `${t(oldRef)} -> (not created yet)` : 'unknown';
  return oldRef ? `${t(oldRef)} -> ${t(newRef)}` : t(newRef);
}

// ---- events ----------------------------------------------------------------------------------

function ownEvents(input: RolloutInput, w: WorkloadSnapshot | undefined): WorkloadEvent[] {
  const { target } = input;
  const uids = new Set<string>();
  const names = new Set<string>([`${target.kind}/${target.name}`]);
  if (w) uids.add(w.uid);
  for (const c of input.children) {
    if (!w || isControlledBy(c, w)) {
      uids.add(c.uid);
      names.add(`${c.kind}/${c.name}`);
    }
  }
  return input.events
    .filter(
      (e) =>
        e.namespace === target.namespace &&
        ((e.involvedUid !== undefined && uids.has(e.involvedUid)) || names.has(`${e.involvedKind}/${e.involvedName}`)),
    )
    .sort((a, b) => (a.lastAt ?? a.firstAt ?? 0) - (b.lastAt ?? b.firstAt ?? 0) || (a.key < b.key ? -1 : 1));
}

/** "Error creating: pods "x" is forbidden: exceeded quota: ..." -> "exceeded quota: ...". */
function createError(message: string): string {
  const forbidden = /is forbidden: (.*)$/s.exec(message);
  if (forbidden) return forbidden[1]!;
  return message.replace(/^Error creating: /, '');
}

/**
 * FailedCreate on the object that should create the new pods, still current: a ReplicaSet's
 * ReplicaFailure=True condition (the ReplicaSet controller removes it once a create succeeds), or
 * for other owners a Warning FailedCreate event newer than their last SuccessfulCreate. Only while
 * pods are missing and none of the workload is terminating (a pod going away can free the quota).
 */
function failedCreate(
  owner: WorkloadSnapshot | undefined,
  events: readonly WorkloadEvent[],
  missing: boolean,
  somethingTerminating: boolean,
): Blocker | undefined {
  if (!owner || !missing || somethingTerminating) return undefined;
  const label = owner.kind === 'ReplicaSet' ? `ReplicaSet ${owner.name}` : `${owner.kind} ${owner.name}`;
  const cond = conditionOf(owner, 'ReplicaFailure');
  if (cond?.status === 'True' && cond.reason === 'FailedCreate') {
    return { rule: 'failed-create', text: `${label} cannot create pods: ${createError(cond.message ?? 'FailedCreate')}`, pod: undefined };
  }
  const mine = events.filter((e) => e.involvedUid === owner.uid || (e.involvedKind === owner.kind && e.involvedName === owner.name));
  const lastFail = mine
    .filter((e) => e.reason === 'FailedCreate' && e.type === 'Warning')
    .sort((a, b) => (a.lastAt ?? 0) - (b.lastAt ?? 0))
    .at(-1);
  if (!lastFail) return undefined;
  const lastOk = mine.filter((e) => e.reason === 'SuccessfulCreate').reduce((t, e) => Math.max(t, e.lastAt ?? 0), 0);
  if ((lastFail.lastAt ?? 0) < lastOk) return undefined;
  return { rule: 'failed-create', text: `${label} cannot create pods: ${createError(lastFail.message)}`, pod: undefined };
}

// ---- the verdict -----------------------------------------------------------------------------

function kubectlWaiting(s: KubectlRolloutStatus): string {
  return s.message.replace(/\.\.\.$/, '').replace(/^Waiting for /, 'waiting for ');
}

export function kindLabel(kind: WorkloadKind): string {
  return {
    Deployment: 'deployment',
    ReplicaSet: 'replicaset',
    StatefulSet: 'statefulset',
    DaemonSet: 'daemonset',
    Job: 'job',
    CronJob: 'cronjob',
    ControllerRevision: 'controllerrevision',
  }[kind];
}

/**
 * The verdict, per kind:
 * - gone: failed (kubectl rollout status ends with "object has been deleted"); being deleted: failed;
 * - Deployment / StatefulSet / DaemonSet: kubectl's error (ProgressDeadlineExceeded) -> stuck,
 *   with what blocks the new pods as evidence; kubectl's done -> complete; spec.paused -> paused;
 *   an OnDelete strategy -> paused until pods are deleted (kubectl refuses these); a blocker on the
 *   new revision -> stuck; else progressing with kubectl's waiting message;
 * - ReplicaSet (no kubectl viewer): complete when the generation is observed and desired pods
 *   exist and are available; blockers -> stuck;
 * - Job (no kubectl viewer; as `kubectl wait --for=condition=Complete|Failed`): Complete=True ->
 *   complete; Failed=True or FailureTarget=True -> failed (BackoffLimitExceeded, DeadlineExceeded,
 *   ...); suspended -> paused; blockers -> stuck;
 * - CronJob: the newest Job decides as above; none yet -> progressing (suspended -> paused).
 */
function verdictFor(
  input: RolloutInput,
  w: WorkloadSnapshot | undefined,
  kstatus: KubectlRolloutStatus | undefined,
  newGroup: RevisionGroup | undefined,
  allPods: readonly RolloutPod[],
  events: readonly WorkloadEvent[],
  deadline: ProgressDeadlineView | undefined,
  o: RolloutOptions,
): Verdict {
  const { target } = input;
  const what = `${kindLabel(target.kind)}/${target.name}`;
  if (!w) {
    return {
      state: 'failed',
      reason: `${what} does not exist`,
      evidence: allPods.length ? [`${allPods.length} of its pods remain`] : [],
      blockers: [{ rule: 'deleted', text: `${what} does not exist`, pod: undefined }],
      pods: [],
    };
  }
  if (w.deletionAt !== undefined) {
    return {
      state: 'failed',
      reason: `${what} is being deleted`,
      evidence: [`metadata.deletionTimestamp is set`],
      blockers: [{ rule: 'deleted', text: `${what} is being deleted`, pod: undefined }],
      pods: [],
    };
  }
  const somethingTerminating = allPods.some((p) => p.deleting);
  const newPods = newGroup?.pods ?? [];
  const blockers: Blocker[] = [];
  for (const p of newPods) for (const b of podBlockers(p, o, somethingTerminating)) blockers.push(b);
  const newSource = input.children.find((c) => c.uid === newGroup?.key) ?? (newGroup?.key === w.uid ? w : undefined);

  // FailedCreate: on the new ReplicaSet (Deployment), on the owner itself (others).
  const creator = target.kind === 'Deployment' ? newSource : target.kind === 'CronJob' ? newSource : w;
  const missing = (() => {
    if (!creator) return false;
    if (creator.kind === 'Job')
      return (
        (creator.job?.active ?? 0) + (creator.job?.succeeded ?? 0) < Math.max(1, creator.job?.parallelism ?? 1) &&
        !conditionOf(creator, 'Complete')
      );
    return (creator.replicas.current ?? 0) < (creator.replicas.desired ?? 0);
  })();
  const fc = failedCreate(creator, events, missing, somethingTerminating);
  if (fc) blockers.unshift(fc);

  const podNames = [...new Set(blockers.flatMap((b) => (b.pod ? [b.pod] : [])))];
  const newLabel = newGroup ? `new revision ${newGroup.revision ?? newGroup.name ?? ''}`.trim() : 'the new revision';
  const findings = newGroup?.findings ?? [];
  const stuck = (reason: string, extra: readonly string[] = []): Verdict => ({
    state: 'stuck',
    reason,
    evidence: [...extra, ...blockerEvidence(blockers), ...findings],
    blockers,
    pods: podNames,
  });

  if (target.kind === 'Deployment' || target.kind === 'StatefulSet' || target.kind === 'DaemonSet') {
    if (kstatus?.error !== undefined && target.kind === 'Deployment') {
      const cond = conditionOf(w, 'Progressing');
      blockers.push({
        rule: 'progress-deadline',
        text: `progress deadline (${deadline?.seconds ?? w.progressDeadlineSeconds}s) exceeded`,
        pod: undefined,
      });
      return stuck(
        blockers.length > 1 ? `${newLabel} cannot become available` : `${newLabel} made no progress within ${w.progressDeadlineSeconds}s`,
        [`condition Progressing=False ProgressDeadlineExceeded: ${cond?.message ?? ''}`.trim()],
      );
    }
    if (kstatus?.done && kstatus.error === undefined) {
      return { state: 'complete', reason: kstatus.message, evidence: [], blockers: [], pods: [] };
    }
    if (w.strategy && w.strategy.type === 'OnDelete') {
      return {
        state: 'paused',
        reason: `updateStrategy OnDelete: pods move to ${newLabel} only when deleted`,
        evidence: kstatus?.error ? [`kubectl rollout status: ${kstatus.error}`] : [],
        blockers: [],
        pods: [],
      };
    }
    if (w.paused) {
      return {
        state: 'paused',
        reason: `${what} is paused (spec.paused)`,
        evidence: kstatus ? [kstatus.message] : [],
        blockers: [],
        pods: [],
      };
    }
    if (blockers.length) return stuck(`${newLabel} cannot become available`);
    return { state: 'progressing', reason: kstatus ? kubectlWaiting(kstatus) : 'progressing', evidence: [], blockers: [], pods: [] };
  }

  if (target.kind === 'ReplicaSet') {
    const r = w.replicas;
    const observed = (w.observedGeneration ?? 0) >= (w.generation ?? 0);
    if (observed && r.desired !== undefined && r.current === r.desired && (r.available ?? 0) >= r.desired) {
      return { state: 'complete', reason: `${r.available} of ${r.desired} pods available`, evidence: [], blockers: [], pods: [] };
    }
    if (blockers.length) return stuck(`replicaset ${w.name} cannot become available`);
    return {
      state: 'progressing',
      reason: observed
        ? `waiting for pods: ${r.available ?? 0} of ${r.desired ?? 'unknown'} available`
        : 'waiting for the controller to observe the change',
      evidence: [],
      blockers: [],
      pods: [],
    };
  }

  // Job and CronJob: the Job that decides.
  const job = target.kind === 'Job' ? w : newSource;
  if (target.kind === 'CronJob' && !job) {
    if (w.cronJob?.suspend) return { state: 'paused', reason: `${what} is suspended`, evidence: [], blockers: [], pods: [] };
    return { state: 'progressing', reason: `no Job yet (schedule "${w.cronJob?.schedule ?? ''}")`, evidence: [], blockers: [], pods: [] };
  }
  if (!job) return { state: 'progressing', reason: 'unknown', evidence: [], blockers: [], pods: [] };
  const jobWhat = `job/${job.name}`;
  const complete = conditionOf(job, 'Complete');
  const failed = conditionOf(job, 'Failed');
  const failureTarget = conditionOf(job, 'FailureTarget');
  const counts = job.job;
  const tally = counts ? `${counts.succeeded ?? 0} succeeded, ${counts.failed ?? 0} failed, ${counts.active ?? 0} active` : '';
  if (complete?.status === 'True') {
    return {
      state: 'complete',
      reason: `${jobWhat} completed: ${tally}`,
      evidence: complete.message ? [complete.message] : [],
      blockers: [],
      pods: [],
    };
  }
  const fail = failed?.status === 'True' ? failed : failureTarget?.status === 'True' ? failureTarget : undefined;
  if (fail) {
    const failedPods = newPods.filter((p) => p.phase === 'Failed').map((p) => p.name);
    const why = `${jobWhat} failed: ${fail.reason ?? 'Failed'}${fail.message ? ` (${fail.message})` : ''}`;
    const ev = events
      .filter((e) => e.involvedName === job.name && e.type === 'Warning' && e.reason === fail.reason)
      .map((e) => `event Warning ${e.reason}: ${e.message}`);
    return {
      state: 'failed',
      reason: why,
      evidence: [`condition ${fail.type}=True ${fail.reason ?? ''}`.trim(), ...ev, tally, ...findings].filter((x) => x !== ''),
      blockers: [{ rule: 'job-failed', text: why, pod: undefined }, ...blockers],
      pods: [...new Set([...failedPods, ...podNames])],
    };
  }
  if (counts?.suspend) return { state: 'paused', reason: `${jobWhat} is suspended`, evidence: [], blockers: [], pods: [] };
  if (blockers.length) return stuck(`${jobWhat} cannot run`);
  return { state: 'progressing', reason: `${jobWhat} running: ${tally}`, evidence: [], blockers: [], pods: [] };
}

// ---- the view --------------------------------------------------------------------------------

export function rolloutView(input: RolloutInput, options: RolloutOptions = { failRestarts: DEFAULT_FAIL_RESTARTS }): RolloutView {
  const w = input.workload;
  const { target } = input;
  const kind = target.kind;
  const { groups, newGroup: ng, oldRef } = groupRevisions(w, input);
  const revisions = groups.map((g) => toRevisionGroup(g, kind));
  const newGroup = ng ? revisions.find((r) => r.key === ng.key) : undefined;
  const newRef = ng ? { revision: ng.revision, name: ng.name } : undefined;
  const events = ownEvents(input, w);
  const kstatus = w ? kubectlRolloutStatus(w) : undefined;
  const deadline = w ? progressDeadlineOf(w, input.now) : undefined;
  const verdict = verdictFor(input, w, kstatus, newGroup, input.pods, events, deadline, options);
  const r = w?.replicas;
  return {
    kind,
    namespace: target.namespace,
    name: target.name,
    exists: w !== undefined,
    deleting: w?.deletionAt !== undefined,
    revision: { old: oldRef, new: newRef, text: revisionText(oldRef, newRef) },
    replicas: {
      desired: r?.desired,
      current: r?.current,
      updated: r?.updated,
      ready: r?.ready,
      available: r?.available,
      unavailable: r?.unavailable,
    },
    budget: w ? budgetOf(w) : undefined,
    partition: w?.strategy?.partition,
    observed: w !== undefined && (w.observedGeneration ?? 0) >= (w.generation ?? 0),
    paused: w?.paused ?? false,
    conditions: w?.conditions ?? [],
    progressDeadline: deadline,
    revisions,
    kubectlStatus: kstatus,
    verdict,
    events,
  };
}

// ---- --until ---------------------------------------------------------------------------------

export type UntilTarget = 'available' | 'ready' | 'complete' | 'rolled-out' | 'deleted';
export const UNTIL_TARGETS: readonly UntilTarget[] = ['available', 'ready', 'complete', 'rolled-out', 'deleted'];

export interface UntilDecision {
  readonly until: UntilTarget;
  /** reached: exit 0; failed: the rollout cannot succeed on its own; timed-out: --timeout passed first; waiting: keep watching. */
  readonly outcome: 'reached' | 'failed' | 'timed-out' | 'waiting';
  readonly reason: string;
  readonly evidence: readonly string[];
  /** Pods whose diagnosis and log tails to print with a failure. */
  readonly pods: readonly string[];
}

/**
 * Whether `--until` is reached, per kind:
 * - rolled-out, complete: the verdict is complete (kubectl rollout status done; a Job's Complete
 *   condition; a CronJob's newest Job's);
 * - available: every desired pod of the new revision is available, old ones may still be going:
 *   Deployment: generation observed, updatedReplicas >= replicas and the new ReplicaSet's
 *   availableReplicas >= replicas; StatefulSet: observed, updatedReplicas >= replicas - partition and
 *   availableReplicas >= replicas; DaemonSet: observed, updatedNumberScheduled and numberAvailable
 *   >= desiredNumberScheduled; ReplicaSet: availableReplicas >= replicas; Job, CronJob: as complete;
 * - ready: the same with Ready instead of available (minReadySeconds not waited for); a Job: every
 *   pod that is still running is Ready (or the Job is complete);
 * - deleted: the workload is gone and none of its pods remain.
 * Failed: the verdict is stuck or failed (never for deleted). Timed out: `now` reached `timeoutAt`.
 */
export function decideUntil(view: RolloutView, until: UntilTarget, now: number, timeoutAt?: number): UntilDecision {
  const v = view.verdict;
  const podCount = view.revisions.reduce((n, g) => n + g.pods.length, 0);
  const what = `${kindLabel(view.kind)}/${view.name}`;
  const reached = (reason: string): UntilDecision => ({ until, outcome: 'reached', reason, evidence: [], pods: [] });
  const waitingOr = (reason: string): UntilDecision =>
    timeoutAt !== undefined && now >= timeoutAt
      ? { until, outcome: 'timed-out', reason: `timed out waiting for ${until}: ${reason}`, evidence: [...v.evidence], pods: [...v.pods] }
      : { until, outcome: 'waiting', reason, evidence: [], pods: [] };

  if (until === 'deleted') {
    if (!view.exists && podCount === 0) return reached(`${what} and its pods are gone`);
    return waitingOr(view.exists ? `${what} exists${view.deleting ? ' (being deleted)' : ''}` : `${podCount} of its pods remain`);
  }
  if (reachedFor(view, until)) return reached(until === 'rolled-out' || until === 'complete' ? v.reason : `${what} is ${until}`);
  if (v.state === 'stuck' || v.state === 'failed') {
    return { until, outcome: 'failed', reason: `${v.state}: ${v.reason}`, evidence: v.evidence, pods: v.pods };
  }
  return waitingOr(v.reason);
}

function reachedFor(view: RolloutView, until: Exclude<UntilTarget, 'deleted'>): boolean {
  if (!view.exists || view.deleting) return false;
  if (view.verdict.state === 'complete') return true;
  if (until === 'complete' || until === 'rolled-out') return false;
  const r = view.replicas;
  const desired = r.desired;
  const ng = view.revisions.find((g) => g.role === 'new');
  const observed = view.observed;
  const key = until === 'available' ? 'available' : 'ready';
  switch (view.kind) {
    case 'Deployment':
      return observed && desired !== undefined && (r.updated ?? 0) >= desired && ng !== undefined && (ng[key] ?? 0) >= desired;
    case 'StatefulSet': {
      const partition = view.partition ?? 0;
      return observed && desired !== undefined && (r.updated ?? 0) >= desired - partition && (r[key] ?? 0) >= desired;
    }
    case 'DaemonSet':
      return observed && desired !== undefined && (r.updated ?? 0) >= desired && (r[key] ?? 0) >= desired;
    case 'ReplicaSet':
      return desired !== undefined && (r[key] ?? 0) >= desired;
    case 'Job':
    case 'CronJob': {
      // From the pods (status.ready lags them): every pod still running is Ready, and there is one.
      if (until === 'available') return false;
      const running = (ng?.pods ?? []).filter((p) => !p.deleting && p.phase !== 'Succeeded' && p.phase !== 'Failed');
      return running.length > 0 && running.every((p) => p.isReady);
    }
    default:
      return false;
  }
}

// ---- render-time text ------------------------------------------------------------------------

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return goSeconds(s);
}

/** "progress deadline in 23s", "progress deadline exceeded 12s ago", "progress deadline passed 3s ago (not marked yet)". */
export function progressDeadlineText(d: ProgressDeadlineView | undefined, now: number): string | undefined {
  if (!d) return undefined;
  if (d.marked) return d.at === undefined ? 'progress deadline exceeded' : `progress deadline exceeded ${ago(now - d.at)} ago`;
  if (d.at === undefined) return undefined;
  // Passed as of `now` (the view may have been made earlier: the countdown runs at render time).
  if (d.exceeded || d.at < now) return `progress deadline passed ${ago(now - d.at)} ago (the controller has not marked it yet)`;
  return `progress deadline in ${ago(d.at - now)}`;
}

/**
 * The verdict as one line: "stuck: new revision 2 cannot become available: pod x CrashLoopBackOff
 * (exit 3, 2 restarts, back-off 40s); progress deadline exceeded 12s ago".
 */
export function verdictLine(view: RolloutView, now: number): string {
  const v = view.verdict;
  const first = v.blockers.find((b) => b.rule !== 'progress-deadline' && b.rule !== 'deleted' && b.rule !== 'job-failed');
  const more = v.blockers.filter((b) => b.rule !== 'progress-deadline' && b.rule !== 'deleted' && b.rule !== 'job-failed').length - 1;
  const deadline = progressDeadlineText(view.progressDeadline, now);
  let line = `${v.state}: ${v.reason}`;
  if (first) line += `: ${first.text}${more > 0 ? ` (+${more} more)` : ''}`;
  const passed = view.progressDeadline?.exceeded || (view.progressDeadline?.at !== undefined && view.progressDeadline.at < now);
  if (deadline && v.state !== 'complete' && (passed || v.state === 'progressing' || v.state === 'stuck')) line += `; ${deadline}`;
  return line;
}
