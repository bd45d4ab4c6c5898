// The TUI's pure layout at fixed sizes, and the Ink app rendering a real recording.

import assert from 'node:assert/strict';
import { test, vi } from 'vitest';
import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { createStore } from '../../src/store/store.ts';
import { App } from '../../src/ui/app.tsx';
import { toSessionView } from '../../src/model/index.ts';
import { initialUi, layout, lineText } from '../../src/ui/layout.ts';
import { finalView, lastTime, recording, vary } from '../helpers/fixtures.ts';

const strip = (s: string): string => s.replace(/\x1b\[[0-9;]*m/g, '');

const sizes = [
  { width: 80, height: 24 },
  { width: 120, height: 40 },
];
test.each(['crashloop', 'liveness', 'init', 'sidecar', 'grace'].flatMap((name) => sizes.map((size) => [name, size] as const)))(
  'layout of %s fits %o: no line wider than the terminal, no more lines than rows',
  (name, size) => {
    const view = finalView(name);
    for (const ui of [initialUi, { ...initialUi, expanded: true }, { ...initialUi, help: true }]) {
      const lines = layout(view, ui, size, name).map(lineText);
      assert.ok(lines.length <= size.height, `${lines.length} lines`);
      for (const l of lines) assert.ok(l.length <= size.width, JSON.stringify(l));
    }
  },
);

test('the header shows what kubectl shows; each container gets a lane', () => {
  const view = finalView('liveness');
  const lines = layout(view, initialUi, { width: 120, height: 40 }, 'liveness').map(lineText);
  const pod = view.pods[0]!;
  assert.ok(
    lines.some((l) => l.includes(pod.status) && l.includes(`READY ${pod.ready}`) && l.includes(`RESTARTS ${pod.restartsText}`)),
    lines.join('\n'),
  );
  for (const c of ['exec', 'http'])
    assert.ok(
      lines.some((l) => l.startsWith(`${c} `) && /[█▒░^!K]/.test(l)),
      `${c} lane`,
    );
  assert.ok(lines.some((l) => /diagnosis/.test(l)));
});

test('expanded details list instances with their log tails', () => {
  const view = finalView('crashloop');
  const lines = layout(view, { ...initialUi, expanded: true }, { width: 120, height: 60 }, 'crashloop').map(lineText);
  assert.ok(
    lines.some((l) => /#\d+ .*Error exit 1/.test(l)),
    lines.join('\n'),
  );
  assert.ok(
    lines.some((l) => l.includes('│ fatal: /etc/app/config.yaml')),
    lines.join('\n'),
  );
});

test('the Ink app draws the store and follows key presses', async () => {
  const obs = recording('liveness');
  const store = createStore({ source: 'replay', notifyIntervalMs: 0 });
  store.dispatch(obs);
  const t = lastTime(obs);
  const r = render(createElement(App, { store, target: 'liveness', now: () => t, requestLogs: () => undefined }));
  try {
    const frame = strip(r.lastFrame() ?? '');
    assert.match(frame, /liveness/);
    assert.match(frame, /READY \d\/2/);
    assert.match(frame, /› exec/);
    r.stdin.write('j');
    await vi.waitFor(() => assert.match(strip(r.lastFrame() ?? ''), /› http/));
    r.stdin.write('+');
    await vi.waitFor(() => assert.match(strip(r.lastFrame() ?? ''), /timeline following now, last 10s/));
    r.stdin.write('?');
    await vi.waitFor(() => assert.match(strip(r.lastFrame() ?? ''), /select a container/));
  } finally {
    r.unmount();
  }
});

test.each(['crashloop', 'liveness', 'grace'].flatMap((name) => sizes.map((size) => [name, size] as const)))(
  'layout of %s at %o with the timeline zoomed, panned and the cursor moved: fits, and names what is under the cursor',
  (name, size) => {
    const view = finalView(name);
    const pod = view.pods[0]!;
    const t = pod.timeRange.from + (pod.timeRange.to - pod.timeRange.from) / 3;
    for (const timeline of [
      { ...initialUi.timeline, spanMs: 10_000 },
      { ...initialUi.timeline, mode: 'fixed' as const, spanMs: 20_000, to: t + 10_000, cursor: t },
      { ...initialUi.timeline, mode: 'all' as const, labels: 'clock' as const },
    ]) {
      const lines = layout(view, { ...initialUi, timeline }, size, name).map(lineText);
      assert.ok(lines.length <= size.height, `${lines.length} lines`);
      for (const l of lines) assert.ok(l.length <= size.width, JSON.stringify(l));
      const cursor = lines.find((l) => l.startsWith('▸ '));
      assert.ok(cursor, lines.join('\n'));
      assert.ok(cursor.includes(pod.containers[0]!.name), cursor);
      assert.ok(
        lines.some((l) => /[┴▲◆]/.test(l)),
        'the axis is drawn',
      );
    }
  },
);

/** The view of a recording at a moment, as the TUI would draw it then. */
function viewAt(name: string, at: number) {
  const store = createStore({ source: 'replay', notifyIntervalMs: 0 });
  store.dispatch(recording(name).filter((o) => o.observedAt <= at));
  return toSessionView(store.getState(), at);
}
const eventAt = (name: string, reason: string): number =>
  recording(name).find((o) => o.kind === 'event' && (o.object as { reason?: string }).reason === reason)!.observedAt;

test('termination: the preStop hook and a countdown that never exceeds the grace period; none once the pod is gone', () => {
  const killing = eventAt('prestop-long', 'Killing');
  const during = layout(viewAt('prestop-long', killing + 2000), initialUi, { width: 120, height: 40 }, 'x').map(lineText);
  assert.ok(
    during.includes('Terminating (deletion requested): preStop hook running (exec sleep 20); SIGTERM at 13:08:56 (3s left, grace 5s)'),
    during.join('\n'),
  );
  assert.ok(
    during.some((l) => /› app {2}Running, terminating: preStop hook running \(3s of the 5s grace period left\)/.test(l)),
    during.join('\n'),
  );
  // After the grace period with the hook still running: SIGTERM sent, SIGKILL the kubelet's 2 s later.
  const after = layout(viewAt('prestop-long', Date.UTC(2026, 11, 1, 13, 8, 57)), initialUi, { width: 120, height: 40 }, 'x').map(lineText);
  assert.ok(
    after.includes('Terminating (deletion requested): SIGTERM sent 13:08:56; SIGKILL at 13:08:58 (1s left, grace 5s)'),
    after.join('\n'),
  );
  // The deleted life's clock stopped at its deletion: the same age a minute later, no countdown.
  const end = lastTime(recording('prestop-long'));
  const a = layout(viewAt('prestop-long', end), initialUi, { width: 120, height: 40 }, 'x').map(lineText);
  const b = layout(viewAt('prestop-long', end + 60_000), initialUi, { width: 120, height: 40 }, 'x').map(lineText);
  const age = (ls: string[]) => /age (\S+)/.exec(ls.join('\n'))?.[1];
  assert.equal(age(a), '13s');
  assert.equal(age(b), age(a));
  assert.ok(!b.some((l) => /s left/.test(l)), b.join('\n'));
  assert.ok(
    b.some((l) => l.startsWith('Deleted (deletion requested) at 13:08:59')),
    b.join('\n'),
  );
});

test('the legend under the lanes explains every glyph they draw; the help names every glyph of the table', () => {
  for (const name of ['crashloop-late', 'prestop-long', 'poststart', 'liveness', 'deadline']) {
    const view = finalView(name);
    const screen = layout(view, initialUi, { width: 100, height: 60 }, name);
    const used = new Set(screen.flatMap((l) => l.flatMap((s) => (s.glyph ? [s.glyph] : []))));
    const legendGlyphs = new Set<string>();
    // The legend's glyphs are segments with a glyph key followed by their words (dim).
    screen.forEach((l) => l.forEach((s, k) => s.glyph && l[k + 1]?.dim && /^ \S/.test(l[k + 1]!.text) && legendGlyphs.add(s.glyph)));
    for (const g of used) assert.ok(legendGlyphs.has(g), `${name}: ${g} drawn but not in the legend`);
  }
  const help = layout(finalView('crashloop'), { ...initialUi, help: true }, { width: 120, height: 60 }, 'x')
    .map(lineText)
    .join(' ');
  for (const ch of ['h', 's', '~', '?', 'K', 'H', 'D']) assert.ok(help.includes(`${ch} `), ch);
  assert.match(help, /h postStart hook \(inferred\)/);
});

test('the details pane wraps a long runtime message and keeps its cause', () => {
  const view = finalView('not-executable');
  const lines = layout(view, { ...initialUi, expanded: true }, { width: 80, height: 80 }, 'x').map(lineText);
  for (const l of lines) assert.ok(l.length <= 80);
  const joined = lines.join('\n').replace(/\s*\n\s*/g, ' ');
  assert.ok(joined.includes('exec: "/etc/passwd": permission denied: unknown'), lines.join('\n'));
  assert.ok(!lines.some((l) => l.includes('exec: "') && l.endsWith('…')), 'never cut');
});

test('the life switcher calls each life by its real order: the current one is the last', () => {
  const obs = recording('sidecar');
  const snaps = obs.flatMap((o) => (o.kind === 'pod' ? [o.object] : []));
  const t = lastTime(obs);
  const second = vary(snaps[0]!, (d) => {
    d.metadata.uid = 'b0b0b0b0-0000-4000-8000-000000000002';
    d.metadata.resourceVersion = '999999';
    d.metadata.creationTimestamp = new Date(t + 5000).toISOString();
  });
  const store = createStore({ source: 'replay', notifyIntervalMs: 0 });
  store.dispatch([
    ...obs,
    { kind: 'pod', verb: 'deleted', observedAt: t + 1000, object: snaps.at(-1)! },
    { kind: 'pod', verb: 'added', observedAt: t + 5000, object: second },
  ]);
  const view = toSessionView(store.getState(), t + 6000);
  const header = (podIndex: number) => layout(view, { ...initialUi, podIndex }, { width: 140, height: 40 }, 'x').map(lineText)[1]!;
  assert.match(header(0), /life 2 .*\[life 2\/2, tab\]/);
  assert.match(header(1), /\(deleted\) .*\[life 1\/2, tab\]/);
});
