// The exit-code family, and the named sets.

import { expect, test } from 'vitest';
import {
  COMMAND_NOT_RUNNABLE,
  EXITS_WITH_OWN_RULE,
  REASONS_WITH_OWN_RULE,
  START_FAILED_EXITS,
  START_FAILED_REASONS,
  commandNotFound,
  hasOwnRule,
  startError,
} from '../../../src/model/diagnose/exit-codes.ts';
import { fileVariant, finalPod, ruleTables, startFailed, startFailedMount, type RuleCase } from './helpers.ts';

/** The crashloop pod whose last instance ended with this exit code (as a shell reports it). */
const exited = (exitCode: number, reason = 'Error') =>
  fileVariant('crashloop', (d) => {
    Object.assign(d.status.containerStatuses[0].lastState.terminated, { exitCode, reason });
  });

const cases: RuleCase[] = [
  {
    rule: commandNotFound,
    name: 'crashloop recording ending with exit 127',
    subject: () => exited(127),
    container: 'app',
    want: {
      severity: 'error',
      title: /^command not found \(exit 127\): sh -c echo "starting app/,
      evidence: [/^terminated Error exit 127 at \d\d:\d\d:\d\d$/, /^command: \["sh","-c",/],
    },
  },
  {
    rule: commandNotFound,
    name: 'crashloop recording ending with exit 126',
    subject: () => exited(126),
    container: 'app',
    want: { title: /^command not executable \(exit 126\): sh -c / },
  },
  { rule: commandNotFound, name: 'crashloop recording: exit 1', subject: () => finalPod('crashloop'), container: 'app', want: undefined },
  {
    // containerd/runc report a command that does not exist as StartError, exit 128 (not 127): the runtime's words say so.
    rule: commandNotFound,
    name: 'crashloop recording ending with StartError 128',
    subject: startFailed,
    container: 'app',
    want: {
      severity: 'error',
      title: 'command not found (StartError, exit 128): exec: "app": executable file not found in $PATH',
      evidence: [
        /^terminated StartError exit 128 at \d\d:\d\d:\d\d \(the process never started\)$/,
        /^command: \["sh","-c",/,
        'runtime message: exec: "app": executable file not found in $PATH',
      ],
    },
  },
  {
    rule: commandNotFound,
    name: 'crashloop recording ending with a StartError about a mount',
    subject: startFailedMount,
    container: 'app',
    want: undefined,
  },
  {
    rule: startError,
    name: 'crashloop recording ending with a StartError about a mount',
    subject: startFailedMount,
    container: 'app',
    want: {
      severity: 'error',
      title:
        'the runtime could not start the process (StartError, exit 128): error during container init: error mounting "/etc/app/hosts" to rootfs at "/etc/resolv.conf": not a directory',
      evidence: [/^terminated.reason=StartError, exit 128 at \d\d:\d\d:\d\d$/, /^runtime message: failed to create containerd task: /],
    },
  },
  {
    rule: startError,
    name: 'crashloop recording ending with StartError 128',
    subject: startFailed,
    container: 'app',
    want: {
      severity: 'error',
      title: 'the runtime could not start the process (StartError, exit 128): exec: "app": executable file not found in $PATH',
      evidence: [
        /^terminated.reason=StartError, exit 128 at \d\d:\d\d:\d\d$/,
        'runtime message: exec: "app": executable file not found in $PATH',
        'state.waiting: RunContainerError: failed to start container: exec: "app": executable file not found in $PATH',
      ],
    },
  },
  {
    rule: startError,
    name: 'crashloop recording ending with ContainerCannotRun',
    subject: () => exited(1, 'ContainerCannotRun'),
    container: 'app',
    want: { title: /^the runtime could not start the process/, evidence: [/^terminated.reason=ContainerCannotRun, exit 1 at /] },
  },
  { rule: startError, name: 'crashloop recording: exit 1', subject: () => finalPod('crashloop'), container: 'app', want: undefined },
  { rule: startError, name: 'oom recording', subject: () => finalPod('oom'), container: 'hog', want: undefined },
];

ruleTables('exit-code', cases);

test.each([
  ['SIGKILL', 137, undefined, true],
  ['StartError', 128, 'StartError', true],
  ['command not found', 127, 'Error', true],
  ['not executable', 126, 'Error', true],
  ['OOMKilled with its 137', 137, 'OOMKilled', true],
  ['ContainerCannotRun', undefined, 'ContainerCannotRun', true],
  ['an application error', 1, 'Error', false],
  ['SIGSEGV', 139, 'Error', false],
  ['SIGTERM', 143, 'Error', false],
  ['a clean exit', 0, 'Completed', false],
] as const)('named sets: %s has a rule of its own: %s', (_name, exitCode, reason, own) => {
  expect(hasOwnRule(exitCode, reason)).toBe(own);
});

test('named sets: the start-failure and command-not-found sets are inside the sets with their own rule', () => {
  for (const code of [...COMMAND_NOT_RUNNABLE, ...START_FAILED_EXITS]) expect(EXITS_WITH_OWN_RULE.has(code)).toBe(true);
  for (const reason of START_FAILED_REASONS) expect(REASONS_WITH_OWN_RULE.has(reason)).toBe(true);
});
