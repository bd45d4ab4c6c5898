// The live source: pods and their events, listed then watched, turned into Observations stamped
// with observedAt at this boundary. Fails fast with one UserError before anything is drawn when
// the target cannot be watched (unknown pod, forbidden, unreachable); after that it keeps going
// through reconnects and reports the connection state as observations.

import type { EventJson, Observation, PodJson } from '../model/index.ts';
import { ApiError, toUserError, type KubeClient } from './client.ts';
import { UserError } from './errors.ts';
import { describeApiError, runListWatch, type ListWatchOptions } from './list-watch.ts';
import { collectionPath, type ResolvedTarget } from './resolve-target.ts';
import { startFollower } from './replacement-source.ts';
import { closeNames } from './target.ts';

export interface PodSourceOptions {
  readonly client: KubeClient;
  readonly target: ResolvedTarget;
  readonly emit: (observations: readonly Observation[]) => void;
  readonly now: () => number;
  readonly listWatch?: Partial<ListWatchOptions>;
  /** Wait for a named pod to appear instead of failing when it does not exist. */
  readonly waitForPod?: boolean;
  /** A named pod: follow the pod its controller creates in its place when it is deleted or evicted (default true). */
  readonly followReplacements?: boolean;
}

export interface RunningSource {
  /** Resolves when both loops have ended (after abort, or a fatal error). */
  readonly done: Promise<void>;
  /** Resolves once the events are listed (or known to be unreadable): --once waits for it. */
  readonly eventsReady: Promise<void>;
  /** Why the pods watch gave up (credentials refused, access revoked), as one line; undefined while it goes on. */
  readonly failure: () => Error | undefined;
}

/** How long the events watch may fail while the pods watch is live before a note says so. */
const EVENTS_TROUBLE_GRACE_MS = 5_000;

export async function startPodSource(o: PodSourceOptions, signal: AbortSignal): Promise<RunningSource> {
  const { client, target, emit, now } = o;
  // Pods are known by namespace/name: with -A the same name can live in several namespaces.
  const podNames = new Set<string>();
  const key = (namespace: string | undefined | null, name: string | undefined | null): string => `${namespace ?? ''}/${name ?? ''}`;
  const addPod = (pod: PodJson): void => {
    if (pod.metadata.name) podNames.add(key(pod.metadata.namespace ?? target.namespace, pod.metadata.name));
  };
  if (target.podName) podNames.add(key(target.namespace, target.podName));
  const connection = (state: 'connecting' | 'live' | 'reconnecting' | 'offline', message: string | undefined): void =>
    emit([{ kind: 'connection', observedAt: now(), state, message }]);
  const note = (level: 'info' | 'warning' | 'error', text: string): void => emit([{ kind: 'note', observedAt: now(), level, text }]);

  connection('connecting', client.config.server);

  // Events about pods we do not watch are dropped here (selector targets watch all pod events of
  // the namespace and keep those whose pod is one of ours).
  const ours = (ev: EventJson): boolean =>
    podNames.has(key(ev.involvedObject?.namespace ?? ev.metadata?.namespace ?? target.namespace, ev.involvedObject?.name));
  let podsLive = false;
  let podsLiveSince = 0;
  let fatal: ApiError | undefined;
  // The events watch ends with the pods watch: a session whose pods cannot be watched is over.
  const eventsAbort = new AbortController();
  const stopEvents = (): void => eventsAbort.abort();
  signal.addEventListener('abort', stopEvents, { once: true });
  let firstListSize: number | undefined;
  // One pod by name: its replacement under a new name is followed (replacement-source.ts); the
  // relists of each pod watched by name cover that name only.
  const podName = target.podName;
  const follower =
    podName !== undefined && target.namespace !== undefined && o.followReplacements !== false
      ? startFollower(
          { client, namespace: target.namespace, podQuery: target.podQuery, name: podName, emit, now, listWatch: o.listWatch },
          eventsAbort.signal,
        )
      : undefined;
  // One pod by name that a Job owns: the Job's own events too (BackoffLimitExceeded,
  // DeadlineExceeded, ...), which say why its controller deleted the pod (termination.ts). Selector
  // targets get them through the workload source.
  const ownerWatches = new Map<string, Promise<unknown>>();
  const ownerLoops: Promise<void>[] = [];
  const watchOwnerEvents = (pod: PodJson): void => {
    if (target.podName === undefined) return;
    const job = pod.metadata.ownerReferences?.find((r) => r.controller === true && r.kind === 'Job')?.name;
    const namespace = pod.metadata.namespace ?? target.namespace;
    if (!job || !namespace || ownerWatches.has(`${namespace}/${job}`)) return;
    const lw = runListWatch(
      client,
      { path: collectionPath('events', namespace), query: { fieldSelector: `involvedObject.kind=Job,involvedObject.name=${job}` } },
      {
        onList(items) {
          const t = now();
          emit((items as EventJson[]).map((object): Observation => ({ kind: 'event', verb: 'list', observedAt: t, object })));
        },
        onWatchEvent(type, object) {
          emit([{ kind: 'event', verb: watchVerb(type), observedAt: now(), object: object as EventJson }]);
        },
        onState() {
          // The pods watch owns the connection indicator.
        },
        onFatal(error) {
          // Unreadable events are said once by the pods' events watch; anything else here.
          if (error.kind !== 'forbidden' && error.kind !== 'unauthorized' && error.kind !== 'credentials')
            note('warning', `events of Job/${job}: ${describeApiError(error)}`);
          return true;
        },
      },
      eventsAbort.signal,
      o.listWatch,
    );
    ownerWatches.set(
      `${namespace}/${job}`,
      lw.firstList.catch(() => undefined),
    );
    ownerLoops.push(lw.done.catch(() => undefined));
  };
  const pods = runListWatch(
    client,
    { path: collectionPath('pods', target.namespace), query: target.podQuery },
    {
      onList(items) {
        firstListSize ??= items.length;
        const t = now();
        const pods = items as PodJson[];
        for (const pod of pods) {
          addPod(pod);
          watchOwnerEvents(pod);
        }
        const obs = pods.map((object): Observation => ({ kind: 'pod', verb: 'list', observedAt: t, object }));
        emit(relisted('pods', t, obs, follower ? podName : undefined));
        if (follower) for (const ob of obs) follower.observe(ob);
      },
      onWatchEvent(type, object) {
        const pod = object as PodJson;
        addPod(pod);
        watchOwnerEvents(pod);
        const ob: Observation = { kind: 'pod', verb: watchVerb(type), observedAt: now(), object: pod };
        emit([ob]);
        follower?.observe(ob);
      },
      onState(state, message) {
        if (state === 'live' && !podsLive) podsLiveSince = now();
        podsLive = state === 'live';
        connection(state, message);
      },
      onFatal(error) {
        fatal = error;
        note('error', `pods: ${describeApiError(error)}`);
        connection('offline', describeApiError(error));
        stopEvents();
        return true;
      },
    },
    signal,
    o.listWatch,
  );

  // The events are listed at the same time as the pods (one round trip instead of two before the
  // first screen), but what they bring is held back until the pods' first list is in: selector
  // targets keep only the events of their pods, and nothing is shown for a pod that turns out
  // not to exist.
  let podsListed = false;
  const held: (() => void)[] = [];
  const afterPods = (f: () => void): void => {
    if (podsListed) f();
    else held.push(f);
  };
  let eventsOn = true;
  let eventsTrouble = '';
  let eventsDownSince: number | undefined;
  let eventsNoted = false;
  let eventsTimer: NodeJS.Timeout | undefined;
  eventsAbort.signal.addEventListener('abort', () => clearTimeout(eventsTimer), { once: true });
  const events = runListWatch(
    client,
    { path: collectionPath('events', target.namespace), query: target.eventQuery },
    {
      onList(items) {
        afterPods(() => {
          const t = now();
          emit(
            relisted(
              'events',
              t,
              (items as EventJson[]).filter(ours).map((object) => ({ kind: 'event', verb: 'list', observedAt: t, object })),
            ),
          );
        });
      },
      onWatchEvent(type, object) {
        afterPods(() => {
          const ev = object as EventJson;
          if (!ours(ev)) return;
          emit([{ kind: 'event', verb: watchVerb(type), observedAt: now(), object: ev }]);
        });
      },
      onState(state, message) {
        // The pods watch owns the connection indicator; events only report trouble it has not seen:
        // once per outage, and only when the events watch has been failing for a while with the
        // pods watch live (both break together when the server goes away, and each comes back on
        // its own back-off), never once per retry.
        afterPods(() => {
          if (state === 'live') {
            eventsDownSince = undefined;
            eventsNoted = false;
            return;
          }
          eventsTrouble = message ?? 'reconnecting';
          eventsDownSince ??= now();
          if (eventsNoted || eventsTimer) return;
          const check = (): void => {
            eventsTimer = undefined;
            if (eventsDownSince === undefined || !podsLive || eventsAbort.signal.aborted) return;
            const left = Math.max(eventsDownSince, podsLiveSince) + EVENTS_TROUBLE_GRACE_MS - now();
            if (left > 0) {
              eventsTimer = setTimeout(check, left);
              eventsTimer.unref?.();
              return;
            }
            eventsNoted = true;
            note('warning', `events: ${eventsTrouble}`);
          };
          eventsTimer = setTimeout(check, EVENTS_TROUBLE_GRACE_MS);
          eventsTimer.unref?.();
        });
      },
      onFatal(error) {
        eventsOn = false;
        const say = (): void =>
          note(
            'warning',
            `events are not visible (${error.kind === 'forbidden' ? 'RBAC forbids list/watch on events' : describeApiError(error)}); showing pod status only`,
          );
        if (error.kind !== 'unauthorized' && error.kind !== 'credentials') afterPods(say);
        else {
          // Credentials no longer accepted or to be had: the pods watch, which shares them, says so
          // when it next connects. Said here only if the pods watch goes on (on its open stream).
          const t = setTimeout(() => afterPods(() => !fatal && !eventsAbort.signal.aborted && say()), EVENTS_TROUBLE_GRACE_MS);
          t.unref?.();
        }
        return true;
      },
    },
    eventsAbort.signal,
    o.listWatch,
  );
  events.firstList.catch((e: unknown) => {
    if (!eventsOn) return;
    const err = e instanceof ApiError ? e : undefined;
    afterPods(() =>
      note(
        'warning',
        `events are not visible (${err?.kind === 'forbidden' ? 'RBAC forbids list/watch on events' : err ? describeApiError(err) : String(e)}); showing pod status only`,
      ),
    );
  });

  try {
    await pods.firstList;
  } catch (e) {
    stopEvents();
    throw toUserError(e, { verbs: 'list/watch', resource: 'pods', namespace: target.namespace });
  }

  if (target.podName !== undefined) {
    // The first list selected the pod by name: empty means the pod does not exist.
    const exists = (firstListSize ?? 0) > 0;
    if (!exists && o.waitForPod) {
      // The namespace must exist, though: waiting for a pod in a mistyped namespace would hang.
      const nsErr = await notFound(client, target, target.podName);
      if (/^namespace /.test(nsErr.message)) {
        stopEvents();
        throw nsErr;
      }
      note('info', `pod "${target.podName}" does not exist yet; waiting for it to be created`);
    } else if (!exists) {
      stopEvents();
      throw await notFound(client, target, target.podName);
    }
  }
  podsListed = true;
  for (const f of held.splice(0)) f();

  return {
    done: Promise.all([pods.done, events.done.catch(() => undefined)])
      .then(() => Promise.all(ownerLoops))
      .then(() => follower?.done())
      .then(() => signal.removeEventListener('abort', stopEvents)),
    // The pod's events, and its Job's when the first list named one.
    eventsReady: Promise.all([events.firstList.catch(() => undefined), ...ownerWatches.values()]).then(() => undefined),
    failure: () => (fatal ? toUserError(fatal, { verbs: 'list/watch', resource: 'pods', namespace: target.namespace }) : undefined),
  };
}

/** A (re)list as the model reads it: everything that exists, between start and done markers. */
function relisted(resource: 'pods' | 'events', observedAt: number, items: Observation[], podName?: string): Observation[] {
  const scope = podName !== undefined ? { podName } : {};
  return [{ kind: 'relist-start', resource, observedAt, ...scope }, ...items, { kind: 'relist-done', resource, observedAt, ...scope }];
}

function watchVerb(type: 'ADDED' | 'MODIFIED' | 'DELETED'): 'added' | 'modified' | 'deleted' {
  return type === 'ADDED' ? 'added' : type === 'MODIFIED' ? 'modified' : 'deleted';
}

async function notFound(client: KubeClient, target: ResolvedTarget, name: string): Promise<UserError> {
  const ns = target.namespace ?? 'default'; // a pod by name always has a namespace (-A refuses names)
  // A missing namespace is the likelier mistake when it is not "default".
  try {
    await client.getJson(`/api/v1/namespaces/${encodeURIComponent(ns)}`);
  } catch (e) {
    if (e instanceof ApiError && e.kind === 'not-found') {
      return new UserError(`namespace "${ns}" not found`, 'Check -n/--namespace (kubectl get namespaces lists them).');
    }
  }
  let suggestion = '';
  try {
    const list = await client.getJson<{ items?: { metadata?: { name?: string } }[] }>(`/api/v1/namespaces/${encodeURIComponent(ns)}/pods`, {
      query: { limit: 2000 },
      accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json',
    });
    const names = (list.items ?? []).map((p) => p.metadata?.name ?? '').filter(Boolean);
    // The pod is there, but --field-selector leaves it out.
    const fields = target.podQuery['fieldSelector']?.replace(/^metadata\.name=[^,]*,?/, '');
    if (fields && names.includes(name))
      return new UserError(
        `pod "${name}" in namespace "${ns}" does not match --field-selector ${fields}`,
        'Drop --field-selector, or add --wait to watch until it matches.',
      );
    const close = closeNames(name, names);
    if (close.length) suggestion = `Did you mean ${close.map((c) => `"${c}"`).join(', ')}?`;
  } catch {
    // Suggestions are a courtesy; a forbidden list just means none.
  }
  return new UserError(`pod "${name}" not found in namespace "${ns}"`, suggestion || `List pods with: kubectl get pods -n ${ns}`);
}
