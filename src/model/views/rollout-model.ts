// The group view-model: what the rollout screen, the progress lines, the JSON workload line and
// `--until` read for a group target (a workload, or the pods of -l / -A / --field-selector, or the
// lives of one named pod for --until). Built from the model state by a memoised selector: the rows
// come from the per-record cache (pod-row.ts), the rollout from rollout.ts; the result is made for
// the state's last observation time and does not depend on the clock, so a tick of the clock
// rebuilds nothing. The texts that depend on `now` (countdowns, ages) are made at render time.

import type { ModelState, PodRecord, WorkloadEventRecord } from '../reduce/index.ts';
import {
  aggregateFindings,
  blockerEvidence,
  countsOf,
  decideUntil,
  kindLabel,
  podBlockers,
  rolloutView,
  sortedCounts,
  sortPods,
  type Blocker,
  type RolloutOptions,
  type RolloutPod,
  type RolloutView,
  type UntilDecision,
  type UntilTarget,
  type Verdict,
} from '../rollout.ts';
import type { LabelSelector, WorkloadKind, WorkloadSnapshot } from '../workload.ts';
import { podRow, type PodRow } from './pod-row.ts';

export type RolloutTargetKind = Exclude<WorkloadKind, 'ControllerRevision'>;

export type GroupTarget =
  /** deploy/NAME, sts/NAME, ...: the workload, its revisions and its pods. */
  | { readonly kind: 'workload'; readonly workloadKind: RolloutTargetKind; readonly namespace: string; readonly name: string }
  /** -l, -A, --field-selector: every pod the source selected (namespace undefined: all of them). */
  | { readonly kind: 'pods'; readonly label: string; readonly namespace: string | undefined }
  /** One pod by name (its lives): for --until ready|complete|deleted. */
  | { readonly kind: 'pod'; readonly namespace: string; readonly name: string };

export interface PodGroup {
  readonly key: string;
  /** new / old revision, pods of no known revision, or (pods targets) the pods of one owner. */
  readonly role: 'new' | 'old' | 'unknown' | 'owner';
  readonly revision: number | undefined;
  readonly name: string | undefined;
  /** "new revision 2 (shop-7b6f77bdbf)", "old revision 1 (shop-595f5d7c5b)", "ReplicaSet web-7d9 in shop". */
  readonly title: string;
  readonly desired: number | undefined;
  readonly current: number | undefined;
  readonly ready: number | undefined;
  readonly available: number | undefined;
  readonly images: readonly { readonly container: string; readonly image: string }[];
  /** Failing first, then changing, then healthy; by name within each. */
  readonly pods: readonly PodRow[];
  readonly counts: readonly { readonly status: string; readonly count: number }[];
  readonly countsText: string;
  /** The pods' findings aggregated: "3 of 3 new pods: OOMKilled ...". */
  readonly findings: readonly string[];
}

export interface GroupView {
  readonly target: GroupTarget;
  /** "deployment/shop", "-l app=web -A", "pod/web-0". */
  readonly title: string;
  /** The workload's rollout (workload targets only). */
  readonly rollout: RolloutView | undefined;
  readonly groups: readonly PodGroup[];
  readonly verdict: Verdict;
  /** Owner-side events (workload targets), oldest first. */
  readonly events: readonly WorkloadEventRecord[];
  readonly podCount: number;
  /** The pods live in more than one namespace (-A): rows name theirs. */
  readonly multiNamespace: boolean;
  /** The state's last observation time: what the view was made for. */
  readonly at: number;
}

// ---- selecting pods --------------------------------------------------------------------------

/** metav1.LabelSelectorAsSelector, on one set of labels. */
export function matchesSelector(labels: Readonly<Record<string, string>>, sel: LabelSelector | undefined): boolean {
  if (!sel) return false;
  for (const [k, v] of Object.entries(sel.matchLabels)) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    if (e.operator === 'In' ? !has || !e.values.includes(labels[e.key]!) : false) return false;
    if (e.operator === 'NotIn' && has && e.values.includes(labels[e.key]!)) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(e.operator)) return false;
  }
  return Object.keys(sel.matchLabels).length + sel.matchExpressions.length > 0;
}

/** The workload a target names, as last seen (the newest when a name was reused). */
export function findWorkload(state: ModelState, kind: WorkloadKind, namespace: string, name: string): WorkloadSnapshot | undefined {
  let best: WorkloadSnapshot | undefined;
  for (const rec of state.workloads.values()) {
    const w = rec.snapshot;
    if (w.kind === kind && w.namespace === namespace && w.name === name && (!best || (w.createdAt ?? 0) >= (best.createdAt ?? 0))) best = w;
  }
  return best;
}

function workloadsIn(state: ModelState, namespace: string): WorkloadSnapshot[] {
  const out: WorkloadSnapshot[] = [];
  for (const rec of state.workloads.values()) if (rec.snapshot.namespace === namespace) out.push(rec.snapshot);
  return out;
}

/** The pods of a target that exist now (terminating ones included; gone ones not). */
function selectPods(state: ModelState, target: GroupTarget, workload: WorkloadSnapshot | undefined): PodRecord[] {
  const out: PodRecord[] = [];
  let keep: (rec: PodRecord) => boolean;
  if (target.kind === 'pods') keep = () => true;
  else if (target.kind === 'pod') keep = (rec) => rec.namespace === target.namespace && rec.name === target.name;
  else if (target.workloadKind === 'CronJob') {
    // A CronJob's pods share no label: they are the pods of its Jobs.
    const jobs = workload ? workloadsIn(state, target.namespace).filter((j) => j.kind === 'Job' && j.controller?.uid === workload.uid) : [];
    const uids = new Set(jobs.map((j) => j.uid));
    const names = new Set(jobs.map((j) => j.name));
    keep = (rec) =>
      rec.namespace === target.namespace &&
      rec.snapshot.owner?.kind === 'Job' &&
      (rec.snapshot.ownerUid !== undefined ? uids.has(rec.snapshot.ownerUid) : names.has(rec.snapshot.owner.name));
  } else if (workload?.selector) {
    const sel = workload.selector;
    keep = (rec) => rec.namespace === target.namespace && matchesSelector(rec.snapshot.labels, sel);
  } else {
    // Not seen (yet): the live source selected the pods by the workload's selector already.
    keep = (rec) => rec.namespace === target.namespace;
  }
  // A replaced life (a newer pod took its name) is gone even when its deletion was not seen.
  state.pods.forEach((rec) => {
    if (!rec.deleted && !rec.replaced && keep(rec)) out.push(rec);
  });
  return out;
}

// ---- the view --------------------------------------------------------------------------------

export function targetTitle(target: GroupTarget): string {
  if (target.kind === 'workload') return `${kindLabel(target.workloadKind)}/${target.name}`;
  if (target.kind === 'pod') return `pod/${target.name}`;
  return target.label;
}

function groupTitle(role: PodGroup['role'], revision: number | undefined, name: string | undefined, kind: WorkloadKind): string {
  if (role === 'unknown') return 'pods of no known revision';
  if (kind === 'CronJob') return `${role === 'new' ? 'newest job' : 'job'} ${name ?? ''}`.trim();
  if (kind === 'Job' || kind === 'ReplicaSet') return `${kindLabel(kind)} ${name ?? ''}`.trim();
  const rev = revision !== undefined ? `revision ${revision}` : 'revision';
  return `${role} ${rev}${name ? ` (${name})` : ''}`;
}

function workloadView(state: ModelState, target: Extract<GroupTarget, { kind: 'workload' }>, o: RolloutOptions): GroupView {
  const workload = findWorkload(state, target.workloadKind, target.namespace, target.name);
  const rows = selectPods(state, target, workload).map((rec) => podRow(rec, state));
  const byUid = new Map(rows.map((r) => [r.uid, r]));
  const computed = rolloutView(
    {
      target: { kind: target.workloadKind, namespace: target.namespace, name: target.name },
      workload,
      children: workloadsIn(state, target.namespace).filter((w) => w !== workload),
      events: [...state.workloadEvents.values()],
      pods: rows,
      now: state.lastObservedAt ?? 0,
    },
    o,
  );
  // Not seen, and its kind not listed yet: on its way (a source lists the pods before the owner), not gone.
  const rollout: RolloutView =
    workload === undefined && !state.workloadKindsListed.has(target.workloadKind)
      ? {
          ...computed,
          verdict: {
            state: 'progressing',
            reason: `waiting for ${targetTitle(target)} to be listed`,
            evidence: [],
            blockers: [],
            pods: [],
          },
        }
      : computed;
  const groups: PodGroup[] = rollout.revisions.map((g) => ({
    key: g.key,
    role: g.role,
    revision: g.revision,
    name: g.name,
    title: groupTitle(g.role, g.revision, g.name, target.workloadKind),
    desired: g.desired,
    current: g.current,
    ready: g.ready,
    available: g.available,
    images: g.images,
    pods: g.pods.map((p) => byUid.get(p.uid)!),
    counts: g.counts,
    countsText: g.countsText,
    findings: g.findings,
  }));
  const eventKeys = new Set(rollout.events.map((e) => e.key));
  const events = [...state.workloadEvents.values()]
    .filter((e) => eventKeys.has(e.key))
    .sort((a, b) => (a.lastAt ?? a.firstAt ?? 0) - (b.lastAt ?? b.firstAt ?? 0) || (a.key < b.key ? -1 : 1));
  return {
    target,
    title: targetTitle(target),
    rollout,
    groups,
    verdict: rollout.verdict,
    events,
    podCount: rows.length,
    multiNamespace: false,
    at: state.lastObservedAt ?? 0,
  };
}

/** The owner group of a row (its key is made once per row: thousands of rows, rebuilt often). */
const ownerKeys = new WeakMap<PodRow, string>();
function ownerKey(r: PodRow): string {
  let k = ownerKeys.get(r);
  if (k === undefined) ownerKeys.set(r, (k = r.owner ? `${r.namespace}/${r.owner.kind}/${r.owner.name}` : `${r.namespace}/`));
  return k;
}

function ownerTitle(r: PodRow, multiNs: boolean): string {
  const ns = multiNs ? ` in ${r.namespace}` : '';
  return r.owner ? `${r.owner.kind} ${r.owner.name}${ns}` : `pods without an owner${ns}`;
}

/** The verdict of a group of pods, in one pass over them (plain loops: thousands of pods). */
function podsVerdict(rows: readonly PodRow[], o: RolloutOptions): Verdict {
  let terminating = false;
  for (const p of rows) if (p.deleting) terminating = true;
  const blockers: Blocker[] = [];
  const names = new Set<string>();
  let total = 0;
  let ready = 0;
  let done = 0;
  for (const p of rows) {
    for (const b of podBlockers(p, o, terminating)) {
      blockers.push(b);
      if (b.pod) names.add(b.pod);
    }
    if (p.deleting) continue;
    total++;
    if (p.isReady) ready++;
    if (p.phase === 'Succeeded') done++;
    if (p.phase === 'Failed') {
      blockers.push({ rule: 'job-failed', text: `pod ${p.name} failed (${p.status})`, pod: p.name });
      names.add(p.name);
    }
  }
  if (blockers.length) {
    return {
      state: 'stuck',
      reason: `${names.size} of ${total} pod${total === 1 ? '' : 's'} cannot become ready`,
      evidence: blockerEvidence(blockers),
      blockers,
      pods: [...names],
    };
  }
  if (total > 0 && ready + done === total)
    return {
      state: 'complete',
      reason: done === total ? `all ${total} pod${total === 1 ? '' : 's'} completed` : `all ${total} pod${total === 1 ? '' : 's'} ready`,
      evidence: [],
      blockers: [],
      pods: [],
    };
  return {
    state: 'progressing',
    reason: total === 0 ? 'no pods' : `${ready} of ${total} pod${total === 1 ? '' : 's'} ready${done ? `, ${done} completed` : ''}`,
    evidence: [],
    blockers: [],
    pods: [],
  };
}

/** A view patched from another: that view, and its rows that were replaced (old -> new); no pod moved. */
export interface ViewPatch {
  readonly previous: GroupView;
  readonly replaced: ReadonlyMap<PodRow, PodRow>;
}

/**
 * What a pods view was made from: its rows in selection order (podsView's `previous`), where each
 * pod is in its groups (uid -> group index * PLACE + index in the group, shared by the views patched
 * from it while no pod moves), and the patch it came from when no pod moved.
 */
interface PodsViewMade {
  readonly recs: readonly PodRecord[];
  readonly rows: readonly PodRow[];
  readonly o: RolloutOptions;
  readonly terminating: boolean;
  readonly where: ReadonlyMap<string, number>;
  readonly patch?: ViewPatch;
}
const podsViewRows = new WeakMap<GroupView, PodsViewMade>();
const PLACE = 1 << 22;

/**
 * How `view` was made from an earlier view when it was patched without moving a pod (the same
 * groups, each pod at its place): what is made once per view from every pod (the screen's list of
 * items, the strips' axis) can then be patched too. undefined for a view built afresh.
 */
export function patchOf(view: GroupView): ViewPatch | undefined {
  return podsViewRows.get(view)?.patch;
}

function placesOf(groups: readonly PodGroup[]): Map<string, number> {
  const where = new Map<string, number>();
  for (let g = 0; g < groups.length; g++) {
    const pods = groups[g]!.pods;
    for (let i = 0; i < pods.length; i++) where.set(pods[i]!.uid, g * PLACE + i);
  }
  return where;
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The view `previous` was, with the rows that changed put in place: their groups re-counted (and
 * re-sorted when a pod's health moved it), the verdict kept when nothing it reads changed. The
 * same result as a full rebuild (test/model/views/rollout-model.test.ts checks), without sorting,
 * counting and judging thousands of pods again when a few changed. undefined when a pod came, went
 * or changed owner, or too many changed: then the view is rebuilt.
 */
function patchPodsView(
  previous: GroupView,
  rows: readonly PodRow[],
  o: RolloutOptions,
  at: number,
): (Omit<PodsViewMade, 'recs' | 'rows' | 'o'> & { view: GroupView }) | undefined {
  const before = podsViewRows.get(previous);
  if (!before || before.o !== o || before.rows.length !== rows.length) return undefined;
  const old = before.rows;
  const changed: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    if (rows[i] === old[i]) continue;
    if (changed.length === 64) return undefined;
    changed.push(i);
  }
  const replace = new Map<PodRow, PodRow>();
  const resort = new Set<string>();
  let sameVerdict = true;
  let sameFindings = true;
  for (const i of changed) {
    const a = old[i]!;
    const b = rows[i]!;
    if (a.uid !== b.uid || a.name !== b.name || a.namespace !== b.namespace || ownerKey(a) !== ownerKey(b)) return undefined;
    if (a.health !== b.health) resort.add(ownerKey(a));
    if (!sameStrings(a.findings, b.findings)) sameFindings = false;
    if (sameVerdict) {
      const ba = podBlockers(a, o, before.terminating);
      const bb = podBlockers(b, o, before.terminating);
      sameVerdict =
        a.deleting === b.deleting &&
        a.isReady === b.isReady &&
        a.phase === b.phase &&
        ba.length === bb.length &&
        ba.every((x, j) => x.rule === bb[j]!.rule && x.text === bb[j]!.text && x.pod === bb[j]!.pod);
    }
    replace.set(a, b);
  }
  // The changed rows' places in the groups: each group with a changed pod is copied once.
  const edits = new Map<number, [number, PodRow, PodRow][]>();
  for (const [a, b] of replace) {
    const w = before.where.get(a.uid);
    if (w === undefined) return undefined;
    const [g, i] = [Math.floor(w / PLACE), w % PLACE];
    if (previous.groups[g]?.pods[i] !== a) return undefined;
    let list = edits.get(g);
    if (!list) edits.set(g, (list = []));
    list.push([i, a, b]);
  }
  let groups = previous.groups.map((g, gi): PodGroup => {
    const list = edits.get(gi);
    if (!list) return g;
    let pods = g.pods.slice();
    // The live and ready counts moved by the changed pods (a pods view's groups always have them).
    let current = g.current ?? 0;
    let ready = g.ready ?? 0;
    for (const [i, a, b] of list) {
      pods[i] = b;
      current += Number(!b.deleting) - Number(!a.deleting);
      ready += Number(!b.deleting && b.isReady) - Number(!a.deleting && a.isReady);
    }
    if (resort.has(g.key)) pods = sortPods(pods);
    const counts = recount(g, replace);
    return {
      ...g,
      pods,
      current,
      ready,
      counts,
      countsText: countsTextOf(counts),
      findings: sameFindings ? g.findings : aggregateFindings(pods, 'pods'),
    };
  });
  if (resort.size) groups = [...groups].sort((a, b) => groupRank(a) - groupRank(b) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const terminating = sameVerdict ? before.terminating : rows.some((r) => r.deleting);
  const verdict = sameVerdict ? previous.verdict : podsVerdict(rows, o);
  const where = resort.size ? placesOf(groups) : before.where;
  const view: GroupView = { ...previous, groups, verdict, at };
  return { view, terminating, where, ...(resort.size === 0 ? { patch: { previous, replaced: replace } } : {}) };
}

const RANK = { failing: 0, changing: 1, healthy: 2 } as const;

/** countsOf the group's pods after `replace`, from its counts before (the statuses that moved, not every pod). */
function recount(g: PodGroup, replace: ReadonlyMap<PodRow, PodRow>): { status: string; count: number }[] {
  const m = new Map(g.counts.map((c) => [c.status, c.count]));
  for (const [a, b] of replace) {
    if (a.status === b.status || ownerKey(a) !== g.key) continue;
    m.set(a.status, m.get(a.status)! - 1);
    m.set(b.status, (m.get(b.status) ?? 0) + 1);
  }
  return sortedCounts(m);
}

/** "2 Running, 1 CrashLoopBackOff". */
function countsTextOf(counts: readonly { status: string; count: number }[]): string {
  return counts.length ? counts.map((c) => `${c.count} ${c.status}`).join(', ') : 'no pods';
}

/** The pods not being deleted, and how many of those are ready. */
function liveAndReady(pods: readonly PodRow[]): { current: number; ready: number } {
  let current = 0;
  let ready = 0;
  for (const p of pods)
    if (!p.deleting) {
      current++;
      if (p.isReady) ready++;
    }
  return { current, ready };
}

/** A pods group's rank: its most urgent pod's (its pods are sorted failing first). */
function groupRank(g: PodGroup): number {
  const first = g.pods[0];
  return first ? RANK[first.health] : 2;
}

function podsView(
  state: ModelState,
  target: Exclude<GroupTarget, { kind: 'workload' }>,
  o: RolloutOptions,
  previous?: GroupView,
): GroupView {
  const recs = selectPods(state, target, undefined);
  // The rows of the records the previous view had at the same place are its rows (no cache lookup).
  const before = previous?.target === target ? podsViewRows.get(previous) : undefined;
  const rows: PodRow[] = new Array<PodRow>(recs.length);
  for (let i = 0; i < recs.length; i++) {
    const rec = recs[i]!;
    rows[i] = before && before.recs[i] === rec ? before.rows[i]! : podRow(rec, state);
  }
  const patched = previous && before ? patchPodsView(previous, rows, o, state.lastObservedAt ?? 0) : undefined;
  if (patched) {
    const { view, ...made } = patched;
    podsViewRows.set(view, { recs, rows, o, ...made });
    return view;
  }
  const multiNs = rows.some((r) => r.namespace !== rows[0]!.namespace);
  const byOwner = new Map<string, { title: string; pods: PodRow[]; rank: number }>();
  for (const r of rows) {
    const key = ownerKey(r);
    let g = byOwner.get(key);
    if (!g) byOwner.set(key, (g = { title: ownerTitle(r, multiNs), pods: [], rank: 2 }));
    g.pods.push(r);
    if (RANK[r.health] < g.rank) g.rank = RANK[r.health];
  }
  const groups: PodGroup[] = [...byOwner]
    .sort(([ka, a], [kb, b]) => a.rank - b.rank || (ka < kb ? -1 : ka > kb ? 1 : 0))
    .map(([key, g]): PodGroup => {
      const pods = sortPods(g.pods);
      const counts = countsOf(pods);
      const { current, ready } = liveAndReady(pods);
      return {
        key,
        role: 'owner',
        revision: undefined,
        name: undefined,
        title: g.title,
        desired: undefined,
        current,
        ready,
        available: undefined,
        images: [],
        pods,
        counts,
        countsText: countsTextOf(counts),
        findings: aggregateFindings(pods, 'pods'),
      };
    });
  const view: GroupView = {
    target,
    title: targetTitle(target),
    rollout: undefined,
    groups,
    verdict: podsVerdict(rows, o),
    events: [],
    podCount: rows.length,
    multiNamespace: multiNs,
    at: state.lastObservedAt ?? 0,
  };
  podsViewRows.set(view, { recs, rows, o, terminating: rows.some((r) => r.deleting), where: placesOf(groups) });
  return view;
}

/**
 * The group view of a target. `previous` (the view of the same target and options on an earlier
 * state) lets a pods view patch the rows that changed instead of rebuilding; the result is the same.
 */
export function groupView(state: ModelState, target: GroupTarget, o: RolloutOptions, previous?: GroupView): GroupView {
  return target.kind === 'workload' ? workloadView(state, target, o) : podsView(state, target, o, previous);
}

/**
 * A memoised groupView for one target: the same view back while the pods, the workloads and their
 * events are the same objects (a clock tick or a connection note changes none of them).
 */
export function groupSelector(target: GroupTarget, o: RolloutOptions): (state: ModelState) => GroupView {
  let last: { pods: unknown; workloads: unknown; events: unknown; view: GroupView } | undefined;
  return (state) => {
    if (last && last.pods === state.pods && last.workloads === state.workloads && last.events === state.workloadEvents) return last.view;
    const view = groupView(state, target, o, last?.view);
    last = { pods: state.pods, workloads: state.workloads, events: state.workloadEvents, view };
    return view;
  };
}

/** Every pod of the view, in display order. */
export function podsOf(view: GroupView): PodRow[] {
  return view.groups.flatMap((g) => g.pods);
}

// ---- --until ---------------------------------------------------------------------------------

/**
 * Whether `--until` is reached. A workload: decideUntil (rollout.ts). Pods (a selector, or one pod
 * by name): ready = there is a pod and every one is Ready; complete = every one Succeeded;
 * deleted = none remains. Failed as soon as one cannot get there on its own (the fail-fast rules
 * of rollout.ts: crash-looping past --fail-restarts, image pull, config error, unschedulable), or
 * one failed (phase Failed), or (ready) one completed instead.
 */
export function decideGroup(view: GroupView, until: UntilTarget, now: number, timeoutAt?: number): UntilDecision {
  if (view.rollout) return decideUntil(view.rollout, until, now, timeoutAt);
  const pods = podsOf(view);
  const live = pods.filter((p) => !p.deleting);
  const v = view.verdict;
  const reached = (reason: string): UntilDecision => ({ until, outcome: 'reached', reason, evidence: [], pods: [] });
  const waitingOr = (reason: string): UntilDecision =>
    timeoutAt !== undefined && now >= timeoutAt
      ? { until, outcome: 'timed-out', reason: `timed out waiting for ${until}: ${reason}`, evidence: [...v.evidence], pods: [...v.pods] }
      : { until, outcome: 'waiting', reason, evidence: [], pods: [] };
  const failed = (reason: string, evidence: readonly string[], names: readonly string[]): UntilDecision => ({
    until,
    outcome: 'failed',
    reason,
    evidence,
    pods: names,
  });
  if (until === 'deleted') {
    if (pods.length === 0) return reached(`${view.title}: no pod remains`);
    return waitingOr(`${pods.length} pod${pods.length === 1 ? '' : 's'} remain${pods.length === 1 ? 's' : ''}`);
  }
  if (until === 'ready' && live.length > 0 && live.every((p) => p.isReady))
    return reached(`${view.title}: ${live.length} of ${live.length} ready`);
  if (until === 'complete' && live.length > 0 && live.every((p) => p.phase === 'Succeeded'))
    return reached(`${view.title}: ${live.length} of ${live.length} completed`);
  if (v.state === 'stuck') return failed(`stuck: ${v.reason}`, v.evidence, v.pods);
  if (until === 'ready') {
    const done = live.filter((p) => p.phase === 'Succeeded');
    if (done.length)
      return failed(
        `${done.map((p) => `pod ${p.name}`).join(', ')} completed (phase Succeeded) and will never be ready`,
        [],
        done.map((p) => p.name),
      );
  }
  const ready = live.filter((p) => p.isReady).length;
  const completed = live.filter((p) => p.phase === 'Succeeded').length;
  return waitingOr(
    live.length === 0
      ? 'no pod yet'
      : until === 'complete'
        ? `${completed} of ${live.length} completed`
        : `${ready} of ${live.length} ready`,
  );
}

// ---- which workloads a file or a recording holds ---------------------------------------------

const TOP_ORDER: readonly RolloutTargetKind[] = ['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Job', 'ReplicaSet'];

/**
 * The workloads of a state that no other workload in it controls (a Deployment, not its
 * ReplicaSets; a CronJob, not its Jobs): the rollouts a file or a recording shows.
 */
export function topWorkloads(state: ModelState): Extract<GroupTarget, { kind: 'workload' }>[] {
  const all = [...state.workloads.values()].map((r) => r.snapshot);
  const uids = new Set(all.map((w) => w.uid));
  const names = new Set(all.map((w) => `${w.namespace}/${w.kind}/${w.name}`));
  const tops = all.filter((w) => {
    if (w.kind === 'ControllerRevision') return false;
    const c = w.controller;
    if (!c) return true;
    return !(c.uid !== undefined ? uids.has(c.uid) : names.has(`${w.namespace}/${c.kind}/${c.name}`));
  });
  return tops
    .sort(
      (a, b) =>
        TOP_ORDER.indexOf(a.kind as RolloutTargetKind) - TOP_ORDER.indexOf(b.kind as RolloutTargetKind) ||
        (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : 0) ||
        (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    )
    .map((w) => ({ kind: 'workload', workloadKind: w.kind as RolloutTargetKind, namespace: w.namespace, name: w.name }));
}

// ---- the revision of one pod -----------------------------------------------------------------

const revisionIndex = new WeakMap<ModelState['workloads'], Map<string, number | undefined>>();

/**
 * The revision a pod belongs to: its ReplicaSet's deployment.kubernetes.io/revision, or the
 * revision of the ControllerRevision its controller-revision-hash names (StatefulSet, DaemonSet).
 * undefined when it is not a workload's pod, or its revision object was not seen.
 */
export function podRevision(state: ModelState, pod: Pick<RolloutPod, 'owner' | 'revisionKey'> & { namespace: string }): number | undefined {
  let index = revisionIndex.get(state.workloads);
  if (!index) {
    index = new Map();
    for (const rec of state.workloads.values()) {
      const w = rec.snapshot;
      if (w.kind === 'ReplicaSet') {
        index.set(`uid:${w.uid}`, w.revision);
        index.set(`rs:${w.namespace}/${w.name}`, w.revision);
      } else if (w.kind === 'ControllerRevision') {
        index.set(`cr:${w.namespace}/${w.name}`, w.revision);
        if (w.controllerRevisionHash !== undefined && !index.has(`cr:${w.namespace}/${w.controllerRevisionHash}`))
          index.set(`cr:${w.namespace}/${w.controllerRevisionHash}`, w.revision);
      }
    }
    revisionIndex.set(state.workloads, index);
  }
  if (pod.owner?.kind === 'ReplicaSet')
    return (
      (pod.owner.uid !== undefined ? index.get(`uid:${pod.owner.uid}`) : undefined) ?? index.get(`rs:${pod.namespace}/${pod.owner.name}`)
    );
  if ((pod.owner?.kind === 'StatefulSet' || pod.owner?.kind === 'DaemonSet') && pod.revisionKey !== undefined)
    return index.get(`cr:${pod.namespace}/${pod.revisionKey}`);
  return undefined;
}

// ---- one line of progress (CI logs) ----------------------------------------------------------

/**
 * The state of a group in one line without now-dependent words, printed whenever it changes:
 * "deployment/shop revision 1 -> 2: 1 of 3 updated, 3 ready, 3 available; new: 1 ContainerCreating; progressing: ...".
 */
export function progressLine(view: GroupView): string {
  const parts: string[] = [];
  const r = view.rollout;
  if (r) {
    const rep = r.replicas;
    const n = (x: number | undefined): string => (x === undefined ? '?' : String(x));
    const kind = r.kind;
    if (!r.exists)
      parts.push(view.title); // the verdict says whether it is gone or not listed yet
    else if (kind === 'Job' || kind === 'CronJob') parts.push(view.title);
    else if (kind === 'ReplicaSet') parts.push(`${view.title}: ${n(rep.ready)} of ${n(rep.desired)} ready, ${n(rep.available)} available`);
    else
      parts.push(
        `${view.title} revision ${r.revision.text}: ${n(rep.updated)} of ${n(rep.desired)} updated, ${n(rep.ready)} ready, ${n(rep.available)} available`,
      );
  } else parts.push(`${view.title}: ${view.podCount} pod${view.podCount === 1 ? '' : 's'}`);
  for (const g of view.groups) {
    if (!g.pods.length && g.role !== 'new') continue;
    const jobs = r?.kind === 'Job' || r?.kind === 'CronJob' || r?.kind === 'ReplicaSet';
    const label =
      jobs || g.role === 'owner' || g.role === 'unknown' ? g.title : g.role === 'new' ? 'new' : `old ${g.revision ?? g.name ?? ''}`.trim();
    parts.push(`${label}: ${g.countsText}`);
    if (parts.length > 6) break;
  }
  parts.push(`${view.verdict.state}: ${view.verdict.reason}`);
  return parts.join('; ');
}
