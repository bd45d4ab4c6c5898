// PODLIFE_PERF=1: in-process timing marks, printed to stderr when the process exits, to find where
// the time to the first screen goes (bench/ reads them). Off, every call is one boolean test.
// Times are milliseconds since the process started (performance.now()'s origin), each with the CPU
// time (user + system) the process had used by then: on a busy machine the wall time also counts
// waiting for a core, the CPU time does not. Node's own bootstrap milestones come first. In the terminal UI it also times every frame (frameStats).
// Imports nothing: the entry loads it before anything else.

const on = typeof process !== 'undefined' && process.env['PODLIFE_PERF'] === '1';
const marks: [string, number, number][] = [];
const frames: { reactMs: number; inkMs: number; bytes: number }[] = [];

export const perfOn = on;

/** Records that `name` happened now. */
export function perfMark(name: string): void {
  if (on) {
    const cpu = process.cpuUsage();
    marks.push([name, performance.now(), (cpu.user + cpu.system) / 1000]);
  }
}

/** One frame of the terminal UI: React's part (view-model, layout, reconcile), Ink's part (layout, output), bytes written. */
export function perfFrame(reactMs: number, inkMs: number, bytes: number): void {
  if (on) frames.push({ reactMs, inkMs, bytes });
}

function pct(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

/** The report printed at exit: one `podlife-perf` line per mark, then a frame summary. */
export function perfReport(): string {
  const out: string[] = [];
  const t = performance.nodeTiming;
  const line = (ms: number, name: string, cpuMs?: number): void =>
    void out.push(
      `podlife-perf ${ms.toFixed(1).padStart(8)} ms  ${cpuMs === undefined ? ' '.repeat(15) : `cpu ${cpuMs.toFixed(1).padStart(6)} ms  `}${name}`,
    );
  line(t.nodeStart, 'node: process start -> node start');
  line(t.v8Start, 'node: v8 started');
  line(t.environment, 'node: environment ready');
  line(t.bootstrapComplete, 'node: bootstrap complete');
  for (const [name, ms, cpuMs] of marks) line(ms, name, cpuMs);
  if (frames.length) {
    const total = frames.map((f) => f.reactMs + f.inkMs);
    const react = frames.map((f) => f.reactMs);
    const ink = frames.map((f) => f.inkMs);
    const bytes = frames.map((f) => f.bytes).filter((b) => b > 0); // frames that changed the screen
    const ms = (xs: readonly number[], p: number): string => pct(xs, p).toFixed(2);
    out.push(
      `podlife-perf frames ${frames.length} frame-ms p50 ${ms(total, 50)} p95 ${ms(total, 95)} max ${Math.max(...total).toFixed(2)}` +
        ` react-ms p50 ${ms(react, 50)} ink-ms p50 ${ms(ink, 50)}` +
        ` written ${bytes.length} bytes p50 ${pct(bytes, 50)} p95 ${pct(bytes, 95)} total ${bytes.reduce((a, b) => a + b, 0)}`,
    );
  }
  return out.join('\n') + '\n';
}

if (on) {
  process.on('exit', () => {
    perfMark('process: exit');
    try {
      process.stderr.write(perfReport());
    } catch {
      // stderr closed: nothing to say
    }
  });
}
