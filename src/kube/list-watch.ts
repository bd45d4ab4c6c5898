// The watch loop, owned here rather than taken from client-node's informer (which stops on errors
// other than 410, asks for no bookmarks and drops quiet watches after 30 s):
//   list (paginated) -> watch from that resourceVersion with allowWatchBookmarks and timeoutSeconds
//   -> on a clean end, watch again from the last resourceVersion seen (bookmarks advance it)
//   -> on 410 Gone (or an ERROR event carrying 410), relist
//   -> on a network error, a stall (watchdog) or a 5xx, back off (capped, with jitter) and resume.
// Errors the user must fix (403, 401) are handed to onFatal, which decides whether the loop ends.

import { ApiError, toNetworkError, type KubeClient } from './client.ts';

export interface ListWatchSpec {
  /** Collection path, e.g. /api/v1/namespaces/default/pods. */
  readonly path: string;
  readonly query: Readonly<Record<string, string | undefined>>;
}

export interface ListWatchHooks {
  /** A complete (re)list: every object that exists now, in one call. */
  onList(items: readonly unknown[], resourceVersion: string): void;
  onWatchEvent(type: 'ADDED' | 'MODIFIED' | 'DELETED', object: unknown): void;
  /** 'live' once a watch is established; 'reconnecting' with the reason after a failure. */
  onState(state: 'live' | 'reconnecting', message: string | undefined): void;
  /** 401/403/404 and the like. Return true to end the loop. */
  onFatal(error: ApiError): boolean;
}

export interface ListWatchOptions {
  readonly timeoutSeconds: number; // server-side watch timeout (jittered per watch)
  readonly watchdogMs: number; // no bytes for this long (not even a bookmark): the watch is stalled
  readonly backoffInitialMs: number;
  readonly backoffMaxMs: number;
  readonly pageSize: number;
  readonly random: () => number;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** False: list once and end (--once shows one picture: a watch would only cost a connection). */
  readonly watch: boolean;
}

export const defaultListWatchOptions: ListWatchOptions = {
  timeoutSeconds: 240,
  watchdogMs: 300_000,
  backoffInitialMs: 500,
  backoffMaxMs: 30_000,
  pageSize: 500,
  random: Math.random,
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      const t = setTimeout(done, ms);
      function done(): void {
        clearTimeout(t);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    }),
  watch: true,
};

/** Capped exponential back-off with full jitter in [delay/2, delay]. */
export function backoffDelayMs(attempt: number, o: Pick<ListWatchOptions, 'backoffInitialMs' | 'backoffMaxMs' | 'random'>): number {
  const base = Math.min(o.backoffMaxMs, o.backoffInitialMs * 2 ** Math.min(attempt, 20));
  return Math.round(base / 2 + (o.random() * base) / 2);
}

/** The server-side timeout of one watch: jittered down by up to a fifth, so that watches do not all end together. */
export function watchTimeoutSeconds(o: Pick<ListWatchOptions, 'timeoutSeconds' | 'random'>): number {
  return Math.round(o.timeoutSeconds * (0.8 + 0.2 * o.random()));
}

/**
 * Splits a watch stream into its lines: bytes in (chunks cut anywhere, even inside a character),
 * complete trimmed non-empty lines out; an unfinished line waits for the next chunk.
 */
export function watchLineSplitter(): (chunk: Uint8Array) => string[] {
  const decoder = new TextDecoder();
  let buffer = '';
  return (chunk) => {
    buffer += decoder.decode(chunk, { stream: true });
    const lines: string[] = [];
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      if (line !== '') lines.push(line);
    }
    // One watch event is one line; a line this long is not an API object.
    if (buffer.length > MAX_WATCH_LINE) throw new ApiError('bad-response', 'a watch event larger than 64 MiB', undefined, '');
    return lines;
  };
}

const MAX_WATCH_LINE = 64 << 20;

export interface WatchLine {
  /** ADDED, MODIFIED, DELETED, BOOKMARK (or a type this version does not know). */
  readonly type: string | undefined;
  readonly object: unknown;
  /** The object's resourceVersion: where to resume from (bookmarks carry only this). */
  readonly resourceVersion: string | undefined;
}

/** One line of a watch stream; an ERROR event (410 Gone among them) or a line that is not JSON throws. */
export function parseWatchLine(line: string, path: string): WatchLine {
  let ev: { type?: string; object?: { metadata?: { resourceVersion?: string }; code?: number; message?: string } };
  try {
    ev = JSON.parse(line) as typeof ev;
  } catch {
    throw new ApiError('bad-response', 'malformed watch event', undefined, path);
  }
  const obj = ev.object;
  if (ev.type === 'ERROR') {
    const code = obj?.code;
    throw new ApiError(code === 410 ? 'gone' : 'server', obj?.message ?? 'watch error', code, path);
  }
  return { type: ev.type, object: obj, resourceVersion: obj?.metadata?.resourceVersion || undefined };
}

/**
 * What the loop does after a failed list or watch:
 *   reject-first  nothing was listed yet: the caller fails fast with one line
 *   relist        410 Gone: list again at once (no back-off, not shown as trouble)
 *   back-off      wait, then resume from `rv` (the last resourceVersion seen; undefined = list
 *                 again); `askFatal`: an error the user must fix, handed to onFatal first.
 */
export type AfterError =
  | { readonly action: 'reject-first' }
  | { readonly action: 'relist'; readonly rv: undefined }
  | { readonly action: 'back-off'; readonly rv: string | undefined; readonly askFatal: boolean; readonly message: string };

export function afterError(
  err: ApiError,
  at: { readonly rv: string | undefined; readonly lastRv: string | undefined; readonly listedOnce: boolean },
): AfterError {
  if (!at.listedOnce) return { action: 'reject-first' };
  // Routine, not trouble: events have no watch cache, so a quiet events watch resumed after
  // etcd's periodic compaction gets 410. No state change; the relist says what changed meanwhile.
  if (err.kind === 'gone') return { action: 'relist', rv: undefined };
  return {
    action: 'back-off',
    rv: at.lastRv && at.rv !== undefined ? at.lastRv : at.rv,
    // 'credentials': none to be had (an exec plugin that fails, say, after its login expired):
    // retrying would run the plugin again and again; the user must log in.
    askFatal:
      err.kind === 'forbidden' ||
      err.kind === 'unauthorized' ||
      err.kind === 'credentials' ||
      err.kind === 'not-found' ||
      err.kind === 'bad-request',
    message: describeApiError(err),
  };
}

/** Calls `onStall` once `ms` have passed without a call to `arm()`; each arm() starts the wait again. */
export function startWatchdog(
  ms: number,
  onStall: () => void,
  timers: { readonly set: typeof setTimeout; readonly clear: typeof clearTimeout } = { set: setTimeout, clear: clearTimeout },
): { arm(): void; stop(): void } {
  let handle: ReturnType<typeof setTimeout> | undefined;
  return {
    arm() {
      if (handle) timers.clear(handle);
      handle = timers.set(onStall, ms);
      handle.unref?.();
    },
    stop() {
      if (handle) timers.clear(handle);
      handle = undefined;
    },
  };
}

interface ListBody {
  readonly metadata?: { readonly resourceVersion?: string; readonly continue?: string };
  readonly items?: readonly unknown[];
}

async function listAll(
  client: KubeClient,
  spec: ListWatchSpec,
  o: ListWatchOptions,
  signal: AbortSignal,
): Promise<{ items: unknown[]; rv: string }> {
  const items: unknown[] = [];
  let cont: string | undefined;
  let rv = '';
  do {
    const body = await client.getJson<ListBody>(spec.path, { query: { ...spec.query, limit: o.pageSize, continue: cont }, signal });
    items.push(...(body.items ?? []));
    rv = body.metadata?.resourceVersion ?? rv;
    cont = body.metadata?.continue || undefined;
  } while (cont);
  return { items, rv };
}

/**
 * Streams one watch until the server ends it (resolves) or it fails (throws ApiError).
 * Returns the last resourceVersion seen.
 */
async function watchOnce(
  client: KubeClient,
  spec: ListWatchSpec,
  rv: string,
  hooks: ListWatchHooks,
  o: ListWatchOptions,
  signal: AbortSignal,
  onEstablished: () => void,
): Promise<string> {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  let stalled = false;
  const watchdog = startWatchdog(o.watchdogMs, () => {
    stalled = true;
    controller.abort();
  });
  const timeoutSeconds = watchTimeoutSeconds(o);
  let lastRv = rv;
  try {
    watchdog.arm();
    const res = await client.request(spec.path, {
      query: { ...spec.query, watch: 'true', allowWatchBookmarks: 'true', resourceVersion: rv, timeoutSeconds: String(timeoutSeconds) },
      signal: controller.signal,
      stream: true, // --request-timeout bounds single requests, not a watch stream (the watchdog does)
    });
    onEstablished();
    watchdog.arm();
    const split = watchLineSplitter();
    for await (const value of res.body) {
      watchdog.arm();
      for (const line of split(value as Uint8Array)) {
        const ev = parseWatchLine(line, spec.path);
        if (ev.resourceVersion) lastRv = ev.resourceVersion;
        if (ev.type === 'ADDED' || ev.type === 'MODIFIED' || ev.type === 'DELETED') hooks.onWatchEvent(ev.type, ev.object);
      }
    }
    return lastRv;
  } catch (e) {
    if (stalled) throw new ApiError('timeout', `no data from the watch for ${Math.round(o.watchdogMs / 1000)}s`, undefined, spec.path);
    throw Object.assign(toNetworkError(e, spec.path, signal), { lastRv });
  } finally {
    watchdog.stop();
    signal.removeEventListener('abort', onAbort);
    controller.abort();
  }
}

/**
 * Runs list+watch until `signal` aborts or onFatal says stop. `firstList` resolves after the first
 * successful list, or rejects with the first error (so callers can fail fast with one line before
 * anything is drawn).
 */
export function runListWatch(
  client: KubeClient,
  spec: ListWatchSpec,
  hooks: ListWatchHooks,
  signal: AbortSignal,
  options: Partial<ListWatchOptions> = {},
): { firstList: Promise<void>; done: Promise<void> } {
  const o: ListWatchOptions = { ...defaultListWatchOptions, ...options };
  let resolveFirst!: () => void;
  let rejectFirst!: (e: unknown) => void;
  const firstList = new Promise<void>((res, rej) => {
    resolveFirst = res;
    rejectFirst = rej;
  });
  let listedOnce = false;

  const done = (async () => {
    let rv: string | undefined;
    let attempt = 0;
    while (!signal.aborted) {
      try {
        if (rv === undefined) {
          const listed = await listAll(client, spec, o, signal);
          if (signal.aborted) break;
          rv = listed.rv;
          hooks.onList(listed.items, rv);
          if (!listedOnce) {
            listedOnce = true;
            resolveFirst();
          }
          if (!o.watch) {
            // The list is current as of now, as a watch's start would be.
            hooks.onState('live', undefined);
            return;
          }
        }
        rv = await watchOnce(client, spec, rv, hooks, o, signal, () => {
          attempt = 0;
          hooks.onState('live', undefined);
        });
      } catch (e) {
        if (signal.aborted) break;
        const err = e instanceof ApiError ? e : toNetworkError(e, spec.path);
        const step = afterError(err, { rv, lastRv: (e as { lastRv?: string }).lastRv, listedOnce });
        if (step.action === 'reject-first') {
          rejectFirst(err);
          return;
        }
        rv = step.rv;
        if (step.action === 'relist') continue; // the relist tells the model what disappeared meanwhile
        if (step.askFatal && hooks.onFatal(err)) return;
        hooks.onState('reconnecting', step.message);
        await o.sleep(backoffDelayMs(attempt, o), signal);
        attempt += 1;
      }
    }
    if (!listedOnce) rejectFirst(new ApiError('aborted', 'aborted', undefined, spec.path));
  })();
  return { firstList, done };
}

export function describeApiError(e: ApiError): string {
  switch (e.kind) {
    case 'unreachable':
      return `cannot reach the API server: ${e.message}`;
    case 'timeout':
      return `timed out: ${e.message}`;
    case 'aborted':
      return 'aborted';
    case 'gone':
      return 'resourceVersion too old (410 Gone), relisting';
    case 'unauthorized':
      // Already retried with the credentials read again (client.ts): the user must log in.
      return `the API server rejected the credentials (${e.status ?? 401} ${e.message}): log in again or refresh them`;
    case 'credentials':
      return `${e.message}: log in again or fix the credentials`;
    default:
      return e.status ? `${e.status}: ${e.message}` : e.message;
  }
}
