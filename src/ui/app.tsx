// The Ink app: reads the store through useSyncExternalStore, keeps a one-second tick for countdowns
// and ages, turns keys into UI state (keys.ts), and draws the lines of the screen (src/render) in the
// theme's colours. No data fetching here.

import { Box, Text, useApp, useInput, useWindowSize } from 'ink';
import { memo, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { toSessionView, type ModelState, type SessionView } from '../model/index.ts';
import type { Clock } from '../output/clock.ts';
import { TONES } from '../render/theme.ts';
import type { TimelineState } from '../render/window.ts';
import type { Store } from '../store/store.ts';
import { onKey } from './keys.ts';
import { initialUi, layout, type Line, type UiState } from './layout.ts';

export interface AppProps {
  readonly store: Store;
  readonly target: string;
  readonly now: () => number;
  readonly requestLogs: (podUid: string, container: string) => void;
  /** Colours on (default); bold, dim and inverse are kept without them. */
  readonly color?: boolean;
  readonly clock?: Clock;
  readonly transform?: (view: SessionView) => SessionView;
  /** The timeline's first window (--since / --window); default: follow now. */
  readonly timeline?: TimelineState | undefined;
  /** The view to draw (default: every pod's, toSessionView); the rollout screen opens one pod with a selector. */
  readonly view?: (state: ModelState, now: number) => SessionView;
  /** esc with nothing to close: back to the screen that opened this one. */
  readonly onBack?: () => void;
}

const Row = memo(function Row({ line, color }: { line: Line; color: boolean }) {
  return (
    <Text wrap="truncate-end">
      {line.map((s, i) => (
        <Text
          key={i}
          {...(color && s.tone ? { color: TONES[s.tone].ink } : {})}
          bold={s.bold ?? false}
          dimColor={s.dim ?? false}
          inverse={s.inverse ?? false}
        >
          {s.text}
        </Text>
      ))}
    </Text>
  );
});

export function App({
  store,
  target,
  now,
  requestLogs,
  color = true,
  clock,
  transform,
  timeline,
  view: select = toSessionView,
  onBack,
}: AppProps) {
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const { exit } = useApp();
  // The terminal's size; Ink re-renders on resize.
  const { columns, rows } = useWindowSize();
  const [ui, setUi] = useState<UiState>(() => (timeline ? { ...initialUi, timeline } : initialUi));
  const [tick, setTick] = useState(() => now());

  useEffect(() => {
    const t = setInterval(() => setTick(now()), 1000);
    return () => clearInterval(t);
  }, [now]);

  const view = useMemo(() => {
    // The clock read when the view is made (a new state or the tick): countdowns are exact, not up to a tick old.
    const v = select(state, Math.max(tick, now()));
    return transform ? transform(v) : v;
  }, [state, tick, now, transform, select]);
  // Keys read the latest state even when several arrive before a render.
  const latest = useRef({ ui, view, columns });
  latest.current = { ui, view, columns };

  useInput((input, key) => {
    // esc with nothing open: back to the screen that opened this one (the rollout view).
    if (key.escape && onBack && !latest.current.ui.help && !latest.current.ui.expanded) {
      onBack();
      return;
    }
    // Keys typed faster than a frame (a held key, or keys sent together) arrive as one string.
    const keys = input.length > 1 && !key.ctrl && !key.meta ? [...input] : [input];
    for (const k of keys) {
      const cur = latest.current;
      const r = onKey(cur.ui, k, key, cur.view, cur.columns);
      if (r.action?.kind === 'quit') {
        exit();
        return;
      }
      if (r.action?.kind === 'logs') requestLogs(r.action.podUid, r.action.container);
      if (r.ui !== cur.ui) latest.current = { ...cur, ui: r.ui };
    }
    if (latest.current.ui !== ui) setUi(latest.current.ui);
  });

  const lines = layout(view, ui, { width: columns, height: rows - 1 }, target, clock ? { clock } : {});
  return (
    <Box flexDirection="column">
      {lines.map((l, i) => (
        <Row key={i} line={l} color={color} />
      ))}
    </Box>
  );
}
