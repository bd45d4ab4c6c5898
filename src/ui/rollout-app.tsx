// The rollout screen in Ink: reads the store (paced by what a screen costs, see useStatePaced), keeps a one-second tick
// for the countdowns and ages (the group view is memoised on the state, so the tick rebuilds
// nothing but the lines on screen), handles the keys, and draws rolloutLayout()'s lines. enter
// opens the selected pod in the pod screen (app.tsx) with only that pod's detailed view built; esc
// comes back. The strips' window keys are the pod screen's (keys.ts windowKey), on the axis the
// frame drew.

import { Text, useApp, useInput, useWindowSize } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { podViewOf, sessionWith, type GroupView, type ModelState, type SessionView, type UntilTarget } from '../model/index.ts';
import type { Clock } from '../output/clock.ts';
import type { Store } from '../store/store.ts';
import { App } from './app.tsx';
import { windowKey } from './keys.ts';
import { mountFullScreen } from './run-tui.tsx';
import { ansiLine } from './ansi-line.ts';
import { initialRolloutUi, rolloutLayout, type RolloutFrame, type RolloutUi } from './rollout-layout.ts';

export interface RolloutScreenSpec {
  /** "deploy/shop -n shop". */
  readonly label: string;
  readonly select: (state: ModelState) => GroupView;
}

export interface RolloutAppProps {
  readonly store: Store;
  readonly screens: readonly RolloutScreenSpec[];
  readonly now: () => number;
  readonly requestLogs: (podUid: string, container: string) => void;
  readonly color?: boolean;
  readonly clock?: Clock;
  readonly transform?: (view: SessionView) => SessionView;
  readonly until?: { readonly until: UntilTarget; readonly timeoutAt: number | undefined } | undefined;
}

/**
 * The store's state, taken at most every max(100 ms, 15x what the last screen cost to build): with
 * thousands of pods changing all the time, rebuilding the group view and its lines after every
 * notification would take most of a core; this keeps it under a tenth (a few screens a second at
 * 5,000 pods, every notification for a few hundred). Keys and the clock draw at once, on the
 * state last taken.
 */
function useStatePaced(store: Store): { state: ModelState; cost: { current: number } } {
  const [state, setState] = useState(store.getState);
  const cost = useRef(0);
  useEffect(() => {
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const take = (): void => {
      timer = undefined;
      last = performance.now();
      setState(store.getState());
    };
    const unsubscribe = store.subscribe(() => {
      if (timer) return;
      const wait = last + Math.max(100, cost.current * 15) - performance.now();
      if (wait <= 0) take();
      else timer = setTimeout(take, wait);
    });
    take();
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [store]);
  return { state, cost };
}

/** The session view of one pod: its detailed view only. */
export function onePod(uid: string): (state: ModelState, now: number) => SessionView {
  return (state, now) => {
    const rec = state.pods.get(uid);
    return sessionWith(state, rec ? [podViewOf(state, rec, now)] : [], now);
  };
}

/**
 * A frame's lines as terminal text, made once per frame: the clock's check makes them for the new
 * time, and the render that follows a changed line draws the same frame (rolloutLayout returns it).
 */
const frameTexts = new WeakMap<RolloutFrame, { color: boolean; texts: readonly string[] }>();
function textsOf(frame: RolloutFrame, color: boolean): readonly string[] {
  const known = frameTexts.get(frame);
  if (known && known.color === color) return known.texts;
  const texts = frame.lines.map((l) => ansiLine(l, color));
  frameTexts.set(frame, { color, texts });
  return texts;
}

export function RolloutApp({ store, screens, now, requestLogs, color = true, clock, transform, until }: RolloutAppProps) {
  const { state, cost } = useStatePaced(store);
  const { exit } = useApp();
  const { columns, rows } = useWindowSize();
  const [ui, setUi] = useState<RolloutUi>(initialRolloutUi);
  const [open, setOpen] = useState<string | undefined>(undefined);
  const [tick, setTick] = useState(() => now());

  const screen = screens[Math.min(ui.target, screens.length - 1)]!;
  const built = performance.now();
  const view = screen.select(state);
  const layoutAt = (at: number) =>
    rolloutLayout(
      {
        view,
        connection: state.connection,
        notes: state.notes,
        label: screen.label,
        targets: screens.length,
        until: until ? { until: until.until, timeoutAt: until.timeoutAt, decision: undefined } : undefined,
        watchingSince: state.watchingSince,
      },
      ui,
      { width: columns, height: rows - 1 },
      at,
      clock ? { clock } : {},
    );
  const at = Math.max(tick, now() - 1000);
  const frame = useMemo(() => layoutAt(at), [view, state.connection, state.notes, state.watchingSince, screen.label, screens.length, until, ui, columns, rows, at, clock]); // prettier-ignore
  const texts = textsOf(frame, color);
  cost.current = performance.now() - built;

  // The clock: once a second the screen is laid out for the new time, and drawn only when a line
  // changed (an age, a countdown, the strips' right edge); an idle screen of old pods draws nothing.
  const latest = useRef({ layoutAt, texts });
  latest.current = { layoutAt, texts };
  useEffect(() => {
    const t = setInterval(() => {
      const at = now();
      const { layoutAt, texts } = latest.current;
      const next = textsOf(layoutAt(at), color);
      if (next.length !== texts.length || next.some((x, i) => x !== texts[i])) setTick(at);
    }, 1000);
    return () => clearInterval(t);
  }, [now, color]);

  useInput(
    (input, key) => {
      if (ui.filtering) {
        if (key.escape) return setUi((u) => ({ ...u, filtering: false, filter: '', selected: undefined }));
        if (key.return) return setUi((u) => ({ ...u, filtering: false }));
        if (key.backspace || key.delete) return setUi((u) => ({ ...u, filter: u.filter.slice(0, -1) }));
        if (key.upArrow || key.downArrow || key.ctrl || key.meta || key.tab) return;
        if (input && !/[\u0000-\u001f\u007f]/.test(input)) return setUi((u) => ({ ...u, filter: (u.filter + input).slice(0, 100) }));
        return;
      }
      if (input === 'q' || (key.ctrl && input === 'c')) {
        exit();
        return;
      }
      if (input === '?') return setUi((u) => ({ ...u, help: !u.help }));
      if (key.escape) return setUi((u) => (u.help ? { ...u, help: false } : { ...u, filter: '', selected: frame.selected }));
      if (input === '/') return setUi((u) => ({ ...u, filtering: true, help: false }));
      if (key.tab && screens.length > 1) return setUi((u) => ({ ...initialRolloutUi, target: (u.target + 1) % screens.length }));
      // The strips' window: the pod view's keys, on the axis the frame drew.
      const timeline =
        frame.axis.columns > 0
          ? windowKey(ui.timeline, input, key, { pod: frame.axis.subject, now: at, columns: frame.axis.columns })
          : undefined;
      if (timeline) return timeline === ui.timeline ? undefined : setUi((u) => ({ ...u, timeline }));
      const order = frame.order;
      const i = Math.max(0, frame.selected === undefined ? 0 : order.indexOf(frame.selected));
      const move = (to: number): void => setUi((u) => ({ ...u, selected: order[Math.min(Math.max(0, to), order.length - 1)] }));
      if (key.upArrow || input === 'k') return move(i - 1);
      if (key.downArrow || input === 'j') return move(i + 1);
      if (key.pageUp) return move(i - frame.page);
      if (key.pageDown) return move(i + frame.page);
      if (input === 'g' || key.home) return move(0);
      if (input === 'G' || key.end) return move(order.length - 1);
      if (key.return && frame.selected !== undefined) setOpen(frame.selected);
    },
    { isActive: open === undefined },
  );

  const back = useCallback(() => setOpen(undefined), []);
  const podView = useMemo(() => (open ? onePod(open) : undefined), [open]);
  if (open && podView) {
    return (
      <App
        store={store}
        target={`${screen.label} › ${state.pods.get(open)?.name ?? open}  (esc back)`}
        now={now}
        requestLogs={requestLogs}
        color={color}
        view={podView}
        onBack={back}
        {...(clock ? { clock } : {})}
        {...(transform ? { transform } : {})}
      />
    );
  }
  // One text of all the lines: Yoga lays out one node, and Ink's text functions take it line by
  // line from what they remember (memo-text.ts, fast-output.ts), instead of a node per line whose
  // every age changes each second.
  return <Text wrap="truncate-end">{texts.join('\n')}</Text>;
}

export interface RolloutTuiOptions {
  readonly screens: readonly RolloutScreenSpec[];
  readonly requestLogs: (podUid: string, container: string) => void;
  readonly stdout: NodeJS.WriteStream;
  readonly stdin: NodeJS.ReadStream;
  readonly now: () => number;
  readonly signal?: AbortSignal;
  readonly color?: boolean;
  readonly clock?: Clock;
  readonly transform?: (view: SessionView) => SessionView;
  readonly until?: { readonly until: UntilTarget; readonly timeoutAt: number | undefined } | undefined;
}

/** Mounts the rollout screen full-screen; resolves when the user quits or `signal` aborts (the terminal is given back). */
export async function runRolloutTui(store: Store, o: RolloutTuiOptions): Promise<void> {
  await mountFullScreen(
    store,
    <RolloutApp
      store={store}
      screens={o.screens}
      now={o.now}
      requestLogs={o.requestLogs}
      until={o.until}
      {...(o.color !== undefined ? { color: o.color } : {})}
      {...(o.clock ? { clock: o.clock } : {})}
      {...(o.transform ? { transform: o.transform } : {})}
    />,
    o,
  );
}
