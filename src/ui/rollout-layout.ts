// The rollout screen as a pure function: (group view, UI state, size, now) -> lines of styled
// spans, and the pods in display order (for the keys). The first screen for any group target: the
// workload (revision old -> new, replicas, conditions, budgets, paused, the progress deadline
// counting down), the verdict, then the pods grouped by revision (new first; failing, changing,
// healthy), one row each with kubectl's READY / STATUS / RESTARTS / AGE, the node and a compact
// lifecycle strip on a shared time axis, and the owner-side events. Only the rows that fit are
// laid out (a window around the selected pod), so thousands of pods cost a screenful.
//
// The strips' axis is the pod view's timeline window (render/window.ts) resolved against the
// group's SharedAxis: the same state, keys (+/- zoom, [ ] pan, 0 follow now, a whole life), title
// words and axis (render/axis.ts) drawn under the rows, with the legend of what the strips drew.

import {
  ageText,
  progressDeadlineText,
  restartsText,
  sigkillText,
  type ConnectionState,
  patchOf,
  type GroupView,
  type PodGroup,
  type PodRow,
  type Tone,
  type UntilDecision,
} from '../model/index.ts';
import { humanDuration, runLength } from '../model/time.ts';
import { UTC_CLOCK, type Clock } from '../output/clock.ts';
import { renderAxis, type AxisMark } from '../render/axis.ts';
import { legendLines } from '../render/glyphs.ts';
import { renderLane, type TimeWindow } from '../render/lane.ts';
import { cellSegs } from '../render/timeline.ts';
import {
  deadlinesAhead,
  FOLLOW,
  resolveWindow,
  windowTitle,
  type Deadline,
  type SharedAxis,
  type TimelineState,
} from '../render/window.ts';
import { groupVerdictLine, ownerEventText, replicaNumbers, VERDICT_TONE } from '../output/rollout-text.ts';
import { clipColumns, columns, padColumns, visible } from '../output/terminal.ts';
import { fit, type Line, type Span } from './layout.ts';

export interface RolloutUi {
  /** Which of the targets is shown (tab: a file with several workloads). */
  readonly target: number;
  /** The selected pod (uid); undefined: the first one. */
  readonly selected: string | undefined;
  readonly filter: string;
  /** `/` was pressed: keys type into the filter. */
  readonly filtering: boolean;
  readonly help: boolean;
  /** The strips' window (as the pod view's timeline: following now by default). */
  readonly timeline: TimelineState;
}

export const initialRolloutUi: RolloutUi = {
  target: 0,
  selected: undefined,
  filter: '',
  filtering: false,
  help: false,
  timeline: { ...FOLLOW, labels: 'age' },
};

export interface RolloutScreen {
  readonly view: GroupView;
  readonly connection: { readonly state: ConnectionState; readonly message: string | undefined };
  readonly notes: readonly { readonly level: string; readonly text: string }[];
  /** "deploy/shop -n shop". */
  readonly label: string;
  readonly targets: number;
  /** --until: what is awaited and when it times out; the decision once there is one. */
  readonly until?:
    { readonly until: string; readonly timeoutAt: number | undefined; readonly decision: UntilDecision | undefined } | undefined;
  /** When this session began watching (undefined for files): marked on the axis; before it, strips are reconstructed. */
  readonly watchingSince?: number | undefined;
}

export interface RolloutFrame {
  readonly lines: Line[];
  /** The pods shown, in display order (after the filter). */
  readonly order: readonly string[];
  /** The selected pod (uid), after clamping to what is shown. */
  readonly selected: string | undefined;
  /** Rows of pods shown at once: what page up/down moves by. */
  readonly page: number;
  /** What the strips' window is resolved against, and how many columns they have (0: no strips fit): the keys' context. */
  readonly axis: { readonly subject: SharedAxis; readonly columns: number };
}

const CONN_TONE: Record<string, Tone> = { live: 'ok', connecting: 'progress', reconnecting: 'warn', offline: 'error', file: 'muted' };

function section(title: string, width: number): Line {
  const t = ` ${title} `;
  return fit([{ text: '─' + t + '─'.repeat(Math.max(0, width - columns(t) - 1)), dim: true }], width);
}

/** The filter: a case-insensitive substring of the pod's name. */
export function filterMatches(row: PodRow, filter: string): boolean {
  return filter === '' || row.name.toLowerCase().includes(filter.toLowerCase());
}

interface Widths {
  readonly name: number;
  readonly ready: number;
  readonly status: number;
  readonly restarts: number;
  readonly age: number;
  readonly node: number;
  readonly strip: number;
  readonly ns: number;
}

/** Column widths for the rows on screen: what fits, narrowest columns dropped first (node, then the strip). */
function widths(rows: readonly PodRow[], width: number, now: number, multiNs: boolean): Widths {
  const max = (f: (r: PodRow) => string, title: string, cap: number): number =>
    Math.min(cap, Math.max(columns(title), ...rows.map((r) => columns(visible(f(r))))));
  const ns = multiNs ? max((r) => r.namespace, 'NAMESPACE', 20) : 0;
  const ready = max((r) => r.ready, 'READY', 7);
  const status = max((r) => r.status, 'STATUS', 22);
  const restarts = max((r) => restartsText(r, now), 'RESTARTS', 16);
  const age = max((r) => ageText(r, now), 'AGE', 8);
  const gap = 2;
  const fixed = 2 + (ns ? ns + gap : 0) + ready + gap + status + gap + restarts + gap + age + gap;
  let name = max((r) => r.name, 'NAME', 63);
  const nameCap = Math.max(16, Math.floor(width * 0.34));
  name = Math.min(name, nameCap);
  let node = max((r) => r.node ?? '<none>', 'NODE', 24);
  let strip = width - fixed - name - gap - node - gap;
  if (strip < 12) {
    node = 0;
    strip = width - fixed - name - gap;
  }
  if (strip < 6) strip = 0;
  return { name, ready, status, restarts, age, node, strip: Math.max(0, strip), ns };
}

function podLine(r: PodRow, w: Widths, selected: boolean, now: number, win: TimeWindow, used: Set<string>): Line {
  const spans: Span[] = [{ text: selected ? '› ' : '  ', bold: selected }];
  const cell = (text: string, width: number, extra: Omit<Span, 'text'> = {}): void => {
    spans.push({ ...extra, text: padColumns(clipColumns(visible(text), width), width) + '  ' });
  };
  if (w.ns) cell(r.namespace, w.ns, { dim: true });
  cell(r.name, w.name, { bold: selected, inverse: selected });
  cell(r.ready, w.ready);
  cell(r.status, w.status, { tone: r.statusTone, bold: r.health === 'failing' });
  cell(restartsText(r, now), w.restarts, r.restarts > 0 ? { tone: 'warn' } : {});
  cell(ageText(r, now), w.age, { dim: true });
  if (w.node) cell(r.node ?? '<none>', w.node, { dim: true });
  if (w.strip) {
    let cells = renderLane(r.strip, win, now);
    // The SIGKILL countdown is written over the strip's oldest columns: the others keep their times (the axis is shared).
    const kill = sigkillText(r, now);
    if (kill && w.strip > columns(kill) + 4) {
      spans.push({ text: `${kill} `, tone: 'warn' });
      cells = cells.slice(columns(kill) + 1);
    }
    spans.push(...cellSegs(cells, undefined, used));
  }
  return spans;
}

/** A group view's facts for its shared axis, made once per view: the oldest pod's start, the SIGKILL deadlines. */
const axisFacts = new WeakMap<GroupView, { oldest: number; deadlines: readonly Deadline[] }>();

/** The fifteen minutes the strips show by default (following now), when the pods are older. */
const AUTO_SPAN = 15 * 60_000;

/**
 * The strips' shared axis at `now`: from the oldest pod's creation (or first sight) to now, the last
 * 15 minutes by default, with the SIGKILL deadlines of the pods being deleted (the window leaves
 * room for the nearest, as the pod view's does).
 */
export function sharedAxis(view: GroupView, now: number): SharedAxis {
  let f = axisFacts.get(view);
  if (!f) {
    // A view patched from one whose facts are known, with no changed pod's start or deletion: the same facts.
    const patch = patchOf(view);
    const before = patch && axisFacts.get(patch.previous);
    if (before && [...patch.replaced].every(([a, b]) => a.since === b.since && a.deleting === b.deleting && a.deletionAt === b.deletionAt))
      f = before;
    else {
      let oldest = Infinity;
      const deadlines: Deadline[] = [];
      for (const g of view.groups)
        for (const p of g.pods) {
          if (p.since < oldest) oldest = p.since;
          if (p.deleting && p.deletionAt !== undefined) deadlines.push({ at: p.deletionAt, kind: 'deadline' });
        }
      f = { oldest, deadlines };
    }
    axisFacts.set(view, f);
  }
  const from = Math.min(now, f.oldest);
  return {
    kind: 'shared-axis',
    timeRange: { from, to: now },
    autoSpan: now - from > AUTO_SPAN ? AUTO_SPAN : undefined,
    deadlines: f.deadlines,
  };
}

function groupHeader(g: PodGroup, shown: number, width: number): Line {
  const nums = replicaNumbers(g);
  const t = ` ${g.title} `;
  const rest = ` ${g.countsText}${nums.length ? ` · ${nums.join(' ')}` : ''}${shown < g.pods.length ? ` · ${shown} of ${g.pods.length} match` : ''} `;
  const tone: Tone | undefined = g.role === 'new' ? 'progress' : undefined;
  return fit(
    [
      { text: '─', dim: true },
      { text: visible(t), bold: true, tone },
      { text: visible(rest), dim: true },
      { text: '─'.repeat(Math.max(0, width - columns(t) - columns(rest) - 1)), dim: true },
    ],
    width,
  );
}

/** A line of the pod list: a group header, a finding, "no pods", or a pod (its row itself: thousands of them). */
type Item = { kind: 'group'; g: PodGroup; shown: number } | { kind: 'finding'; text: string } | { kind: 'empty'; text: string } | PodRow;

function isPod(it: Item): it is PodRow {
  return !('kind' in it);
}

/**
 * The lines of the pod list (group headers, findings, pods) in display order and the pods' order:
 * made once per view and filter, not per frame; for a view patched without moving a pod (patchOf),
 * the previous view's lines with the changed pods and their groups put in place. Where a pod is in
 * them is looked up for the one selected pod when a frame needs it (a scan, instead of an index of
 * every pod made per view); the places of the pods and group headers are indexed on the first patch
 * and shared by the views patched after it.
 */
interface Listed {
  readonly filter: string;
  readonly items: Item[];
  readonly order: string[];
  places?: { readonly pods: ReadonlyMap<string, number>; readonly groups: readonly number[] };
}
const itemCache = new WeakMap<GroupView, Listed>();
/** A group's findings listed under its header. */
const FINDINGS_LISTED = 2;
function sameListed(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  for (let i = 0; i < FINDINGS_LISTED; i++) if (a[i] !== b[i]) return false;
  return true;
}
function itemsOf(view: GroupView, filter: string): { items: readonly Item[]; order: readonly string[] } {
  const hit = itemCache.get(view);
  if (hit && hit.filter === filter) return hit;
  const patch = patchOf(view);
  const before = patch && itemCache.get(patch.previous);
  const patched = before && before.filter === filter ? patchItems(before, patch.previous, view, patch.replaced) : undefined;
  if (patched) {
    itemCache.set(view, patched);
    return patched;
  }
  const items: Item[] = [];
  const order: string[] = [];
  for (const g of view.groups) {
    const pods = filter ? g.pods.filter((p) => filterMatches(p, filter)) : g.pods;
    if (filter && pods.length === 0) continue;
    items.push({ kind: 'group', g, shown: pods.length });
    for (const f of g.findings.slice(0, FINDINGS_LISTED)) items.push({ kind: 'finding', text: f });
    if (pods.length === 0) items.push({ kind: 'empty', text: g.role === 'new' ? 'no pods yet' : 'no pods' });
    for (const p of pods) {
      items.push(p);
      order.push(p.uid);
    }
  }
  const out: Listed = { filter, items, order };
  itemCache.set(view, out);
  return out;
}

/** The previous view's list with the replaced pods and their groups in place; undefined when a group or its findings changed otherwise. */
function patchItems(before: Listed, previous: GroupView, view: GroupView, replaced: ReadonlyMap<PodRow, PodRow>): Listed | undefined {
  const gs = view.groups;
  if (gs.length !== previous.groups.length) return undefined;
  for (let i = 0; i < gs.length; i++) {
    const [a, b] = [previous.groups[i]!, gs[i]!];
    if (a.key !== b.key || a.role !== b.role || !sameListed(a.findings, b.findings)) return undefined;
  }
  const places = (before.places ??= placesOf(before.items, previous));
  const items = before.items.slice();
  for (const [a, b] of replaced) {
    const at = places.pods.get(a.uid);
    if (at === undefined && before.filter !== '') continue; // filtered out, and stays so (the name is the same)
    if (at === undefined || items[at] !== a) return undefined;
    items[at] = b;
  }
  for (let i = 0; i < gs.length; i++) {
    const at = places.groups[i]!;
    if (gs[i] === previous.groups[i] || at < 0) continue;
    const it = items[at]!;
    if (isPod(it) || it.kind !== 'group') return undefined;
    items[at] = { kind: 'group', g: gs[i]!, shown: it.shown };
  }
  return { filter: before.filter, items, order: before.order, places };
}

/** Where each pod and each group's header (-1 when the filter left the group out) is among the items. */
function placesOf(items: readonly Item[], view: GroupView): NonNullable<Listed['places']> {
  const pods = new Map<string, number>();
  const groups = view.groups.map(() => -1);
  const groupIndex = new Map(view.groups.map((g, i) => [g, i]));
  items.forEach((it, i) => {
    if (isPod(it)) pods.set(it.uid, i);
    else if (it.kind === 'group') {
      const g = groupIndex.get(it.g);
      if (g !== undefined) groups[g] = i;
    }
  });
  return { pods, groups };
}

/** Where the pod `uid` is among the items, or -1 (the last answer kept: a frame asks for the selected pod's). */
const lastIndex = new WeakMap<readonly Item[], { uid: string; at: number }>();
function itemIndex(items: readonly Item[], uid: string): number {
  const hit = lastIndex.get(items);
  if (hit?.uid === uid) return hit.at;
  let at = -1;
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    if (isPod(it) && it.uid === uid) {
      at = i;
      break;
    }
  }
  lastIndex.set(items, { uid, at });
  return at;
}

/**
 * The last frame laid out, with what it was laid out from: the screen's clock lays the screen out
 * once a second to see whether a line changed, and when one did the render that follows asks for
 * the same frame again.
 */
let lastLayout:
  | { s: RolloutScreen; ui: RolloutUi; width: number; height: number; now: number; clock: Clock | undefined; frame: RolloutFrame }
  | undefined;

/** The same fields with the same values (one level down: the screen is made afresh for each call). */
function sameFields(a: RolloutScreen, b: RolloutScreen): boolean {
  const ka = Object.keys(a) as (keyof RolloutScreen)[];
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (a[k] !== b[k]) return false;
  return true;
}

export function rolloutLayout(
  s: RolloutScreen,
  ui: RolloutUi,
  size: { width: number; height: number },
  now: number,
  opts: { readonly clock?: Clock } = {},
): RolloutFrame {
  const l = lastLayout;
  if (
    l &&
    l.now === now &&
    l.ui === ui &&
    l.width === size.width &&
    l.height === size.height &&
    l.clock === opts.clock &&
    sameFields(l.s, s)
  )
    return l.frame;
  const frame = layoutFrame(s, ui, size, now, opts);
  lastLayout = { s, ui, width: size.width, height: size.height, now, clock: opts.clock, frame };
  return frame;
}

/**
 * The first `n` of the verdict's evidence that are not its blockers' texts (those the verdict line
 * sums up). Remembered per verdict: with thousands of failing pods both lists are thousands long,
 * and the clock and the keys lay the same view out again.
 */
const evidenceShown = new WeakMap<GroupView['verdict'], readonly string[]>();
const EVIDENCE_LINES = 3;
function otherEvidence(v: GroupView['verdict'], n: number): readonly string[] {
  let others = evidenceShown.get(v);
  if (others === undefined) {
    const blockers = new Set(v.blockers.map((b) => b.text));
    const found: string[] = [];
    for (const e of v.evidence) {
      if (found.length >= EVIDENCE_LINES) break;
      if (!blockers.has(e)) found.push(e);
    }
    evidenceShown.set(v, (others = found));
  }
  return others.slice(0, n);
}

function layoutFrame(
  s: RolloutScreen,
  ui: RolloutUi,
  size: { width: number; height: number },
  now: number,
  opts: { readonly clock?: Clock },
): RolloutFrame {
  const clock = opts.clock ?? UTC_CLOCK;
  const width = Math.max(40, size.width);
  const height = Math.max(12, size.height);
  const view = s.view;
  const r = view.rollout;
  const conn = s.connection;

  const top: Line = fit(
    [
      { text: 'podlife ', bold: true },
      { text: visible(s.label), dim: true },
      ...(s.targets > 1 ? [{ text: ` [${ui.target + 1}/${s.targets}, tab]`, dim: true } as Span] : []),
      { text: '  ' },
      { text: `● ${conn.state}`, tone: CONN_TONE[conn.state] ?? 'muted' },
      ...(conn.message && conn.state !== 'live' ? [{ text: ` ${visible(conn.message)}`, dim: true } as Span] : []),
      ...(s.until
        ? [
            {
              text: `  until ${s.until.until}${s.until.timeoutAt !== undefined ? ` (timeout in ${runLength(Math.max(0, s.until.timeoutAt - now))})` : ''}`,
              tone: 'progress',
            } as Span,
          ]
        : []),
    ],
    width,
  );
  const subject = sharedAxis(view, now);
  if (ui.help) return { lines: [top, ...helpLines(width)], order: [], selected: ui.selected, page: 1, axis: { subject, columns: 0 } };

  // The workload: what, its revisions, replicas, budgets, the deadline, conditions.
  const head: Line[] = [];
  if (r) {
    const q = r.replicas;
    const n = (x: number | undefined): string => (x === undefined ? '?' : String(x));
    const jobLike = r.kind === 'Job' || r.kind === 'CronJob';
    head.push(
      fit(
        [
          { text: `${r.kind} ${visible(r.name)}`, bold: true },
          ...(r.exists
            ? [
                ...(jobLike ? [] : [{ text: `  revision ${visible(r.revision.text)}`, tone: 'progress' } as Span]),
                ...(q.desired !== undefined
                  ? [
                      {
                        text: `  desired ${n(q.desired)}  updated ${n(q.updated)}  ready ${n(q.ready)}  available ${n(q.available)}  unavailable ${n(q.unavailable)}`,
                      } as Span,
                    ]
                  : []),
                ...(r.paused ? [{ text: '  paused', tone: 'warn', bold: true } as Span] : []),
                ...(r.deleting ? [{ text: '  being deleted', tone: 'warn' } as Span] : []),
              ]
            : [{ text: '  does not exist', tone: 'error' } as Span]),
        ],
        width,
      ),
    );
    const deadline = progressDeadlineText(r.progressDeadline, now);
    const passed = r.progressDeadline?.marked || (r.progressDeadline?.at !== undefined && r.progressDeadline.at < now);
    // The deadline first when both do not fit: it is the one that moves.
    const both = r.budget && deadline ? columns(r.budget.text) + 3 + columns(deadline) <= width : true;
    if (r.budget || deadline)
      head.push(
        fit(
          both
            ? [
                ...(r.budget ? [{ text: visible(r.budget.text), dim: true } as Span] : []),
                ...(deadline ? [{ text: `${r.budget ? '   ' : ''}${deadline}`, tone: passed ? 'error' : 'warn' } as Span] : []),
              ]
            : [
                { text: `${deadline}   `, tone: passed ? 'error' : 'warn' },
                { text: visible(r.budget!.text), dim: true },
              ],
          width,
        ),
      );
    for (const c of r.conditions.slice(0, height >= 24 ? 3 : 1)) {
      const at = c.lastTransitionTime ?? c.lastUpdateTime;
      head.push(
        fit(
          [
            { text: `${visible(c.type)}=${visible(c.status)}`, tone: c.status === 'True' ? 'ok' : 'warn' },
            { text: `${c.reason ? ` ${visible(c.reason)}` : ''}${at !== undefined ? ` ${humanDuration(now - at)} ago` : ''}`, dim: true },
            ...(c.message ? [{ text: `: ${visible(c.message)}`, dim: c.status === 'True' } as Span] : []),
          ],
          width,
        ),
      );
    }
  }
  const v = view.verdict;
  const verdict: Line[] = [
    ...wrap(visible(groupVerdictLine(view, now)), width, height >= 20 ? 3 : 2).map((t, i) =>
      fit([{ text: i ? `  ${t}` : t, tone: VERDICT_TONE[v.state], bold: true }], width),
    ),
    ...otherEvidence(v, height >= 30 ? EVIDENCE_LINES : height >= 20 ? 1 : 0).map((e): Line =>
      fit([{ text: `  ${visible(e)}`, dim: true }], width),
    ),
  ];
  const decided = s.until?.decision;
  if (decided && decided.outcome !== 'waiting')
    verdict.push(
      fit(
        [
          {
            text: `--until ${decided.until}: ${decided.outcome === 'timed-out' ? 'timed out' : decided.outcome}`,
            tone: decided.outcome === 'reached' ? 'ok' : 'error',
            bold: true,
          },
        ],
        width,
      ),
    );

  // The pods, by group, in display order; the filter keeps matching names.
  const listed = itemsOf(view, ui.filter);
  const { order } = listed;
  const items: readonly Item[] = listed.items.length
    ? listed.items
    : [
        {
          kind: 'empty',
          text: ui.filter
            ? `no pod name contains "${ui.filter}"`
            : conn.state === 'connecting'
              ? 'connecting to the API server…'
              : 'no pods',
        },
      ];
  const selectedAt = ui.selected !== undefined ? itemIndex(listed.items, ui.selected) : -1;
  const selected = selectedAt >= 0 ? ui.selected : order[0];

  // Events of the owner side, newest last; the notes.
  const events = view.events.slice(-4).map((e): Line => {
    const t = e.lastAt ?? e.firstAt;
    return fit(
      [
        { text: `${t !== undefined ? humanDuration(now - t).padStart(5) : '    ?'} `, dim: true },
        { text: visible(ownerEventText(e)), tone: e.type === 'Warning' ? 'warn' : undefined },
      ],
      width,
    );
  });
  const notes = s.notes
    .slice(-2)
    .map((n): Line => fit([{ text: `note: ${visible(n.text)}`, tone: n.level === 'error' ? 'error' : 'warn' }], width));
  const filterLine: Line[] =
    ui.filtering || ui.filter
      ? [
          fit(
            [
              { text: `/${visible(ui.filter)}${ui.filtering ? '▏' : ''}`, tone: 'progress' },
              { text: `  ${order.length} of ${view.podCount} pods`, dim: true },
            ],
            width,
          ),
        ]
      : [];
  const keys = columns(KEYS_FOOTER) <= width ? KEYS_FOOTER : KEYS_FOOTER_SHORT;
  const footer: Line = fit([{ text: ui.filtering ? 'type to filter  enter keep  esc clear' : keys, dim: true }], width);

  const fixed = [top, ...head, ...verdict];
  // Room for the pods: what the header, the events (when they fit), the notes and the footer leave.
  let room = height - fixed.length - filterLine.length - notes.length - 4; // column header, the axis (2 lines), footer
  const eventLines = room - events.length - 1 >= 6 && events.length ? [section('events', width), ...events] : [];
  room -= eventLines.length;
  room = Math.max(3, room);

  // A window of `room` items around the selected pod.
  const selIndex = selectedAt >= 0 ? selectedAt : selected !== undefined ? Math.max(0, itemIndex(items, selected)) : 0;
  let start = 0;
  if (items.length > room) {
    start = Math.min(Math.max(0, selIndex - Math.floor(room / 3)), items.length - room);
    // Show the pod's group header when it is just above.
    let headerAt = selIndex;
    const isGroup = (it: Item | undefined): boolean => it !== undefined && !isPod(it) && it.kind === 'group';
    while (headerAt > 0 && !isGroup(items[headerAt])) headerAt--;
    if (isGroup(items[headerAt]) && selIndex - headerAt < room && headerAt < start) start = headerAt;
  }
  const windowItems = items.slice(start, start + room);
  const rowsShown = windowItems.filter(isPod);
  const w = widths(rowsShown, width, now, view.multiNamespace);
  // The strips' window: one for all rows, whichever are shown.
  const win = resolveWindow(ui.timeline, subject, now, w.strip);
  // How the window reads ("following now, last 15m"): in the column header, else beside the axis.
  const title = windowTitle(ui.timeline, win, subject, clock.time);
  const stripAt = 2 + (w.ns ? w.ns + 2 : 0) + w.name + w.ready + w.status + w.restarts + w.age + 10 + (w.node ? w.node + 2 : 0);
  const colTitle = (t: string, n: number): string => (n ? padColumns(t, n) + '  ' : '');
  const columnHeader: Line = fit(
    [
      {
        text:
          '  ' +
          colTitle('NAMESPACE', w.ns) +
          colTitle('NAME', w.name) +
          colTitle('READY', w.ready) +
          colTitle('STATUS', w.status) +
          colTitle('RESTARTS', w.restarts) +
          colTitle('AGE', w.age) +
          colTitle('NODE', w.node) +
          (w.strip && columns(title) <= w.strip ? title : ''),
        dim: true,
      },
    ],
    width,
  );
  const used = new Set<string>();
  const body: Line[] = windowItems.map((it): Line => {
    if (isPod(it)) return fit(podLine(it, w, it.uid === selected, now, win, used), width);
    if (it.kind === 'group') return groupHeader(it.g, it.shown, width);
    if (it.kind === 'finding')
      return fit(
        [
          { text: '  ✗ ', tone: 'error' },
          { text: visible(it.text), tone: 'error' },
        ],
        width,
      );
    return fit([{ text: `  ${it.text}`, dim: true }], width);
  });
  const more = items.length - start - windowItems.length;
  if (more > 0 && body.length > 0)
    body[body.length - 1] = fit([{ text: `  … ${more} more line${more === 1 ? '' : 's'} below (↓)`, dim: true }], width);
  if (start > 0 && body.length > 1)
    body[0] = fit([{ text: `  … ${start} more line${start === 1 ? '' : 's'} above (↑)`, dim: true }], width);

  const axisLines = w.strip
    ? stripAxis(win, subject, ui.timeline, columns(title) <= w.strip ? undefined : title, s.watchingSince, clock, used, stripAt, width)
    : [];

  const out = [...fixed, ...filterLine, columnHeader, ...body, ...axisLines, ...eventLines, ...notes];
  if (out.length > height - 1) out.length = height - 1;
  out.push(footer);
  return { lines: out, order, selected, page: Math.max(1, room - 2), axis: { subject, columns: w.strip } };
}

/**
 * The axis under the strips (its marks and tick labels, aligned with the strip column) and, left of
 * it, the legend of every glyph the strips and the axis drew, and the window's title when the
 * column header had no room for it (right-aligned before the tick labels); a legend that does not
 * fit there goes under the axis instead.
 */
function stripAxis(
  win: TimeWindow,
  subject: SharedAxis,
  t: TimelineState,
  title: string | undefined,
  watchingSince: number | undefined,
  clock: Clock,
  used: Set<string>,
  stripAt: number,
  width: number,
): Line[] {
  const now = subject.timeRange.to;
  const marks: AxisMark[] = [];
  if (watchingSince !== undefined) marks.push({ at: watchingSince, key: 'watch' });
  for (const d of deadlinesAhead(subject, now)) marks.push({ at: d.at, key: d.kind });
  marks.push({ at: now, key: 'now' });
  const axis = renderAxis(win, { now, labels: t.labels, clock, marks });
  for (const k of axis.used) used.add(k);
  const titleWidth = title === undefined ? 0 : columns(title) + 3;
  let beside = legendLines(used, stripAt - 1, '  ', true);
  let below: Line[] = [];
  if (beside.length > 2 || (beside.length === 2 && lineWidth(beside[1]!) + titleWidth > stripAt)) {
    beside = [];
    below = legendLines(used, width, '  ', true).map((l) => fit(l, width));
  }
  const upTo = (l: Line, at: number): Span => ({ text: ' '.repeat(Math.max(0, at - lineWidth(l))) });
  const first = beside[0] ?? [];
  const second: Line = [...(beside[1] ?? [])];
  const labelsLine: Line =
    title === undefined
      ? [...second, upTo(second, stripAt)]
      : [...second, upTo(second, stripAt - titleWidth + 1), { text: clipColumns(title, stripAt - 3), dim: true }, { text: '  ' }];
  return [fit([...first, upTo(first, stripAt), ...axis.line], width), fit([...labelsLine, ...axis.labels], width), ...below];
}

const lineWidth = (l: Line): number => l.reduce((n, x) => n + columns(x.text), 0);

/** Words onto at most `max` lines of `width` columns (the last one clipped by fit()). */
export function wrap(text: string, width: number, max: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const word of text.split(' ')) {
    const next = cur ? `${cur} ${word}` : word;
    if (columns(next) > width - (out.length ? 2 : 0) && cur) {
      out.push(cur);
      cur = word;
      if (out.length === max - 1) {
        cur = text.split(' ').slice(out.join(' ').split(' ').length).join(' ');
        break;
      }
    } else cur = next;
  }
  if (cur) out.push(cur);
  return out.slice(0, max);
}

const KEYS_FOOTER = 'q quit  ↑↓ pod  enter open  / filter  +/- zoom  [ ] pan  0 now  a all  tab workload  ? help';
const KEYS_FOOTER_SHORT = 'q quit  ↑↓ pod  ⏎ open  / filter  +- zoom  [] pan  0 now  a all  ? help';

function helpLines(width: number): Line[] {
  const rows = [
    'q, Ctrl-C     quit (the terminal is restored)',
    '↑/↓, j/k      select a pod (PgUp/PgDn, g/G: a page, the ends)',
    'enter         open the selected pod: its containers, timelines, diagnosis, events (esc back)',
    '/             filter pods by name (enter keeps the filter, esc clears it)',
    '+ / -         zoom the strips in / out (from 10s to the whole time the pods span)',
    '[ ], ← →      pan the strips a quarter of their width back / forward',
    '0             follow now (the default: the last 15 minutes, or all of it when the pods are younger)',
    "a             the whole time the pods span, from the oldest pod's creation",
    't             axis labels: ages (-5m) or clock times',
    'tab           the next workload (a file or recording with several)',
    '?             this help',
    '',
    'The verdict: progressing / complete / paused / stuck / failed, with its evidence; --until exits on it.',
    'Pods are grouped by revision (new first), failing pods first, then changing, then healthy.',
    "Strips: each pod's STATUS over time, one axis for all rows; under them the axis and the legend of what they draw.",
  ];
  return rows.map((r) => fit([{ text: r }], width));
}
