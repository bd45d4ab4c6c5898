// The rule table and what the engine does with it: unique ids, suppression by id, the order of
// findings, dedup and ranking, on the real recordings and fixtures.

import { expect, test } from 'vitest';
import * as crashLoop from '../../../src/model/diagnose/crash-loop.ts';
import * as create from '../../../src/model/diagnose/create.ts';
import * as exitCodes from '../../../src/model/diagnose/exit-codes.ts';
import * as finalFailure from '../../../src/model/diagnose/final-failure.ts';
import * as hooks from '../../../src/model/diagnose/hooks.ts';
import * as image from '../../../src/model/diagnose/image.ts';
import { RULES, diagnose, diagnoseWithRules, type ContainerRule, type Rule } from '../../../src/model/diagnose/index.ts';
import * as oom from '../../../src/model/diagnose/oom.ts';
import * as probes from '../../../src/model/diagnose/probes.ts';
import * as readiness from '../../../src/model/diagnose/readiness.ts';
import * as scheduling from '../../../src/model/diagnose/scheduling.ts';
import * as sigkill from '../../../src/model/diagnose/sigkill.ts';
import * as termination from '../../../src/model/diagnose/termination.ts';
import { initialState, reduce, toSessionView, type PodView } from '../../../src/model/index.ts';
import { lastTime, publicFixtures, recording, recordingNames } from '../../helpers/fixtures.ts';
import {
  fileVariant,
  finalPod,
  fixturePod,
  runRule,
  startFailed,
  startFailedMount,
  startupKills,
  varyView,
  type Subject,
} from './helpers.ts';

const RANK = { error: 0, warning: 1, info: 2 } as const;

test('every rule id is unique and kebab-case, and every suppression names another rule of the table', () => {
  const ids = RULES.map((r) => r.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const r of RULES) {
    expect(r.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    for (const s of r.suppresses ?? []) {
      expect(ids, `${r.id} suppresses ${s}`).toContain(s);
      expect(s, `${r.id} suppresses itself`).not.toBe(r.id);
    }
  }
});

test('every rule a family file exports is in the table', () => {
  const families = [crashLoop, create, exitCodes, finalFailure, hooks, image, oom, probes, readiness, scheduling, sigkill, termination];
  const exported = families.flatMap((m) =>
    Object.values(m).filter((v): v is Rule => typeof v === 'object' && v !== null && 'run' in v && 'id' in v),
  );
  expect(exported.map((r) => r.id).sort()).toEqual(RULES.map((r) => r.id).sort());
});

/** Every pod of every step of every recording, and of every fixture. */
function everyPod(): { where: string; s: Subject }[] {
  const out: { where: string; s: Subject }[] = [];
  for (const name of recordingNames()) {
    let state = initialState({ source: 'replay' });
    recording(name).forEach((o, k) => {
      state = reduce(state, [o]);
      for (const pod of toSessionView(state, o.observedAt).pods)
        out.push({ where: `${name} step ${k} ${pod.name}`, s: { pod, now: o.observedAt } });
    });
  }
  for (const f of publicFixtures()) out.push({ where: f.name, s: fixturePod(f.name) });
  return out;
}

test('on every step of every recording and every fixture: the view carries the findings, ranked, no title twice per container', () => {
  const pods = everyPod();
  expect(pods.length).toBeGreaterThan(400);
  for (const { where, s } of pods) {
    const got = diagnoseWithRules(s.pod, s.now);
    expect(s.pod.findings, where).toEqual(got.map((f) => f.finding));
    const ranks = got.map((f) => RANK[f.finding.severity]);
    expect(ranks, where).toEqual([...ranks].sort((a, b) => a - b));
    const keys = got.map((f) => `${f.finding.container}/${f.finding.title}`);
    expect(new Set(keys).size, where).toBe(keys.length);
  }
});

const rule = (id: string): Rule => RULES.find((r) => r.id === id)!;
const ids = (s: Subject) => diagnoseWithRules(s.pod, s.now).map((f) => `${f.finding.container ?? 'pod'}: ${f.rule}`);
const alone = (s: Subject, id: string, container?: string) =>
  runRule({ rule: rule(id), name: id, subject: () => s, ...(container ? { container } : {}), want: undefined });

test.each([
  ['the poststart recording', 'poststart-hook-failed', 'poststart-kill', 'app', () => finalPod('poststart')],
  ['the liveness recording', 'liveness-kill', 'liveness-failing', 'exec', () => finalPod('liveness')],
  ['the liveness recording with startup probes', 'startup-kill', 'startup-slow', 'exec', startupKills],
  ['the crashloop recording ending with a StartError about a mount', 'start-error', 'run-container-error', 'app', startFailedMount],
  ['the crashloop recording ending with StartError "executable file not found"', 'command-not-found', 'start-error', 'app', startFailed],
  ['the prestop-long recording', 'prestop-outlived-grace', 'grace-period-kill', 'app', () => finalPod('prestop-long')],
  ['the deadline recording', 'active-deadline', 'pod-failed', 'pod', () => finalPod('deadline')],
  [
    'the crashloop recording ending with StartError exit 127',
    'command-not-found',
    'start-error',
    'app',
    () =>
      fileVariant('crashloop', (d) => {
        Object.assign(d.status.containerStatuses[0].lastState.terminated, { exitCode: 127, reason: 'StartError' });
      }),
  ],
] as const)('suppression by id, on %s: %s suppresses %s (container %s)', (_name, by, suppressed, container, subject) => {
  const s = subject();
  expect(alone(s, suppressed, container), `${suppressed} fires by itself`).toBeDefined();
  expect(rule(by).suppresses).toContain(suppressed);
  expect(ids(s)).toContain(`${container}: ${by}`);
  expect(ids(s)).not.toContain(`${container}: ${suppressed}`);
});

test('a suppression holds for the same container only', () => {
  // exec is killed by its liveness probe; http's liveness failures alone stay when only exec was killed.
  const s = varyView(finalPod('liveness'), (d) => {
    const http = d.containers.find((c: { name: string }) => c.name === 'http');
    http.instances = http.instances.filter((i: { exitCode?: number }) => i.exitCode !== 137);
  });
  expect(ids(s)).toContain('exec: liveness-kill');
  expect(ids(s)).not.toContain('exec: liveness-failing');
  expect(ids(s)).toContain('http: liveness-failing');
});

/** The eviction pod's writer with one more SIGKILL whose cause is unknown, before or after the eviction's. */
function withUnexplainedKill(where: 'before' | 'after'): Subject {
  return varyView(finalPod('eviction'), (d) => {
    const w = d.containers.find((c: { name: string }) => c.name === 'writer');
    const evictedKill = w.instances.find((i: { cause?: string }) => i.cause === 'eviction');
    const other = { ...evictedKill, attempt: 9, cause: 'exit', causeText: 'the process exited by itself with 137' };
    w.instances = where === 'before' ? [other, ...w.instances] : [...w.instances, other];
  });
}

test.each([
  ['before', ['writer: sigkill-unknown', 'writer: eviction-kill']],
  ['after', ['writer: eviction-kill', 'writer: sigkill-unknown']],
] as const)(
  'the SIGKILL causes of a container come in the order of their first kill: an unexplained kill %s the eviction',
  (where, order) => {
    const got = ids(withUnexplainedKill(where)).filter((x) => x.startsWith('writer: ') && /kill|sigkill/.test(x));
    expect(got).toEqual(order);
  },
);

test('the engine: table order, container by container, then dedup by title and ranking by severity', () => {
  const s = finalPod('liveness');
  const make = (id: string, severity: 'error' | 'warning' | 'info', title: (c: string) => string): ContainerRule => ({
    id,
    family: 'probes',
    scope: 'container',
    run: (_pod, c) => ({ severity, container: c.name, title: title(c.name), evidence: [] }),
  });
  const rules: Rule[] = [
    {
      id: 'pod-info',
      family: 'readiness',
      scope: 'pod',
      run: () => ({ severity: 'info', container: undefined, title: 'pod', evidence: [] }),
    },
    make('a', 'warning', (c) => `a ${c}`),
    make('b', 'error', (c) => `b ${c}`),
    make('same-title', 'error', (c) => `b ${c}`),
  ];
  expect(diagnoseWithRules(s.pod, s.now, rules).map((f) => `${f.rule} ${f.finding.title}`)).toEqual([
    'b b exec',
    'b b http',
    'a a exec',
    'a a http',
    'pod-info pod',
  ]);
  // `order` lets findings trade places among themselves; a suppression drops another rule's finding.
  const ordered: Rule[] = [
    { ...make('first', 'error', (c) => `first ${c}`), order: () => 2 },
    { ...make('second', 'error', (c) => `second ${c}`), order: () => 1 },
    { ...make('dropped', 'error', (c) => `dropped ${c}`) },
    { ...make('dropper', 'error', (c) => `dropper ${c}`), suppresses: ['dropped'] },
  ];
  expect(diagnoseWithRules(s.pod, s.now, ordered).map((f) => `${f.rule} ${f.finding.container}`)).toEqual([
    'second exec',
    'first exec',
    'dropper exec',
    'second http',
    'first http',
    'dropper http',
  ]);
});

test('diagnose returns the findings without their rule ids', () => {
  const { pod, now }: { pod: PodView; now: number } = finalPod('crashloop');
  expect(diagnose(pod, now)).toEqual(diagnoseWithRules(pod, now).map((f) => f.finding));
  expect(Object.keys(diagnose(pod, now)[0]!).sort()).toEqual(['container', 'evidence', 'severity', 'title']);
  expect(lastTime(recording('crashloop'))).toBe(now);
});
