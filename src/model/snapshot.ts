// Wire JSON -> snapshots: the only readers of Pods and Events. Each object is read once, at the
// model's entry, into the small set of facts the model uses; the raw object is not kept. The
// readers are total: any JSON value gives a snapshot, with what could not be read listed in
// `unreadable` (the views show those as gaps) instead of an exception.

import { intern, Reader, type Json } from './read.ts';
import type { ContainerStateName, ContainerType, EventCore } from './types.ts';

export interface StateFacts {
  readonly state: Exclude<ContainerStateName, 'unknown'>;
  readonly reason: string | undefined;
  readonly message: string | undefined;
  readonly startedAt: number | undefined;
  readonly finishedAt: number | undefined;
  readonly exitCode: number | undefined;
  readonly signal: number | undefined;
  readonly containerID: string | undefined;
}

export interface ContainerStatusFacts {
  readonly name: string;
  readonly state: StateFacts | undefined;
  /** The previous instance's termination (the API keeps only that one). */
  readonly lastState: StateFacts | undefined;
  readonly ready: boolean;
  readonly started: boolean | undefined;
  readonly restartCount: number;
  readonly containerID: string | undefined;
  readonly image: string | undefined;
}

export type HandlerFacts =
  | { readonly kind: 'exec'; readonly command: readonly string[] }
  | { readonly kind: 'httpGet'; readonly path: string | undefined; readonly port: string | undefined }
  | { readonly kind: 'tcpSocket'; readonly port: string | undefined }
  | { readonly kind: 'grpc'; readonly port: string | undefined; readonly service: string | undefined }
  | { readonly kind: 'sleep'; readonly seconds: number | undefined }
  | { readonly kind: 'unknown' };

export interface ProbeFacts {
  readonly kind: 'startup' | 'liveness' | 'readiness';
  readonly handler: HandlerFacts;
  readonly initialDelaySeconds: number | undefined;
  readonly periodSeconds: number | undefined;
  readonly timeoutSeconds: number | undefined;
  readonly failureThreshold: number | undefined;
  /** The probe's own grace period for the kill it causes (liveness / startup), if set. */
  readonly terminationGracePeriodSeconds: number | undefined;
}

export interface HookFacts {
  readonly kind: 'postStart' | 'preStop';
  readonly handler: HandlerFacts;
}

export interface ResourceFacts {
  readonly cpu: string | undefined;
  readonly memory: string | undefined;
}

export interface ContainerSpecFacts {
  readonly name: string;
  readonly image: string | undefined;
  /** command followed by args. */
  readonly command: readonly string[];
  /** "Always" on an init container makes it a sidecar (1.28+). */
  readonly restartPolicy: string | undefined;
  readonly limits: ResourceFacts;
  readonly requests: ResourceFacts;
  /** startup, liveness, readiness: those that are set. */
  readonly probes: readonly ProbeFacts[];
  readonly hooks: readonly HookFacts[];
}

export interface ConditionFacts {
  readonly type: string;
  readonly status: string;
  readonly reason: string | undefined;
  readonly message: string | undefined;
  readonly lastTransitionTime: number | undefined;
}

export interface ContainerEntry {
  readonly name: string;
  readonly type: ContainerType;
  readonly spec: ContainerSpecFacts | undefined;
  readonly status: ContainerStatusFacts | undefined;
}

type ByKind<T> = { readonly init: readonly T[]; readonly regular: readonly T[]; readonly ephemeral: readonly T[] };

export interface PodSnapshot {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  readonly resourceVersion: string | undefined;
  readonly createdAt: number | undefined;
  /** Set once deletionTimestamp is: the SIGKILL deadline (request time + grace period) and the grace period. */
  readonly deletion: { readonly deadline: number | undefined; readonly gracePeriodSeconds: number | undefined } | undefined;
  readonly owner: { readonly kind: string; readonly name: string } | undefined;
  /** The controller ownerReference's uid (a ReplicaSet's, a Job's): which revision the pod belongs to. */
  readonly ownerUid: string | undefined;
  /** The ownerReference read is the controller's (controller: true), not only the first of several owners. */
  readonly ownerIsController: boolean;
  /** metadata.labels (pod-template-hash, controller-revision-hash, and what a workload's selector matches). */
  readonly labels: Readonly<Record<string, string>>;
  /** status.nominatedNodeName: the scheduler preempts for it there. */
  readonly nominatedNode: string | undefined;
  readonly phase: string | undefined;
  readonly reason: string | undefined;
  readonly message: string | undefined;
  readonly nodeName: string | undefined;
  readonly podIP: string | undefined;
  readonly qosClass: string | undefined;
  readonly startTime: number | undefined;
  readonly restartPolicy: string | undefined;
  /** spec.terminationGracePeriodSeconds as written (the API's default is 30). */
  readonly terminationGracePeriodSeconds: number | undefined;
  /** spec.activeDeadlineSeconds: the kubelet fails the pod this long after status.startTime. */
  readonly activeDeadlineSeconds: number | undefined;
  readonly conditions: readonly ConditionFacts[];
  /** Specs in spec order; statuses in the order the API lists them (kubectl's columns walk that order). */
  readonly specs: ByKind<ContainerSpecFacts>;
  readonly statuses: ByKind<ContainerStatusFacts>;
  /** Containers in lifecycle order: init containers (sidecars among them), regular, ephemeral. */
  readonly containers: readonly ContainerEntry[];
  /** Fields that could not be read, each naming the field ("status.containerStatuses{app}.restartCount: ..."). */
  readonly unreadable: readonly string[];
}

/** "spec.containers{app}" when the entry has a readable name, else "spec.containers[2]". */
function at(path: string, index: number, name: unknown): string {
  return typeof name === 'string' && name !== '' ? `${path}{${name}}` : `${path}[${index}]`;
}

function readState(r: Reader, v: unknown, path: string): StateFacts | undefined {
  const s = r.obj(v, path);
  if (!s) return undefined;
  const t = r.obj(s['terminated'], `${path}.terminated`);
  if (t) {
    const p = `${path}.terminated`;
    return {
      state: 'terminated',
      reason: r.word(t['reason'], `${p}.reason`) || undefined,
      message: r.word(t['message'], `${p}.message`) || undefined,
      startedAt: r.time(t['startedAt'], `${p}.startedAt`),
      finishedAt: r.time(t['finishedAt'], `${p}.finishedAt`),
      exitCode: r.int32(t['exitCode'], `${p}.exitCode`),
      signal: r.int32(t['signal'], `${p}.signal`) || undefined,
      containerID: r.str(t['containerID'], `${p}.containerID`) || undefined,
    };
  }
  const running = r.obj(s['running'], `${path}.running`);
  if (running) {
    return {
      state: 'running',
      reason: undefined,
      message: undefined,
      startedAt: r.time(running['startedAt'], `${path}.running.startedAt`),
      finishedAt: undefined,
      exitCode: undefined,
      signal: undefined,
      containerID: undefined,
    };
  }
  const w = r.obj(s['waiting'], `${path}.waiting`);
  if (w) {
    return {
      state: 'waiting',
      reason: r.word(w['reason'], `${path}.waiting.reason`) || undefined,
      message: r.word(w['message'], `${path}.waiting.message`) || undefined,
      startedAt: undefined,
      finishedAt: undefined,
      exitCode: undefined,
      signal: undefined,
      containerID: undefined,
    };
  }
  for (const k of Object.keys(s))
    if (k !== 'terminated' && k !== 'running' && k !== 'waiting') r.note(`${path}.${k}`, 'not a container state');
  return undefined;
}

function readStatus(r: Reader, s: Json, path: string, name: string): ContainerStatusFacts {
  return {
    name,
    state: readState(r, s['state'], `${path}.state`),
    lastState: readState(r, s['lastState'], `${path}.lastState`),
    ready: r.bool(s['ready'], `${path}.ready`) ?? false,
    started: r.bool(s['started'], `${path}.started`),
    restartCount: r.int32(s['restartCount'], `${path}.restartCount`) ?? 0,
    containerID: r.str(s['containerID'], `${path}.containerID`) || undefined,
    image: r.word(s['image'], `${path}.image`),
  };
}

/** A port is an int or a named port; both print as they are. */
function readPort(r: Reader, v: unknown, path: string): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return r.str(v, path);
}

function readHandler(r: Reader, h: Json, path: string): HandlerFacts {
  const exec = r.obj(h['exec'], `${path}.exec`);
  if (exec) return { kind: 'exec', command: r.strings(exec['command'], `${path}.exec.command`) };
  const http = r.obj(h['httpGet'], `${path}.httpGet`);
  if (http)
    return { kind: 'httpGet', path: r.str(http['path'], `${path}.httpGet.path`), port: readPort(r, http['port'], `${path}.httpGet.port`) };
  const tcp = r.obj(h['tcpSocket'], `${path}.tcpSocket`);
  if (tcp) return { kind: 'tcpSocket', port: readPort(r, tcp['port'], `${path}.tcpSocket.port`) };
  const grpc = r.obj(h['grpc'], `${path}.grpc`);
  if (grpc)
    return {
      kind: 'grpc',
      port: readPort(r, grpc['port'], `${path}.grpc.port`),
      service: r.str(grpc['service'], `${path}.grpc.service`) || undefined,
    };
  const sleep = r.obj(h['sleep'], `${path}.sleep`);
  if (sleep) return { kind: 'sleep', seconds: r.num(sleep['seconds'], `${path}.sleep.seconds`) };
  return { kind: 'unknown' };
}

function readQuantities(r: Reader, v: unknown, path: string): ResourceFacts {
  const q = r.obj(v, path);
  // A quantity is a string on the wire; YAML and JSON writers also send plain numbers (cpu: 1).
  const one = (k: string): string | undefined => (q ? readPort(r, q[k], `${path}.${k}`) : undefined);
  return { cpu: one('cpu'), memory: one('memory') };
}

function readSpec(r: Reader, c: Json, path: string, name: string): ContainerSpecFacts {
  const probes: ProbeFacts[] = [];
  for (const [kind, key] of [
    ['startup', 'startupProbe'],
    ['liveness', 'livenessProbe'],
    ['readiness', 'readinessProbe'],
  ] as const) {
    const p = r.obj(c[key], `${path}.${key}`);
    if (!p) continue;
    const pp = `${path}.${key}`;
    probes.push({
      kind,
      handler: readHandler(r, p, pp),
      initialDelaySeconds: r.int32(p['initialDelaySeconds'], `${pp}.initialDelaySeconds`),
      periodSeconds: r.int32(p['periodSeconds'], `${pp}.periodSeconds`),
      timeoutSeconds: r.int32(p['timeoutSeconds'], `${pp}.timeoutSeconds`),
      failureThreshold: r.int32(p['failureThreshold'], `${pp}.failureThreshold`),
      terminationGracePeriodSeconds: r.int(p['terminationGracePeriodSeconds'], `${pp}.terminationGracePeriodSeconds`),
    });
  }
  const hooks: HookFacts[] = [];
  const lifecycle = r.obj(c['lifecycle'], `${path}.lifecycle`);
  for (const kind of ['postStart', 'preStop'] as const) {
    const h = lifecycle ? r.obj(lifecycle[kind], `${path}.lifecycle.${kind}`) : undefined;
    if (h) hooks.push({ kind, handler: readHandler(r, h, `${path}.lifecycle.${kind}`) });
  }
  const resources = r.obj(c['resources'], `${path}.resources`);
  return {
    name,
    image: r.word(c['image'], `${path}.image`),
    command: ((cmd) => (cmd.length ? cmd : NONE))([...r.strings(c['command'], `${path}.command`), ...r.strings(c['args'], `${path}.args`)]),
    restartPolicy: r.word(c['restartPolicy'], `${path}.restartPolicy`),
    limits: readQuantities(r, resources?.['limits'], `${path}.resources.limits`),
    requests: readQuantities(r, resources?.['requests'], `${path}.resources.requests`),
    probes: probes.length ? probes : NONE,
    hooks: hooks.length ? hooks : NONE,
  };
}

/** Named entries of a list; a missing name reads "?", a repeated one is kept once (noted). */
/** The empty list of every pod without such entries (snapshots are never written to). */
const NONE: readonly never[] = Object.freeze([]);

function named<T>(r: Reader, v: unknown, path: string, read: (x: Json, path: string, name: string) => T): readonly T[] {
  if (v === undefined || v === null) return NONE;
  const out: T[] = [];
  const seen = new Set<string>();
  for (const { value, index } of r.objects(v, path)) {
    const p = at(path, index, value['name']);
    let name = r.str(value['name'], `${p}.name`);
    if (name === undefined || name === '') {
      r.note(`${p}.name`, 'missing, shown as "?"');
      name = '?';
    }
    if (seen.has(name)) {
      r.note(p, `a second entry named ${JSON.stringify(name)}, ignored`);
      continue;
    }
    seen.add(name);
    out.push(read(value, p, name));
  }
  return out;
}

function join(specs: ByKind<ContainerSpecFacts>, statuses: ByKind<ContainerStatusFacts>): ContainerEntry[] {
  const out: ContainerEntry[] = [];
  for (const kind of ['init', 'regular', 'ephemeral'] as const) {
    const byName = new Map(statuses[kind].map((s) => [s.name, s] as const));
    for (const spec of specs[kind]) {
      const type: ContainerType = kind === 'init' && spec.restartPolicy === 'Always' ? 'sidecar' : kind;
      out.push({ name: spec.name, type, spec, status: byName.get(spec.name) });
      byName.delete(spec.name);
    }
    // A status without a spec (a partial object): keep it rather than drop facts.
    for (const s of byName.values()) out.push({ name: s.name, type: kind, spec: undefined, status: s });
  }
  return out;
}

/** Reads a Pod as observed at `observedAt`. Never throws. */
export function podSnapshot(v: unknown, observedAt: number): PodSnapshot {
  const r = new Reader(observedAt);
  const pod = r.obj(v, 'the pod') ?? {};
  const meta = r.obj(pod['metadata'], 'metadata') ?? {};
  const spec = r.obj(pod['spec'], 'spec') ?? {};
  const status = r.obj(pod['status'], 'status') ?? {};

  const namespace = r.word(meta['namespace'], 'metadata.namespace') ?? 'default';
  let name = r.str(meta['name'], 'metadata.name');
  if (name === undefined) {
    r.note('metadata.name', 'missing, shown as "?"');
    name = '?';
  }
  // Objects saved without a uid (hand-written manifests) get a stable stand-in.
  const uid = r.str(meta['uid'], 'metadata.uid') || `nouid:${namespace}/${name}`;

  let owner: PodSnapshot['owner'];
  let ownerUid: string | undefined;
  let ownerIsController = false;
  const refs = r.objects(meta['ownerReferences'], 'metadata.ownerReferences');
  const ref = refs.find((x) => x.value['controller'] === true) ?? refs[0];
  if (ref) {
    const kind = r.word(ref.value['kind'], `metadata.ownerReferences[${ref.index}].kind`);
    const refName = r.word(ref.value['name'], `metadata.ownerReferences[${ref.index}].name`);
    owner = kind && refName ? { kind, name: refName } : undefined;
    ownerUid = r.word(ref.value['uid'], `metadata.ownerReferences[${ref.index}].uid`) || undefined;
    ownerIsController = ref.value['controller'] === true;
  }
  const labels: Record<string, string> = {};
  const rawLabels = r.obj(meta['labels'], 'metadata.labels');
  if (rawLabels) for (const [k, v] of Object.entries(rawLabels)) if (typeof v === 'string') labels[k] = intern(v);

  const deletionTimestamp = meta['deletionTimestamp'];
  const deletion =
    deletionTimestamp !== undefined && deletionTimestamp !== null && deletionTimestamp !== ''
      ? {
          deadline: r.time(deletionTimestamp, 'metadata.deletionTimestamp', true),
          gracePeriodSeconds: r.int(meta['deletionGracePeriodSeconds'], 'metadata.deletionGracePeriodSeconds'),
        }
      : undefined;

  const conditions: ConditionFacts[] = r.objects(status['conditions'], 'status.conditions').map(({ value: c, index }) => {
    const p = `status.conditions[${index}]`;
    let type = r.word(c['type'], `${p}.type`);
    if (!type) {
      r.note(`${p}.type`, 'missing, shown as "?"');
      type = '?';
    }
    const cp = `status.conditions{${type}}`;
    let st = r.word(c['status'], `${cp}.status`);
    if (!st) {
      r.note(`${cp}.status`, 'missing, shown as "?"');
      st = '?';
    }
    return {
      type,
      status: st,
      reason: r.word(c['reason'], `${cp}.reason`),
      message: r.word(c['message'], `${cp}.message`),
      lastTransitionTime: r.time(c['lastTransitionTime'], `${cp}.lastTransitionTime`),
    };
  });

  const readSpecs = (key: string): readonly ContainerSpecFacts[] => named(r, spec[key], `spec.${key}`, (c, p, n) => readSpec(r, c, p, n));
  const specs = { init: readSpecs('initContainers'), regular: readSpecs('containers'), ephemeral: readSpecs('ephemeralContainers') };
  const readStatuses = (key: string): readonly ContainerStatusFacts[] =>
    named(r, status[key], `status.${key}`, (s, p, n) => readStatus(r, s, p, n));
  const statuses = {
    init: readStatuses('initContainerStatuses'),
    regular: readStatuses('containerStatuses'),
    ephemeral: readStatuses('ephemeralContainerStatuses'),
  };

  return {
    uid,
    namespace,
    name,
    resourceVersion: r.str(meta['resourceVersion'], 'metadata.resourceVersion'),
    createdAt: r.time(meta['creationTimestamp'], 'metadata.creationTimestamp'),
    deletion,
    owner,
    ownerUid,
    ownerIsController,
    labels,
    nominatedNode: r.str(status['nominatedNodeName'], 'status.nominatedNodeName') || undefined,
    phase: r.word(status['phase'], 'status.phase') || undefined,
    reason: r.word(status['reason'], 'status.reason') || undefined,
    message: r.word(status['message'], 'status.message') || undefined,
    nodeName: r.word(spec['nodeName'], 'spec.nodeName') || undefined,
    podIP: r.str(status['podIP'], 'status.podIP') || undefined,
    qosClass: r.word(status['qosClass'], 'status.qosClass') || undefined,
    startTime: r.time(status['startTime'], 'status.startTime'),
    restartPolicy: r.word(spec['restartPolicy'], 'spec.restartPolicy') || undefined,
    terminationGracePeriodSeconds: r.int(spec['terminationGracePeriodSeconds'], 'spec.terminationGracePeriodSeconds'),
    activeDeadlineSeconds: r.int(spec['activeDeadlineSeconds'], 'spec.activeDeadlineSeconds'),
    conditions,
    specs,
    statuses,
    containers: join(specs, statuses),
    unreadable: r.result(),
  };
}

export function podKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export interface EventFacts extends EventCore {
  readonly namespace: string;
  readonly podName: string | undefined;
  readonly podUid: string | undefined;
  /** The object the event is about when it is not a pod (a Job: its controller's verdict on the pods it owns). */
  readonly about: { readonly kind: string; readonly name: string } | undefined;
  readonly container: string | undefined;
  readonly unreadable: readonly string[];
}

/** Events carry their time in eventTime (new API) or first/lastTimestamp (old), folded by count or series. Never throws. */
export function eventFacts(v: unknown, observedAt: number): EventFacts {
  const r = new Reader(observedAt);
  const e = r.obj(v, 'the event') ?? {};
  const meta = r.obj(e['metadata'], 'metadata') ?? {};
  const involved = r.obj(e['involvedObject'], 'involvedObject') ?? {};
  const series = r.obj(e['series'], 'series');
  const source = r.obj(e['source'], 'source');
  const eventTime = r.time(e['eventTime'], 'eventTime');
  const first =
    r.time(e['firstTimestamp'], 'firstTimestamp') ?? eventTime ?? r.time(meta['creationTimestamp'], 'metadata.creationTimestamp');
  const last =
    r.time(series?.['lastObservedTime'], 'series.lastObservedTime') ?? r.time(e['lastTimestamp'], 'lastTimestamp') ?? eventTime ?? first;
  const count = r.int32(series?.['count'], 'series.count') ?? r.int32(e['count'], 'count') ?? 1;
  const namespace =
    r.word(involved['namespace'], 'involvedObject.namespace') ?? r.word(meta['namespace'], 'metadata.namespace') ?? 'default';
  const kind = r.str(involved['kind'], 'involvedObject.kind');
  const reason = r.word(e['reason'], 'reason');
  const message = r.word(e['message'], 'message');
  const fieldPath = r.str(involved['fieldPath'], 'involvedObject.fieldPath');
  const uid = r.str(meta['uid'], 'metadata.uid');
  const name = r.str(meta['name'], 'metadata.name');
  return {
    key: uid || `${namespace}/${name ?? `${reason}/${fieldPath ?? ''}/${message}`}`,
    namespace,
    podName: kind === 'Pod' || kind === undefined ? r.str(involved['name'], 'involvedObject.name') : undefined,
    podUid: r.str(involved['uid'], 'involvedObject.uid') || undefined,
    about: aboutOf(kind, r.str(involved['name'], 'involvedObject.name')),
    type: r.word(e['type'], 'type') || 'Normal',
    reason: reason ?? '',
    message: intern((message ?? '').trim()),
    count: Math.max(1, count),
    firstAt: first,
    lastAt: last === undefined || first === undefined ? (last ?? first) : Math.max(first, last),
    container: containerOfFieldPath(fieldPath),
    source: r.word(source?.['component'], 'source.component') || r.word(e['reportingComponent'], 'reportingComponent') || undefined,
    unreadable: r.result(),
  };
}

function aboutOf(kind: string | undefined, name: string | undefined): EventFacts['about'] {
  return kind !== undefined && kind !== 'Pod' && name ? { kind, name } : undefined;
}

/** "spec.containers{app}", "spec.initContainers{init}", "spec.ephemeralContainers{dbg}" -> the name. */
export function containerOfFieldPath(fieldPath: string | undefined): string | undefined {
  const m = /^spec\.(?:initContainers|containers|ephemeralContainers)\{([^}]+)\}/.exec(fieldPath ?? '');
  return m?.[1];
}
