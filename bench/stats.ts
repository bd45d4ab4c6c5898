// Medians and spreads for the benchmark tables, and the CPU of frames and of threads.

import { readdirSync, readFileSync } from 'node:fs';

export interface Spread {
  readonly n: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly p95: number;
  readonly p99: number;
}

export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export function spread(xs: readonly number[]): Spread {
  const ok = xs.filter((x) => Number.isFinite(x));
  return {
    n: ok.length,
    median: percentile(ok, 50),
    min: ok.length ? Math.min(...ok) : NaN,
    max: ok.length ? Math.max(...ok) : NaN,
    p95: percentile(ok, 95),
    p99: percentile(ok, 99),
  };
}

/** "123 (110-140)": median and range, or "-" when nothing was measured. */
export function fmt(s: Spread, digits = 0): string {
  if (s.n === 0) return '-';
  return `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}-${s.max.toFixed(digits)})`;
}

/** Prints rows as an aligned table. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/**
 * Frames, three ways: the wall time from the input to the write (what a user waits for), the whole
 * process's CPU over it (V8's helper threads too: a collection marking concurrently on the other
 * core counts) and the main thread's CPU alone (the frame's own work and the pauses it waits for).
 */
export class FrameTimes {
  readonly wall: number[] = [];
  readonly all: number[] = [];
  readonly main: number[] = [];
  /** Starts a frame; the function returned ends it. */
  begin(): () => void {
    const w = performance.now();
    const a = process.cpuUsage();
    const m = process.threadCpuUsage();
    return () => {
      const b = process.cpuUsage(a);
      const n = process.threadCpuUsage(m);
      this.wall.push(performance.now() - w);
      this.all.push((b.user + b.system) / 1000);
      this.main.push((n.user + n.system) / 1000);
    };
  }
}

/**
 * "p50 a / p95 b / max c ms" of frame times. The p-th value is the (floor(p/100 * n) + 1)-th
 * smallest, as the frame benchmarks have always printed it (the README's numbers compare).
 */
export function frameText(xs: readonly number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number): number => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
  return `p50 ${at(50).toFixed(1)} / p95 ${at(95).toFixed(1)} / max ${Math.max(...s).toFixed(1)} ms`;
}

/**
 * Linux: the CPU ms of a process's main thread, of V8's helper threads (node-V8Worker: parallel and
 * concurrent collection) and of its other threads, from /proc; undefined where there is no /proc.
 */
export function threadCpuMs(pid: number | 'self'): { main: number; v8: number; other: number } | undefined {
  const mainTid = String(pid === 'self' ? process.pid : pid);
  try {
    const out = { main: 0, v8: 0, other: 0 };
    for (const t of readdirSync(`/proc/${pid}/task`)) {
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8');
      } catch {
        continue; // the thread ended
      }
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime, in USER_HZ (100 a second)
      if (t === mainTid) out.main += ms;
      else if (stat.includes('(node-V8Worker)')) out.v8 += ms;
      else out.other += ms;
    }
    return out;
  } catch {
    return undefined;
  }
}
