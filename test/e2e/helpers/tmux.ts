// The TUI in a real pseudo-terminal: tmux runs the launcher at a fixed size; capture-pane reads the
// screen as a person would see it, send-keys types.

import { execFileSync } from 'node:child_process';

export class TmuxSession {
  readonly name: string;
  constructor(command: readonly string[], opts: { width: number; height: number; env: Record<string, string> }) {
    this.name = `podlife-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    const envArgs = Object.entries(opts.env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    const quoted = command.map((c) => `'${c.replace(/'/g, `'\\''`)}'`).join(' ');
    // `; sleep` keeps the pane (and the program's last screen) after the program exits.
    execFileSync('tmux', [
      'new-session',
      '-d',
      '-s',
      this.name,
      '-x',
      String(opts.width),
      '-y',
      String(opts.height),
      ...envArgs,
      `${quoted}; echo "[exit $?]"; sleep 600`,
    ]);
  }

  screen(): string {
    return execFileSync('tmux', ['capture-pane', '-p', '-t', this.name], { encoding: 'utf8' });
  }

  keys(...keys: string[]): void {
    execFileSync('tmux', ['send-keys', '-t', this.name, ...keys]);
  }

  resize(width: number, height: number): void {
    execFileSync('tmux', ['resize-window', '-t', this.name, '-x', String(width), '-y', String(height)]);
  }

  async waitForScreen(pred: (screen: string) => boolean, timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      last = this.screen();
      if (pred(last)) return last;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`screen condition not met within ${timeoutMs} ms; screen:\n${last}`);
  }

  kill(): void {
    try {
      execFileSync('tmux', ['kill-session', '-t', this.name]);
    } catch {
      // already gone
    }
  }
}
