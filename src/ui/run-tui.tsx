// Mounts the Ink app on the terminal, and always gives the terminal back: on q, Ctrl-C, SIGTERM,
// and on an exception (Ink restores raw mode and the cursor on unmount).

import { render } from 'ink';
import type { Store } from '../store/store.ts';
import { App } from './app.tsx';

export interface TuiOptions {
  readonly target: string;
  readonly actions: { readonly requestLogs: (podUid: string, container: string) => void };
  readonly stdout: NodeJS.WriteStream;
  readonly stdin: NodeJS.ReadStream;
  readonly now: () => number;
  readonly signal?: AbortSignal;
}

const ENTER_ALT_SCREEN = '\x1b[?1049h';
const LEAVE_ALT_SCREEN = '\x1b[?1049l\x1b[?25h';

export async function runTui(store: Store, o: TuiOptions): Promise<number> {
  let quit = false;
  // Full-screen like other terminal dashboards: the alternate screen, so that quitting gives the
  // user's terminal back as it was. Left again on every way out, including an unexpected exit.
  let left = false;
  const leave = (): void => {
    if (left) return;
    left = true;
    o.stdout.write(LEAVE_ALT_SCREEN);
  };
  o.stdout.write(ENTER_ALT_SCREEN);
  process.once('exit', leave);
  const instance = render(
    <App store={store} target={o.target} now={o.now} requestLogs={o.actions.requestLogs} onExit={() => (quit = true)} />,
    { stdout: o.stdout, stdin: o.stdin, exitOnCtrlC: false, patchConsole: true, maxFps: 10 },
  );
  const onAbort = (): void => instance.unmount();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await instance.waitUntilExit();
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    instance.cleanup();
    leave();
    process.off('exit', leave);
  }
  void quit;
  return 0;
}
