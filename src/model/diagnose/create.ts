// The pod's sandbox and volumes, and the container's creation from its spec and config.

import { runtimeCause } from '../runtime-message.ts';
import type { ContainerView, FindingView } from '../view.ts';
import { eventEvidence, eventsOf } from './context.ts';
import type { ContainerRule, DiagnosisInput, PodRule } from './rule.ts';

/** Events about the pod's setup that keep its containers from being created. */
const SETUP_FAILURE_EVENTS = ['FailedMount', 'FailedAttachVolume', 'FailedCreatePodSandBox'] as const;
/** Waiting reasons of a container the kubelet could not create from its spec and config. */
const CREATE_FAILURE_REASONS: readonly string[] = ['CreateContainerConfigError', 'CreateContainerError'];

function stillCreating(pod: DiagnosisInput): boolean {
  return (
    pod.containers.some((c) => c.state === 'waiting' && (c.reason === 'ContainerCreating' || c.reason === 'PodInitializing')) ||
    pod.containers.every((c) => c.state === 'unknown')
  );
}

/**
 * Volume and sandbox failures matter while containers still wait to be created; once they run, an
 * old FailedMount (e.g. a token ConfigMap not synced yet) was transient. One finding per event.
 */
export const podSetupFailed: PodRule = {
  id: 'pod-setup-failed',
  family: 'create',
  scope: 'pod',
  run: (pod) =>
    stillCreating(pod)
      ? eventsOf(pod, undefined, SETUP_FAILURE_EVENTS).map((e): FindingView => ({
          severity: e.type === 'Warning' ? 'error' : 'warning',
          container: undefined,
          title: `${e.reason}: ${e.message.split('\n')[0]}`,
          evidence: [eventEvidence(e)],
        }))
      : undefined,
};

const MISSING_REF = /couldn't find key (\S+) in (ConfigMap|Secret) (\S+)|(configmap|secret) "([^"]+)" not found/i;

function cannotCreate(pod: DiagnosisInput, c: ContainerView): FindingView {
  const missing = MISSING_REF.exec(c.message ?? '');
  // The runtime's message is its call chain: its cause, at the end, is what the title says.
  const what = missing
    ? missing[1]
      ? `key ${missing[1]} is missing in ${missing[2]} ${missing[3]}`
      : `${missing[4]} ${missing[5]} does not exist`
    : (runtimeCause(c.message) ?? 'reason not stated');
  return {
    severity: 'error',
    container: c.name,
    title: `${c.reason === 'RunContainerError' ? 'cannot start the container' : 'cannot create the container'}: ${what}`,
    evidence: [
      `state.waiting.reason=${c.reason}`,
      ...(c.message ? [`state.waiting.message: ${c.message}`] : []),
      ...eventsOf(pod, c.name, ['Failed']).map(eventEvidence),
    ],
  };
}

export const createContainerError: ContainerRule = {
  id: 'create-container-error',
  family: 'create',
  scope: 'container',
  run: (pod, c) => (c.state === 'waiting' && c.reason && CREATE_FAILURE_REASONS.includes(c.reason) ? cannotCreate(pod, c) : undefined),
};

/** RunContainerError: the container was created but not started; the start-failure rules say why when an instance ended. */
export const runContainerError: ContainerRule = {
  id: 'run-container-error',
  family: 'create',
  scope: 'container',
  run: (pod, c) => (c.state === 'waiting' && c.reason === 'RunContainerError' ? cannotCreate(pod, c) : undefined),
};
