// The scheduling family on real recordings and fixtures.

import { schedulingGated, unschedulable } from '../../../src/model/diagnose/scheduling.ts';
import { fileVariant, finalPod, fixturePod, ruleTables, type RuleCase } from './helpers.ts';

const INSUFFICIENT_CPU =
  '0/1 nodes are available: 1 Insufficient cpu. no new claims to deallocate, ' +
  'preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.';

/** The pod as the apiserver has it while spec.schedulingGates is not empty (pkg/registry/core/pod/strategy.go). */
const gated = () =>
  fileVariant('unschedulable', (d) => {
    d.spec.schedulingGates = [{ name: 'example.com/quota' }];
    d.status.conditions = [
      {
        type: 'PodScheduled',
        status: 'False',
        reason: 'SchedulingGated',
        message: 'Scheduling is blocked due to non-empty scheduling gates',
      },
    ];
  });

const cases: RuleCase[] = [
  {
    rule: unschedulable,
    name: 'unschedulable recording: the condition message',
    subject: () => finalPod('unschedulable'),
    want: {
      severity: 'error',
      title: `cannot be scheduled: ${INSUFFICIENT_CPU}`,
      evidence: ['condition PodScheduled=False (Unschedulable)', `event Warning FailedScheduling x2 at 05:43:09: ${INSUFFICIENT_CPU}`],
    },
  },
  {
    rule: unschedulable,
    name: 'unschedulable recording without the condition message: the last FailedScheduling event says why',
    subject: () =>
      fileVariant(
        'unschedulable',
        (d) => {
          for (const c of d.status.conditions) delete c.message;
        },
        { events: true },
      ),
    want: { title: `cannot be scheduled: ${INSUFFICIENT_CPU}`, evidence: [/^event Warning FailedScheduling/] },
  },
  {
    rule: unschedulable,
    name: 'public fixture unschedulable-insufficient-cpu',
    subject: () => fixturePod('unschedulable-insufficient-cpu.yaml'),
    want: { title: /^cannot be scheduled: 0\/2 nodes are available: 2 Insufficient cpu/ },
  },
  { rule: unschedulable, name: 'crashloop recording: scheduled', subject: () => finalPod('crashloop'), want: undefined },
  { rule: unschedulable, name: 'unschedulable recording with scheduling gates', subject: gated, want: undefined },
  {
    rule: schedulingGated,
    name: 'unschedulable recording with scheduling gates',
    subject: gated,
    want: {
      severity: 'info',
      title: 'waiting for scheduling gates to be removed',
      evidence: ['condition PodScheduled: Scheduling is blocked due to non-empty scheduling gates'],
    },
  },
  { rule: schedulingGated, name: 'unschedulable recording: no gates', subject: () => finalPod('unschedulable'), want: undefined },
];

ruleTables('scheduling', cases);
