// Subjects for the rule tests: pod views from the real recordings (at their end, or at the first step
// where a fact holds), from variations of their real objects (`vary`), and the named-case table that
// every family test runs.

import { expect, test } from 'vitest';
import { RULES, type Family, type Rule } from '../../../src/model/diagnose/index.ts';
import { initialState, reduce, toSessionView, type Observation, type PodView } from '../../../src/model/index.ts';
import type { FindingView } from '../../../src/model/view.ts';
import { fileState, lastTime, publicFixtures, recording, vary } from '../../helpers/fixtures.ts';

/** A pod view and the clock it is looked at with. */
export interface Subject {
  readonly pod: PodView;
  readonly now: number;
}

function podOf(pods: readonly PodView[], name: string | undefined, where: string): PodView {
  const pod = name === undefined ? pods[0] : pods.find((p) => p.name === name);
  if (!pod) throw new Error(`${where}: no pod ${name ?? ''} in ${pods.map((p) => p.name).join(', ')}`);
  return pod;
}

/** Observations fed one at a time, as a live source would, and looked at with the clock of the last one. */
function replay(observations: readonly Observation[], podName: string | undefined, where: string, now?: number): Subject {
  let s = initialState({ source: 'replay' });
  for (const o of observations) s = reduce(s, [o]);
  const at = now ?? lastTime(observations);
  return { pod: podOf(toSessionView(s, at).pods, podName, where), now: at };
}

/** The pod at the end of a recording. */
export function finalPod(name: string, podName?: string): Subject {
  return replay(recording(name), podName, name);
}

/** The pod at the first step of a recording where `when` holds. */
export function podWhen(name: string, when: (pod: PodView) => boolean, podName?: string): Subject {
  const obs = recording(name);
  let s = initialState({ source: 'replay' });
  for (const o of obs) {
    s = reduce(s, [o]);
    const pods = toSessionView(s, o.observedAt).pods.filter((p) => podName === undefined || p.name === podName);
    const pod = pods.find(when);
    if (pod) return { pod, now: o.observedAt };
  }
  throw new Error(`${name}: no step where the condition holds`);
}

/**
 * A whole recording with each pod object and each event varied; an event change that returns false
 * drops the event (e.g. events not readable). The history is replayed as recorded.
 */
export function varyRecording(
  name: string,
  change: { pod?: (draft: any) => void; event?: (draft: any) => boolean | void },
  podName?: string,
): Subject {
  const obs = recording(name).flatMap((o): Observation[] => {
    if (o.kind === 'pod' && change.pod) return [{ ...o, object: vary(o.object, change.pod) }];
    if (o.kind === 'event' && change.event) {
      let keep = true;
      const object = vary(o.object, (d) => {
        keep = change.event!(d) !== false;
      });
      return keep ? [{ ...o, object }] : [];
    }
    return [o];
  });
  return replay(obs, podName, name);
}

/**
 * The last pod object of a recording, varied, as a file would give it (a list; history only from
 * state and lastState), with the recording's events when `events` is set. `now` defaults to the
 * recording's last observation.
 */
export function fileVariant(
  name: string,
  change: (draft: any) => void,
  opts: { events?: boolean; now?: number; podName?: string } = {},
): Subject {
  const obs = recording(name);
  const pods = obs.filter((o) => o.kind === 'pod' && (opts.podName === undefined || o.object.metadata.name === opts.podName));
  const last = pods.at(-1);
  if (last?.kind !== 'pod') throw new Error(`${name}: no pod object`);
  const at = lastTime(obs);
  const list: Observation[] = [{ kind: 'pod', verb: 'list', observedAt: at, object: vary(last.object, change) }];
  if (opts.events) for (const o of obs) if (o.kind === 'event') list.push({ ...o, verb: 'list', observedAt: at });
  const state = reduce(initialState({ source: 'file' }), list);
  const now = opts.now ?? at;
  return { pod: podOf(toSessionView(state, now).pods, opts.podName, name), now };
}

/** What the runtime reports for a command that does not exist (KUBERNETES.md: StartError, exit 128). */
export const startFailed = () =>
  fileVariant('crashloop', (d) => {
    const c = d.status.containerStatuses[0];
    c.state = {
      waiting: { reason: 'RunContainerError', message: 'failed to start container: exec: "app": executable file not found in $PATH' },
    };
    c.lastState = {
      terminated: {
        exitCode: 128,
        reason: 'StartError',
        message: 'exec: "app": executable file not found in $PATH',
        startedAt: '1970-01-01T00:00:00Z',
        finishedAt: c.lastState?.terminated?.finishedAt ?? '2026-11-25T05:44:52Z',
        containerID: 'containerd://0123',
      },
    };
  });

/** A start failure that is not about the command: runc could not set up a mount (the same StartError, exit 128). */
export const startFailedMount = () =>
  fileVariant('crashloop', (d) => {
    const message =
      'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: error mounting "/etc/app/hosts" to rootfs at "/etc/resolv.conf": not a directory: unknown';
    const c = d.status.containerStatuses[0];
    c.state = { waiting: { reason: 'RunContainerError', message } };
    c.lastState = {
      terminated: {
        exitCode: 128,
        reason: 'StartError',
        message,
        startedAt: '1970-01-01T00:00:00Z',
        finishedAt: c.lastState?.terminated?.finishedAt ?? '2026-11-25T05:44:52Z',
        containerID: 'containerd://0123',
      },
    };
  });

/** The liveness recording as if its probes were startup probes (the kubelet's messages say "startup"). */
export const startupKills = () =>
  varyRecording('liveness', {
    pod: (d) => {
      for (const c of d.spec.containers) {
        c.startupProbe = c.livenessProbe;
        delete c.livenessProbe;
      }
    },
    event: (e) => {
      e.message = e.message
        .replace('failed liveness probe', 'failed startup probe')
        .replace('Liveness probe failed', 'Startup probe failed');
    },
  });

/** A public fixture as `kubectl podlife -f` reads it. */
export function fixturePod(file: string): Subject {
  const f = publicFixtures().find((x) => x.name === file);
  if (!f) throw new Error(`fixture ${file} is missing`);
  const r = fileState(f.name, f.text);
  return { pod: podOf(r.view.pods, undefined, file), now: r.asOf };
}

/** A variation of the view-model itself, for facts the model derives (e.g. an instance's cause). */
export function varyView(s: Subject, change: (draft: any) => void): Subject {
  return { pod: vary(s.pod, change), now: s.now };
}

export interface Want {
  readonly severity?: FindingView['severity'];
  readonly title: string | RegExp;
  /** Each must match one line of the evidence (a string: equal to it). */
  readonly evidence?: readonly (string | RegExp)[];
}

export interface RuleCase {
  readonly rule: Rule;
  /** What the case is: the recording or fixture and the variation. */
  readonly name: string;
  readonly subject: () => Subject;
  /** The container the rule looks at (container rules). */
  readonly container?: string;
  /** The finding the rule must give, or undefined when it must not fire. */
  readonly want: Want | undefined;
}

export function runRule(c: RuleCase): FindingView | readonly FindingView[] | undefined {
  const { pod, now } = c.subject();
  if (c.rule.scope === 'pod') return c.rule.run(pod, { now });
  const container = pod.containers.find((x) => x.name === c.container);
  if (!container) throw new Error(`${c.name}: no container ${c.container} in ${pod.containers.map((x) => x.name).join(', ')}`);
  return c.rule.run(pod, container, { now });
}

function matches(want: string | RegExp, got: string): boolean {
  return typeof want === 'string' ? want === got : want.test(got);
}

export function expectCase(c: RuleCase): void {
  const got = runRule(c);
  const list = got === undefined ? [] : Array.isArray(got) ? (got as readonly FindingView[]) : [got as FindingView];
  if (c.want === undefined) {
    expect(list.map((f) => f.title)).toEqual([]);
    return;
  }
  const w = c.want;
  const f = list.find((x) => matches(w.title, x.title));
  expect(f, `no finding ${w.title}; got: ${list.map((x) => x.title).join(' | ')}`).toBeDefined();
  if (!f) return;
  if (c.rule.scope === 'container') expect(f.container).toBe(c.container);
  else expect(f.container).toBeUndefined();
  if (w.severity) expect(f.severity).toBe(w.severity);
  for (const e of w.evidence ?? [])
    expect(
      f.evidence.some((x) => matches(e, x)),
      `evidence ${e} in:\n${f.evidence.join('\n')}`,
    ).toBe(true);
}

/**
 * The named-case table of one family: one `test.each` per rule, and a check that each rule of the
 * family has a case where it fires and one where it must not.
 */
export function ruleTables(family: Family, cases: readonly RuleCase[]): void {
  const rules = RULES.filter((r) => r.family === family);
  for (const rule of rules) {
    const mine = cases.filter((c) => c.rule === rule);
    if (mine.length === 0) continue; // the coverage test below fails
    test.each(mine.map((c) => [c.want ? 'fires' : 'does not fire', c.name, c] as const))(`${rule.id}: %s on %s`, (_w, _n, c) =>
      expectCase(c),
    );
  }
  test(`${family}: every rule has a case where it fires and one where it must not`, () => {
    for (const rule of rules) {
      const mine = cases.filter((c) => c.rule === rule);
      expect(
        mine.some((c) => c.want),
        `${rule.id} fires somewhere`,
      ).toBe(true);
      expect(
        mine.some((c) => !c.want),
        `${rule.id} stays silent somewhere`,
      ).toBe(true);
    }
    for (const c of cases) expect(rules, `${c.rule.id} belongs to ${family}`).toContain(c.rule);
  });
}
