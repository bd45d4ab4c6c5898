// The TUI's pure layout at fixed sizes, and the Ink app rendering a real recording.

import assert from 'node:assert/strict';
import { test, vi } from 'vitest';
import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { createStore } from '../../src/store/store.ts';
import { App } from '../../src/ui/app.tsx';
import { initialUi, layout, lineText } from '../../src/ui/layout.ts';
import { finalView, lastTime, recording } from '../helpers/fixtures.ts';

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
