// STATUS / READY / RESTARTS fidelity: statuses the scenarios cannot easily reach are written
// through the status subresource of pods bound to a node that does not exist (no kubelet touches
// them), then our columns are compared with the real kubectl, which asks the API server's printer.

import assert from 'node:assert/strict';
import { test } from 'vitest';
import { kubectl, newNamespace, podlife } from './helpers/env.ts';

const T0 = '2026-11-25T05:00:00Z';
const T1 = '2026-11-25T05:00:05Z';
const run = (startedAt = T0) => ({ running: { startedAt } });
const term = (t: Record<string, unknown>) => ({ terminated: { startedAt: T0, finishedAt: T1, ...t } });
const cs = (name: string, state: object, extra: Record<string, unknown> = {}) => ({
  name,
  image: 'docker.io/podlife/busybox:1',
  imageID: '',
  ready: false,
  restartCount: 0,
  state,
  ...extra,
});
const cond = (type: string, status: string, reason?: string) => ({ type, status, ...(reason ? { reason } : {}), lastTransitionTime: T0 });
const inits = (a: object, b: object) => [cs('setup', a), cs('proxy', b)];
const regs = (a: object, b: object) => [cs('app', a), cs('worker', b)];
const readyRun = { started: true, ready: true };

const cases: Record<string, { status: Record<string, unknown>; finalizer?: boolean; gated?: boolean }> = {
  evicted: { status: { phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' } },
  'deadline-exceeded': {
    status: { phase: 'Failed', reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' },
  },
  'init-running': {
    status: {
      phase: 'Pending',
      initContainerStatuses: inits(run(), { waiting: { reason: 'PodInitializing' } }),
      containerStatuses: regs({ waiting: { reason: 'PodInitializing' } }, { waiting: { reason: 'PodInitializing' } }),
    },
  },
  'init-signal': {
    status: {
      phase: 'Pending',
      initContainerStatuses: inits(term({ exitCode: 137, signal: 9 }), { waiting: { reason: 'PodInitializing' } }),
    },
  },
  'init-exitcode': {
    status: { phase: 'Pending', initContainerStatuses: inits(term({ exitCode: 3 }), { waiting: { reason: 'PodInitializing' } }) },
  },
  'init-crashloop': {
    status: {
      phase: 'Pending',
      initContainerStatuses: [
        cs(
          'setup',
          { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 20s restarting failed container=setup pod=x_y(z)' } },
          { restartCount: 3, lastState: term({ exitCode: 1, reason: 'Error' }) },
        ),
        cs('proxy', { waiting: { reason: 'PodInitializing' } }),
      ],
    },
  },
  'sidecar-not-started': {
    status: {
      phase: 'Pending',
      initContainerStatuses: inits(term({ exitCode: 0, reason: 'Completed' }), { ...run() }).map((s, i) =>
        i === 1 ? { ...s, started: false, restartCount: 2, lastState: term({ exitCode: 1, reason: 'Error' }) } : s,
      ),
    },
  },
  'running-with-sidecar': {
    status: {
      phase: 'Running',
      conditions: [cond('Initialized', 'True'), cond('Ready', 'True'), cond('ContainersReady', 'True'), cond('PodScheduled', 'True')],
      initContainerStatuses: [
        cs('setup', term({ exitCode: 0, reason: 'Completed' }), { restartCount: 4 }),
        cs('proxy', run(), { ...readyRun, restartCount: 2, lastState: term({ exitCode: 1, reason: 'Error' }) }),
      ],
      containerStatuses: regs(run(), run()).map((s) => ({
        ...s,
        ...readyRun,
        restartCount: 1,
        lastState: term({ exitCode: 2, reason: 'Error' }),
      })),
    },
  },
  'completed-and-running-ready': {
    status: {
      phase: 'Running',
      conditions: [cond('Initialized', 'True'), cond('Ready', 'True')],
      initContainerStatuses: [cs('setup', term({ exitCode: 0, reason: 'Completed' })), cs('proxy', run(), readyRun)],
      containerStatuses: [cs('app', term({ exitCode: 0, reason: 'Completed' })), cs('worker', run(), readyRun)],
    },
  },
  'completed-and-running-notready': {
    status: {
      phase: 'Running',
      conditions: [cond('Initialized', 'True'), cond('Ready', 'False', 'ContainersNotReady')],
      initContainerStatuses: [cs('setup', term({ exitCode: 0, reason: 'Completed' })), cs('proxy', run(), readyRun)],
      containerStatuses: [cs('app', term({ exitCode: 0, reason: 'Completed' })), cs('worker', run(), readyRun)],
    },
  },
  'bare-exit-codes': {
    status: {
      phase: 'Running',
      conditions: [cond('Initialized', 'True')],
      initContainerStatuses: [cs('setup', term({ exitCode: 0, reason: 'Completed' })), cs('proxy', run(), readyRun)],
      containerStatuses: [cs('app', term({ exitCode: 2 })), cs('worker', term({ exitCode: 137, signal: 9 }))],
    },
  },
  'first-reason-wins': {
    status: {
      phase: 'Running',
      conditions: [cond('Initialized', 'True')],
      initContainerStatuses: [cs('setup', term({ exitCode: 0, reason: 'Completed' })), cs('proxy', run(), readyRun)],
      containerStatuses: [
        cs('app', { waiting: { reason: 'CreateContainerConfigError', message: 'configmap "x" not found' } }),
        cs('worker', { waiting: { reason: 'ImagePullBackOff' } }),
      ],
    },
  },
  'scheduling-gated': {
    gated: true,
    status: {
      phase: 'Pending',
      conditions: [
        { ...cond('PodScheduled', 'False', 'SchedulingGated'), message: 'Scheduling is blocked due to non-empty scheduling gates' },
      ],
    },
  },
  terminating: {
    finalizer: true,
    status: {
      phase: 'Running',
      conditions: [cond('Initialized', 'True')],
      initContainerStatuses: [cs('setup', term({ exitCode: 0, reason: 'Completed' })), cs('proxy', run(), readyRun)],
      containerStatuses: regs(run(), run()),
    },
  },
  'terminating-nodelost': {
    finalizer: true,
    status: { phase: 'Running', reason: 'NodeLost', message: 'Node podlife-absent-node which was running pod is unresponsive' },
  },
};

function manifest(name: string, c: (typeof cases)[string]): object {
  const container = (n: string) => ({
    name: n,
    image: 'docker.io/podlife/busybox:1',
    imagePullPolicy: 'Never',
    command: ['sleep', '3600'],
  });
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { 'podlife-fidelity': 'yes' }, ...(c.finalizer ? { finalizers: ['podlife.test/hold'] } : {}) },
    spec: {
      ...(c.gated ? { schedulingGates: [{ name: 'podlife.test/gate' }] } : { nodeName: 'podlife-absent-node' }),
      terminationGracePeriodSeconds: 0,
      initContainers: [container('setup'), { ...container('proxy'), restartPolicy: 'Always' }],
      containers: [container('app'), container('worker')],
    },
  };
}

test(
  'our STATUS/READY/RESTARTS equal the real kubectl for statuses written through the status subresource',
  { timeout: 120_000 },
  async () => {
    const ns = await newNamespace('e2e-fidelity');
    try {
      const names = Object.keys(cases);
      await kubectl(['apply', '-n', ns.name, '-f', '-'], { input: names.map((n) => JSON.stringify(manifest(n, cases[n]!))).join('\n') });
      await Promise.all(
        names.map(async (n) => {
          const c = cases[n]!;
          if (!c.gated || Object.keys(c.status).length > 0)
            await kubectl([
              'patch',
              'pod',
              n,
              '-n',
              ns.name,
              '--subresource=status',
              '--type=merge',
              '-p',
              JSON.stringify({ status: c.status }),
            ]);
          if (c.finalizer) await kubectl(['delete', 'pod', n, '-n', ns.name, '--wait=false']);
        }),
      );
      const table = (await kubectl(['get', 'pods', '-n', ns.name, '-l', 'podlife-fidelity=yes', '--no-headers'])).stdout;
      const theirs = new Map(
        table
          .trim()
          .split('\n')
          .map((l) => {
            const m = /^(\S+)\s+(\S+)\s+(\S+)\s+(\d+(?: \([^)]*\))?)\s+\S+\s*$/.exec(l.trim());
            assert.ok(m, l);
            return [m[1]!, { ready: m[2]!, status: m[3]!, restarts: m[4]! }] as const;
          }),
      );
      const r = await podlife(['-l', 'podlife-fidelity=yes', '-n', ns.name, '--once', '-o', 'json', '--log-lines', '0']);
      assert.equal(r.code, 0, r.stderr);
      const ours = new Map(
        r.stdout
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l))
          .filter((p) => p.kind === 'pod')
          .map((p) => [p.name as string, p] as const),
      );
      const mismatches: string[] = [];
      for (const n of names) {
        const k = theirs.get(n);
        const o = ours.get(n);
        assert.ok(k && o, `${n}: both print it`);
        const restartsK = k.restarts.replace(/\(.*\)/, '(…)');
        const restartsO = String(o.restartsText).replace(/\(.*\)/, '(…)');
        if (k.status !== o.status || k.ready !== o.ready || restartsK !== restartsO)
          mismatches.push(`${n}: kubectl ${k.ready} ${k.status} ${k.restarts} | ours ${o.ready} ${o.status} ${o.restartsText}`);
      }
      assert.deepEqual(mismatches, []);
      // The cases cover what they claim.
      const statuses = new Set([...theirs.values()].map((x) => x.status));
      for (const s of [
        'Evicted',
        'DeadlineExceeded',
        'Init:0/2',
        'Init:Signal:9',
        'Init:ExitCode:3',
        'Init:CrashLoopBackOff',
        'Running',
        'NotReady',
        'ExitCode:2',
        'CreateContainerConfigError',
        'SchedulingGated',
        'Terminating',
        'Unknown',
      ]) {
        assert.ok(statuses.has(s), `a case prints ${s}: ${[...statuses].join(', ')}`);
      }
    } finally {
      const held = Object.keys(cases).filter((n) => cases[n]!.finalizer);
      for (const n of held)
        await kubectl(['patch', 'pod', n, '-n', ns.name, '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]'], {
          allowFail: true,
        });
      await ns.cleanup();
    }
  },
);
