// The Ink app: reads the store through useSyncExternalStore, keeps a one-second tick for countdowns
// and ages, handles keys, and draws the lines of layout(). No data fetching here.

import { Box, Text, useApp, useInput, useWindowSize } from 'ink';
import { memo, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { toSessionView, type ModelState, type SessionView } from '../model/index.ts';
import type { Clock } from '../output/clock.ts';
import type { Store } from '../store/store.ts';
import { initialUi, layout, type Line, type UiState } from './layout.ts';

const COLORS: Record<string, string | undefined> = { ok: 'green', progress: 'cyan', warn: 'yellow', error: 'red', muted: 'gray' };

export interface AppProps {
  readonly store: Store;
  readonly target: string;
  readonly now: () => number;
  readonly requestLogs: (podUid: string, container: string) => void;
  /** Colours on (default); bold, dim and inverse are kept without them. */
  readonly color?: boolean;
  readonly clock?: Clock;
  readonly transform?: (view: SessionView) => SessionView;
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
          {...(color && s.tone && COLORS[s.tone] ? { color: COLORS[s.tone]! } : {})}
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

export function App({ store, target, now, requestLogs, color = true, clock, transform, view: select = toSessionView, onBack }: AppProps) {
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const { exit } = useApp();
  // The terminal's size; Ink re-renders on resize.
  const { columns, rows } = useWindowSize();
  const [ui, setUi] = useState<UiState>(initialUi);
  const [tick, setTick] = useState(() => now());

  useEffect(() => {
    const t = setInterval(() => setTick(now()), 1000);
    return () => clearInterval(t);
  }, [now]);

  const view = useMemo(() => {
    const v = select(state, Math.max(tick, now() - 1000));
    return transform ? transform(v) : v;
  }, [state, tick, now, transform, select]);
  const pod = view.pods[Math.min(ui.podIndex, Math.max(0, view.pods.length - 1))];

  useInput((input, key) => {
    if (input === 'q' || (key.ctrl && input === 'c')) {
      exit();
      return;
    }
    if (input === '?') return setUi((u) => ({ ...u, help: !u.help }));
    if (key.escape) {
      if (onBack && !ui.help && !ui.expanded) return onBack();
      return setUi((u) => ({ ...u, help: false, expanded: false }));
    }
    const n = pod?.containers.length ?? 0;
    if (key.upArrow || input === 'k') return setUi((u) => ({ ...u, selected: Math.max(0, u.selected - 1) }));
    if (key.downArrow || input === 'j') return setUi((u) => ({ ...u, selected: Math.min(Math.max(0, n - 1), u.selected + 1) }));
    if (key.return) return setUi((u) => ({ ...u, expanded: !u.expanded }));
    if (key.tab) return setUi((u) => ({ ...u, podIndex: view.pods.length ? (u.podIndex + 1) % view.pods.length : 0, selected: 0 }));
    if (input === 'l' && pod) {
      const c = pod.containers[Math.min(ui.selected, n - 1)];
      if (c) {
        requestLogs(pod.uid, c.name);
        setUi((u) => ({ ...u, expanded: true }));
      }
    }
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
