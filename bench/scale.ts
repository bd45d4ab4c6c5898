// Scale: N pods that can never be scheduled (cheap, and real objects), watched at once by every
// watcher in its own pseudo-terminal, while a generator changes their status through the status
// subresource at a steady rate. Per watcher, from /proc: resident memory (peak, and at the end),
// CPU per 1,000 watch events during the churn, CPU while nothing changes (idle), and what reached
// the terminal: bytes, and "frames" (bursts of output with less than 8 ms between chunks). podlife
// also reports its own frame times (PODLIFE_PERF=1, printed at exit to its stderr file).

import { readFileSync } from 'node:fs';
import { MERGE_PATCH, statusPatch, type Api } from './api.ts';
import { PtyRun } from './pty.ts';
import { percentile } from './stats.ts';

export interface ScaleWatcher {
  readonly label: string;
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** Where its stderr goes (podlife's PODLIFE_PERF report), if anywhere. */
  readonly stderrFile?: string;
}

export interface ScaleRow {
  readonly label: string;
  readonly pods: number;
  readonly loadMs: number;
  readonly rssPeakMb: number;
  readonly rssEndMb: number;
  readonly cpuMsPer1000: number;
  readonly idleCpuPct: number;
  readonly bytesPerSec: number;
  readonly frames: number;
  readonly bytesPerFrameP50: number;
  readonly bytesPerFrameP95: number;
  /** podlife only: its own frame times (ms) from PODLIFE_PERF. */
  readonly frameMsP50?: number;
  readonly frameMsP95?: number;
}

const TICK_MS = 1000 / 100; // USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s

function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime + stime
}

function rssMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Bursts of output: chunks closer than `gapMs` to the previous one belong to the same frame. */
function bursts(chunks: readonly { at: number; bytes: number }[], from: number, to: number, gapMs = 8): number[] {
  const out: number[] = [];
  let last = -Infinity;
  for (const c of chunks) {
    if (c.at < from || c.at > to) continue;
    if (c.at - last > gapMs) out.push(0);
    out[out.length - 1]! += c.bytes;
    last = c.at;
  }
  return out;
}

/**
 * Waits until the first screenful is drawn: some output, then `quietMs` without any (the UIs redraw
 * their clocks every second or two, so the quiet is short), or `maxMs`. Returns when its last byte came.
 */
async function settled(run: PtyRun, quietMs: number, maxMs: number): Promise<number> {
  const start = performance.now();
  for (;;) {
    await new Promise((r) => setTimeout(r, 50));
    const last = run.chunks.at(-1)?.at ?? 0;
    const now = performance.now();
    if ((run.bytes > 2048 && now - start > 3000 && now - last >= quietMs) || now - start >= maxMs) return last - run.startedAt;
  }
}

export async function scale(
  api: Api,
  ns: string,
  podNames: readonly string[],
  watchers: readonly ScaleWatcher[],
  o: { readonly ratePerSec: number; readonly churnSec: number; readonly idleSec: number },
): Promise<{ rows: ScaleRow[]; achievedRate: number; events: number }> {
  const runs = watchers.map(
    (w) => new PtyRun(w.argv, { cols: 160, rows: 50, env: w.env, noEmulator: true, ...(w.stderrFile ? { stderrFile: w.stderrFile } : {}) }),
  );
  const peak = runs.map(() => 0);
  const sampler = setInterval(() => {
    runs.forEach((r, i) => {
      const pid = r.programPid();
      if (pid) peak[i] = Math.max(peak[i]!, rssMb(pid, 'VmRSS') || 0);
    });
  }, 250);
  try {
    const loadMs = await Promise.all(runs.map((r) => settled(r, 700, 60_000)));
    const pids = runs.map((r) => {
      const pid = r.programPid();
      if (!pid) throw new Error('a watcher is not running');
      return pid;
    });
    // Idle: nothing changes; only clocks tick.
    const idle0 = pids.map(cpuMs);
    const idleStart = performance.now();
    await new Promise((r) => setTimeout(r, o.idleSec * 1000));
    const idleWall = performance.now() - idleStart;
    const idleCpu = pids.map((p, i) => ((cpuMs(p) - idle0[i]!) / idleWall) * 100);
    // Churn: status writes at a steady rate, spread over the pods.
    const cpu0 = pids.map(cpuMs);
    const churnStart = performance.now();
    const writes = new Map<string, number>();
    let sent = 0;
    let acked = 0;
    const inflight = new Set<Promise<void>>();
    const interval = 1000 / o.ratePerSec;
    while (performance.now() - churnStart < o.churnSec * 1000) {
      const due = Math.floor((performance.now() - churnStart) / interval);
      while (sent < due && inflight.size < 64) {
        const name = podNames[sent % podNames.length]!;
        // Every other write to a pod is a restart; the others flip its Ready condition.
        const k = (writes.get(name) ?? 0) + 1;
        writes.set(name, k);
        sent++;
        const p = api
          .call(
            'PATCH',
            `/api/v1/namespaces/${ns}/pods/${name}/status`,
            statusPatch(Math.ceil(k / 2), k % 2 === 0, new Date()),
            MERGE_PATCH,
          )
          .then((r) => {
            if (r.status === 200) acked++;
          })
          .finally(() => inflight.delete(p));
        inflight.add(p);
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    await Promise.all(inflight);
    const churnEnd = performance.now();
    await new Promise((r) => setTimeout(r, 1500)); // the last events drain
    const churnCpu = pids.map((p, i) => cpuMs(p) - cpu0[i]!);
    const rssEnd = pids.map((p) => rssMb(p, 'VmRSS'));
    const hwm = pids.map((p) => rssMb(p, 'VmHWM'));
    const churnWall = (churnEnd - churnStart) / 1000;
    const rows: ScaleRow[] = runs.map((r, i) => {
      const frames = bursts(r.chunks, churnStart, churnEnd + 1500);
      return {
        label: watchers[i]!.label,
        pods: podNames.length,
        loadMs: loadMs[i]!,
        rssPeakMb: Math.max(peak[i]!, hwm[i]!),
        rssEndMb: rssEnd[i]!,
        cpuMsPer1000: (churnCpu[i]! / Math.max(1, acked)) * 1000,
        idleCpuPct: idleCpu[i]!,
        bytesPerSec: frames.reduce((a, b) => a + b, 0) / churnWall,
        frames: frames.length,
        bytesPerFrameP50: percentile(frames, 50),
        bytesPerFrameP95: percentile(frames, 95),
      };
    });
    return { rows, achievedRate: acked / churnWall, events: acked };
  } finally {
    clearInterval(sampler);
    await Promise.all(runs.map((r) => r.stop(3000).catch(() => undefined)));
    for (const r of runs) r.dispose();
  }
}

/** podlife's own frame times from its PODLIFE_PERF report. */
export function podlifeFrames(stderrFile: string): { p50: number; p95: number } | undefined {
  try {
    const m = /frame-ms p50 ([\d.]+) p95 ([\d.]+)/.exec(readFileSync(stderrFile, 'utf8'));
    return m ? { p50: Number(m[1]), p95: Number(m[2]) } : undefined;
  } catch {
    return undefined;
  }
}
