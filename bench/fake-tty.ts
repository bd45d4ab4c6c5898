// A terminal for Ink inside a benchmark's own process (bench/scale-rollout.ts, bench/rollout-offline.ts):
// 120x40, every write counted, and a keyboard that types keys into it.

import { EventEmitter } from 'node:events';

/** 120x40; every write counted, and a frame can be awaited. */
export class FakeTerminal extends EventEmitter {
  readonly isTTY = true;
  readonly columns = 120;
  readonly rows = 40;
  writes = 0;
  private waiters: (() => void)[] = [];
  write = (_s: string): boolean => {
    this.writes++;
    for (const w of this.waiters.splice(0)) w();
    return true;
  };
  nextWrite(): Promise<void> {
    return new Promise((r) => this.waiters.push(r));
  }
}
export class FakeKeyboard extends EventEmitter {
  readonly isTTY = true;
  private data: string | null = null;
  type(s: string): void {
    this.data = s;
    this.emit('readable');
    this.emit('data', s);
  }
  read = (): string | null => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

/**
 * The real rollout screen (RolloutApp) mounted by Ink on a FakeTerminal in this process, once its
 * first frame is written. React and Ink load here, after the caller set NODE_ENV and imported
 * ink-as-built.ts.
 */
export async function mountRolloutScreen(
  store: import('../src/store/store.ts').Store,
  select: import('../src/ui/rollout-app.tsx').RolloutScreenSpec['select'],
  label: string,
  maxFps: number,
): Promise<{ stdout: FakeTerminal; stdin: FakeKeyboard; app: { unmount(): void; cleanup(): void } }> {
  const [{ createElement }, { render }, { RolloutApp }] = await Promise.all([
    import('react'),
    import('ink'),
    import('../src/ui/rollout-app.tsx'),
  ]);
  const stdout = new FakeTerminal();
  const stdin = new FakeKeyboard();
  const first = stdout.nextWrite();
  const app = render(
    createElement(RolloutApp, { store, screens: [{ label, select }], now: () => Date.now(), requestLogs: () => undefined }),
    {
      stdout: stdout as never,
      stdin: stdin as never,
      stderr: stdout as never,
      debug: false,
      exitOnCtrlC: false,
      patchConsole: false,
      maxFps,
    },
  );
  await first;
  return { stdout, stdin, app };
}
