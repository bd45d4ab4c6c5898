// Following one pod across its replacement: when the pod watched by name departs (its deletion is
// requested, it is deleted, it is evicted) and its controller replaces pods under new names (a
// ReplicaSet, a Job, a DaemonSet: model/replacement.ts), the pods of that controller are
// list-watched by a label selector until the replacement shows up (or the window closes); then the
// replacement is watched by its own name, with its events, exactly as the named pod is, and
// followed in turn. Which pod is a replacement is decided by the model's rule; saying so
// ("replaced by X") is the model's job when the replacement's first observation reaches it.
//
// Forbidden to list pods by label in the namespace: one note, and the session goes on with the
// pods it has.

import type { EventJson, Observation, PodJson } from '../model/index.ts';
import { departureOf, isReplacement, replacementSelector, REPLACEMENT_WINDOW_MS, type Departure } from '../model/replacement.ts';
import { podSnapshot } from '../model/snapshot.ts';
import { ApiError, type KubeClient } from './client.ts';
import { describeApiError, runListWatch, type ListWatchOptions } from './list-watch.ts';
import { collectionPath } from './resolve-target.ts';

export interface FollowerOptions {
  readonly client: KubeClient;
  readonly namespace: string;
  /** The pods query of the named pod (its field selector starts with metadata.name=NAME). */
  readonly podQuery: Readonly<Record<string, string | undefined>>;
  readonly name: string;
  readonly emit: (observations: readonly Observation[]) => void;
  readonly now: () => number;
  readonly listWatch?: Partial<ListWatchOptions> | undefined;
}

export interface Follower {
  /** Every pod observation of a followed pod (the named one, and the replacements this follower watches). */
  observe(o: Observation): void;
  /** Resolves when every watch it started has ended (after abort). */
  readonly done: () => Promise<void>;
}

/** At most this many replacements in a row are followed (a controller that keeps failing its pods). */
const MAX_FOLLOWED = 20;

export function startFollower(o: FollowerOptions, signal: AbortSignal): Follower {
  const { client, namespace, emit, now } = o;
  const running: Promise<unknown>[] = [];
  const note = (level: 'info' | 'warning', text: string): void => emit([{ kind: 'note', observedAt: now(), level, text }]);
  /** The deletion as first seen, per pod uid: the kubelet shrinks the grace period to 0 at the end, which moves deletionTimestamp. */
  const firstDeletion = new Map<string, { deadline: number; gracePeriodSeconds: number | undefined }>();
  const departed = new Set<string>();
  /** Departures waiting for their replacement, by controller uid; the watch of that controller's pods. */
  const searches = new Map<string, { readonly waiting: Departure[]; readonly stop: () => void }>();
  const followed = new Set<string>([o.name]);
  let forbiddenSaid = false;

  const observe = (ob: Observation): void => {
    if (ob.kind !== 'pod' || signal.aborted) return;
    const snap = podSnapshot(ob.object, ob.observedAt);
    if (snap.deletion?.deadline !== undefined && !firstDeletion.has(snap.uid))
      firstDeletion.set(snap.uid, { deadline: snap.deletion.deadline, gracePeriodSeconds: snap.deletion.gracePeriodSeconds });
    if (departed.has(snap.uid)) return;
    const d = departureOf(snap, {
      deletionRequest: firstDeletion.get(snap.uid),
      deletedAt: ob.verb === 'deleted' ? ob.observedAt : undefined,
      seenAt: ob.observedAt,
    });
    if (!d) return;
    departed.add(snap.uid);
    search(d, replacementSelector(snap));
  };

  const search = (d: Departure, selector: string): void => {
    const key = d.controller.uid;
    const existing = searches.get(key);
    if (existing) {
      existing.waiting.push(d);
      return;
    }
    const waiting: Departure[] = [d];
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const stop = (): void => {
      abort.abort();
      clearTimeout(timer);
      signal.removeEventListener('abort', stop);
      if (searches.get(key)?.waiting === waiting) searches.delete(key);
    };
    signal.addEventListener('abort', stop, { once: true });
    // The controller has had its time: nothing more will be called a replacement.
    timer = setTimeout(stop, REPLACEMENT_WINDOW_MS + 5_000);
    timer.unref?.();
    searches.set(key, { waiting, stop });
    const consider = (items: readonly unknown[]): void => {
      for (const item of items) {
        const pod = item as PodJson;
        const snap = podSnapshot(pod, now());
        // The earliest departure it can replace (a drain departs several pods of one controller at once).
        const i = waiting
          .map((w, idx) => ({ w, idx }))
          .filter(({ w }) => isReplacement(w, snap))
          .sort((a, b) => a.w.since - b.w.since)[0]?.idx;
        if (i === undefined || followed.has(snap.name)) continue;
        waiting.splice(i, 1);
        follow(snap.name);
      }
      if (waiting.length === 0) stop();
    };
    const lw = runListWatch(
      client,
      { path: collectionPath('pods', namespace), query: selector ? { labelSelector: selector } : {} },
      {
        onList: (items) => consider(items),
        onWatchEvent: (type, object) => {
          if (type !== 'DELETED') consider([object]);
        },
        onState: () => undefined, // the named pod's watch owns the connection indicator
        onFatal: (error) => {
          said(error, d);
          stop();
          return true;
        },
      },
      abort.signal,
      o.listWatch,
    );
    lw.firstList.catch((e: unknown) => {
      if (!abort.signal.aborted && e instanceof ApiError) said(e, d);
      stop();
    });
    running.push(lw.done.catch(() => undefined));
  };

  const said = (e: ApiError, d: Departure): void => {
    if (forbiddenSaid) return;
    forbiddenSaid = true;
    note(
      'warning',
      e.kind === 'forbidden'
        ? `cannot look for the pod that replaces ${d.name}: RBAC forbids listing pods by label in namespace ${namespace}; showing ${d.name} only`
        : `cannot look for the pod that replaces ${d.name}: ${describeApiError(e)}`,
    );
  };

  /** Watches a replacement by its name, with its events, like the named pod. */
  const follow = (name: string): void => {
    if (followed.size > MAX_FOLLOWED) {
      if (followed.size === MAX_FOLLOWED + 1) note('info', `followed ${MAX_FOLLOWED} replacements; not following ${name}`);
      followed.add(name);
      return;
    }
    followed.add(name);
    const fieldSelector = (o.podQuery['fieldSelector'] ?? '').replace(/^metadata\.name=[^,]*/, `metadata.name=${name}`);
    const podsWatch = runListWatch(
      client,
      { path: collectionPath('pods', namespace), query: { ...o.podQuery, fieldSelector } },
      {
        onList(items) {
          const t = now();
          const obs: Observation[] = (items as PodJson[]).map((object) => ({ kind: 'pod', verb: 'list', observedAt: t, object }));
          emit([
            { kind: 'relist-start', resource: 'pods', observedAt: t, podName: name },
            ...obs,
            { kind: 'relist-done', resource: 'pods', observedAt: t, podName: name },
          ]);
          for (const ob of obs) observe(ob);
        },
        onWatchEvent(type, object) {
          const ob: Observation = {
            kind: 'pod',
            verb: type === 'ADDED' ? 'added' : type === 'MODIFIED' ? 'modified' : 'deleted',
            observedAt: now(),
            object: object as PodJson,
          };
          emit([ob]);
          observe(ob);
        },
        onState: () => undefined,
        onFatal: () => true,
      },
      signal,
      o.listWatch,
    );
    const eventsWatch = runListWatch(
      client,
      { path: collectionPath('events', namespace), query: { fieldSelector: `involvedObject.kind=Pod,involvedObject.name=${name}` } },
      {
        onList(items) {
          const t = now();
          emit([
            { kind: 'relist-start', resource: 'events', observedAt: t },
            ...(items as EventJson[]).map((object): Observation => ({ kind: 'event', verb: 'list', observedAt: t, object })),
            { kind: 'relist-done', resource: 'events', observedAt: t },
          ]);
        },
        onWatchEvent(type, object) {
          emit([
            {
              kind: 'event',
              verb: type === 'ADDED' ? 'added' : type === 'MODIFIED' ? 'modified' : 'deleted',
              observedAt: now(),
              object: object as EventJson,
            },
          ]);
        },
        onState: () => undefined,
        // The named pod's events watch already says when events cannot be read.
        onFatal: () => true,
      },
      signal,
      o.listWatch,
    );
    running.push(
      podsWatch.done.catch(() => undefined),
      eventsWatch.done.catch(() => undefined),
    );
    podsWatch.firstList.catch(() => undefined);
    eventsWatch.firstList.catch(() => undefined);
  };

  return {
    observe,
    done: async () => {
      // Watches started while waiting are waited for too.
      let n = 0;
      while (n < running.length) {
        const m = running.length;
        await Promise.all(running.slice(n, m));
        n = m;
      }
    },
  };
}
