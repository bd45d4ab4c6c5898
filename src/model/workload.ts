// Readers of workload wire JSON: Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob and
// ControllerRevision objects (and the Events about them) into small WorkloadSnapshot values. The
// only place that knows where a fact lives inside those objects. Total: any JSON value gives a
// snapshot or undefined, never an exception; a field that is missing or of the wrong type is
// unknown (undefined), never guessed.
//
// Two wire habits matter:
// - status counters are `omitempty` int32s: a server object with `status: {}` has 0 ready replicas,
//   so inside an existing status a missing counter reads 0; without any status it is unknown;
// - a manifest that never went through the API server lacks the defaults the server would add
//   (spec.replicas 1, strategy RollingUpdate 25%/25%, ...): they are applied as the server would
//   (pkg/apis/apps/v1/defaults.go, pkg/apis/batch/v1/defaults.go), because that is what the
//   controller will see.

import type { EventJson, ObjectMetaJson } from './kube-json.ts';
import { parseTime } from './time.ts';
import type { EventCore } from './types.ts';

export type WorkloadKind = 'Deployment' | 'ReplicaSet' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'CronJob' | 'ControllerRevision';

export const WORKLOAD_KINDS: readonly WorkloadKind[] = [
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'ControllerRevision',
];

/**
 * The wire shape of any of the workload objects, as plain JSON. Only the envelope is named: the
 * reader walks `spec` / `status` defensively, because a file or a mutated object may hold anything.
 */
export interface WorkloadJson {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: ObjectMetaJson;
  readonly spec?: unknown;
  readonly status?: unknown;
  /** ControllerRevision only: its revision number and the saved template patch. */
  readonly revision?: unknown;
  readonly data?: unknown;
}

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';
export const CONTROLLER_REVISION_HASH_LABEL = 'controller-revision-hash';

export interface OwnerRef {
  readonly kind: string;
  readonly name: string;
  readonly uid: string | undefined;
  readonly controller: boolean;
}

export interface WorkloadCondition {
  readonly type: string;
  /** True | False | Unknown (as written; '' when missing). */
  readonly status: string;
  readonly reason: string | undefined;
  readonly message: string | undefined;
  /** Deployments: the last time the controller saw progress (the progress deadline counts from it). */
  readonly lastUpdateTime: number | undefined;
  readonly lastTransitionTime: number | undefined;
  /** Jobs. */
  readonly lastProbeTime: number | undefined;
}

export interface LabelSelector {
  readonly matchLabels: Readonly<Record<string, string>>;
  readonly matchExpressions: readonly { readonly key: string; readonly operator: string; readonly values: readonly string[] }[];
}

/** An int-or-string field: 1 or "25%". */
export type IntOrPercent = { readonly kind: 'int'; readonly value: number } | { readonly kind: 'percent'; readonly value: number };

export interface WorkloadStrategy {
  /** RollingUpdate | Recreate (Deployment) | OnDelete (StatefulSet, DaemonSet). */
  readonly type: string;
  /** As written (after the API server's defaults); undefined when absent or invalid. */
  readonly maxSurge: IntOrPercent | undefined;
  readonly maxUnavailable: IntOrPercent | undefined;
  /**
   * Resolved to pod counts as the controller does (see resolveDeploymentBudget and friends);
   * undefined when the inputs are unknown or invalid.
   */
  readonly resolvedMaxSurge: number | undefined;
  readonly resolvedMaxUnavailable: number | undefined;
  /**
   * StatefulSet: pods with an ordinal >= partition are updated. undefined when the object has no
   * rollingUpdate block (kubectl rollout status then waits for currentRevision == updateRevision).
   */
  readonly partition: number | undefined;
  /** StatefulSet: OrderedReady | Parallel. */
  readonly podManagementPolicy: string | undefined;
}

/**
 * The replica counters, mapped onto one shape: Deployment/ReplicaSet/StatefulSet from spec.replicas
 * and status.*Replicas; DaemonSet from desiredNumberScheduled, currentNumberScheduled,
 * updatedNumberScheduled, numberReady, numberAvailable, numberUnavailable. Jobs and CronJobs have
 * none (see `job`).
 */
export interface ReplicaCounts {
  readonly desired: number | undefined;
  /** Pods that exist (not terminating): status.replicas; DaemonSet: currentNumberScheduled. */
  readonly current: number | undefined;
  readonly updated: number | undefined;
  readonly ready: number | undefined;
  readonly available: number | undefined;
  readonly unavailable: number | undefined;
  /** status.terminatingReplicas (1.33+, when the server fills it). */
  readonly terminating: number | undefined;
  /** StatefulSet: status.currentReplicas (pods at currentRevision). */
  readonly atCurrentRevision: number | undefined;
  /** DaemonSet: numberMisscheduled. */
  readonly misscheduled: number | undefined;
  /** ReplicaSet: fullyLabeledReplicas. */
  readonly fullyLabeled: number | undefined;
}

export interface JobFacts {
  /** undefined: any one success completes the Job (spec.completions unset). */
  readonly completions: number | undefined;
  readonly parallelism: number | undefined;
  readonly backoffLimit: number | undefined;
  readonly backoffLimitPerIndex: number | undefined;
  readonly activeDeadlineSeconds: number | undefined;
  readonly completionMode: string | undefined;
  readonly suspend: boolean;
  readonly active: number | undefined;
  readonly succeeded: number | undefined;
  readonly failed: number | undefined;
  readonly ready: number | undefined;
  readonly terminating: number | undefined;
  readonly startTime: number | undefined;
  readonly completionTime: number | undefined;
}

export interface CronJobFacts {
  readonly schedule: string | undefined;
  readonly timeZone: string | undefined;
  readonly suspend: boolean;
  readonly concurrencyPolicy: string | undefined;
  /** status.active: the Jobs running now. */
  readonly active: readonly { readonly name: string; readonly uid: string | undefined }[];
  readonly lastScheduleTime: number | undefined;
  readonly lastSuccessfulTime: number | undefined;
}

export interface WorkloadSnapshot {
  readonly kind: WorkloadKind;
  readonly apiVersion: string | undefined;
  readonly name: string;
  readonly namespace: string;
  /** metadata.uid, or a stable stand-in ("nouid:Kind/ns/name") for hand-written objects. */
  readonly uid: string;
  readonly resourceVersion: string | undefined;
  readonly createdAt: number | undefined;
  /** metadata.deletionTimestamp: the object is being deleted. */
  readonly deletionAt: number | undefined;
  readonly generation: number | undefined;
  readonly observedGeneration: number | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly selector: LabelSelector | undefined;
  /** The selector as `-l` accepts it; undefined when empty or when an operator is not understood. */
  readonly selectorText: string | undefined;
  readonly replicas: ReplicaCounts;
  readonly strategy: WorkloadStrategy | undefined;
  readonly paused: boolean;
  readonly progressDeadlineSeconds: number | undefined;
  readonly minReadySeconds: number | undefined;
  readonly revisionHistoryLimit: number | undefined;
  readonly conditions: readonly WorkloadCondition[];
  /**
   * Deployment / ReplicaSet: the deployment.kubernetes.io/revision annotation;
   * ControllerRevision: its `revision` field. undefined when absent or not an integer.
   */
  readonly revision: number | undefined;
  /** ReplicaSet: its pod-template-hash label (the label its pods carry). */
  readonly podTemplateHash: string | undefined;
  /**
   * ControllerRevision: its hash label (controller-revision-hash on a DaemonSet's, controller.kubernetes.io/hash
   * on a StatefulSet's). A DaemonSet's pods carry the hash, a StatefulSet's the ControllerRevision's name.
   */
  readonly controllerRevisionHash: string | undefined;
  /** StatefulSet: status.currentRevision / status.updateRevision (ControllerRevision names). */
  readonly currentRevision: string | undefined;
  readonly updateRevision: string | undefined;
  readonly collisionCount: number | undefined;
  /** The pod template's containers and images (ControllerRevision: of the saved template). */
  readonly images: readonly { readonly container: string; readonly image: string }[];
  readonly job: JobFacts | undefined;
  readonly cronJob: CronJobFacts | undefined;
  readonly ownerReferences: readonly OwnerRef[];
  /** The owner reference with controller: true. */
  readonly controller: OwnerRef | undefined;
}

// ---- total accessors -------------------------------------------------------------------------

type Rec = Readonly<Record<string, unknown>>;

function rec(v: unknown): Rec | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : undefined;
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
function int(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined;
}
function bool(v: unknown): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}
function list(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}
function time(v: unknown): number | undefined {
  return typeof v === 'string' ? parseTime(v) : undefined;
}
function strMap(v: unknown): Readonly<Record<string, string>> {
  const r = rec(v);
  if (!r) return {};
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(r)) if (typeof x === 'string') out[k] = x;
  return out;
}
/** An integer written as a decimal string (annotations): strconv.ParseInt's accepted form. */
function intString(v: unknown): number | undefined {
  if (typeof v !== 'string' || !/^[+-]?\d{1,15}$/.test(v)) return undefined;
  return Number(v);
}
/** A status counter: omitempty, so 0 when the status exists but the field does not. */
function counter(status: Rec | undefined, key: string): number | undefined {
  if (!status) return undefined;
  const v = status[key];
  return v === undefined || v === null ? 0 : int(v);
}

export function parseIntOrPercent(v: unknown): IntOrPercent | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? { kind: 'int', value: v } : undefined;
  // intstr.getIntOrPercentValueSafely: a string must be an integer followed by "%".
  if (typeof v === 'string') {
    const m = /^([+-]?\d{1,9})%$/.exec(v);
    return m ? { kind: 'percent', value: Number(m[1]) } : undefined;
  }
  return undefined;
}

export function intOrPercentText(v: IntOrPercent | undefined): string {
  return v === undefined ? 'unknown' : v.kind === 'percent' ? `${v.value}%` : String(v.value);
}

/** intstr.GetScaledValueFromIntOrPercent: a percentage of `total`, rounded up or down. */
export function scaledValue(v: IntOrPercent, total: number, roundUp: boolean): number {
  if (v.kind === 'int') return v.value;
  const x = (v.value * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/**
 * The Deployment controller's budgets (pkg/controller/deployment/util/deployment_util.go,
 * MaxSurge / MaxUnavailable / ResolveFenceposts): maxSurge rounds up, maxUnavailable rounds down;
 * when both come to 0, maxUnavailable is 1; maxUnavailable is capped at the replicas; a Recreate
 * Deployment, or one scaled to 0, has 0 of each.
 */
export function resolveDeploymentBudget(
  type: string,
  maxSurge: IntOrPercent | undefined,
  maxUnavailable: IntOrPercent | undefined,
  desired: number | undefined,
): { maxSurge: number; maxUnavailable: number } | undefined {
  if (type !== 'RollingUpdate') return { maxSurge: 0, maxUnavailable: 0 };
  if (desired === undefined || maxSurge === undefined || maxUnavailable === undefined) return undefined;
  const surge = scaledValue(maxSurge, desired, true);
  let unavailable = scaledValue(maxUnavailable, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { maxSurge: surge, maxUnavailable: desired === 0 ? 0 : Math.min(unavailable, desired) };
}

/**
 * The DaemonSet controller's budgets (pkg/controller/daemon/util SurgeCount / UnavailableCount and
 * update.go updatedDesiredNodeCounts): both round up against the number of nodes that should run
 * the pod; when both are 0 and there is a node, maxUnavailable is 1.
 */
export function resolveDaemonSetBudget(
  type: string,
  maxSurge: IntOrPercent | undefined,
  maxUnavailable: IntOrPercent | undefined,
  desiredNumberScheduled: number | undefined,
): { maxSurge: number; maxUnavailable: number } | undefined {
  if (type !== 'RollingUpdate') return { maxSurge: 0, maxUnavailable: 0 };
  if (desiredNumberScheduled === undefined || maxUnavailable === undefined) return undefined;
  const surge = maxSurge === undefined ? 0 : scaledValue(maxSurge, desiredNumberScheduled, true);
  let unavailable = scaledValue(maxUnavailable, desiredNumberScheduled, true);
  if (desiredNumberScheduled > 0 && surge === 0 && unavailable === 0) unavailable = 1;
  return { maxSurge: surge, maxUnavailable: unavailable };
}

/**
 * The StatefulSet controller's unavailability budget: with the MaxUnavailableStatefulSet gate
 * (alpha, off by default in 1.34) the field rounds down with a minimum of 1
 * (stateful_set_utils.go getStatefulSetMaxUnavailable); without it (the field absent) the
 * controller replaces one pod at a time: 1.
 */
export function resolveStatefulSetMaxUnavailable(
  maxUnavailable: IntOrPercent | undefined,
  desired: number | undefined,
): number | undefined {
  if (maxUnavailable === undefined) return 1;
  if (desired === undefined) return undefined;
  return Math.max(1, scaledValue(maxUnavailable, desired, false));
}

// ---- the reader ------------------------------------------------------------------------------

function kindOf(obj: Rec, hint: WorkloadKind | undefined): WorkloadKind | undefined {
  const k = obj['kind'];
  if (typeof k === 'string' && (WORKLOAD_KINDS as readonly string[]).includes(k)) return k as WorkloadKind;
  return k === undefined ? hint : undefined;
}

function readOwnerRefs(v: unknown): OwnerRef[] {
  const out: OwnerRef[] = [];
  for (const x of list(v)) {
    const r = rec(x);
    const kind = str(r?.['kind']);
    const name = str(r?.['name']);
    if (!r || !kind || !name) continue;
    out.push({ kind, name, uid: str(r['uid']), controller: r['controller'] === true });
  }
  return out;
}

function readConditions(v: unknown): WorkloadCondition[] {
  const out: WorkloadCondition[] = [];
  for (const x of list(v)) {
    const r = rec(x);
    const type = str(r?.['type']);
    if (!r || !type) continue;
    out.push({
      type,
      status: typeof r['status'] === 'string' ? r['status'] : '',
      reason: str(r['reason']),
      message: str(r['message']),
      lastUpdateTime: time(r['lastUpdateTime']),
      lastTransitionTime: time(r['lastTransitionTime']),
      lastProbeTime: time(r['lastProbeTime']),
    });
  }
  return out;
}

function readSelector(v: unknown): LabelSelector | undefined {
  const r = rec(v);
  if (!r) return undefined;
  const matchExpressions: { key: string; operator: string; values: string[] }[] = [];
  for (const x of list(r['matchExpressions'])) {
    const e = rec(x);
    const key = str(e?.['key']);
    const operator = str(e?.['operator']);
    if (!e || !key || !operator) continue;
    matchExpressions.push({ key, operator, values: list(e['values']).filter((s): s is string => typeof s === 'string') });
  }
  return { matchLabels: strMap(r['matchLabels']), matchExpressions };
}

/** A metav1.LabelSelector as the text the API's labelSelector parameter accepts. */
export function selectorText(sel: LabelSelector | undefined): string | undefined {
  if (!sel) return undefined;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels)) parts.push(`${k}=${v}`);
  for (const e of sel.matchExpressions) {
    const values = e.values.join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
    // An operator we do not know would widen the selector if dropped: no text at all instead.
    else return undefined;
  }
  return parts.length ? parts.join(',') : undefined;
}

function readImages(podSpec: unknown): { container: string; image: string }[] {
  const out: { container: string; image: string }[] = [];
  for (const x of list(rec(podSpec)?.['containers'])) {
    const c = rec(x);
    const container = str(c?.['name']);
    const image = str(c?.['image']);
    if (container && image) out.push({ container, image });
  }
  return out;
}

const none: ReplicaCounts = {
  desired: undefined,
  current: undefined,
  updated: undefined,
  ready: undefined,
  available: undefined,
  unavailable: undefined,
  terminating: undefined,
  atCurrentRevision: undefined,
  misscheduled: undefined,
  fullyLabeled: undefined,
};

/**
 * Reads one workload object. `kindHint` names the kind of items read from a list (the API server
 * leaves `kind` out of list items). Returns undefined for anything that is not one of the workload
 * kinds or has no name.
 */
export function readWorkload(object: unknown, kindHint?: WorkloadKind): WorkloadSnapshot | undefined {
  const obj = rec(object);
  if (!obj) return undefined;
  const kind = kindOf(obj, kindHint);
  if (!kind) return undefined;
  const meta = rec(obj['metadata']);
  const name = str(meta?.['name']);
  if (!name) return undefined;
  const namespace = str(meta?.['namespace']) ?? 'default';
  const labels = strMap(meta?.['labels']);
  const annotations = strMap(meta?.['annotations']);
  const spec = rec(obj['spec']);
  const status = rec(obj['status']);
  const ownerReferences = readOwnerRefs(meta?.['ownerReferences']);

  let selector: LabelSelector | undefined;
  let replicas: ReplicaCounts = none;
  let strategy: WorkloadStrategy | undefined;
  let template: Rec | undefined;
  let job: JobFacts | undefined;
  let cronJob: CronJobFacts | undefined;
  let revision: number | undefined;

  // spec.replicas defaults to 1 on the server (Deployment, ReplicaSet, StatefulSet).
  const specReplicas = (): number | undefined => {
    const v = spec?.['replicas'];
    return v === undefined || v === null ? 1 : int(v);
  };
  const replicaCounts = (desired: number | undefined): ReplicaCounts => ({
    ...none,
    desired,
    current: counter(status, 'replicas'),
    ready: counter(status, 'readyReplicas'),
    available: counter(status, 'availableReplicas'),
    terminating: int(status?.['terminatingReplicas']),
  });

  switch (kind) {
    case 'Deployment': {
      selector = readSelector(spec?.['selector']);
      template = rec(spec?.['template']);
      const desired = specReplicas();
      replicas = {
        ...replicaCounts(desired),
        updated: counter(status, 'updatedReplicas'),
        unavailable: counter(status, 'unavailableReplicas'),
      };
      const s = rec(spec?.['strategy']);
      const type = str(s?.['type']) ?? 'RollingUpdate';
      const ru = rec(s?.['rollingUpdate']);
      // A RollingUpdate without values gets 25% / 25% from the server.
      const maxSurge = type === 'RollingUpdate' ? parseIntOrPercent(ru?.['maxSurge'] ?? '25%') : undefined;
      const maxUnavailable = type === 'RollingUpdate' ? parseIntOrPercent(ru?.['maxUnavailable'] ?? '25%') : undefined;
      const budget = resolveDeploymentBudget(type, maxSurge, maxUnavailable, desired);
      strategy = {
        type,
        maxSurge,
        maxUnavailable,
        resolvedMaxSurge: budget?.maxSurge,
        resolvedMaxUnavailable: budget?.maxUnavailable,
        partition: undefined,
        podManagementPolicy: undefined,
      };
      revision = intString(annotations[REVISION_ANNOTATION]);
      break;
    }
    case 'ReplicaSet': {
      selector = readSelector(spec?.['selector']);
      template = rec(spec?.['template']);
      replicas = { ...replicaCounts(specReplicas()), fullyLabeled: counter(status, 'fullyLabeledReplicas') };
      revision = intString(annotations[REVISION_ANNOTATION]);
      break;
    }
    case 'StatefulSet': {
      selector = readSelector(spec?.['selector']);
      template = rec(spec?.['template']);
      const desired = specReplicas();
      replicas = {
        ...replicaCounts(desired),
        updated: counter(status, 'updatedReplicas'),
        atCurrentRevision: counter(status, 'currentReplicas'),
      };
      const s = rec(spec?.['updateStrategy']);
      const typeGiven = str(s?.['type']);
      const type = typeGiven ?? 'RollingUpdate';
      // The server adds an empty rollingUpdate (partition 0) only when it defaults the type; a
      // RollingUpdate written without the block keeps none (and kubectl then compares revisions).
      const ru = rec(s?.['rollingUpdate']) ?? (typeGiven === undefined ? {} : undefined);
      const maxUnavailable = ru?.['maxUnavailable'] === undefined ? undefined : parseIntOrPercent(ru['maxUnavailable']);
      const rawPartition = ru?.['partition'];
      strategy = {
        type,
        maxSurge: undefined,
        maxUnavailable,
        resolvedMaxSurge: type === 'RollingUpdate' ? 0 : undefined,
        resolvedMaxUnavailable:
          type !== 'RollingUpdate'
            ? undefined
            : ru?.['maxUnavailable'] !== undefined && maxUnavailable === undefined
              ? undefined
              : resolveStatefulSetMaxUnavailable(maxUnavailable, desired),
        partition:
          type === 'RollingUpdate' && ru ? (rawPartition === undefined || rawPartition === null ? 0 : int(rawPartition)) : undefined,
        podManagementPolicy: str(spec?.['podManagementPolicy']) ?? 'OrderedReady',
      };
      break;
    }
    case 'DaemonSet': {
      selector = readSelector(spec?.['selector']);
      template = rec(spec?.['template']);
      const desired = counter(status, 'desiredNumberScheduled');
      replicas = {
        ...none,
        desired,
        current: counter(status, 'currentNumberScheduled'),
        updated: counter(status, 'updatedNumberScheduled'),
        ready: counter(status, 'numberReady'),
        available: counter(status, 'numberAvailable'),
        unavailable: counter(status, 'numberUnavailable'),
        misscheduled: counter(status, 'numberMisscheduled'),
      };
      const s = rec(spec?.['updateStrategy']);
      const type = str(s?.['type']) ?? 'RollingUpdate';
      const ru = rec(s?.['rollingUpdate']);
      const maxSurge = type === 'RollingUpdate' ? parseIntOrPercent(ru?.['maxSurge'] ?? 0) : undefined;
      const maxUnavailable = type === 'RollingUpdate' ? parseIntOrPercent(ru?.['maxUnavailable'] ?? 1) : undefined;
      const budget = resolveDaemonSetBudget(type, maxSurge, maxUnavailable, desired);
      strategy = {
        type,
        maxSurge,
        maxUnavailable,
        resolvedMaxSurge: budget?.maxSurge,
        resolvedMaxUnavailable: budget?.maxUnavailable,
        partition: undefined,
        podManagementPolicy: undefined,
      };
      break;
    }
    case 'Job': {
      selector = readSelector(spec?.['selector']);
      template = rec(spec?.['template']);
      job = readJob(spec, status);
      break;
    }
    case 'CronJob': {
      const jobTemplate = rec(spec?.['jobTemplate']);
      template = rec(rec(jobTemplate?.['spec'])?.['template']);
      cronJob = {
        schedule: str(spec?.['schedule']),
        timeZone: str(spec?.['timeZone']),
        suspend: bool(spec?.['suspend']) ?? false,
        concurrencyPolicy: str(spec?.['concurrencyPolicy']) ?? 'Allow',
        active: list(status?.['active']).flatMap((x) => {
          const r = rec(x);
          const n = str(r?.['name']);
          return n ? [{ name: n, uid: str(r?.['uid']) }] : [];
        }),
        lastScheduleTime: time(status?.['lastScheduleTime']),
        lastSuccessfulTime: time(status?.['lastSuccessfulTime']),
      };
      break;
    }
    case 'ControllerRevision': {
      revision = int(obj['revision']);
      template = rec(rec(rec(obj['data'])?.['spec'])?.['template']);
      break;
    }
  }

  const ctrl = ownerReferences.find((r) => r.controller);
  const templateLabels = strMap(rec(template?.['metadata'])?.['labels']);
  return {
    kind,
    apiVersion: str(obj['apiVersion']),
    name,
    namespace,
    uid: str(meta?.['uid']) ?? `nouid:${kind}/${namespace}/${name}`,
    resourceVersion: str(meta?.['resourceVersion']),
    createdAt: time(meta?.['creationTimestamp']),
    deletionAt: time(meta?.['deletionTimestamp']),
    generation: int(meta?.['generation']),
    observedGeneration: int(status?.['observedGeneration']),
    labels,
    selector,
    selectorText: selectorText(selector),
    replicas,
    strategy,
    paused: kind === 'Deployment' ? (bool(spec?.['paused']) ?? false) : false,
    progressDeadlineSeconds:
      kind === 'Deployment'
        ? spec?.['progressDeadlineSeconds'] === undefined || spec['progressDeadlineSeconds'] === null
          ? 600
          : int(spec['progressDeadlineSeconds'])
        : undefined,
    minReadySeconds:
      kind === 'Job' || kind === 'CronJob' || kind === 'ControllerRevision' ? undefined : (int(spec?.['minReadySeconds']) ?? 0),
    revisionHistoryLimit: int(spec?.['revisionHistoryLimit']),
    conditions: readConditions(status?.['conditions']),
    revision,
    podTemplateHash:
      kind === 'ReplicaSet'
        ? (labels[POD_TEMPLATE_HASH_LABEL] ?? templateLabels[POD_TEMPLATE_HASH_LABEL] ?? selector?.matchLabels[POD_TEMPLATE_HASH_LABEL])
        : undefined,
    // DaemonSets label their ControllerRevisions controller-revision-hash, StatefulSets controller.kubernetes.io/hash.
    controllerRevisionHash:
      kind === 'ControllerRevision' ? (labels[CONTROLLER_REVISION_HASH_LABEL] ?? labels['controller.kubernetes.io/hash']) : undefined,
    currentRevision: kind === 'StatefulSet' ? str(status?.['currentRevision']) : undefined,
    updateRevision: kind === 'StatefulSet' ? str(status?.['updateRevision']) : undefined,
    collisionCount: int(status?.['collisionCount']),
    images: readImages(template?.['spec']),
    job,
    cronJob,
    ownerReferences,
    controller: ctrl,
  };
}

function readJob(spec: Rec | undefined, status: Rec | undefined): JobFacts {
  const optional = (v: unknown): number | undefined => (v === undefined || v === null ? undefined : int(v));
  const unset = (v: unknown): boolean => v === undefined || v === null;
  const completions = spec?.['completions'];
  const parallelism = spec?.['parallelism'];
  const backoffLimit = spec?.['backoffLimit'];
  const perIndex = optional(spec?.['backoffLimitPerIndex']);
  return {
    // batch/v1 defaults (SetDefaults_Job): completions and parallelism 1 when both are unset,
    // parallelism 1 when only it is unset; backoffLimit 6, or MaxInt32 with backoffLimitPerIndex.
    completions: unset(completions) && unset(parallelism) ? 1 : optional(completions),
    parallelism: unset(parallelism) ? 1 : int(parallelism),
    backoffLimit: unset(backoffLimit) ? (perIndex === undefined ? 6 : 2147483647) : int(backoffLimit),
    backoffLimitPerIndex: perIndex,
    activeDeadlineSeconds: optional(spec?.['activeDeadlineSeconds']),
    completionMode: str(spec?.['completionMode']) ?? 'NonIndexed',
    suspend: bool(spec?.['suspend']) ?? false,
    active: counter(status, 'active'),
    succeeded: counter(status, 'succeeded'),
    failed: counter(status, 'failed'),
    ready: int(status?.['ready']),
    terminating: int(status?.['terminating']),
    startTime: time(status?.['startTime']),
    completionTime: time(status?.['completionTime']),
  };
}

export function conditionOf(w: Pick<WorkloadSnapshot, 'conditions'>, type: string): WorkloadCondition | undefined {
  return w.conditions.find((c) => c.type === type);
}

/** Is `child` controlled by `owner`: by uid when both are known, else by kind and name. */
export function isControlledBy(child: Pick<WorkloadSnapshot, 'controller' | 'namespace'>, owner: WorkloadSnapshot): boolean {
  const ref = child.controller;
  if (!ref || child.namespace !== owner.namespace || ref.kind !== owner.kind) return false;
  if (ref.uid !== undefined && !owner.uid.startsWith('nouid:')) return ref.uid === owner.uid;
  return ref.name === owner.name;
}

// ---- events about workloads ------------------------------------------------------------------

/** An Event about a workload object (the owner side of a rollout), in plain terms. */
export interface WorkloadEvent extends EventCore {
  readonly namespace: string;
  readonly involvedKind: string | undefined;
  readonly involvedName: string | undefined;
  readonly involvedUid: string | undefined;
}

/**
 * Reads a core/v1 Event (or one converted from events.k8s.io/v1) about any object. Time and
 * repeats as in snapshot.ts eventFacts: eventTime or first/lastTimestamp, count or series.
 */
export function readWorkloadEvent(object: unknown): WorkloadEvent | undefined {
  const e = rec(object) as (Rec & Partial<EventJson>) | undefined;
  if (!e) return undefined;
  const meta = rec(e['metadata']);
  const involved = rec(e['involvedObject']);
  const series = rec(e['series']);
  const first = time(e['firstTimestamp']) ?? time(e['eventTime']) ?? time(meta?.['creationTimestamp']);
  const lastSeen = time(series?.['lastObservedTime']) ?? time(e['lastTimestamp']) ?? time(e['eventTime']) ?? first;
  const count = int(series?.['count']) ?? int(e['count']) ?? 1;
  const namespace = str(involved?.['namespace']) ?? str(meta?.['namespace']) ?? 'default';
  const reason = typeof e['reason'] === 'string' ? e['reason'] : '';
  const message = typeof e['message'] === 'string' ? e['message'].trim() : '';
  const name = str(meta?.['name']);
  return {
    key: str(meta?.['uid']) ?? `${namespace}/${name ?? `${reason}/${str(involved?.['name']) ?? ''}/${message}`}`,
    namespace,
    involvedKind: str(involved?.['kind']),
    involvedName: str(involved?.['name']),
    involvedUid: str(involved?.['uid']),
    type: str(e['type']) ?? 'Normal',
    reason,
    message,
    count: Math.max(1, count),
    firstAt: first,
    lastAt: lastSeen === undefined || first === undefined ? (lastSeen ?? first) : Math.max(first, lastSeen),
    source: str(rec(e['source'])?.['component']) ?? str(e['reportingComponent']),
  };
}
