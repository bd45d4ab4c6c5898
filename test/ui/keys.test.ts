// The terminal UI's keys as a pure function of the UI state, on recordings.

import assert from 'node:assert/strict';
import { test } from 'vitest';
import { initialUi, type UiState } from '../../src/render/screen.ts';
import { onKey, type KeyInput } from '../../src/ui/keys.ts';
import { finalView } from '../helpers/fixtures.ts';

const view = finalView('crashloop');
const press = (ui: UiState, ...keys: (string | KeyInput)[]): UiState =>
  keys.reduce<UiState>((u, k) => onKey(u, typeof k === 'string' ? k : '', typeof k === 'string' ? {} : k, view, 120).ui, ui);

test('+ and - zoom, [ and ] pan, 0 follows now, a shows the whole life, t switches the labels', () => {
  let ui = press(initialUi, '+');
  assert.deepEqual([ui.timeline.mode, ui.timeline.spanMs], ['follow', 120_000]);
  ui = press(ui, '+', '[');
  assert.deepEqual([ui.timeline.mode, ui.timeline.spanMs], ['fixed', 60_000]);
  assert.equal(ui.timeline.to, view.pods[0]!.timeRange.to - 15_000);
  assert.equal(press(ui, ']').timeline.mode, 'follow');
  assert.deepEqual(press(ui, { leftArrow: true }).timeline.to, ui.timeline.to! - 15_000, 'left pans too');
  assert.equal(press(ui, '0').timeline.mode, 'follow');
  assert.equal(press(ui, '0').timeline.spanMs, undefined);
  assert.equal(press(ui, 'a').timeline.mode, 'all');
  assert.equal(press(ui, '-', '-', '-').timeline.mode, 'all');
  assert.equal(press(initialUi, 't').timeline.labels, 'clock');
});

test('h/l and shift-arrows move the cursor; j/k still select containers; l no longer fetches logs', () => {
  const left = press(initialUi, 'h', 'h');
  assert.ok(left.timeline.cursor !== undefined && left.timeline.cursor < view.pods[0]!.timeRange.to);
  assert.deepEqual(press(initialUi, { leftArrow: true, shift: true }, { leftArrow: true, shift: true }).timeline, left.timeline);
  assert.equal(press(left, 'l', 'l').timeline.cursor, undefined, 'back on now');
  assert.equal(press(left, { rightArrow: true, shift: true }, { rightArrow: true, shift: true }).timeline.cursor, undefined);
  assert.equal(onKey(initialUi, 'l', {}, view, 120).action, undefined);
  const logs = onKey(initialUi, 'L', {}, view, 120);
  assert.deepEqual(logs.action, { kind: 'logs', podUid: view.pods[0]!.uid, container: 'app' });
  assert.equal(logs.ui.expanded, true);
  assert.equal(onKey(initialUi, 'q', {}, view, 120).action?.kind, 'quit');
});

test('enter on the cursor opens the instance under it in the details; enter again closes them', () => {
  // Back 40 columns of the whole life (3m16s at 115 columns): inside the back-off after instance 3.
  let ui = initialUi;
  for (let i = 0; i < 60; i++) ui = press(ui, 'h');
  ui = press(ui, { return: true });
  assert.equal(ui.expanded, true);
  assert.ok(ui.focus !== undefined && ui.focus < 5, `focus ${ui.focus}`);
  assert.equal(press(ui, { return: true }).expanded, false);
  // At now: the current instance.
  assert.equal(press(initialUi, { return: true }).focus, 5);
});

test('a key that means nothing returns the same state (no redraw)', () => {
  assert.equal(press(initialUi, 'z'), initialUi);
  assert.equal(press(initialUi, ']'), initialUi, '] while following now');
});
