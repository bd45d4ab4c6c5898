// The readiness family.

import { notReady, readinessGate } from '../../../src/model/diagnose/readiness.ts';
import { fileVariant, finalPod, ruleTables, type RuleCase } from './helpers.ts';

/** The probes pod as a file (no events) with the flappy container not ready. */
const flappyNotReady = () =>
  fileVariant('probes', (d) => {
    const c = d.status.containerStatuses.find((x: { name: string }) => x.name === 'flappy');
    c.ready = false;
    c.started = true;
  });

/** The ephemeral recording's pod with a readiness gate whose condition does not exist (the kubelet's message). */
const gated = () =>
  fileVariant('ephemeral', (d) => {
    d.spec.readinessGates = [{ conditionType: 'example.com/lb-ready' }];
    d.status.conditions = d.status.conditions.map((c: { type: string }) =>
      c.type === 'Ready'
        ? {
            ...c,
            status: 'False',
            reason: 'ReadinessGatesNotReady',
            message: 'corresponding condition of pod readiness gate "example.com/lb-ready" does not exist.',
          }
        : c,
    );
  });

const cases: RuleCase[] = [
  {
    rule: notReady,
    name: 'probes recording as a file: not ready, no Unhealthy events',
    subject: flappyNotReady,
    container: 'flappy',
    want: {
      severity: 'warning',
      title: /^not ready: its readiness probe \(exec sh -c test .*\) is not passing; the container is not restarted for it$/,
      evidence: [
        /^ready=false, state running since \d\d:\d\d:\d\d$/,
        /^probe: readiness exec sh -c test/,
        'no Unhealthy events to say what the probe saw',
      ],
    },
  },
  {
    rule: notReady,
    name: 'ephemeral recording as a file: not ready, no readiness probe',
    subject: () =>
      fileVariant('ephemeral', (d) => {
        d.status.containerStatuses[0].ready = false;
      }),
    container: 'app',
    want: { title: 'not ready while running, with no readiness probe: unknown why' },
  },
  {
    rule: notReady,
    name: 'probes recording: its Unhealthy events say why',
    subject: () => finalPod('probes'),
    container: 'flappy',
    want: undefined,
  },
  { rule: notReady, name: 'probes recording: ready', subject: () => finalPod('probes'), container: 'slowstart', want: undefined },
  {
    rule: readinessGate,
    name: 'ephemeral recording with an unsatisfied readiness gate',
    subject: gated,
    want: {
      severity: 'warning',
      title:
        'not ready: a readiness gate is not satisfied ' +
        '(corresponding condition of pod readiness gate "example.com/lb-ready" does not exist.)',
      evidence: ['condition Ready=False reason ReadinessGatesNotReady'],
    },
  },
  { rule: readinessGate, name: 'ephemeral recording', subject: () => finalPod('ephemeral'), want: undefined },
];

ruleTables('readiness', cases);
