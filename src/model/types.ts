// The model's own vocabulary, shared by the core (snapshot, diff, reducer) and the view-model
// above it. Kubernetes words verbatim.

export type ContainerType = 'init' | 'sidecar' | 'regular' | 'ephemeral';
export type ContainerStateName = 'waiting' | 'running' | 'terminated' | 'unknown';
export type Severity = 'error' | 'warning' | 'info';
