// The model's own vocabulary, shared by the core (snapshot, diff, reducer) and the view-model
// above it. Kubernetes words verbatim.

export type ContainerType = 'init' | 'sidecar' | 'regular' | 'ephemeral';
export type ContainerStateName = 'waiting' | 'running' | 'terminated' | 'unknown';
export type Severity = 'error' | 'warning' | 'info';

/** What every Event says once read (snapshot.ts readEvent): the fields pod events, their views and workload events share. */
export interface EventCore {
  /** Stable identity: the Event's uid (or namespace/name). */
  readonly key: string;
  /** Normal | Warning. */
  readonly type: string;
  readonly reason: string;
  readonly message: string;
  readonly count: number;
  readonly firstAt: number | undefined;
  readonly lastAt: number | undefined;
  readonly source: string | undefined;
}

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
