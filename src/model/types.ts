// The model's own vocabulary, shared by the core (snapshot, diff, reducer) and the view-model
// above it. Kubernetes words verbatim.

export type ContainerType = 'init' | 'sidecar' | 'regular' | 'ephemeral';
export type ContainerStateName = 'waiting' | 'running' | 'terminated' | 'unknown';
export type Severity = 'error' | 'warning' | 'info';

/** Waiting reasons that mean the container cannot start as things stand (kubelet's waiting reasons). */
export const FAILING_WAIT_REASONS: ReadonlySet<string> = new Set([
  'CrashLoopBackOff',
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'ErrImageNeverPull',
  'RegistryUnavailable',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
  'PreStartHookError',
  'PostStartHookError',
]);
