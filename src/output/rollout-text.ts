// Plain text of a group (a rollout, or the pods of a selector): the picture printed by --once and
// at the end of `-o text`, the owner-side event lines and the progress line printed while
// streaming, and the report that ends a --until watch (the verdict, then the diagnosis of the pods
// it names with their log tails). Text from the cluster has its control characters made visible;
// the time-dependent words (ages, countdowns) are made here, for `now`.

import {
  ageText,
  progressDeadlineText,
  restartsText,
  sigkillText,
  verdictLine,
  type GroupView,
  type PodGroup,
  type PodRow,
  type PodView,
  type UntilDecision,
  type VerdictState,
  type WorkloadEventRecord,
} from '../model/index.ts';
import { humanDuration } from '../model/time.ts';
import { UTC_CLOCK, type Clock } from './clock.ts';
import { paint, type Paint } from './text.ts';
import { clipColumns, columns, padColumns, visible } from './terminal.ts';

export interface GroupTextOptions {
  readonly width: number;
  readonly color: boolean;
  readonly clock?: Clock;
}

export const VERDICT_TONE: Readonly<Record<VerdictState, 'ok' | 'progress' | 'warn' | 'error'>> = {
  complete: 'ok',
  progressing: 'progress',
  paused: 'warn',
  stuck: 'error',
  failed: 'error',
};

/** The verdict in one line, with the progress deadline's countdown for a Deployment. */
export function groupVerdictLine(view: GroupView, now: number): string {
  if (view.rollout) return verdictLine(view.rollout, now);
  const v = view.verdict;
  const first = v.blockers[0];
  return `${v.state}: ${v.reason}${first ? `: ${first.text}${v.blockers.length > 1 ? ` (+${v.blockers.length - 1} more)` : ''}` : ''}`;
}

/** "ReplicaSet/shop-7b6f77bdbf  Warning FailedCreate: Error creating: ... (x7)". */
export function ownerEventText(e: WorkloadEventRecord): string {
  return `${visible(e.involvedKind ?? '?')}/${visible(e.involvedName ?? '?')}  ${e.type} ${visible(e.reason)}: ${visible(e.message)}${e.count > 1 ? ` (x${e.count})` : ''}`;
}

/** One owner-side event as a streamed line: "12:00:01  ReplicaSet/x  Normal SuccessfulCreate: ...". */
export function formatOwnerEventLine(e: WorkloadEventRecord, p: Paint, opts: { width: number; clock?: Clock }): string {
  const clock = opts.clock ?? UTC_CLOCK;
  const t = e.lastAt ?? e.firstAt ?? e.observedAt;
  const time = `${clock.time(t)} `;
  return `${p.dim(time)} ${p.tone(clipColumns(ownerEventText(e), Math.max(20, opts.width - time.length - 1)), e.type === 'Warning' ? 'warn' : 'info')}`;
}

/** The progress line, when it changed: "12:00:03» deployment/shop revision 1 -> 2: ...". */
export function formatProgressLine(
  text: string,
  state: VerdictState,
  now: number,
  p: Paint,
  opts: { width: number; clock?: Clock },
): string {
  const clock = opts.clock ?? UTC_CLOCK;
  const time = `${clock.time(now)}»`;
  return `${p.dim(time)} ${p.tone(clipColumns(visible(text), Math.max(20, opts.width - time.length - 1)), VERDICT_TONE[state])}`;
}

interface Column {
  readonly title: string;
  readonly cell: (r: PodRow) => string;
}

/** The pods as kubectl get pods prints them (NAME READY STATUS RESTARTS AGE), with the node. */
export function podTable(rows: readonly PodRow[], now: number, indent: string, p: Paint, width: number, withNamespace: boolean): string[] {
  const cols: Column[] = [
    ...(withNamespace ? [{ title: 'NAMESPACE', cell: (r: PodRow) => r.namespace }] : []),
    { title: 'NAME', cell: (r) => r.name },
    { title: 'READY', cell: (r) => r.ready },
    { title: 'STATUS', cell: (r) => r.status },
    { title: 'RESTARTS', cell: (r) => restartsText(r, now) },
    { title: 'AGE', cell: (r) => ageText(r, now) },
    { title: 'NODE', cell: (r) => r.node ?? '<none>' },
  ];
  const cells = rows.map((r) => cols.map((c) => visible(c.cell(r))));
  const widths = cols.map((c, i) => Math.max(columns(c.title), ...cells.map((row) => columns(row[i]!))));
  const out: string[] = [];
  const fmt = (vals: readonly string[]): string => vals.map((v, i) => (i === vals.length - 1 ? v : padColumns(v, widths[i]! + 3))).join('');
  out.push(p.dim(clipColumns(indent + fmt(cols.map((c) => c.title)), width)));
  rows.forEach((r, k) => {
    const kill = sigkillText(r, now);
    const line = clipColumns(indent + fmt(cells[k]!) + (kill ? `   ${kill}` : ''), width);
    out.push(r.health === 'failing' ? p.tone(line, 'error') : r.health === 'changing' ? p.tone(line, 'warn') : line);
  });
  return out;
}

/** The picture of a group: the workload, its revisions with their pods, the verdict, the owner events. */
export function formatGroupPicture(view: GroupView, now: number, opts: GroupTextOptions): string {
  const clock = opts.clock ?? UTC_CLOCK;
  const p = paint(opts.color);
  const w = Math.max(40, opts.width);
  const L: string[] = [];
  const line = (s: string): void => void L.push(s);
  const r = view.rollout;
  const multiNs = view.multiNamespace;
  if (r) {
    line(
      p.bold(`${visible(view.title)}`) +
        p.dim(`  namespace ${visible(r.namespace)}`) +
        (r.exists ? `  revision ${visible(r.revision.text)}` : p.tone('  (does not exist)', 'error')) +
        (r.paused ? p.tone('  paused', 'warn') : '') +
        (r.deleting ? p.tone('  (being deleted)', 'warn') : ''),
    );
    const q = r.replicas;
    const num = (x: number | undefined): string => (x === undefined ? '?' : String(x));
    if (r.exists && q.desired !== undefined)
      line(
        `  replicas: desired ${num(q.desired)}, updated ${num(q.updated)}, ready ${num(q.ready)}, available ${num(q.available)}, unavailable ${num(q.unavailable)}`,
      );
    if (r.budget) line(clipColumns(`  strategy: ${visible(r.budget.text)}`, w));
    for (const c of r.conditions) {
      const at = c.lastTransitionTime ?? c.lastUpdateTime;
      line(
        p.tone(
          clipColumns(
            `  condition ${visible(c.type)}=${visible(c.status)}${c.reason ? ` ${visible(c.reason)}` : ''}${at !== undefined ? ` (${humanDuration(now - at)} ago)` : ''}${c.message ? `: ${visible(c.message)}` : ''}`,
            w,
          ),
          c.status === 'True' ? 'info' : 'warn',
        ),
      );
    }
    const deadline = progressDeadlineText(r.progressDeadline, now);
    if (deadline) line(p.tone(`  ${deadline}`, r.progressDeadline?.marked ? 'error' : 'warn'));
    if (r.kubectlStatus)
      line(p.dim(clipColumns(`  kubectl rollout status: ${visible(r.kubectlStatus.error ?? r.kubectlStatus.message)}`, w)));
  } else {
    line(p.bold(visible(view.title)) + p.dim(`  ${view.podCount} pod${view.podCount === 1 ? '' : 's'}`));
  }
  line(p.tone(clipColumns(`verdict: ${visible(groupVerdictLine(view, now))}`, w * 2), VERDICT_TONE[view.verdict.state]));
  for (const e of view.verdict.evidence.slice(0, 8)) line(p.dim(clipColumns(`  - ${visible(e)}`, w * 2)));

  for (const g of view.groups) {
    line('');
    const nums = replicaNumbers(g);
    line(p.bold(visible(g.title)) + p.dim(`  ${g.countsText}${nums.length ? `; ${nums.join(', ')}` : ''}`));
    if (g.images.length)
      line(p.dim(clipColumns(`  image ${g.images.map((i) => `${visible(i.container)}=${visible(i.image)}`).join(' ')}`, w)));
    for (const f of g.findings) line(p.tone(clipColumns(`  ! ${visible(f)}`, w * 2), 'error'));
    if (g.pods.length) for (const t of podTable(g.pods, now, '  ', p, w, multiNs)) line(t);
  }
  if (view.events.length) {
    line('');
    line(p.bold('Events'));
    for (const e of view.events.slice(-15)) {
      const t = e.lastAt ?? e.firstAt;
      line(
        p.tone(
          clipColumns(`  ${t !== undefined ? clock.time(t) : '?       '}  ${ownerEventText(e)}`, w),
          e.type === 'Warning' ? 'warn' : 'info',
        ),
      );
    }
  }
  return L.join('\n') + '\n';
}

/** The diagnosis of one pod as the --until report prints it: findings with their evidence, the last instances' log tails. */
export function formatPodDiagnosis(pod: PodView, opts: GroupTextOptions & { revision?: string }): string {
  const clock = opts.clock ?? UTC_CLOCK;
  const p = paint(opts.color);
  const w = Math.max(40, opts.width);
  const L: string[] = [];
  const line = (s: string): void => void L.push(s);
  line(
    p.bold(`pod ${visible(pod.namespace)}/${visible(pod.name)}`) +
      `${opts.revision ? `  ${opts.revision}` : ''}  ${p.tone(pod.status, pod.statusTone)}  READY ${pod.ready}  RESTARTS ${pod.restartsText}${pod.node ? `  node ${visible(pod.node)}` : ''}`,
  );
  for (const f of pod.findings) {
    line(
      p.tone(
        clipColumns(`  [${f.severity}] ${f.container ? `${visible(f.container)}: ` : ''}${visible(f.title)}`, w * 2),
        f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warn' : 'info',
      ),
    );
    for (const e of f.evidence.slice(0, 6)) line(p.dim(clipColumns(`      - ${visible(e)}`, w * 2)));
  }
  for (const c of pod.containers) {
    const ended = c.instances.filter((i) => !i.running).slice(-1);
    for (const i of ended) {
      const what = `${i.reason ?? 'ended'}${i.exitCode !== undefined ? ` exit ${i.exitCode}` : ''}${i.signalName ? ` ${i.signalName}` : ''}`;
      const when = i.finishedAt !== undefined ? ` at ${clock.time(i.finishedAt)}` : '';
      line(`  ${visible(c.name)} instance #${i.attempt} ${visible(what)}${when}, its log:`);
      if (i.logTail && i.logTail.length) for (const l of i.logTail.slice(-10)) line(p.dim(clipColumns(`    | ${visible(l)}`, w)));
      else line(p.dim(`    | (${visible(i.logNote ?? 'no log lines captured')})`));
    }
    if (c.backoff?.delaySeconds !== undefined)
      line(p.dim(`  ${visible(c.name)}: back-off ${c.backoff.delaySeconds}s before restart ${c.backoff.attempt ?? '?'}`));
  }
  return L.join('\n') + '\n';
}

/** The end of a --until watch: one line for the outcome, its evidence, then the diagnosis of the pods it names. */
export function formatUntilReport(
  d: UntilDecision,
  view: GroupView,
  pods: readonly { readonly view: PodView; readonly revision: string | undefined }[],
  now: number,
  opts: GroupTextOptions,
): string {
  const p = paint(opts.color);
  const w = Math.max(40, opts.width);
  const tone = d.outcome === 'reached' ? 'ok' : d.outcome === 'failed' ? 'error' : 'warn';
  const L: string[] = [];
  const word = d.outcome === 'reached' ? 'reached' : d.outcome === 'failed' ? 'failed' : 'timed out';
  L.push(p.tone(p.bold(`--until ${d.until} ${word}: ${visible(view.title)}`), tone));
  L.push(p.tone(clipColumns(`  ${visible(d.outcome === 'failed' ? groupVerdictLine(view, now) : d.reason)}`, w * 3), tone));
  for (const e of d.evidence.slice(0, 12)) L.push(p.dim(clipColumns(`  - ${visible(e)}`, w * 2)));
  let out = L.join('\n') + '\n';
  for (const x of pods) out += '\n' + formatPodDiagnosis(x.view, { ...opts, ...(x.revision ? { revision: x.revision } : {}) });
  return out;
}

/** A revision's replica numbers as its ReplicaSet (or revision) states them: `desired 3`, `ready 2`, ... */
export function replicaNumbers(g: PodGroup): string[] {
  return [
    g.desired !== undefined ? `desired ${g.desired}` : undefined,
    g.current !== undefined ? `current ${g.current}` : undefined,
    g.ready !== undefined ? `ready ${g.ready}` : undefined,
    g.available !== undefined ? `available ${g.available}` : undefined,
  ].filter((x): x is string => x !== undefined);
}
