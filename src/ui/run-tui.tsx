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

export async function runTui(store: Store, o: TuiOptions): Promise<number> {
  let quit = false;
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
  }
  void quit;
  return 0;
}
