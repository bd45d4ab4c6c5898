// -f FILE: saved objects as observations. Accepts what kubectl writes: a Pod, a v1 List (or
// PodList/EventList), multi-document YAML, JSON, pods mixed with events (`kubectl get pod,events -o
// yaml`), workloads with them (`kubectl get deploy,rs,pods,events -o yaml`: Deployments,
// ReplicaSets, StatefulSets, DaemonSets, Jobs, CronJobs, ControllerRevisions), a JSON array of successive snapshots of one pod (a watch recording, oldest first), and
// a podlife recording (JSON lines of observations, see recording.ts). Objects without `kind` are
// read as what they clearly are: the items of a PodList / EventList (the raw API and the kubelet's
// /pods leave it out), a lone object with containers (a Pod) or an involvedObject (an Event); each
// assumption is reported.
//
// Input is bounded: at most MAX_INPUT_BYTES are read (a file is checked before it is read; a pipe
// or device is read in chunks and refused past the limit), and a large kubectl-style YAML List is
// parsed item by item, so that memory follows the objects, not the YAML parser's document tree.
//
// A file has no clock: each snapshot is stamped with the newest timestamp it carries (its capture
// time, at the latest), so the picture is drawn "as of" the file, not as of today.

import { open } from 'node:fs/promises';
import { CORE_SCHEMA, load } from 'js-yaml';
import { parseAllDocuments } from 'yaml';
import { UserError } from '../kube/errors.ts';
import { parseTime, type EventJson, type Observation, type PodJson } from '../model/index.ts';
import { WORKLOAD_KINDS, type WorkloadJson } from '../model/workload.ts';
import { parseRecording } from './recording.ts';

/** The most -f / --replay reads: 256 MiB (README: "Input limits"). */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;
const MiB = (n: number): string => `${Math.round(n / (1024 * 1024))} MiB`;

export interface FileObservations {
  readonly observations: readonly Observation[];
  /** The time the picture is drawn at: the newest timestamp in the file. */
  readonly asOf: number;
  readonly skipped: readonly string[];
  /** What was assumed about objects without kind ("3 items of a PodList read as Pods"). */
  readonly assumed: readonly string[];
}

/** Thrown when a signal ends the read: the caller exits quietly. */
export class InputInterrupted extends Error {
  constructor() {
    super('interrupted');
    this.name = 'InputInterrupted';
  }
}

/**
 * The newest time anywhere in an object (read as the model reads times), ignoring deletionTimestamp
 * (a future deadline), and what lies deeper than any time of a Kubernetes object (a thousands-deep
 * object is not walked into a stack overflow).
 */
export function newestTimestamp(value: unknown, key = '', depth = 0): number {
  if (typeof value === 'string') return key === 'deletionTimestamp' ? -Infinity : (parseTime(value) ?? -Infinity);
  if (depth > 32) return -Infinity;
  if (Array.isArray(value)) return value.reduce<number>((m, v) => Math.max(m, newestTimestamp(v, '', depth + 1)), -Infinity);
  if (value && typeof value === 'object') {
    let m = -Infinity;
    for (const [k, v] of Object.entries(value)) if (k !== 'managedFields') m = Math.max(m, newestTimestamp(v, k, depth + 1));
    return m;
  }
  return -Infinity;
}

interface KubeObject {
  readonly kind?: string;
  readonly apiVersion?: string;
  readonly items?: unknown;
  readonly metadata?: unknown;
}

/**
 * Reads a file, or stdin for "-", to its end (a slow producer is waited for, as `kubectl apply -f -`
 * waits), refusing more than `max` bytes, and giving up at once when `signal` aborts.
 */
export async function readInput(
  path: string,
  stdin: NodeJS.ReadableStream,
  o: { readonly signal?: AbortSignal; readonly max?: number } = {},
): Promise<string> {
  const max = o.max ?? MAX_INPUT_BYTES;
  const name = path === '-' ? 'stdin' : path;
  const tooBig = (): UserError =>
    new UserError(
      `${name} is larger than ${MiB(max)}, the most podlife reads`,
      'Select fewer objects (a namespace, -l, or one pod: kubectl get pod NAME -o yaml).',
    );
  if (path === '-') return readStream(stdin, max, tooBig, o.signal);
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(
      `cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (code ?? String(e))}`,
      'Give a file written by `kubectl get pod NAME -o yaml` (or -f - for stdin).',
    );
  }
  try {
    const st = await handle.stat();
    if (st.isDirectory())
      throw new UserError(`cannot read ${path}: it is a directory`, 'Give a file written by `kubectl get pod NAME -o yaml`.');
    if (st.isFile() && st.size > max) throw tooBig();
    return await readStream(handle.createReadStream({ autoClose: false }), max, tooBig, o.signal);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

async function readStream(
  stream: NodeJS.ReadableStream,
  max: number,
  tooBig: () => UserError,
  signal: AbortSignal | undefined,
): Promise<string> {
  if (signal?.aborted) throw new InputInterrupted();
  const chunks: Buffer[] = [];
  let size = 0;
  return new Promise<string>((resolve, reject) => {
    const done = (err: Error | undefined, text?: string): void => {
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('error', onError);
      signal?.removeEventListener('abort', onAbort);
      if (err) {
        stream.pause();
        (stream as { destroy?: () => void }).destroy?.();
        reject(err);
      } else resolve(text ?? '');
    };
    const onData = (d: Buffer | string): void => {
      const b = typeof d === 'string' ? Buffer.from(d) : d;
      size += b.length;
      if (size > max) return done(tooBig());
      chunks.push(b);
    };
    const onEnd = (): void => done(undefined, Buffer.concat(chunks).toString('utf8'));
    const onError = (e: NodeJS.ErrnoException): void =>
      done(
        new UserError(
          `cannot read ${stream === process.stdin ? 'stdin' : 'the input'}: ${e.code ?? e.message}`,
          'Pipe objects in, e.g. kubectl get pod x -o yaml | kubectl podlife -f -',
        ),
      );
    const onAbort = (): void => done(new InputInterrupted());
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', onError);
    signal?.addEventListener('abort', onAbort, { once: true });
    stream.resume();
  });
}

export function parseObjectsFile(text: string, name: string, o: { readonly itemByItemFrom?: number } = {}): FileObservations {
  const trimmed = text.trimStart();
  if (trimmed === '') throw new UserError(`${name} is empty`, 'Give a file written by `kubectl get pod NAME -o yaml`.');
  const firstLine = trimmed.slice(0, trimmed.indexOf('\n') >>> 0);
  if (
    trimmed.startsWith('{') &&
    (/"observedAt"\s*:/.test(firstLine) || /^\{"kind"\s*:\s*"recording"/.test(firstLine)) &&
    !/"apiVersion"\s*:/.test(firstLine)
  ) {
    const observations = parseRecording(text, name);
    return { observations, asOf: observations.reduce((m, o) => Math.max(m, o.observedAt), 0), skipped: [], assumed: [] };
  }

  let docs: unknown[];
  const listItems = trimmed.length > (o.itemByItemFrom ?? FAST_YAML_MIN) ? yamlListItems(text) : undefined;
  if (listItems) {
    docs = [{ kind: listItems.kind, apiVersion: 'v1', items: listItems.items }];
  } else if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      docs = [JSON.parse(text)];
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      const pos = /position (\d+)/.exec(msg);
      const where = pos ? lineCol(text, Number(pos[1])) : '';
      throw new UserError(
        `${name}${where}: malformed JSON: ${msg.replace(/ in JSON at position \d+.*$/, '').replace(/ \(line.*$/, '')}`,
        'Check the file, or save it again with kubectl get ... -o json.',
      );
    }
  } else {
    const printed = printedOutput(text);
    if (printed)
      throw new UserError(
        `${name}: this is the output of ${printed}, not Kubernetes objects`,
        'Save the objects instead: kubectl get pod NAME -o yaml > pod.yaml (add its events: kubectl get pod,events -o yaml).',
      );
    const parsed = parseAllDocuments(text);
    const all = Array.isArray(parsed) ? parsed : [parsed];
    docs = [];
    for (const doc of all) {
      const err = doc.errors[0];
      if (err) {
        const lc = err.linePos?.[0];
        throw new UserError(
          `${name}${lc ? `:${lc.line}:${lc.col}` : ''}: malformed YAML: ${err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
          'Check the indentation there, or save the object again with kubectl get ... -o yaml.',
        );
      }
      let v: unknown;
      try {
        v = doc.toJS();
      } catch (e) {
        // The yaml library refuses documents whose aliases expand without bound ("billion laughs").
        throw new UserError(
          `${name}: malformed YAML: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
          'kubectl never writes YAML aliases; save the objects again with kubectl get ... -o yaml.',
        );
      }
      if (v !== null && v !== undefined) docs.push(v);
    }
  }

  const assumed = new Map<string, number>();
  const assume = (what: string): void => void assumed.set(what, (assumed.get(what) ?? 0) + 1);

  // A JSON array of pods is a watch recording: successive snapshots, oldest first.
  if (docs.length === 1 && Array.isArray(docs[0])) {
    const arr = docs[0] as unknown[];
    const pods = arr.filter((v) => kindOf(v, undefined) === 'Pod');
    if (pods.length === arr.length && pods.length > 0) {
      const kindless = arr.filter((v) => !(v as KubeObject).kind).length;
      const r = snapshotsToObservations(pods as PodJson[], name);
      return { ...r, assumed: kindless ? [`${kindless} array element(s) without kind read as Pods (they have containers)`] : [] };
    }
    docs = arr;
  }

  const pods: PodJson[] = [];
  const events: EventJson[] = [];
  const workloads: WorkloadJson[] = [];
  const skipped: string[] = [];
  const visit = (v: unknown, where: string, listKind: string | undefined): void => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) {
      skipped.push(`${where} is not an object`);
      return;
    }
    const raw = v as KubeObject;
    if (Array.isArray(raw.items) && (raw.kind === 'List' || raw.kind?.endsWith('List') || (!raw.kind && raw.metadata === undefined))) {
      raw.items.forEach((item, i) => visit(item, `${where} item ${i + 1}`, raw.kind));
      return;
    }
    const kind = kindOf(raw, listKind);
    if (kind !== raw.kind && kind !== undefined)
      assume(
        listKind && listKind !== 'List'
          ? `items of a ${listKind} read as ${kind}s`
          : `object(s) without kind read as ${kind}s (${kind === 'Pod' ? 'they have containers' : 'they have an involvedObject'})`,
      );
    const o: KubeObject = kind !== raw.kind && kind !== undefined ? { ...raw, kind } : raw;
    if (kind === 'Pod') {
      if (!isObjectWithName(o))
        throw new UserError(`${name}: ${where} is a Pod without metadata.name`, 'Give a complete object as kubectl writes it.');
      pods.push(o as PodJson);
    } else if (o.kind === 'Event') {
      events.push(normaliseEvent(o as Record<string, unknown>));
    } else if (o.kind !== undefined && (WORKLOAD_KINDS as readonly string[]).includes(o.kind) && isObjectWithName(o)) {
      workloads.push(o as WorkloadJson);
    } else {
      skipped.push(`${where}: ${o.kind ?? 'an object without kind'}`);
    }
  };
  docs.forEach((d, i) => visit(d, docs.length > 1 ? `document ${i + 1}` : 'the document', undefined));

  if (pods.length === 0 && events.length === 0 && workloads.length === 0) {
    const what = skipped.length ? ` (found ${skipped.slice(0, 3).join('; ')})` : '';
    throw new UserError(
      `${name} contains no Pod${what}`,
      'podlife -f reads Pods, Events, workloads (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob, ControllerRevision) and Lists of them, e.g. `kubectl get pod NAME -o yaml` or `kubectl get deploy,rs,pods,events -o yaml`.',
    );
  }
  const asOf = Math.max(newestTimestamp(pods), newestTimestamp(events), newestTimestamp(workloads));
  const t = Number.isFinite(asOf) ? asOf : 0;
  const observations: Observation[] = [
    // Workloads first: the pods' revisions are known when they arrive.
    ...workloads.map((w): Observation => ({ kind: 'workload', verb: 'list', observedAt: t, object: w })),
    ...pods.map((p): Observation => ({ kind: 'pod', verb: 'list', observedAt: t, object: p })),
    ...events.map((e): Observation => ({ kind: 'event', verb: 'list', observedAt: t, object: e })),
  ];
  return { observations, asOf: t, skipped, assumed: [...assumed].map(([what, n]) => `${n} ${what}`) };
}

/**
 * The kind of an object, or what it clearly is when it has none: the item kind of a typed list
 * (PodList -> Pod), else a Pod when it has spec.containers, an Event when it has involvedObject.
 */
function kindOf(v: unknown, listKind: string | undefined): string | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as KubeObject & { spec?: { containers?: unknown }; involvedObject?: unknown; regarding?: unknown };
  if (typeof o.kind === 'string' && o.kind !== '') return o.kind;
  if (listKind && listKind !== 'List' && listKind.endsWith('List')) return listKind.slice(0, -'List'.length);
  if (o.spec && Array.isArray(o.spec.containers)) return 'Pod';
  if (o.involvedObject && typeof o.involvedObject === 'object') return 'Event';
  return undefined;
}

/** Below this size the YAML parser's own document tree is small enough. */
const FAST_YAML_MIN = 1 << 20;

/**
 * A YAML List as kubectl writes it (`kubectl get pods -o yaml`: a top-level `items:` sequence,
 * entries starting with "- " at column 0, or indented as other writers indent it) parsed one item
 * at a time, with js-yaml's core schema (the same values as the yaml library's YAML 1.2 core
 * schema, about ten times faster: 52 MB of pods in seconds rather than a minute). Undefined when the
 * text is not that shape, uses anchors or aliases, or an item does not parse: the caller then
 * parses the whole text (and reports errors with their line).
 */
export function yamlListItems(text: string): { kind: string; items: unknown[] } | undefined {
  if (/^\s*[{[]/.test(text) || /^(---|\.\.\.)/m.test(text.slice(text.indexOf('\n') + 1))) return undefined;
  // An anchor or alias is a node property: right after ": ", "- ", "[" or "," (never inside a plain scalar).
  if (/(?:^|[:[{,-])[ \t]*[&*][\w.-]+(?=[\s,\]}]|$)/m.test(text)) return undefined;
  const parse = (t: string): unknown => load(t, { schema: CORE_SCHEMA, json: true });
  const m = /^items:[ \t]*\r?\n( *)- /m.exec(text);
  if (!m) return undefined;
  const indent = m[1]!.length;
  const entry = `${m[1]}- `;
  const head = text.slice(0, m.index);
  let i = m.index + m[0].length - entry.length;
  const items: unknown[] = [];
  let end = text.length;
  while (i < text.length) {
    if (!text.startsWith(entry, i)) {
      end = i;
      break;
    }
    // The entry runs to the next line that is not indented past its dash.
    let j = i;
    for (;;) {
      const nl = text.indexOf('\n', j);
      if (nl < 0) {
        j = text.length;
        break;
      }
      j = nl + 1;
      let k = j;
      while (k < text.length && text[k] === ' ') k++;
      if (k < text.length && text[k] !== '\n' && text[k] !== '\r' && k - j <= indent) break;
    }
    const body = text
      .slice(i, j)
      .replace(entry, ' '.repeat(entry.length))
      .replace(new RegExp(`^ {${entry.length}}`, 'gm'), '');
    try {
      items.push(parse(body));
    } catch {
      return undefined;
    }
    i = j;
  }
  let rest: Record<string, unknown>;
  try {
    rest = (parse(head + text.slice(end)) ?? {}) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const kind = typeof rest['kind'] === 'string' ? rest['kind'] : undefined;
  if (!kind || !(kind === 'List' || kind.endsWith('List'))) return undefined;
  return { kind, items };
}

function snapshotsToObservations(pods: readonly PodJson[], name: string): FileObservations {
  let t = 0;
  const observations = pods.map((p, i): Observation => {
    if (!isObjectWithName(p))
      throw new UserError(
        `${name}: snapshot ${i + 1} is a Pod without metadata.name`,
        'Give complete objects as the API server sends them.',
      );
    t = Math.max(t, newestTimestamp(p));
    if (!Number.isFinite(t)) t = 0;
    return { kind: 'pod', verb: i === 0 ? 'added' : 'modified', observedAt: t, object: p };
  });
  return { observations, asOf: t, skipped: [], assumed: [] };
}

/** events.k8s.io/v1 Events carry the same facts under other names; the model reads core/v1. */
function normaliseEvent(o: Record<string, unknown>): EventJson {
  if (typeof o['apiVersion'] === 'string' && o['apiVersion'].startsWith('events.k8s.io/')) {
    const regarding = o['regarding'] as EventJson['involvedObject'];
    return {
      ...(o as unknown as EventJson),
      ...(regarding ? { involvedObject: regarding } : {}),
      message: (o['note'] as string | undefined) ?? '',
      count: (o['deprecatedCount'] as number | undefined) ?? 1,
      firstTimestamp: (o['deprecatedFirstTimestamp'] as string | null | undefined) ?? null,
      lastTimestamp: (o['deprecatedLastTimestamp'] as string | null | undefined) ?? null,
      source: (o['deprecatedSource'] as EventJson['source']) ?? null,
    };
  }
  return o as unknown as EventJson;
}

function isObjectWithName(o: KubeObject): boolean {
  const m = o.metadata as { name?: unknown } | undefined;
  return !!m && typeof m.name === 'string';
}

function lineCol(text: string, pos: number): string {
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const col = pos - before.lastIndexOf('\n');
  return `:${line}:${col}`;
}

/**
 * What kubectl printed for a reader, not an object: `kubectl describe` (its Containers: section with
 * State: lines, Name:/Namespace:, or its Events table) or its table (`kubectl get`: a NAME ... STATUS
 * header or a pod row). Comments and the command line that produced it are passed over.
 */
function printedOutput(text: string): string | undefined {
  // What kubectl prints for a pod is a few KiB; a large objects file is not read through twice.
  const lines = text
    .slice(0, 64 * 1024)
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '' && !l.startsWith('#') && !/^\$?\s*(kubectl|k)\s/.test(l));
  const has = (re: RegExp): boolean => lines.some((l) => re.test(l));
  if (
    (has(/^Containers:\s*$/) && has(/^\s+State:\s+(Running|Waiting|Terminated)\b/)) ||
    (has(/^Name:\s/) && has(/^Namespace:\s/)) ||
    has(/^\s*Type\s{2,}Reason\s{2,}Age\s{2,}From\s{2,}Message\s*$/)
  )
    return '`kubectl describe`';
  const first = lines[0] ?? '';
  if (/^(NAME|NAMESPACE)\s{2,}.*\bSTATUS\b/.test(first) || /^LAST SEEN\s{2,}TYPE\s{2,}REASON\b/.test(first))
    return '`kubectl get` (a table)';
  if (/^\S+\s{2,}\d+\/\d+\s{2,}\S+\s{2,}\d+/.test(first)) return '`kubectl get` (a table)';
  return undefined;
}
