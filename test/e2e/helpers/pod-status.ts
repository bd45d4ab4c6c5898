// Pods without a kubelet: a pod that can never be scheduled (its nodeSelector names no node), whose
// status the test writes through the status subresource, as the kubelet would (a container goes
// running, exits, restarts). The objects are real API objects; only the writer is the test.

import { kubectl } from './env.ts';

/** A pod no scheduler can place (the label is on no node); `labels` for -l views. */
export function unschedulablePod(name: string, labels: Readonly<Record<string, string>> = {}): string {
  const l = Object.entries({ app: 'podlife-faults', ...labels })
    .map(([k, v]) => `${k}: "${v}"`)
    .join(', ');
  return `apiVersion: v1
kind: Pod
metadata: { name: ${name}, labels: { ${l} } }
spec:
  nodeSelector: { podlife.test/nowhere: "true" }
  terminationGracePeriodSeconds: 0
  containers: [{ name: app, image: podlife/busybox:1, command: [sleep, "3600"] }]
`;
}

const iso = (t: number): string => new Date(Math.floor(t / 1000) * 1000).toISOString().replace('.000Z', 'Z');

export type Step =
  | { readonly kind: 'waiting' }
  | { readonly kind: 'running'; readonly id: string; readonly startedAt: number; readonly restarts: number; readonly last?: Ended }
  | ({ readonly kind: 'terminated'; readonly restarts: number } & Ended);

interface Ended {
  readonly id: string;
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly exitCode: number;
}

function terminated(e: Ended): object {
  return {
    exitCode: e.exitCode,
    reason: e.exitCode === 0 ? 'Completed' : 'Error',
    startedAt: iso(e.startedAt),
    finishedAt: iso(e.finishedAt),
    containerID: `containerd://${e.id}`,
  };
}

/** The whole status a kubelet would write for this step (merge-patched: lists are replaced). */
export function statusFor(step: Step, createdAt: number): object {
  const ready = step.kind === 'running';
  const cond = (type: string, status: boolean, at: number, reason?: string): object => ({
    type,
    status: status ? 'True' : 'False',
    lastTransitionTime: iso(at),
    ...(reason ? { reason } : {}),
  });
  const changedAt = step.kind === 'running' ? step.startedAt : step.kind === 'terminated' ? step.finishedAt : createdAt;
  const container: Record<string, unknown> = {
    name: 'app',
    image: 'podlife/busybox:1',
    imageID: '',
    ready,
    started: step.kind === 'running',
    restartCount: step.kind === 'waiting' ? 0 : step.restarts,
  };
  if (step.kind === 'waiting') container['state'] = { waiting: { reason: 'ContainerCreating' } };
  if (step.kind === 'running') {
    container['state'] = { running: { startedAt: iso(step.startedAt) } };
    container['containerID'] = `containerd://${step.id}`;
    if (step.last) container['lastState'] = { terminated: terminated(step.last) };
  }
  if (step.kind === 'terminated') {
    container['state'] = { terminated: terminated(step) };
    container['containerID'] = `containerd://${step.id}`;
  }
  return {
    phase: step.kind === 'waiting' ? 'Pending' : 'Running',
    startTime: iso(createdAt),
    conditions: [
      cond('PodReadyToStartContainers', step.kind !== 'waiting', createdAt),
      cond('Initialized', true, createdAt),
      cond('Ready', ready, changedAt, ready ? undefined : 'ContainersNotReady'),
      cond('ContainersReady', ready, changedAt, ready ? undefined : 'ContainersNotReady'),
      cond('PodScheduled', true, createdAt),
    ],
    containerStatuses: [container],
  };
}

/** Writes the status through the status subresource (retried while the server comes back). */
export async function patchStatus(kubeconfig: string, namespace: string, pod: string, status: object, retryMs = 0): Promise<void> {
  const deadline = Date.now() + retryMs;
  for (;;) {
    const r = await kubectl(
      [
        'patch',
        'pod',
        pod,
        '-n',
        namespace,
        '--subresource=status',
        '--type=merge',
        '--request-timeout=5s',
        '-p',
        JSON.stringify({ status }),
      ],
      { kubeconfig, allowFail: true },
    );
    if (r.code === 0) return;
    if (Date.now() >= deadline) throw new Error(`status patch of ${namespace}/${pod} failed: ${r.stderr}`);
    await new Promise((res) => setTimeout(res, 250));
  }
}
