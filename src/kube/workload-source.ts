// The workload source: the owner of a rollout (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
// CronJob), its children (a Deployment's ReplicaSets, a StatefulSet's or DaemonSet's
// ControllerRevisions, a CronJob's Jobs) and the Events about them, listed then watched with
// runListWatch and turned into serialisable observations stamped with observedAt at this boundary.
// The pods are not watched here: the pod source watches them by `podSelector` (a CronJob's pods
// carry no common label: select them through its Jobs, see `podSelector`).
//
// Owner-side Events come from ONE events watch for the namespace with `involvedObject.kind!=Pod`,
// kept here when they are about the owner or one of its children. Measured against one watch per
// involved object (bench/workload-events.ts): events have no watch cache in the API server, so
// every events watch is its own etcd watch whose whole namespace stream is decoded and filtered
// in the API server; one per ReplicaSet multiplies that work, and new ReplicaSets need new
// watches. 'per-object' is kept as an option for the measurement.

import type { EventJson, Observation } from '../model/index.ts';
import type { WorkloadObservation, WorkloadResource } from '../model/workload-observation.ts';
import { readWorkload, type WorkloadJson, type WorkloadKind, type WorkloadSnapshot } from '../model/workload.ts';
import { ApiError, toUserError, type KubeClient } from './client.ts';
import { UserError } from './errors.ts';
import { describeApiError, runListWatch, type ListWatchOptions } from './list-watch.ts';
import { closeNames } from './target.ts';

export type WorkloadTargetKind = Exclude<WorkloadKind, 'ControllerRevision'>;

export interface WorkloadTarget {
  readonly kind: WorkloadTargetKind;
  readonly namespace: string;
  readonly name: string;
}

interface ApiInfo {
  readonly group: string; // the API path prefix: "apis/apps/v1"
  readonly apiVersion: string;
  readonly resource: WorkloadResource;
  /** How kubectl names it in messages and `kubectl get` hints. */
  readonly short: string;
}

export const WORKLOAD_API: Readonly<Record<WorkloadKind, ApiInfo>> = {
  Deployment: { group: 'apis/apps/v1', apiVersion: 'apps/v1', resource: 'deployments', short: 'deploy' },
  ReplicaSet: { group: 'apis/apps/v1', apiVersion: 'apps/v1', resource: 'replicasets', short: 'rs' },
  StatefulSet: { group: 'apis/apps/v1', apiVersion: 'apps/v1', resource: 'statefulsets', short: 'sts' },
  DaemonSet: { group: 'apis/apps/v1', apiVersion: 'apps/v1', resource: 'daemonsets', short: 'ds' },
  ControllerRevision: { group: 'apis/apps/v1', apiVersion: 'apps/v1', resource: 'controllerrevisions', short: 'controllerrevision' },
  Job: { group: 'apis/batch/v1', apiVersion: 'batch/v1', resource: 'jobs', short: 'job' },
  CronJob: { group: 'apis/batch/v1', apiVersion: 'batch/v1', resource: 'cronjobs', short: 'cronjob' },
};

/** The kind of the children each owner has (none for ReplicaSets and Jobs). */
export const CHILD_KIND: Readonly<Record<WorkloadTargetKind, WorkloadKind | undefined>> = {
  Deployment: 'ReplicaSet',
  StatefulSet: 'ControllerRevision',
  DaemonSet: 'ControllerRevision',
  CronJob: 'Job',
  ReplicaSet: undefined,
  Job: undefined,
};

/** The note for a list/watch that cannot be had: the same words for a refused first list and a fatal watch. */
function unreadable(label: string, error: ApiError): string {
  return error.kind === 'forbidden'
    ? `${label} not visible (RBAC forbids list/watch); the rollout view lacks them`
    : `${label}: ${describeApiError(error)}; the rollout view lacks them`;
}

function collectionPath(kind: WorkloadKind, namespace: string): string {
  const api = WORKLOAD_API[kind];
  return `/${api.group}/namespaces/${encodeURIComponent(namespace)}/${api.resource}`;
}

/** List items come without kind and apiVersion: stamp them so every observation reads alone. */
function stamped(kind: WorkloadKind, object: unknown): WorkloadJson {
  const o = (object ?? {}) as WorkloadJson;
  return o.kind === kind && o.apiVersion ? o : { ...o, kind, apiVersion: WORKLOAD_API[kind].apiVersion };
}

export interface ResolvedWorkload {
  readonly target: WorkloadTarget;
  readonly object: WorkloadJson;
  readonly snapshot: WorkloadSnapshot;
  /**
   * The label selector of its pods (`-l` text) for the pod source. undefined for a CronJob, whose
   * Jobs' pods share no label: select them per Job (`batch.kubernetes.io/controller-uid in (...)`
   * over the Jobs this source reports, or ownerReferences).
   */
  readonly podSelector: string | undefined;
}

/** Fetches the target once: one clear line when it does not exist or cannot be read. */
export async function resolveWorkload(client: KubeClient, target: WorkloadTarget, signal?: AbortSignal): Promise<ResolvedWorkload> {
  const api = WORKLOAD_API[target.kind];
  const what = `${api.short}/${target.name}`;
  let object: WorkloadJson;
  try {
    object = stamped(
      target.kind,
      await client.getJson<unknown>(
        `${collectionPath(target.kind, target.namespace)}/${encodeURIComponent(target.name)}`,
        signal ? { signal } : {},
      ),
    );
  } catch (e) {
    if (e instanceof ApiError && e.kind === 'not-found') throw await notFound(client, target);
    throw toUserError(e, { verbs: 'get', resource: api.resource, namespace: target.namespace });
  }
  const snapshot = readWorkload(object, target.kind);
  if (!snapshot) throw new UserError(`${what}: the API server returned an object that is not a ${target.kind}`, undefined);
  let podSelector: string | undefined;
  if (target.kind !== 'CronJob') {
    podSelector = snapshot.selectorText;
    if (podSelector === undefined)
      throw new UserError(`${what} has no pod selector podlife can use`, 'Watch its pods by label with -l key=value.');
  }
  return { target, object, snapshot, podSelector };
}

async function notFound(client: KubeClient, target: WorkloadTarget): Promise<UserError> {
  const api = WORKLOAD_API[target.kind];
  const ns = target.namespace;
  try {
    await client.getJson(`/api/v1/namespaces/${encodeURIComponent(ns)}`);
  } catch (e) {
    if (e instanceof ApiError && e.kind === 'not-found') {
      return new UserError(`namespace "${ns}" not found`, 'Check -n/--namespace (kubectl get namespaces lists them).');
    }
  }
  let suggestion = '';
  try {
    const list = await client.getJson<{ items?: { metadata?: { name?: string } }[] }>(collectionPath(target.kind, ns), {
      query: { limit: 2000 },
      accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json',
    });
    const close = closeNames(target.name, (list.items ?? []).map((i) => i.metadata?.name ?? '').filter(Boolean));
    if (close.length) suggestion = `Did you mean ${close.map((c) => `"${c}"`).join(', ')}?`;
  } catch {
    // A courtesy only.
  }
  return new UserError(
    `${api.short}/${target.name} not found in namespace "${ns}"`,
    suggestion || `List them with: kubectl get ${api.resource} -n ${ns}`,
  );
}

export type WorkloadSourceObservation = WorkloadObservation | Extract<Observation, { kind: 'event' | 'note' }>;

export interface WorkloadSourceOptions {
  readonly client: KubeClient;
  readonly target: WorkloadTarget;
  /** From resolveWorkload: the children are listed with the owner's selector (immutable in apps/v1). */
  readonly resolved: ResolvedWorkload;
  readonly emit: (observations: readonly WorkloadSourceObservation[]) => void;
  readonly now: () => number;
  readonly listWatch?: Partial<ListWatchOptions>;
  /** 'namespace' (default): one events watch for the namespace, filtered here; 'per-object': one per involved object. */
  readonly events?: 'namespace' | 'per-object';
}

export interface RunningWorkloadSource {
  /** Resolves when every loop has ended (after abort, or fatal errors). */
  readonly done: Promise<void>;
  /** Resolves once the owner, the children and the events were listed once (or known to be unreadable): --once waits for it. */
  readonly ready: Promise<void>;
  /** How many watches are open now (the owner, the children, the events ones). */
  readonly watches: () => number;
}

/** Owner-side Events held back while the object they are about is not known yet (it is announced by another watch). */
const PENDING_EVENTS_MAX = 500;

export async function startWorkloadSource(o: WorkloadSourceOptions, signal: AbortSignal): Promise<RunningWorkloadSource> {
  const { client, target, emit, now } = o;
  const mode = o.events ?? 'namespace';
  const note = (level: 'info' | 'warning' | 'error', text: string): void => emit([{ kind: 'note', observedAt: now(), level, text }]);
  const verbOf = (type: 'ADDED' | 'MODIFIED' | 'DELETED'): 'added' | 'modified' | 'deleted' =>
    type === 'ADDED' ? 'added' : type === 'MODIFIED' ? 'modified' : 'deleted';
  const relisted = (resource: WorkloadResource, t: number, items: readonly WorkloadSourceObservation[]): WorkloadSourceObservation[] => [
    { kind: 'relist-start', resource, observedAt: t },
    ...items,
    { kind: 'relist-done', resource, observedAt: t },
  ];

  // What the owner-side events may be about: the owner and the children reported so far.
  const owner = { kind: target.kind as string, name: target.name, uid: o.resolved.snapshot.uid };
  const children = new Map<string, { kind: string; name: string }>(); // uid -> identity
  const isOurs = (ev: EventJson): boolean => {
    const io = ev.involvedObject;
    if (!io) return false;
    if (io.kind === owner.kind && io.name === owner.name) return true;
    if (io.uid && children.has(io.uid)) return true;
    for (const c of children.values()) if (c.kind === io.kind && c.name === io.name) return true;
    return false;
  };
  const childKind = CHILD_KIND[target.kind];
  // An event about an object of the child kind that is not known yet may be about a child that
  // another watch has not announced yet (a new ReplicaSet's first SuccessfulCreate): hold it.
  const pending: { verb: 'list' | 'added' | 'modified' | 'deleted'; observedAt: number; object: EventJson }[] = [];
  const mayBeChild = (ev: EventJson): boolean => childKind !== undefined && ev.involvedObject?.kind === childKind;
  const release = (): void => {
    const ready = pending.filter((p) => isOurs(p.object));
    if (!ready.length) return;
    for (const r of ready) pending.splice(pending.indexOf(r), 1);
    // Stamped now: the events reach the model in order of observation (a recording stays in time order).
    const t = now();
    emit(ready.map((p) => ({ kind: 'event', verb: p.verb, observedAt: Math.max(t, p.observedAt), object: p.object })));
  };
  const hold = (p: (typeof pending)[number]): void => {
    pending.push(p);
    if (pending.length > PENDING_EVENTS_MAX) pending.splice(0, pending.length - PENDING_EVENTS_MAX);
  };

  let open = 0;
  const loops: Promise<void>[] = [];
  const firsts: Promise<void>[] = [];
  const watch = (
    label: string,
    path: string,
    query: Readonly<Record<string, string | undefined>>,
    hooks: {
      onList: (items: readonly unknown[], t: number) => void;
      onEvent: (type: 'ADDED' | 'MODIFIED' | 'DELETED', object: unknown, t: number) => void;
    },
    stop: AbortSignal = signal,
  ): void => {
    let live = false;
    const lw = runListWatch(
      client,
      { path, query },
      {
        onList: (items) => hooks.onList(items, now()),
        onWatchEvent: (type, object) => hooks.onEvent(type, object, now()),
        onState(state, message) {
          if (state === 'live' && !live) open++;
          if (state !== 'live' && live) open--;
          live = state === 'live';
          if (state === 'reconnecting') note('warning', `${label}: ${message ?? 'reconnecting'}`);
        },
        onFatal(error) {
          note('warning', unreadable(label, error));
          return true;
        },
      },
      stop,
      o.listWatch,
    );
    loops.push(lw.done.finally(() => (live ? open-- : undefined)));
    firsts.push(
      lw.firstList.catch((e: unknown) => {
        if (stop.aborted) return;
        note('warning', e instanceof ApiError ? unreadable(label, e) : `${label}: ${String(e)}; the rollout view lacks them`);
      }),
    );
  };

  // The owner, by name (as kubectl rollout status watches it).
  const ownerResource = WORKLOAD_API[target.kind].resource;
  watch(
    ownerResource,
    collectionPath(target.kind, target.namespace),
    { fieldSelector: `metadata.name=${target.name}` },
    {
      onList(items, t) {
        emit(
          relisted(
            ownerResource,
            t,
            items.map((i) => ({ kind: 'workload', verb: 'list', observedAt: t, object: stamped(target.kind, i) })),
          ),
        );
        const uid = (items[0] as WorkloadJson | undefined)?.metadata?.uid;
        if (uid) owner.uid = uid;
      },
      onEvent(type, object, t) {
        const w = stamped(target.kind, object);
        if (w.metadata?.uid) owner.uid = w.metadata.uid;
        emit([{ kind: 'workload', verb: verbOf(type), observedAt: t, object: w }]);
      },
    },
  );

  // The children, by the owner's selector (or all Jobs of the namespace for a CronJob), kept when
  // the owner controls them. One that stops being ours (orphaned) is reported deleted.
  const perObject = new Map<string, AbortController>();
  if (childKind) {
    const resource = WORKLOAD_API[childKind].resource;
    const controlledByOwner = (w: WorkloadJson): boolean => {
      const refs = w.metadata?.ownerReferences ?? [];
      const ref = refs.find((r) => r.controller);
      return (
        !!ref &&
        ref.kind === target.kind &&
        ref.name === target.name &&
        (!ref.uid || owner.uid.startsWith('nouid:') || ref.uid === owner.uid)
      );
    };
    const reported = new Set<string>();
    const adopt = (w: WorkloadJson): void => {
      const uid = w.metadata?.uid;
      const name = w.metadata?.name;
      if (!uid || !name) return;
      reported.add(uid);
      if (!children.has(uid)) {
        children.set(uid, { kind: childKind, name });
        if (mode === 'per-object') startObjectEvents(childKind, name, uid);
      }
    };
    const drop = (uid: string | undefined): void => {
      if (!uid) return;
      reported.delete(uid);
      children.delete(uid);
      perObject.get(uid)?.abort();
      perObject.delete(uid);
    };
    const selector = target.kind === 'CronJob' ? undefined : o.resolved.podSelector;
    watch(resource, collectionPath(childKind, target.namespace), selector ? { labelSelector: selector } : {}, {
      onList(items, t) {
        const ours = items.map((i) => stamped(childKind, i)).filter(controlledByOwner);
        const seen = new Set(ours.map((w) => w.metadata?.uid));
        for (const uid of [...reported]) if (!seen.has(uid)) drop(uid);
        for (const w of ours) adopt(w);
        emit(
          relisted(
            resource,
            t,
            ours.map((object) => ({ kind: 'workload', verb: 'list', observedAt: t, object })),
          ),
        );
        release();
      },
      onEvent(type, object, t) {
        const w = stamped(childKind, object);
        const uid = w.metadata?.uid;
        if (controlledByOwner(w) && type !== 'DELETED') {
          adopt(w);
          emit([{ kind: 'workload', verb: verbOf(type), observedAt: t, object: w }]);
          release();
        } else if (uid && reported.has(uid)) {
          drop(uid);
          emit([{ kind: 'workload', verb: 'deleted', observedAt: t, object: w }]);
        }
      },
    });
  }

  // Owner-side events.
  function startObjectEvents(kind: string, name: string, uid: string | undefined): void {
    const stop = new AbortController();
    const onAbort = (): void => stop.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    stop.signal.addEventListener('abort', () => signal.removeEventListener('abort', onAbort), { once: true });
    if (uid) perObject.set(uid, stop);
    watch(
      `events of ${kind}/${name}`,
      `/api/v1/namespaces/${encodeURIComponent(target.namespace)}/events`,
      { fieldSelector: `involvedObject.kind=${kind},involvedObject.name=${name}` },
      {
        onList(items, t) {
          // A partial list (one object's events): no relist markers, which would end the others'.
          emit((items as EventJson[]).map((object) => ({ kind: 'event', verb: 'list', observedAt: t, object })));
        },
        onEvent(type, object, t) {
          emit([{ kind: 'event', verb: verbOf(type), observedAt: t, object: object as EventJson }]);
        },
      },
      stop.signal,
    );
  }

  if (mode === 'per-object') {
    startObjectEvents(target.kind, target.name, undefined);
  } else {
    watch(
      'events',
      `/api/v1/namespaces/${encodeURIComponent(target.namespace)}/events`,
      { fieldSelector: 'involvedObject.kind!=Pod' },
      {
        onList(items, t) {
          const evs = items as EventJson[];
          pending.length = 0;
          const kept: WorkloadSourceObservation[] = [];
          for (const object of evs) {
            if (isOurs(object)) kept.push({ kind: 'event', verb: 'list', observedAt: t, object });
            else if (mayBeChild(object)) hold({ verb: 'list', observedAt: t, object });
          }
          emit(relisted('workload-events', t, kept));
        },
        onEvent(type, object, t) {
          const ev = object as EventJson;
          if (isOurs(ev)) emit([{ kind: 'event', verb: verbOf(type), observedAt: t, object: ev }]);
          else if (mayBeChild(ev)) hold({ verb: verbOf(type), observedAt: t, object: ev });
        },
      },
    );
  }

  const ready = Promise.all(firsts).then(() => undefined);
  return {
    done: (async () => {
      // Loops started later (per-object events of new children) join the list while we wait.
      for (let i = 0; i < loops.length; i++) await loops[i]!.catch(() => undefined);
    })(),
    ready,
    watches: () => open,
  };
}
