// What the real kubectl says about one pod, as it changes: three `kubectl get -w` streams (the table
// rows kubectl prints, the pod objects, the pod's events) and `kubectl logs -f --timestamps` of every
// container instance, each line stamped with the moment it arrived. Used by the e2e tests of
// test/e2e/truth.test.ts and by scripts/capture-truth.ts (the fixtures of test/fixtures/truth/).

import { spawn, type ChildProcess } from 'node:child_process';

export interface Stamped {
  /** Epoch ms at which the line reached us. */
  readonly at: number;
}

/** One row of `kubectl get pod -w --output-watch-events` (the server's table, printed by kubectl). */
export interface KubectlWatchRow extends Stamped {
  readonly event: string;
  readonly name: string;
  readonly ready: string;
  readonly status: string;
  readonly restarts: string;
}

export interface ContainerStatusJson {
  name: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  containerID?: string;
  state?: {
    waiting?: { reason?: string; message?: string };
    running?: { startedAt?: string };
    terminated?: {
      exitCode?: number;
      signal?: number;
      reason?: string;
      message?: string;
      startedAt?: string;
      finishedAt?: string;
      containerID?: string;
    };
  };
  lastState?: ContainerStatusJson['state'];
}

export interface PodConditionJson {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface PodVersion extends Stamped {
  readonly type: string;
  readonly uid: string;
  readonly resourceVersion: string;
  readonly deletionTimestamp: string | null;
  readonly deletionGracePeriodSeconds: number | null;
  readonly phase: string | null;
  readonly reason: string | null;
  readonly message: string | null;
  readonly startTime: string | null;
  readonly conditions: PodConditionJson[];
  readonly initContainerStatuses: ContainerStatusJson[];
  readonly containerStatuses: ContainerStatusJson[];
}

export interface EventVersion extends Stamped {
  readonly type: string;
  readonly eventType: string;
  readonly reason: string;
  readonly message: string;
  readonly count: number | null;
  readonly firstTimestamp: string | null;
  readonly lastTimestamp: string | null;
  readonly eventTime: string | null;
  readonly fieldPath: string | null;
  readonly source: string | null;
}

export interface LogLine extends Stamped {
  readonly container: string;
  readonly containerID: string;
  /** The runtime's timestamp of the line (kubectl logs --timestamps), RFC 3339 with nanoseconds. */
  readonly time: string;
  readonly line: string;
}

/** Splits a stream of pretty-printed JSON objects (kubectl -o json -w) into objects. */
function jsonObjects(onObject: (o: unknown) => void): (chunk: string) => void {
  let buf = '';
  let depth = 0;
  let inString = false;
  let escaped = false;
  let start = -1;
  return (chunk) => {
    const from = buf.length;
    buf += chunk;
    for (let i = from; i < buf.length; i++) {
      const c = buf[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (c === '{') {
        if (depth === 0) start = i;
        depth++;
      } else if (c === '}') {
        depth--;
        if (depth === 0 && start >= 0) {
          onObject(JSON.parse(buf.slice(start, i + 1)));
          buf = buf.slice(i + 1);
          i = -1;
          start = -1;
        }
      }
    }
  };
}

function lines(onLine: (l: string) => void): (chunk: string) => void {
  let partial = '';
  return (chunk) => {
    partial += chunk;
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    for (const p of parts) if (p.trim() !== '') onLine(p);
  };
}

type Obj = Record<string, any>;

function podVersion(at: number, type: string, o: Obj): PodVersion {
  const md = (o['metadata'] ?? {}) as Obj;
  const st = (o['status'] ?? {}) as Obj;
  return {
    at,
    type,
    uid: String(md['uid'] ?? ''),
    resourceVersion: String(md['resourceVersion'] ?? ''),
    deletionTimestamp: md['deletionTimestamp'] ?? null,
    deletionGracePeriodSeconds: md['deletionGracePeriodSeconds'] ?? null,
    phase: st['phase'] ?? null,
    reason: st['reason'] ?? null,
    message: st['message'] ?? null,
    startTime: st['startTime'] ?? null,
    conditions: (st['conditions'] ?? []) as PodConditionJson[],
    initContainerStatuses: strip(st['initContainerStatuses']),
    containerStatuses: strip(st['containerStatuses']),
  };
}

/** Container statuses without the fields that say nothing about the lifecycle. */
function strip(list: unknown): ContainerStatusJson[] {
  if (!Array.isArray(list)) return [];
  return list.map((c: Obj) => {
    const { name, ready, started, restartCount, containerID, state, lastState } = c;
    return { name, ready, started, restartCount, containerID, state, lastState } as ContainerStatusJson;
  });
}

function eventVersion(at: number, type: string, o: Obj): EventVersion {
  const src = (o['source'] ?? {}) as Obj;
  return {
    at,
    type,
    eventType: String(o['type'] ?? ''),
    reason: String(o['reason'] ?? ''),
    message: String(o['message'] ?? ''),
    count: typeof o['count'] === 'number' ? o['count'] : null,
    firstTimestamp: o['firstTimestamp'] ?? null,
    lastTimestamp: o['lastTimestamp'] ?? null,
    eventTime: o['eventTime'] ?? null,
    fieldPath: (o['involvedObject'] as Obj | undefined)?.['fieldPath'] ?? null,
    source: src['component'] ?? o['reportingComponent'] ?? null,
  };
}

export class KubectlWatch {
  readonly rows: KubectlWatchRow[] = [];
  readonly pods: PodVersion[] = [];
  readonly events: EventVersion[] = [];
  readonly logs: LogLine[] = [];
  /** What the watches wrote to stderr (nothing, normally). */
  readonly stderr: string[] = [];
  /** What the log followers wrote to stderr. */
  readonly logErrors: string[] = [];
  private readonly procs: ChildProcess[] = [];
  private readonly followed = new Set<string>();
  /** Watches that have answered (an object, or "No resources found"): their initial list is done. */
  private listed = 0;
  private readonly waiters = new Set<() => void>();
  private stopped = false;

  constructor(
    private readonly kubeconfig: string,
    readonly namespace: string,
    readonly pod: string,
    private readonly opts: { logs?: boolean } = {},
  ) {
    const sel = ['--field-selector', `metadata.name=${pod}`];
    this.run(
      ['get', 'pods', ...sel, '-w', '--output-watch-events', '--no-headers'],
      lines((l) => this.onRow(l)),
      true,
    );
    this.run(
      ['get', 'pods', ...sel, '-w', '--output-watch-events', '-o', 'json'],
      jsonObjects((o) => this.onPod(o as Obj)),
      true,
    );
    this.run(
      ['get', 'events', '--field-selector', `involvedObject.name=${pod}`, '-w', '--output-watch-events', '-o', 'json'],
      jsonObjects((o) => this.onEvent(o as Obj)),
      true,
    );
  }

  /** Resolves once the three watches have listed (so nothing that happens next is missed). */
  async ready(timeoutMs = 30_000): Promise<void> {
    await this.until((w) => w.listed >= 3, timeoutMs, 'the kubectl watches to list');
  }

  private run(args: string[], onChunk: (s: string) => void, watch = false): ChildProcess {
    let answered = false;
    const answer = (): void => {
      if (watch && !answered) {
        answered = true;
        this.listed++;
      }
    };
    const verbose = watch ? ['-v=6'] : [];
    const p = spawn('kubectl', ['--kubeconfig', this.kubeconfig, '-n', this.namespace, ...verbose, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    p.stdout!.setEncoding('utf8');
    p.stdout!.on('data', (d: string) => {
      onChunk(d);
      this.notify();
    });
    // Watches run with -v=6: kubectl then logs its requests, and the one with watch=true answering
    // 200 says the initial list is done and the watch is open (an empty list prints nothing else).
    p.stderr!.setEncoding('utf8');
    p.stderr!.on(
      'data',
      lines((l) => {
        if (/^I\d{4} /.test(l)) {
          if (/[?&]watch=true\S* 200 OK/.test(l)) {
            answer();
            this.notify();
          }
          return;
        }
        // A log follower may come too late for an instance that is already gone: not an error of the watch.
        if (!/^No resources found/.test(l)) (watch ? this.stderr : this.logErrors).push(l);
        this.notify();
      }),
    );
    this.procs.push(p);
    return p;
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }

  private onRow(l: string): void {
    // EVENT NAME READY STATUS RESTARTS AGE; RESTARTS may be "3 (5s ago)".
    const m = /^(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\d+(?: \([^)]*\))?)\s+\S+\s*$/.exec(l.trim());
    if (!m) {
      this.stderr.push(`unparsed kubectl row: ${l}`);
      return;
    }
    this.rows.push({ at: Date.now(), event: m[1]!, name: m[2]!, ready: m[3]!, status: m[4]!, restarts: m[5]! });
  }

  private onPod(o: Obj): void {
    const v = podVersion(Date.now(), String(o['type'] ?? ''), (o['object'] ?? {}) as Obj);
    this.pods.push(v);
    if (this.opts.logs && v.type !== 'DELETED') {
      for (const c of [...v.initContainerStatuses, ...v.containerStatuses]) {
        const id = c.containerID;
        if (c.state?.running && id && !this.followed.has(id)) this.follow(c.name, id);
      }
    }
  }

  private onEvent(o: Obj): void {
    this.events.push(eventVersion(Date.now(), String(o['type'] ?? ''), (o['object'] ?? {}) as Obj));
  }

  /** `kubectl logs -f --timestamps` of the running instance `containerID` of `container`. */
  private follow(container: string, containerID: string): void {
    if (this.stopped) return;
    this.followed.add(containerID);
    this.run(
      ['logs', '-f', '--timestamps', this.pod, '-c', container],
      lines((l) => {
        const sp = l.indexOf(' ');
        this.logs.push({ at: Date.now(), container, containerID, time: l.slice(0, sp), line: l.slice(sp + 1) });
      }),
    );
  }

  /** Resolves when `pred` holds over what has arrived so far; rejects after timeoutMs. */
  async until<T>(pred: (w: this) => T | undefined | false, timeoutMs: number, what: string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = pred(this);
      if (r !== undefined && r !== false) return r;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${this.describe()}`);
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(t);
          this.waiters.delete(done);
          resolve();
        };
        const t = setTimeout(done, Math.min(left, 1000));
        this.waiters.add(done);
      });
    }
  }

  lastPod(): PodVersion | undefined {
    return this.pods[this.pods.length - 1];
  }

  lastRow(): KubectlWatchRow | undefined {
    return this.rows[this.rows.length - 1];
  }

  /** The latest version of each event (by reason and message), in order of first appearance. */
  eventsNamed(reason: string): EventVersion[] {
    return this.events.filter((e) => e.reason === reason);
  }

  describe(): string {
    const rows = this.rows.slice(-8).map((r) => `  ${new Date(r.at).toISOString()} ${r.event} ${r.ready} ${r.status} ${r.restarts}`);
    const evs = this.events.slice(-8).map((e) => `  ${new Date(e.at).toISOString()} ${e.eventType} ${e.reason}: ${e.message}`);
    return [
      `kubectl rows:`,
      ...rows,
      `events:`,
      ...evs,
      ...(this.stderr.length ? [`stderr: ${this.stderr.slice(-3).join(' | ')}`] : []),
    ].join('\n');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(
      this.procs.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.exitCode !== null || p.signalCode !== null) return resolve();
            p.once('close', () => resolve());
            p.kill('SIGTERM');
          }),
      ),
    );
  }
}
