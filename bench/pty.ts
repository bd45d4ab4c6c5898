// A program in a pseudo-terminal, its output fed to a headless terminal emulator (@xterm/headless),
// with the time each byte arrived: what a person would see, and when.
//
// The pseudo-terminal comes from util-linux's `script` (no native module: node-pty builds here
// only when node-gyp is pointed at the runtime's headers by hand, which `npm ci` does not do).
// `script -f` flushes every write of the program at once; `stty` sets the window size before the
// program starts. The time from spawning `script` to the program's own start is the same for
// every program: bench/first-screen.ts measures it (`exec true`) and reports it.

import { spawn, type ChildProcess } from 'node:child_process';
import xterm from '@xterm/headless';

const { Terminal } = xterm;

export interface PtyOptions {
  readonly cols: number;
  readonly rows: number;
  readonly env: NodeJS.ProcessEnv;
  /** Where the program's stderr goes (a file); by default the terminal, as for a person. */
  readonly stderrFile?: string;
  /** Keep the emulator off: only count and time bytes (the scale bench, thousands of rows a second). */
  readonly noEmulator?: boolean;
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export interface Chunk {
  readonly at: number;
  readonly bytes: number;
}

export class PtyRun {
  readonly proc: ChildProcess;
  readonly startedAt: number;
  readonly chunks: Chunk[] = [];
  bytes = 0;
  exitedAt: number | undefined;
  exitCode: number | undefined;
  readonly exited: Promise<number>;
  private readonly term: InstanceType<typeof Terminal> | undefined;
  private waiters: { pred: (screen: string) => boolean; resolve: (t: number) => void }[] = [];
  private parsed: Promise<void> = Promise.resolve();
  private readonly onChunkHooks: ((at: number, data: Buffer) => void)[] = [];

  constructor(command: readonly string[], o: PtyOptions) {
    const redirect = o.stderrFile ? ` 2>${quote(o.stderrFile)}` : '';
    const inner = `stty cols ${o.cols} rows ${o.rows} 2>/dev/null; exec ${command.map(quote).join(' ')}${redirect}`;
    this.term = o.noEmulator ? undefined : new Terminal({ cols: o.cols, rows: o.rows, allowProposedApi: true, scrollback: 0 });
    this.startedAt = performance.now();
    this.proc = spawn('script', ['-qfec', inner, '/dev/null'], {
      env: { TERM: 'xterm-256color', ...o.env },
      stdio: ['pipe', 'pipe', 'ignore'],
      detached: true, // its own process group: kill() ends the program and `script` together
    });
    this.proc.stdout!.on('data', (d: Buffer) => {
      const at = performance.now();
      this.bytes += d.length;
      this.chunks.push({ at, bytes: d.length });
      for (const h of this.onChunkHooks) h(at, d);
      const term = this.term;
      if (!term) return;
      this.parsed = new Promise<void>((resolve) =>
        term.write(d, () => {
          this.check(at);
          resolve();
        }),
      );
    });
    this.exited = new Promise((resolve) =>
      this.proc.on('close', (code) => {
        this.exitedAt = performance.now();
        this.exitCode = code ?? 1;
        resolve(this.exitCode);
      }),
    );
  }

  /** Called with every chunk of output as it arrives (before the emulator parses it). */
  onChunk(h: (at: number, data: Buffer) => void): void {
    this.onChunkHooks.push(h);
  }

  /** The screen as text, one line per row, trailing spaces trimmed. */
  screen(): string {
    const term = this.term;
    if (!term) return '';
    const buf = term.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < term.rows; i++) lines.push(buf.getLine(buf.viewportY + i)?.translateToString(true) ?? '');
    return lines.join('\n');
  }

  private check(at: number): void {
    if (this.waiters.length === 0) return;
    const screen = this.screen();
    this.waiters = this.waiters.filter((w) => {
      if (!w.pred(screen)) return true;
      w.resolve(at);
      return false;
    });
  }

  /** Resolves with the arrival time of the bytes that made `pred` true of the screen. */
  waitScreen(pred: (screen: string) => boolean, timeoutMs: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new Error(`screen condition not met within ${timeoutMs} ms; screen:\n${this.screen()}`));
      }, timeoutMs);
      const done = (t: number): void => {
        clearTimeout(timer);
        resolve(t);
      };
      this.waiters.push({ pred, resolve: done });
      void this.parsed.then(() => this.check(this.chunks.at(-1)?.at ?? performance.now()));
    });
  }

  /** The pid of the program itself (the child of `script`; the shell exec'd into it), once started. */
  programPid(): number | undefined {
    try {
      const pid = this.proc.pid!;
      const children = process.getBuiltinModule('node:fs').readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
      return children ? Number(children.split(/\s+/)[0]) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Time of the last byte of output (ms since spawn), once the program has exited. */
  lastByteMs(): number | undefined {
    const last = this.chunks.at(-1);
    return last ? last.at - this.startedAt : undefined;
  }

  type(text: string): void {
    this.proc.stdin?.write(text);
  }

  /** Ends the program: `q` first (a TUI restores the terminal), then SIGTERM, then SIGKILL. */
  async stop(graceMs = 2000): Promise<void> {
    if (this.exitedAt !== undefined) return;
    this.type('q');
    const gone = await Promise.race([this.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), graceMs))]);
    if (gone) return;
    this.kill('SIGTERM');
    const gone2 = await Promise.race([this.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), graceMs))]);
    if (!gone2) this.kill('SIGKILL');
    await this.exited;
  }

  kill(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.proc.pid!, signal);
    } catch {
      // already gone
    }
  }

  dispose(): void {
    this.term?.dispose();
  }
}
