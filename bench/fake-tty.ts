// A terminal for Ink inside a benchmark's own process (bench/scale-rollout.ts, bench/rollout-offline.ts):
// 120x40, every write counted, and a keyboard that types keys into it.

import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { FrameTimes } from './stats.ts';

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
 * first frame is written, with the program's cap on frames a second. React and Ink load here,
 * after the caller set NODE_ENV and imported ink-as-built.ts.
 */
export async function mountRolloutScreen(
  store: import('../src/store/store.ts').Store,
  select: import('../src/ui/rollout-app.tsx').RolloutScreenSpec['select'],
  label: string,
): Promise<{ stdout: FakeTerminal; stdin: FakeKeyboard; app: { unmount(): void; cleanup(): void } }> {
  const [{ createElement }, { render }, { RolloutApp }, { MAX_FPS }] = await Promise.all([
    import('react'),
    import('ink'),
    import('../src/ui/rollout-app.tsx'),
    import('../src/ui/run-tui.tsx'),
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
      maxFps: MAX_FPS,
    },
  );
  await first;
  return { stdout, stdin, app };
}

/**
 * `n` frames each drawn after a key: j ten times, then k ten times (the selection moves). The keys
 * are `gapMs` apart, as a person types them: longer than Ink's render throttle (run-tui.tsx sets 10
 * frames a second), so that the wall time is the frame's.
 */
export async function keyFrames(stdout: FakeTerminal, stdin: FakeKeyboard, n = 100, gapMs = 150): Promise<FrameTimes> {
  const frames = new FrameTimes();
  for (let i = 0; i < n; i++) {
    await sleep(gapMs);
    const wrote = stdout.nextWrite();
    const end = frames.begin();
    stdin.type(i % 20 < 10 ? 'j' : 'k');
    await wrote;
    end();
  }
  return frames;
}

interface PodObject {
  readonly metadata: { readonly uid: string; readonly resourceVersion: string };
  readonly status: Record<string, unknown>;
}

/**
 * `n` frames each drawn after a change of one of `pods` (pods on screen, so that the change is a new
 * frame: Ink writes only what differs): the pod as a watch's MODIFIED event, its STATUS changed
 * through status.reason, dispatched to the store. The changes are `gapMs` apart, longer than the
 * screen's pacing (rollout-app.tsx useStatePaced takes a state at most every 100 ms, or 15x what the
 * last screen cost), so each frame starts when its change arrives: the wall time from the dispatch
 * to the write is the frame's, not the pacing's, and the CPU measured over it is the frame's too.
 */
export async function changeFrames(
  store: import('../src/store/store.ts').Store,
  stdout: FakeTerminal,
  pods: readonly PodObject[],
  n = 100,
  gapMs = 300,
): Promise<FrameTimes> {
  const frames = new FrameTimes();
  for (let i = 0; i < n; i++) {
    await sleep(gapMs);
    const pod = pods[i % pods.length]!;
    const changed = {
      ...pod,
      metadata: { ...pod.metadata, resourceVersion: `${pod.metadata.resourceVersion}-${i}` },
      status: { ...pod.status, reason: `Bench${i}` },
    };
    const wrote = stdout.nextWrite();
    const end = frames.begin();
    store.dispatch([{ kind: 'pod', verb: 'modified', observedAt: Date.now(), object: changed as never }]);
    await wrote;
    end();
  }
  return frames;
}
