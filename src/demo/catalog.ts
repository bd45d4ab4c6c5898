// The built-in demos: observation streams recorded with --record on the project's own single-node
// cluster (real kubelet, containerd), one per scenario of test/scenarios/ (scripts/record-scenarios.sh
// writes them into recordings/, where the unit tests read them too). Each recording is its own
// chunk of the bundle, loaded only when that demo plays; this table is all that `--help`, `demo
// --list` and completion load.

export interface DemoEntry {
  readonly name: string;
  readonly summary: string;
}

export const DEFAULT_DEMO = 'crashloop';

export const DEMOS: readonly DemoEntry[] = [
  { name: 'crashloop', summary: 'exits 1 after 2s; the kubelet backs off 10s, 20s, 40s between restarts' },
  { name: 'oom', summary: 'allocates far more than its 16Mi memory limit: OOMKilled, exit 137' },
  { name: 'liveness', summary: 'an exec and an httpGet liveness probe fail: both containers killed and restarted' },
  { name: 'init', summary: 'a slow init container, then one that fails: Init:Error' },
  { name: 'rollout', summary: 'a Deployment rolled to a revision that crash-loops: the rollout view, stuck, progress deadline exceeded' },
  { name: 'poststart', summary: 'a slow postStart hook fails: the container is killed, then backs off' },
  { name: 'grace', summary: 'deleted; a preStop hook, SIGTERM ignored, SIGKILL at the end of the grace period' },
  { name: 'probes', summary: 'readiness flapping and a slow startup probe' },
  { name: 'missing-image', summary: 'an image that cannot be pulled: ErrImagePull, ImagePullBackOff' },
  { name: 'config-error', summary: 'a missing ConfigMap key: CreateContainerConfigError' },
  { name: 'unschedulable', summary: 'an impossible CPU request: FailedScheduling' },
  { name: 'eviction', summary: 'fills an emptyDir past its limit: evicted by the kubelet' },
  { name: 'sidecar', summary: 'an init container with restartPolicy Always runs beside the app' },
  { name: 'ephemeral', summary: 'kubectl debug adds an ephemeral container to a running pod' },
  { name: 'jobs', summary: 'two Jobs: one completes, one fails after its retries' },
  { name: 'poststart-slow', summary: 'a postStart hook that takes 8s: the API says ContainerCreating while it runs' },
  { name: 'prestop-long', summary: 'deleted; a preStop hook outlives the 5s grace period: SIGTERM then, SIGKILL 2s later' },
  { name: 'deadline', summary: 'activeDeadlineSeconds 15s: the kubelet stops the pod, SIGKILL after the grace period' },
  { name: 'not-executable', summary: 'a command that is not executable: StartError, exit 128, never started' },
  { name: 'no-such-binary', summary: 'a command that does not exist: StartError, exit 128, never started' },
  { name: 'crashloop-delete', summary: 'a crash loop deleted while it backs off: its last termination is not reported twice' },
  { name: 'crashloop-late', summary: 'a crash loop watched minutes after it began: the past the API lost is drawn unknown' },
];

/** `demo --list`: one line per demo, the default first. */
export function demoList(): string {
  const width = Math.max(...DEMOS.map((d) => d.name.length));
  return (
    DEMOS.map((d) => `${d.name.padEnd(width)}  ${d.summary}${d.name === DEFAULT_DEMO ? ' (default)' : ''}`).join('\n') +
    '\n\nPlay one: kubectl podlife demo NAME   (--once for the last picture, -o text|json for lines)\n'
  );
}
