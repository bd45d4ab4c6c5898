// Recordings: JSON lines, one Observation each, as the live source produced them (--record), read
// back by --replay and --demo. Observations are plain data, so a replay feeds the model exactly what
// it saw live and draws the same pictures.
//
// A recording holds whole pod objects, so it is written readable by its owner only (0600), and the
// secret-shaped fields the views never read are left out unless --record-raw asks for them: literal
// env values, the last-applied-configuration annotation (a copy of the manifest, env values
// included), and the values of probe and hook HTTP headers. A write that fails (a missing
// directory, a directory, a full disk) ends the session with one line.

import { closeSync, createWriteStream, fchmodSync, openSync, type WriteStream } from 'node:fs';
import { UserError } from '../kube/errors.ts';
import type { Observation, PodJson } from '../model/index.ts';
import type { WorkloadJson } from '../model/workload.ts';

const KINDS = new Set(['pod', 'event', 'workload', 'relist-start', 'relist-done', 'logs', 'connection', 'note']);

export function parseRecording(text: string, name: string): Observation[] {
  const out: Observation[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw new UserError(`${name}:${i + 1}: malformed recording line (not JSON)`, 'Recordings are JSON lines written by --record.');
    }
    const o = v as { kind?: unknown; observedAt?: unknown };
    if (o && typeof o === 'object' && o.kind === 'recording') continue; // header
    if (!o || typeof o !== 'object' || typeof o.kind !== 'string' || !KINDS.has(o.kind) || typeof o.observedAt !== 'number') {
      throw new UserError(
        `${name}:${i + 1}: not an observation (needs "kind" and a numeric "observedAt")`,
        'Recordings are JSON lines written by --record.',
      );
    }
    out.push(v as Observation);
  }
  if (out.length === 0) throw new UserError(`${name} holds no observations`, 'Record one with: kubectl podlife POD --record FILE');
  return out;
}

export interface Recorder {
  write(observations: readonly Observation[]): void;
  close(): Promise<void>;
}

const REDACTED = '(left out of the recording; --record-raw keeps it)';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);

function redactHeaders(handler: unknown): unknown {
  const h = obj(handler);
  const http = obj(h?.['httpGet']);
  if (!h || !http || !Array.isArray(http['httpHeaders'])) return handler;
  return { ...h, httpGet: { ...http, httpHeaders: http['httpHeaders'].map((x) => (obj(x) ? { ...obj(x), value: REDACTED } : x)) } };
}

function redactContainer(c: unknown): unknown {
  const o = obj(c);
  if (!o) return c;
  const out: Json = { ...o };
  if (Array.isArray(o['env'])) out['env'] = o['env'].map((e) => (obj(e) && 'value' in obj(e)! ? { ...obj(e), value: REDACTED } : e));
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) if (o[probe]) out[probe] = redactHeaders(o[probe]);
  const lifecycle = obj(o['lifecycle']);
  if (lifecycle)
    out['lifecycle'] = {
      ...lifecycle,
      ...(lifecycle['postStart'] ? { postStart: redactHeaders(lifecycle['postStart']) } : {}),
      ...(lifecycle['preStop'] ? { preStop: redactHeaders(lifecycle['preStop']) } : {}),
    };
  return out;
}

/** A pod without the secret-shaped fields the views do not read (a copy; the input is not changed). */
export function redactPod(pod: PodJson): PodJson {
  const p = pod as unknown as Json;
  const meta = obj(p['metadata']);
  const spec = obj(p['spec']);
  const out: Json = { ...p };
  const annotations = obj(meta?.['annotations']);
  if (meta && annotations && LAST_APPLIED in annotations) {
    const { [LAST_APPLIED]: _dropped, ...rest } = annotations;
    out['metadata'] = { ...meta, annotations: rest };
  }
  if (spec) {
    const s: Json = { ...spec };
    for (const k of ['containers', 'initContainers', 'ephemeralContainers'])
      if (Array.isArray(spec[k])) s[k] = (spec[k] as unknown[]).map(redactContainer);
    out['spec'] = s;
  }
  return out as unknown as PodJson;
}

/**
 * A workload without the same fields: its pod template (a Deployment's, a CronJob's Job template's,
 * a ControllerRevision's saved one) is redacted as a pod is, and its last-applied-configuration dropped.
 */
export function redactWorkload(w: WorkloadJson): WorkloadJson {
  const o = w as unknown as Json;
  const redactTemplate = (t: unknown): unknown => {
    const tpl = obj(t);
    return tpl
      ? {
          ...tpl,
          ...(obj(tpl['spec']) ? { spec: obj(redactPod({ metadata: {}, spec: tpl['spec'] } as unknown as PodJson))!['spec'] } : {}),
        }
      : t;
  };
  const out: Json = { ...o };
  const meta = obj(o['metadata']);
  const annotations = obj(meta?.['annotations']);
  if (meta && annotations && LAST_APPLIED in annotations) {
    const { [LAST_APPLIED]: _dropped, ...rest } = annotations;
    out['metadata'] = { ...meta, annotations: rest };
  }
  const spec = obj(o['spec']);
  if (spec) {
    const s: Json = { ...spec };
    if (spec['template']) s['template'] = redactTemplate(spec['template']);
    const jobTemplate = obj(spec['jobTemplate']);
    const jobSpec = obj(jobTemplate?.['spec']);
    if (jobTemplate && jobSpec?.['template'])
      s['jobTemplate'] = { ...jobTemplate, spec: { ...jobSpec, template: redactTemplate(jobSpec['template']) } };
    out['spec'] = s;
  }
  const data = obj(o['data']);
  const dataSpec = obj(data?.['spec']);
  if (data && dataSpec?.['template']) out['data'] = { ...data, spec: { ...dataSpec, template: redactTemplate(dataSpec['template']) } };
  return out as unknown as WorkloadJson;
}

function redact(o: Observation): Observation {
  if (o.kind === 'pod') return { ...o, object: redactPod(o.object) };
  if (o.kind === 'workload') return { ...o, object: redactWorkload(o.object) };
  return o;
}

/** The header line of a recording (`{"kind":"recording", ...}`): what was watched; undefined when there is none. */
export function recordingHeader(text: string): Readonly<Record<string, unknown>> | undefined {
  const first = text.slice(0, Math.max(0, text.indexOf('\n')) || text.length).trim();
  try {
    const v = JSON.parse(first) as unknown;
    return v && typeof v === 'object' && (v as { kind?: unknown }).kind === 'recording' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export interface RecorderOptions {
  /** --record-raw: write objects as the API sent them. */
  readonly raw?: boolean;
  /** A write failed after opening (e.g. the disk is full): called once with one line for the user (close() rejects with it too). */
  readonly onError?: (error: UserError) => void;
}

function writeError(path: string, e: NodeJS.ErrnoException): UserError {
  const reason =
    e.code === 'ENOENT'
      ? 'its directory does not exist'
      : e.code === 'EISDIR'
        ? 'it is a directory'
        : e.code === 'EACCES' || e.code === 'EPERM'
          ? 'permission denied'
          : e.code === 'ENOSPC'
            ? 'no space left on the device'
            : e.code === 'EROFS'
              ? 'read-only file system'
              : (e.code ?? e.message);
  return new UserError(`cannot write the recording ${path}: ${reason}`, 'Give --record a writable file path.');
}

/**
 * Opens FILE for --record at once, so that a path that cannot be written is one line before
 * anything is watched (a stream would report it later, as an 'error' event).
 */
export function openRecorder(path: string, header: Record<string, unknown>, o: RecorderOptions = {}): Recorder {
  let fd: number;
  try {
    fd = openSync(path, 'w', 0o600);
  } catch (e) {
    throw writeError(path, e as NodeJS.ErrnoException);
  }
  try {
    fchmodSync(fd, 0o600); // an existing file keeps its mode on open: tighten it
  } catch {
    // not ours to change (e.g. /dev/null): write anyway
  }
  let stream: WriteStream;
  try {
    stream = createWriteStream('', { fd, autoClose: true });
  } catch (e) {
    closeSync(fd);
    throw writeError(path, e as NodeJS.ErrnoException);
  }
  let failed: UserError | undefined;
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (failed) return;
    failed = writeError(path, e);
    o.onError?.(failed);
  });
  stream.write(JSON.stringify({ kind: 'recording', version: 1, ...(o.raw ? { raw: true } : {}), ...header }) + '\n');
  return {
    write(observations) {
      if (failed) return;
      for (const x of observations) stream.write(JSON.stringify(o.raw ? x : redact(x)) + '\n');
    },
    // 'close' comes after the last write, or after the 'error' that ended the stream: then it rejects with that one line.
    close: () =>
      new Promise((resolve, reject) => {
        const done = (): void => (failed ? reject(failed) : resolve());
        if (stream.closed) return done();
        stream.once('close', done);
        stream.end();
      }),
  };
}

/**
 * Feeds recorded observations with their original spacing divided by `speed`; quiet stretches
 * longer than `maxGapMs` (replay time) are shortened so a demo never stalls. `clock()` is the
 * replayed time, which is what the views must use as "now".
 */
export function replay(
  observations: readonly Observation[],
  emit: (o: readonly Observation[]) => void,
  opts: { readonly speed: number; readonly maxGapMs: number; readonly signal: AbortSignal; readonly realNow?: () => number },
): { readonly clock: () => number; readonly done: Promise<void> } {
  const realNow = opts.realNow ?? (() => performance.now());
  const first = observations[0]?.observedAt ?? 0;
  let anchorReal = realNow();
  let anchorReplay = first;
  const clock = (): number => anchorReplay + (realNow() - anchorReal) * opts.speed;
  const done = (async () => {
    let i = 0;
    while (i < observations.length && !opts.signal.aborted) {
      const t = observations[i]!.observedAt;
      const batch: Observation[] = [];
      while (i < observations.length && observations[i]!.observedAt === t) batch.push(observations[i++]!);
      const gap = t - clock();
      if (gap > opts.maxGapMs) {
        // Skip ahead: the replayed clock jumps to just before the next observation.
        anchorReplay = t - opts.maxGapMs;
        anchorReal = realNow();
      }
      const wait = (t - clock()) / opts.speed;
      if (wait > 0) await sleep(wait, opts.signal);
      if (opts.signal.aborted) break;
      anchorReplay = Math.max(t, clock());
      anchorReal = realNow();
      emit(batch);
    }
  })();
  return { clock, done };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      resolve();
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
