// Reading a long-running `podlife -o json`: its lines parsed, with the time each arrived, and the
// part of a "pod" line that a fresh list must reproduce.

import type { Streaming } from './env.ts';

export interface JsonLine {
  readonly kind: string;
  readonly [k: string]: unknown;
}

/** Arrival times (Date.now()) of a Streaming's stdout lines, index for index. */
export function stampLines(s: Streaming): number[] {
  const times: number[] = [];
  // Counted from the same chunks, in the same order, as Streaming splits them into lines.
  s.proc.stdout!.on('data', (d: Buffer) => {
    const now = Date.now();
    for (const ch of d.toString()) if (ch === '\n') times.push(now);
  });
  return times;
}

export function parsed(lines: readonly string[], from = 0): JsonLine[] {
  const out: JsonLine[] = [];
  for (const l of lines.slice(from)) {
    if (!l.startsWith('{')) continue;
    try {
      out.push(JSON.parse(l) as JsonLine);
    } catch {
      // a line that is not JSON fails the caller's own checks
    }
  }
  return out;
}

export const isConnection =
  (state: string) =>
  (line: string): boolean =>
    line.startsWith('{"kind":"connection"') && (JSON.parse(line) as { state: string }).state === state;

export const isLifecycle =
  (type: string, match: (l: JsonLine) => boolean = () => true) =>
  (line: string): boolean => {
    if (!line.startsWith('{"kind":"lifecycle"')) return false;
    const l = JSON.parse(line) as JsonLine;
    return l['type'] === type && match(l);
  };

/** The last "pod" line for this pod name. */
export function lastPod(lines: readonly string[], name: string): JsonLine | undefined {
  return parsed(lines)
    .filter((l) => l.kind === 'pod' && l['name'] === name)
    .at(-1);
}

interface PodLine {
  uid: string;
  phase: string;
  status: string;
  ready: string;
  restarts: number;
  reason: unknown;
  message: unknown;
  node: unknown;
  podIP: unknown;
  deleted: boolean;
  conditions: unknown[];
  containers: {
    name: string;
    type: string;
    state: string;
    reason: unknown;
    message: unknown;
    exitCode: unknown;
    ready: boolean;
    started: unknown;
    restartCount: number;
    containerID: unknown;
    startedAt: unknown;
    finishedAt: unknown;
    lastTermination: unknown;
  }[];
}

/**
 * What the objects say now, as a "pod" line carries it: the fields a fresh list must reproduce.
 * Left out: what depends on the session's own history (instances seen, findings drawn from them,
 * gaps, observedFrom/At) and text relative to the clock (restartsText).
 */
export function objectState(pod: JsonLine | undefined): unknown {
  if (!pod) return undefined;
  const p = pod as unknown as PodLine;
  return {
    uid: p.uid,
    phase: p.phase,
    status: p.status,
    ready: p.ready,
    restarts: p.restarts,
    reason: p.reason,
    message: p.message,
    node: p.node,
    podIP: p.podIP,
    deleted: p.deleted,
    conditions: p.conditions,
    containers: p.containers.map((c) => ({
      name: c.name,
      type: c.type,
      state: c.state,
      reason: c.reason,
      message: c.message,
      exitCode: c.exitCode,
      ready: c.ready,
      started: c.started,
      restartCount: c.restartCount,
      containerID: c.containerID,
      startedAt: c.startedAt,
      finishedAt: c.finishedAt,
      lastTermination: c.lastTermination,
    })),
  };
}

/** No stack trace and no "unexpected error" in what a run wrote to stderr. */
export function assertNoCrash(stderr: string, assertFn: (ok: boolean, msg: string) => void): void {
  assertFn(!/\n\s+at \S/.test(stderr), `no stack trace in stderr:\n${stderr.slice(-2000)}`);
  assertFn(!/unexpected error/i.test(stderr), `no unexpected error in stderr:\n${stderr.slice(-2000)}`);
}
