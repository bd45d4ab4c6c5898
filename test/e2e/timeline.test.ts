// The timeline as an instrument on the real cluster, in a pseudo-terminal: a pod crash-looping on
// the real kubelet is zoomed, panned, and the cursor moved over its last terminated instance; what
// the cursor line says is checked against the pod's lastState and `kubectl get events`.

import assert from 'node:assert/strict';
import { test } from 'vitest';
import { runLength } from '../../src/model/index.ts';
import { applyScenario, inNamespace, kubeconfigPath, kubectl, launcher, waitFor } from './helpers/env.ts';
import { TmuxSession } from './helpers/tmux.ts';

interface Terminated {
  startedAt: string;
  finishedAt: string;
  exitCode: number;
  reason: string;
}

async function podState(
  ns: string,
): Promise<{ restartCount: number; waiting: string | undefined; last: Terminated | undefined; createdAt: number }> {
  const pod = JSON.parse((await kubectl(['get', 'pod', 'crashloop', '-n', ns, '-o', 'json'])).stdout);
  const s = pod.status?.containerStatuses?.[0];
  return {
    restartCount: s?.restartCount ?? 0,
    waiting: s?.state?.waiting?.reason,
    last: s?.lastState?.terminated,
    createdAt: Date.parse(pod.metadata.creationTimestamp),
  };
}

interface KubectlEvent {
  reason: string;
  count?: number;
  lastTimestamp?: string;
  series?: { count: number; lastObservedTime: string };
}

async function eventsOf(ns: string): Promise<KubectlEvent[]> {
  const out = await kubectl(['get', 'events', '-n', ns, '--field-selector', 'involvedObject.name=crashloop', '-o', 'json']);
  return JSON.parse(out.stdout).items as KubectlEvent[];
}

const hms = (iso: string): string => new Date(iso).toISOString().slice(11, 19);
const CURSOR = /^▸ (\d\d:\d\d:\d\d)(?:-(\d\d:\d\d:\d\d))? (\S+) {2}(.*)$/m;
/** A whole frame (a capture can fall between the lines of a redraw). */
const whole = (s: string): boolean => s.includes('● live') && s.includes('q quit') && /─ timeline /.test(s) && CURSOR.test(s);

/** The cursor line's time as epoch ms, on the day of `near`. */
function cursorTime(screen: string, near: number): number | undefined {
  const m = CURSOR.exec(screen);
  if (!m) return undefined;
  const day = new Date(near).toISOString().slice(0, 10);
  const t = Date.parse(`${day}T${m[2] ?? m[1]}Z`);
  return Math.abs(t - near) > 12 * 3600_000 ? t + Math.sign(near - t) * 86_400_000 : t;
}

test(
  'TUI timeline on a crash-looping pod: zoom, pan, and a cursor line that agrees with lastState and the events',
  { timeout: 240_000 },
  async () => {
    await inNamespace('e2e-timeline', async (ns) => {
      await applyScenario('crashloop.yaml', ns.name);
      // Three restarts in: a back-off of 40 s follows, time enough to look at the last instance.
      await waitFor(
        async () => {
          const s = await podState(ns.name);
          return s.restartCount >= 3 && s.waiting === 'CrashLoopBackOff' && s.last !== undefined;
        },
        150_000,
        'crash loop with 3 restarts, in back-off',
      );
      // Zooming in from the whole life reaches a 1m window only from a life longer than a minute
      // (from 58 s the next level is 30 s): the third restart can come before that.
      const { createdAt } = await podState(ns.name);
      await new Promise((r) => setTimeout(r, Math.max(0, createdAt + 75_000 - Date.now())));
      const t = new TmuxSession([launcher, 'crashloop', '-n', ns.name], {
        width: 120,
        height: 40,
        env: { KUBECONFIG: kubeconfigPath(), TZ: 'UTC' },
      });
      try {
        const first = await t.waitForScreen(whole, 20_000);
        for (const line of first.split('\n')) assert.ok(line.length <= 120, line);
        // Zoom in to a 1m window that follows now; pan back a quarter (a fixed window), forward again.
        const title = (s: string) => /─ timeline (.*?)  \d\d:\d\d:\d\d →/.exec(s)?.[1];
        let screen = first;
        for (let i = 0; i < 6 && title(screen) !== 'following now, last 1m'; i++) {
          const before = title(screen);
          t.keys('+');
          screen = await t.waitForScreen((s) => whole(s) && title(s) !== before, 5_000);
        }
        assert.equal(title(screen), 'following now, last 1m', screen);
        t.keys('[');
        screen = await t.waitForScreen((s) => whole(s) && /^\d\d:\d\d:\d\d \.\. \d\d:\d\d:\d\d$/.test(title(s) ?? ''), 5_000);
        const [a, b] = title(screen)!
          .split(' .. ')
          .map((x) => Date.parse(`1970-01-01T${x}Z`));
        assert.equal(b! - a!, 60_000, 'the panned window keeps its span');
        t.keys(']');
        screen = await t.waitForScreen((s) => whole(s) && title(s) === 'following now, last 1m', 5_000);
        assert.match(screen, /▲/, 'now is marked on the axis');

        // Facts from the API, read together: the pod in back-off and its events, with no restart in
        // between (the kubelet moves an Event's lastTimestamp to each new occurrence, so events read
        // after a restart no longer say when the instance before it started).
        let api: Awaited<ReturnType<typeof podState>> | undefined;
        let events: KubectlEvent[] = [];
        await waitFor(
          async () => {
            const a = await podState(ns.name);
            if (a.waiting !== 'CrashLoopBackOff' || !a.last) return false;
            const ev = await eventsOf(ns.name);
            const b = await podState(ns.name);
            if (b.restartCount !== a.restartCount || b.last?.startedAt !== a.last.startedAt || b.waiting !== a.waiting) return false;
            [api, events] = [a, ev];
            return true;
          },
          120_000,
          'the pod in back-off, read with its events',
        );
        // Then the cursor onto the last terminated instance (the middle of its run).
        const last = api!.last!;
        // The instance that ended last: #restartCount (#0 is the first).
        const k = api!.restartCount;
        const started = Date.parse(last.startedAt);
        const finished = Date.parse(last.finishedAt);
        const target = (started + finished) / 2;
        const perColumn = 60_000 / 115;
        for (let i = 0; i < 12; i++) {
          const at = cursorTime(screen, target)!;
          const cols = Math.round((at - target) / perColumn);
          if (Math.abs(at - target) <= perColumn) break;
          t.keys(...Array<string>(Math.min(Math.abs(cols), 120)).fill(cols > 0 ? 'h' : 'l'));
          const prev = CURSOR.exec(screen)?.[0];
          screen = await t.waitForScreen((s) => whole(s) && CURSOR.exec(s)?.[0] !== prev, 5_000).catch(() => t.waitForScreen(whole, 5_000));
        }
        const line = CURSOR.exec(screen)!;
        assert.equal(line[3], 'app');
        const want = `#${k}, started ${hms(last.startedAt)}, exit ${last.exitCode} after ${runLength(finished - started)}`;
        assert.ok(line[4]!.includes(want), `cursor line: ${line[0]}\nwant: ${want}`);
        assert.match(line[4]!, /^running/, `the container was running at that moment: ${line[0]}`);

        // The column of the restart that began that instance: the cursor names the restart and the
        // kubelet's events there, with their counts as kubectl reads them.
        // A column is about half a second: walk the cursor to the restart's second (its line shows
        // whole seconds), then search the columns around it, left, then right. (Counting columns
        // from the run's middle missed it once on a loaded machine, where the run was longer.)
        const step = async (key: string): Promise<void> => {
          const prev = CURSOR.exec(screen)?.[0];
          t.keys(key);
          screen = await t.waitForScreen((s) => whole(s) && CURSOR.exec(s)?.[0] !== prev, 5_000).catch(() => t.waitForScreen(whole, 5_000));
        };
        const onIt = (): boolean => CURSOR.exec(screen)![4]!.includes(`restart ${k}`);
        for (let i = 0; i < 40 && !onIt(); i++) {
          const at = cursorTime(screen, started)!;
          if (Math.abs(at - started) <= 1000) break;
          await step(at > started ? 'h' : 'l');
        }
        for (let i = 0; i < 4 && !onIt(); i++) await step('h');
        for (let i = 0; i < 10 && !onIt(); i++) await step('l');
        const onRestart = CURSOR.exec(screen)!;
        assert.ok(onRestart[4]!.includes(`restart ${k}`), onRestart[0]);
        const lastAt = (e: KubectlEvent): number => Date.parse(e.series?.lastObservedTime ?? e.lastTimestamp ?? '');
        const label = (e: KubectlEvent): string => {
          const count = e.series?.count ?? e.count ?? 1;
          return `${e.reason}${count > 1 ? ` x${count}` : ''}`;
        };
        // Both times are whole seconds, and the kubelet records Started once the runtime says the
        // process started: in the same second, or (on a busy node) a second or two later.
        const startedEvent = events.find((e) => e.reason === 'Started' && lastAt(e) - started >= 0 && lastAt(e) - started <= 3000);
        assert.ok(startedEvent, `kubectl has a Started event at ${last.startedAt}: ${JSON.stringify(events)}`);
        // The events of that very second are on the restart's column, with their counts as kubectl reads them.
        for (const e of events.filter((x) => Math.abs(lastAt(x) - started) < 1000))
          assert.ok(onRestart[4]!.includes(label(e)), `cursor line names ${label(e)}: ${onRestart[0]}`);
        if (lastAt(startedEvent) - started >= 1000) {
          // Started a second or two later: on the column of that second, a few to the right.
          for (let i = 0; i < 8 && !CURSOR.exec(screen)![4]!.includes('Started'); i++) await step('l');
          const at = CURSOR.exec(screen)!;
          assert.ok(at[4]!.includes(label(startedEvent)), `cursor line names ${label(startedEvent)}: ${at[0]}`);
          assert.ok(Math.abs(cursorTime(screen, lastAt(startedEvent))! - lastAt(startedEvent)) <= 1000, at[0]);
        }
        // Whatever the line names as an event of the kubelet is one kubectl has near that moment.
        const named = [...onRestart[4]!.matchAll(/\b([A-Z][A-Za-z]+)(?: x(\d+))?/g)].map((m) => m[1]!).filter((r) => r !== 'Error');
        for (const r of named)
          assert.ok(
            events.some((e) => e.reason === r),
            `${r} is an event kubectl knows`,
          );
        // Back to now: 0 follows now again, the cursor on now.
        t.keys('0');
        await t.waitForScreen((s) => /─ timeline (whole life|following now)/.test(s), 5_000);
        t.keys('q');
        await t.waitForScreen((s) => /\[exit 0\]/.test(s), 5_000);
      } finally {
        t.kill();
      }
    });
  },
);
