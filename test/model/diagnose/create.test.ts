// The create family: the pod's sandbox and volumes, the container's creation from its config.

import { createContainerError, podSetupFailed, runContainerError } from '../../../src/model/diagnose/create.ts';
import { fileVariant, finalPod, podWhen, ruleTables, type RuleCase } from './helpers.ts';

const CONFIG = 'rec-config-error-1795585383/app-config';

/** The crashloop pod waiting in RunContainerError after instances that exited with 1 (no start failure). */
const runError = () =>
  fileVariant('crashloop', (d) => {
    d.status.containerStatuses[0].state = {
      waiting: {
        reason: 'RunContainerError',
        message: 'failed to create containerd task: failed to create shim task: context deadline exceeded',
      },
    };
  });

const cases: RuleCase[] = [
  {
    rule: podSetupFailed,
    name: 'grace recording while the container is still being created: FailedMount of the token volume',
    subject: () =>
      podWhen('grace', (p) => p.events.some((e) => e.reason === 'FailedMount') && p.containers.every((c) => c.state === 'waiting')),
    want: {
      severity: 'error',
      title: /^FailedMount: MountVolume.SetUp failed for volume "kube-api-access-2mnj6" : failed to sync configmap cache/,
      evidence: [/^event Warning FailedMount at \d\d:\d\d:\d\d: MountVolume.SetUp failed/],
    },
  },
  {
    rule: podSetupFailed,
    name: 'grace recording at its end: the FailedMount was transient',
    subject: () => finalPod('grace'),
    want: undefined,
  },
  {
    rule: createContainerError,
    name: 'config-error recording: a missing key',
    subject: () => finalPod('config-error'),
    container: 'app',
    want: {
      severity: 'error',
      title: `cannot create the container: key DATABASE_URL is missing in ConfigMap ${CONFIG}`,
      evidence: [
        'state.waiting.reason=CreateContainerConfigError',
        `state.waiting.message: couldn't find key DATABASE_URL in ConfigMap ${CONFIG}`,
        `event Warning Failed x2 at 05:43:08: Error: couldn't find key DATABASE_URL in ConfigMap ${CONFIG}`,
      ],
    },
  },
  {
    rule: createContainerError,
    name: 'config-error recording with the ConfigMap missing',
    subject: () =>
      fileVariant('config-error', (d) => {
        d.status.containerStatuses[0].state.waiting.message = 'configmap "app-config" not found';
      }),
    container: 'app',
    want: { title: 'cannot create the container: configmap app-config does not exist' },
  },
  { rule: createContainerError, name: 'crashloop recording', subject: () => finalPod('crashloop'), container: 'app', want: undefined },
  { rule: createContainerError, name: 'crashloop recording in RunContainerError', subject: runError, container: 'app', want: undefined },
  {
    rule: runContainerError,
    name: 'crashloop recording in RunContainerError',
    subject: runError,
    container: 'app',
    want: {
      title: 'cannot start the container: failed to create containerd task: failed to create shim task: context deadline exceeded',
      evidence: ['state.waiting.reason=RunContainerError'],
    },
  },
  { rule: runContainerError, name: 'config-error recording', subject: () => finalPod('config-error'), container: 'app', want: undefined },
];

ruleTables('create', cases);
