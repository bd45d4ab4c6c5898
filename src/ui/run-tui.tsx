// Mounts the Ink app on the terminal, and always gives the terminal back: on q, Ctrl-C, SIGTERM,
// and on an exception (Ink restores raw mode, the cursor and the primary screen on unmount, also
// when the process exits).

import { render } from 'ink';
import type { ReactElement } from 'react';
import type { SessionView } from '../model/index.ts';
import type { Clock } from '../output/clock.ts';
import { perfFrame, perfMark, perfOn } from '../perf.ts';
import type { TimelineState } from '../render/window.ts';
import type { Store } from '../store/store.ts';
import { App } from './app.tsx';

export interface TuiOptions {
  readonly target: string;
  readonly actions: { readonly requestLogs: (podUid: string, container: string) => void };
  readonly stdout: NodeJS.WriteStream;
  readonly stdin: NodeJS.ReadStream;
  readonly now: () => number;
  readonly signal?: AbortSignal;
  /** Colours on (decided for stdout by --color, NO_COLOR, FORCE_COLOR, TERM); bold, dim and inverse stay. */
  readonly color?: boolean;
  readonly clock?: Clock;
  /** Applied to every view before layout (-c narrows it to some containers). */
  readonly transform?: (view: SessionView) => SessionView;
  /** The timeline's first window (--since / --window). */
  readonly timeline?: TimelineState | undefined;
}

/**
 * Ink's cap on frames a second. What the cluster sends reaches the screens at most ten times a
 * second already (the store's notifications, and the rollout screen's own pacing), so the cap only
 * holds back keys: one typed within 1/MAX_FPS s of another frame (the clock's, each second while
 * ages tick) waits for the next slot. At 10 a second that was up to 100 ms for about one key in
 * twenty; at 125 it is at most 8 ms (bench/rollout-offline.ts, bench/scale-rollout.ts: key frames).
 */
export const MAX_FPS = 125;

export async function runTui(store: Store, o: TuiOptions): Promise<number> {
  await mountFullScreen(
    store,
    <App
      store={store}
      target={o.target}
      now={o.now}
      requestLogs={o.actions.requestLogs}
      {...(o.color !== undefined ? { color: o.color } : {})}
      {...(o.clock ? { clock: o.clock } : {})}
      {...(o.transform ? { transform: o.transform } : {})}
      {...(o.timeline ? { timeline: o.timeline } : {})}
    />,
    o,
  );
  return 0;
}

/**
 * Mounts an app full-screen (the pod screen, the rollout screen) and resolves when the user quits
 * or `signal` aborts; the terminal is given back either way.
 */
export async function mountFullScreen(
  store: Store,
  app: ReactElement,
  o: { readonly stdout: NodeJS.WriteStream; readonly stdin: NodeJS.ReadStream; readonly signal?: AbortSignal | undefined },
): Promise<void> {
  // PODLIFE_PERF=1: every frame's time and bytes.
  const frames = perfOn ? frameTimer(store, o.stdout) : undefined;
  const instance = render(app, {
    stdout: o.stdout,
    stdin: o.stdin,
    exitOnCtrlC: false,
    patchConsole: true,
    maxFps: MAX_FPS,
    // Full-screen like other terminal dashboards: quitting gives the user's terminal back as it was.
    alternateScreen: true,
    // The TUI is only chosen for a terminal (cli.ts refuses -o tui otherwise). Ink would draw only
    // a final frame if it believed it ran in CI: a CI variable inherited by a developer's shell
    // must not switch live drawing off.
    interactive: true,
    ...(frames ? { onRender: frames.onRender } : {}),
  });
  const onAbort = (): void => instance.unmount();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  if (o.signal?.aborted) onAbort();
  try {
    await instance.waitUntilExit();
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    instance.cleanup();
  }
}

/**
 * PODLIFE_PERF=1: the time and bytes of every frame. A frame starts when the store notifies (React
 * renders the App, which builds the view and its lines) and ends when Ink has written it; Ink's own
 * part is its renderTime. Only called when the switch is on.
 */
export function frameTimer(store: Store, stdout: NodeJS.WriteStream): { onRender: (m: { renderTime: number }) => void } {
  let notifiedAt: number | undefined = performance.now(); // the first frame: from mounting
  let bytes = 0;
  let first = true;
  store.subscribe(() => void (notifiedAt ??= performance.now()));
  const write = stdout.write.bind(stdout) as (...a: unknown[]) => boolean;
  stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    return write(chunk, ...rest);
  }) as typeof stdout.write;
  return {
    onRender({ renderTime }) {
      const end = performance.now();
      // React's part: from the store's notification (or, for a tick or a key, from Ink's start) to Ink's.
      const reactMs = notifiedAt !== undefined ? Math.max(0, end - notifiedAt - renderTime) : 0;
      perfFrame(reactMs, renderTime, bytes);
      if (first) perfMark('tui: first frame written');
      first = false;
      notifiedAt = undefined;
      bytes = 0;
    },
  };
}
