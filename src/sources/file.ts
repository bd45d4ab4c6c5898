// -f FILE: saved objects as observations. Accepts what kubectl writes: a Pod, a v1 List (or
// PodList/EventList), multi-document YAML, JSON, pods mixed with events (`kubectl get pod,events -o
// yaml`), a JSON array of successive snapshots of one pod (a watch recording, oldest first), and
// a podlife recording (JSON lines of observations, see recording.ts).
//
// A file has no clock: each snapshot is stamped with the newest timestamp it carries (its capture
// time, at the latest), so the picture is drawn "as of" the file, not as of today.

import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { UserError } from '../kube/errors.ts';
import { parseTime, type EventJson, type Observation, type PodJson } from '../model/index.ts';
import { parseRecording } from './recording.ts';

export interface FileObservations {
  readonly observations: readonly Observation[];
  /** The time the picture is drawn at: the newest timestamp in the file. */
  readonly asOf: number;
  readonly skipped: readonly string[];
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

export function readInput(path: string, stdin: () => string): string {
  if (path === '-') return stdin();
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(
      `cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (code ?? String(e))}`,
      'Give a file written by `kubectl get pod NAME -o yaml` (or -f - for stdin).',
    );
  }
}

export function parseObjectsFile(text: string, name: string): FileObservations {
  const trimmed = text.trimStart();
  if (trimmed === '') throw new UserError(`${name} is empty`, 'Give a file written by `kubectl get pod NAME -o yaml`.');
  const firstLine = trimmed.slice(0, trimmed.indexOf('\n') >>> 0);
  if (
    trimmed.startsWith('{') &&
    (/"observedAt"\s*:/.test(firstLine) || /^\{"kind"\s*:\s*"recording"/.test(firstLine)) &&
    !/"apiVersion"\s*:/.test(firstLine)
  ) {
    const observations = parseRecording(text, name);
    return { observations, asOf: observations.reduce((m, o) => Math.max(m, o.observedAt), 0), skipped: [] };
  }

  let docs: unknown[];
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
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
      const v: unknown = doc.toJS();
      if (v !== null && v !== undefined) docs.push(v);
    }
  }

  // A JSON array of pods is a watch recording: successive snapshots, oldest first.
  if (docs.length === 1 && Array.isArray(docs[0])) {
    const arr = docs[0] as unknown[];
    const pods = arr.filter(isKind('Pod'));
    if (pods.length === arr.length && pods.length > 0) return snapshotsToObservations(pods as PodJson[], name);
    docs = arr;
  }

  const pods: PodJson[] = [];
  const events: EventJson[] = [];
  const skipped: string[] = [];
  const visit = (v: unknown, where: string): void => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) {
      skipped.push(`${where} is not an object`);
      return;
    }
    const o = v as KubeObject;
    if (Array.isArray(o.items) && (o.kind === 'List' || o.kind?.endsWith('List'))) {
      o.items.forEach((item, i) => visit(item, `${where} item ${i + 1}`));
      return;
    }
    if (o.kind === 'Pod') {
      if (!isObjectWithName(o))
        throw new UserError(`${name}: ${where} is a Pod without metadata.name`, 'Give a complete object as kubectl writes it.');
      pods.push(o as PodJson);
    } else if (o.kind === 'Event') {
      events.push(normaliseEvent(o as Record<string, unknown>));
    } else {
      skipped.push(`${where}: ${o.kind ?? 'an object without kind'}`);
    }
  };
  docs.forEach((d, i) => visit(d, docs.length > 1 ? `document ${i + 1}` : 'the document'));

  if (pods.length === 0 && events.length === 0) {
    const what = skipped.length ? ` (found ${skipped.slice(0, 3).join('; ')})` : '';
    throw new UserError(
      `${name} contains no Pod${what}`,
      'podlife -f reads Pods, Events and Lists of them, e.g. `kubectl get pod NAME -o yaml`.',
    );
  }
  const asOf = Math.max(newestTimestamp(pods), newestTimestamp(events));
  const t = Number.isFinite(asOf) ? asOf : 0;
  const observations: Observation[] = [
    ...pods.map((p): Observation => ({ kind: 'pod', verb: 'list', observedAt: t, object: p })),
    ...events.map((e): Observation => ({ kind: 'event', verb: 'list', observedAt: t, object: e })),
  ];
  return { observations, asOf: t, skipped };
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
  return { observations, asOf: t, skipped: [] };
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

function isKind(kind: string) {
  return (v: unknown): boolean => !!v && typeof v === 'object' && (v as KubeObject).kind === kind;
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
