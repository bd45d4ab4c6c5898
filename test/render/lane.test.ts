// Lanes drawn into cells on a shared time axis: the alphabet of states and markers, which marker
// wins a cell, open segments drawn up to `now`, and every lane of every recording at odd widths.

import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import type { LaneView, MarkerView, SegmentView, Tone } from '../../src/model/index.ts';
import { LEGEND } from '../../src/render/glyphs.ts';
import { renderLane as draw } from '../../src/render/lane.ts';
import { finalView, recordingNames } from '../helpers/fixtures.ts';

const seg = (
  from: number,
  to: number | undefined,
  state: SegmentView['state'],
  tone: Tone,
  reconstructed = false,
  label: string = state,
): SegmentView => ({
  from,
  to,
  state,
  tone,
  label,
  reconstructed,
});
const mark = (at: number, kind: MarkerView['kind'], tone: Tone = 'error'): MarkerView => ({ at, kind, tone, label: kind });
const renderLane = (lane: LaneView, from: number, to: number, width: number, now: number) => draw(lane, { from, to, columns: width }, now);
const chars = (lane: LaneView, from: number, to: number, width: number, now = to): string =>
  renderLane(lane, from, to, width, now)
    .map((c) => c.ch)
    .join('');

describe('segments', () => {
  test.each<[SegmentView['state'], Tone, string, string]>([
    ['ready', 'ok', 'ready', '█'],
    ['running', 'progress', 'running', '▒'],
    ['waiting', 'progress', 'ContainerCreating', '·'],
    ['waiting', 'warn', 'CrashLoopBackOff', '░'],
    ['waiting', 'error', 'ErrImagePull', '░'],
    ['terminated', 'error', 'Error 1', 'x'],
    ['terminated', 'muted', 'Completed 0', '_'],
    ['terminated', 'ok', 'Completed 0', '_'],
    // What the kubelet does over the state it reports, and what the API no longer has.
    ['hook', 'progress', 'postStart', 'h'],
    ['hook', 'warn', 'preStop', 's'],
    ['stopping', 'warn', 'SIGTERM', '~'],
    ['unknown', 'muted', 'unknown', '?'],
    // The pod lane: its state (phase split by the Ready condition), whatever the tone.
    ['phase', 'progress', 'Pending', '·'],
    ['phase', 'progress', 'Running', '▒'],
    ['phase', 'ok', 'Ready', '█'],
    ['phase', 'warn', 'Terminating', '~'],
    ['phase', 'muted', 'Succeeded', '_'],
    ['phase', 'error', 'Failed', 'x'],
    ['phase', 'muted', 'Unknown', '?'],
    ['phase', 'ok', 'an older label', '█'],
    ['condition', 'warn', 'x', '░'],
    ['condition', 'error', 'x', 'x'],
  ])('%s (%s, %s) is drawn as %s', (state, tone, label, ch) => {
    assert.equal(chars({ segments: [seg(0, 100, state, tone, false, label)], markers: [] }, 0, 100, 10), ch.repeat(10));
    assert.ok(LEGEND.includes(`${ch} `), `the legend explains ${ch}`);
  });

  test('a hook or a stop is drawn over the state the kubelet reports meanwhile, whatever the order', () => {
    const lane = {
      segments: [
        seg(40, 100, 'hook', 'progress', false, 'postStart'),
        seg(0, 100, 'running', 'progress'),
        seg(0, 40, 'waiting', 'progress'),
      ],
      markers: [],
    };
    assert.equal(chars(lane, 0, 100, 10), '····hhhhhh');
  });

  test('each segment covers the columns of its time; the rest stays blank', () => {
    const lane = { segments: [seg(0, 30, 'waiting', 'progress'), seg(30, 70, 'ready', 'ok')], markers: [] };
    assert.equal(chars(lane, 0, 100, 10), '···████   ');
  });

  test('an ongoing segment is drawn up to now', () => {
    const lane = { segments: [seg(20, undefined, 'running', 'progress')], markers: [] };
    assert.equal(chars(lane, 0, 100, 10, 50), '  ▒▒▒     ');
    assert.equal(chars(lane, 0, 100, 10, 1_000), '  ▒▒▒▒▒▒▒▒', 'clipped to the axis');
  });

  test('a segment shorter than a column still gets its column; segments outside the axis are not drawn', () => {
    const lane = {
      segments: [seg(55, 56, 'terminated', 'error'), seg(-50, -10, 'ready', 'ok'), seg(200, 300, 'ready', 'ok')],
      markers: [],
    };
    assert.equal(chars(lane, 0, 100, 10), '     x    ');
  });

  test('reconstructed history is dim, observed history is not', () => {
    const cells = renderLane({ segments: [seg(0, 50, 'ready', 'ok', true), seg(50, 100, 'ready', 'ok')], markers: [] }, 0, 100, 4, 100);
    assert.deepEqual(
      cells.map((c) => c.dim),
      [true, true, false, false],
    );
    assert.ok(cells.every((c) => c.tone === 'ok'));
  });

  test.each([
    [0, 0, 100],
    [10, 100, 100],
    [10, 100, 50],
  ])('width %d, axis %d..%d: blank cells, no error', (width, from, to) => {
    const lane = { segments: [seg(0, 100, 'ready', 'ok')], markers: [mark(50, 'oom')] };
    assert.equal(chars(lane, from, to, width), ' '.repeat(width));
  });
});

describe('markers', () => {
  test.each<[MarkerView['kind'], string]>([
    ['oom', 'M'],
    ['kill', 'K'],
    ['exit', '!'],
    ['restart', '^'],
    ['deadline', 'D'],
    ['delete', 'd'],
    ['probe', 'p'],
    ['postStart', 'H'],
    ['preStop', 'H'],
    ['pull', 'i'],
    ['schedule', 'S'],
    ['start', '>'],
    ['event', '.'],
  ])('%s is drawn as %s over the segment, in its own tone', (kind, ch) => {
    const cells = renderLane({ segments: [seg(0, 100, 'ready', 'ok')], markers: [mark(45, kind, 'warn')] }, 0, 100, 10, 100);
    assert.equal(cells.map((c) => c.ch).join(''), `████${ch}█████`);
    assert.equal(cells[4]!.tone, 'warn');
    assert.equal(cells[4]!.dim, false);
  });

  // The legend (generated from the glyph table) names every marker.
  test.each([
    '> started',
    '. other event',
    'M OOM',
    'K SIGKILL',
    '! exit',
    '^ restart',
    'D grace period ends',
    'd delete requested',
    'p probe',
    'H hook failed',
    'h postStart hook (inferred)',
    's preStop hook (inferred)',
    '~ stopping',
    '? unknown',
    'i image',
    'S scheduled',
  ])('the legend names "%s"', (entry) => {
    assert.ok(LEGEND.includes(entry), LEGEND);
  });

  // Several markers in one cell: the one that says most wins, whatever their order in the lane.
  const rank: MarkerView['kind'][] = [
    'oom',
    'kill',
    'exit',
    'restart',
    'deadline',
    'delete',
    'postStart',
    'preStop',
    'probe',
    'start',
    'schedule',
    'pull',
    'event',
  ];
  test.each(rank.slice(0, -1).map((k, i) => [k, rank[i + 1]!] as const))('%s wins a cell over %s', (winner, loser) => {
    const a = chars({ segments: [], markers: [mark(50, winner), mark(51, loser)] }, 0, 100, 10);
    const b = chars({ segments: [], markers: [mark(51, loser), mark(50, winner)] }, 0, 100, 10);
    assert.equal(a, b);
    const alone = chars({ segments: [], markers: [mark(50, winner)] }, 0, 100, 10);
    assert.equal(a, alone);
  });

  test('several events of one kind in a column show as their number; other kinds do not count', () => {
    const restarts = [10, 11, 12].map((t) => mark(t, 'restart', 'warn'));
    assert.equal(chars({ segments: [], markers: restarts }, 0, 100, 10), ' 3        ');
    const many = Array.from({ length: 12 }, (_, i) => mark(50 + i / 2, 'exit'));
    assert.equal(chars({ segments: [], markers: many }, 0, 100, 10), '     +    ');
    // The winner counts only its own kind: one exit and two restarts is an exit.
    assert.equal(chars({ segments: [], markers: [mark(10, 'exit'), ...restarts.slice(0, 2)] }, 0, 100, 10), ' !        ');
    // Kinds that are not counted keep their glyph (two scheduling markers stay an S).
    assert.equal(chars({ segments: [], markers: [mark(10, 'schedule'), mark(11, 'schedule')] }, 0, 100, 10), ' S        ');
    const cell = renderLane({ segments: [], markers: restarts }, 0, 100, 10, 100)[1]!;
    assert.deepEqual([cell.glyph, cell.count, cell.tone], ['count', 3, 'warn']);
  });

  test('an event shorter than a column is drawn over the state around it, at any zoom', () => {
    // A 200 ms exit inside hours of back-off: one column of 6 minutes still shows it.
    const hour = 3_600_000;
    const lane = {
      segments: [seg(0, 3 * hour, 'waiting', 'warn')],
      markers: [mark(hour + 100, 'exit'), mark(hour + 300, 'restart', 'warn')],
    };
    const cells = chars(lane, 0, 3 * hour, 30);
    assert.equal(cells.replace(/░/g, ''), '!');
    assert.equal(cells.indexOf('!'), 10);
  });

  test('markers at the ends of the axis land in the first and last cells; outside it they are dropped', () => {
    const lane = { segments: [], markers: [mark(0, 'start'), mark(100, 'exit'), mark(-1, 'oom'), mark(101, 'oom')] };
    assert.equal(chars(lane, 0, 100, 10), '>        !');
  });
});

describe('every lane of every recording', () => {
  const widths = [1, 10, 37, 120];
  test.each(recordingNames())('%s: exactly the width asked for, only known characters', (name) => {
    const view = finalView(name);
    const alphabet = new Set([...' █▒░·x_hs~?MK!^DdHpiS>.23456789+']);
    for (const pod of view.pods) {
      const { from, to } = pod.timeRange;
      for (const lane of [pod.lane, ...pod.containers.map((c) => c.lane)]) {
        for (const w of widths) {
          const cells = renderLane(lane, from, to, w, view.now);
          assert.equal(cells.length, w);
          for (const c of cells) assert.ok(alphabet.has(c.ch), `${name}: ${JSON.stringify(c.ch)}`);
        }
      }
      // Something is drawn on a lane that has anything in range.
      const drawn = renderLane(pod.lane, from, to, 120, view.now).filter((c) => c.ch !== ' ').length;
      assert.ok(drawn > 0, `${name}: the pod lane is drawn`);
    }
  });
});
