// Mounts the Ink app on the terminal, and always gives the terminal back: on q, Ctrl-C, SIGTERM,
// and on an exception (Ink restores raw mode, the cursor and the primary screen on unmount, also
// when the process exits).

import { render } from 'ink';
import type { SessionView } from '../model/index.ts';
import type { Clock } from '../output/clock.ts';
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

export async function runTui(store: Store, o: TuiOptions): Promise<number> {
  const app = (
    <App
      store={store}
      target={o.target}
      now={o.now}
      requestLogs={o.actions.requestLogs}
      {...(o.color !== undefined ? { color: o.color } : {})}
      {...(o.clock ? { clock: o.clock } : {})}
      {...(o.transform ? { transform: o.transform } : {})}
      {...(o.timeline ? { timeline: o.timeline } : {})}
    />
  );
  const instance = render(app, {
    stdout: o.stdout,
    stdin: o.stdin,
    exitOnCtrlC: false,
    patchConsole: true,
    maxFps: 10,
    // Full-screen like other terminal dashboards: quitting gives the user's terminal back as it was.
    alternateScreen: true,
    // The TUI is only chosen for a terminal (cli.ts refuses -o tui otherwise). Ink would draw only
    // a final frame if it believed it ran in CI: a CI variable inherited by a developer's shell
    // must not switch live drawing off.
    interactive: true,
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
  return 0;
}
