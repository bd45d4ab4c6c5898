// The benchmarks' own writer to the API server (creating pods, changing their status): node:https
// on one keep-alive pool, with the credentials podlife itself resolves from the kubeconfig, so a
// write is timed from the request to its acknowledgement without a process start in between.

import { Agent, request } from 'node:https';
import { CredentialSource } from '../src/kube/credentials.ts';
import { resolveKubeconfig } from '../src/kube/kubeconfig.ts';

export interface Api {
  /** Sends one request; resolves with the status and when the response arrived (performance.now()). */
  call(method: string, path: string, body?: unknown, contentType?: string): Promise<{ status: number; text: string; ackAt: number }>;
  close(): void;
}

export async function connect(kubeconfig: string, maxSockets = 16): Promise<Api> {
  const config = resolveKubeconfig({ kubeconfig, context: undefined, namespace: undefined, env: process.env });
  const creds = await new CredentialSource(config, { stdinIsTTY: false, env: process.env }).get();
  const agent = new Agent({ keepAlive: true, maxSockets, ...(creds.tls as object) });
  const server = new URL(config.server);
  return {
    call(method, path, body, contentType = 'application/json') {
      const data = body === undefined ? undefined : JSON.stringify(body);
      return new Promise((resolve, reject) => {
        const req = request(
          {
            host: server.hostname,
            port: server.port,
            path,
            method,
            agent,
            headers: {
              Accept: 'application/json',
              ...(creds.headers as Record<string, string>),
              ...(data !== undefined ? { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(data) } : {}),
            },
          },
          (res) => {
            const ackAt = performance.now();
            const parts: Buffer[] = [];
            res.on('data', (d: Buffer) => parts.push(d));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString('utf8'), ackAt }));
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(data);
      });
    },
    close: () => agent.destroy(),
  };
}

/** A pod the scheduler can never place (no node has the label), so no kubelet ever writes its status. */
export function pendingPod(name: string, labels: Record<string, string>): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: {
      nodeSelector: { 'podlife-bench/no-such-node': 'true' },
      terminationGracePeriodSeconds: 0,
      containers: [{ name: 'app', image: 'docker.io/podlife/busybox:1', imagePullPolicy: 'Never', command: ['sleep', '3600'] }],
    },
  };
}

/**
 * A status change through the status subresource: the container "restarted" `restarts` times
 * (a new containerID, the last one terminated with exit 1), and the Ready condition as given.
 */
export function statusPatch(restarts: number, ready: boolean, at: Date): unknown {
  const iso = at.toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    status: {
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: iso, reason: ready ? undefined : 'BenchFlip' }],
      containerStatuses: [
        {
          name: 'app',
          image: 'docker.io/podlife/busybox:1',
          imageID: '',
          ready: false,
          started: false,
          restartCount: restarts,
          containerID: `containerd://bench-${restarts}`,
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'bench' } },
          lastState:
            restarts > 0
              ? {
                  terminated: {
                    exitCode: 1,
                    reason: 'Error',
                    startedAt: iso,
                    finishedAt: iso,
                    containerID: `containerd://bench-${restarts - 1}`,
                  },
                }
              : {},
        },
      ],
    },
  };
}

export const MERGE_PATCH = 'application/strategic-merge-patch+json';

/** Creates `count` pods named prefix-<i> (from `from`), `parallel` requests at a time. */
export async function createPods(
  api: Api,
  ns: string,
  prefix: string,
  from: number,
  count: number,
  labels: Record<string, string>,
  parallel = 16,
): Promise<void> {
  let next = from;
  const end = from + count;
  const worker = async (): Promise<void> => {
    while (next < end) {
      const i = next++;
      const r = await api.call('POST', `/api/v1/namespaces/${ns}/pods`, pendingPod(`${prefix}-${i}`, labels));
      if (r.status !== 201) throw new Error(`creating pod ${prefix}-${i}: ${r.status} ${r.text.slice(0, 200)}`);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}
