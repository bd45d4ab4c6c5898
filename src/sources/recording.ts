// Recordings: JSON lines, one Observation each, as the live source produced them (--record), read
// back by --replay and --demo. Observations are plain data, so a replay feeds the model exactly what
// it saw live and draws the same pictures.

import { createWriteStream, openSync, type WriteStream } from 'node:fs';
import { UserError } from '../kube/errors.ts';
import type { Observation } from '../model/index.ts';

const KINDS = new Set(['pod', 'event', 'relist-start', 'relist-done', 'logs', 'connection', 'note']);

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

export function openRecorder(path: string, header: Record<string, unknown>): Recorder {
  const cannot = (e: unknown): UserError =>
    new UserError(`cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, 'Pick a writable path for --record.');
  // Opened at once, so that a path that cannot be written is one line before anything starts
  // (a stream would report it later, as an 'error' event).
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (e) {
    throw cannot(e);
  }
  const stream: WriteStream = createWriteStream('', { fd });
  let failed: unknown;
  stream.on('error', (e) => (failed ??= e));
  stream.write(JSON.stringify({ kind: 'recording', version: 1, ...header }) + '\n');
  return {
    write(observations) {
      if (failed === undefined) for (const o of observations) stream.write(JSON.stringify(o) + '\n');
    },
    close: () =>
      new Promise((resolve, reject) => {
        // 'close' comes after the last write, or after the 'error' that ended the stream.
        const done = (): void => (failed === undefined ? resolve() : reject(cannot(failed)));
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
