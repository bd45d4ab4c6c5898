// What each key does to the UI state: a pure function, so the terminal UI's keys are tested without
// a terminal. Ink's key object is narrowed to the fields used here.

import type { SessionView } from '../model/index.ts';
import { laneGeometry, shownPod, type UiState } from '../render/screen.ts';
import { columnRange } from '../render/lane.ts';
import { cursorFacts } from '../render/cursor.ts';
import {
  cursorColumn,
  followNow,
  moveCursor,
  pan,
  resolveWindow,
  toggleLabels,
  wholeLife,
  zoom,
  type TimelineState,
  type WindowContext,
} from '../render/window.ts';

export interface KeyInput {
  readonly upArrow?: boolean;
  readonly downArrow?: boolean;
  readonly leftArrow?: boolean;
  readonly rightArrow?: boolean;
  readonly return?: boolean;
  readonly escape?: boolean;
  readonly tab?: boolean;
  readonly shift?: boolean;
  readonly ctrl?: boolean;
}

export type KeyAction = { readonly kind: 'quit' } | { readonly kind: 'logs'; readonly podUid: string; readonly container: string };

/** The new state (the same object when the key does nothing) and what to do beyond drawing. */
export function onKey(ui: UiState, input: string, key: KeyInput, view: SessionView, width: number): { ui: UiState; action?: KeyAction } {
  if (input === 'q' || (key.ctrl && input === 'c')) return { ui, action: { kind: 'quit' } };
  if (input === '?') return { ui: { ...ui, help: !ui.help } };
  if (key.escape) return { ui: { ...ui, help: false, expanded: false, focus: undefined } };
  const pod = shownPod(view, ui);
  const n = pod?.containers.length ?? 0;
  if (key.upArrow || input === 'k') return { ui: { ...ui, selected: Math.max(0, ui.selected - 1), focus: undefined } };
  if (key.downArrow || input === 'j') return { ui: { ...ui, selected: Math.min(Math.max(0, n - 1), ui.selected + 1), focus: undefined } };
  if (key.tab)
    return { ui: { ...ui, podIndex: view.pods.length ? (ui.podIndex + 1) % view.pods.length : 0, selected: 0, focus: undefined } };
  if (!pod) return { ui };
  const ctx = { pod, now: view.now, columns: laneGeometry(pod, width).laneWidth };
  const t = ui.timeline;
  if (key.return) {
    if (ui.expanded) return { ui: { ...ui, expanded: false, focus: undefined } };
    // Open the details on the instance under the cursor (or the last one before it).
    const c = pod.containers[Math.min(ui.selected, n - 1)];
    const win = resolveWindow(t, pod, view.now, ctx.columns);
    const col = cursorColumn(t, win, pod.timeRange.to);
    const { from, to } = columnRange(win, col);
    const hit = c && cursorFacts(c, from, to, Math.min(view.now, pod.timeRange.to), col === win.columns - 1).instance;
    return { ui: { ...ui, expanded: true, focus: hit?.attempt } };
  }
  if (input === 'L') {
    const c = pod.containers[Math.min(ui.selected, n - 1)];
    if (!c) return { ui };
    return { ui: { ...ui, expanded: true }, action: { kind: 'logs', podUid: pod.uid, container: c.name } };
  }
  const timeline = (next: typeof t): { ui: UiState } => ({ ui: next === t ? ui : { ...ui, timeline: next } });
  if (input === 'h' || (key.leftArrow && key.shift)) return timeline(moveCursor(t, -1, ctx));
  if (input === 'l' || (key.rightArrow && key.shift)) return timeline(moveCursor(t, 1, ctx));
  const next = windowKey(t, input, key, ctx);
  return next ? timeline(next) : { ui };
}

/**
 * The keys that move a timeline's window, in the pod view and the rollout view alike: + / - zoom,
 * [ ] (or ← →) pan, 0 follow now, a whole life, t clock times or ages. Undefined: not such a key.
 */
export function windowKey(t: TimelineState, input: string, key: KeyInput, ctx: WindowContext): TimelineState | undefined {
  if (input === '+' || input === '=') return zoom(t, 'in', ctx);
  if (input === '-' || input === '_') return zoom(t, 'out', ctx);
  if (input === '[' || (key.leftArrow && !key.shift)) return pan(t, -1, ctx);
  if (input === ']' || (key.rightArrow && !key.shift)) return pan(t, 1, ctx);
  if (input === '0') return followNow(t);
  if (input === 'a') return wholeLife(t);
  if (input === 't') return toggleLabels(t);
  return undefined;
}
