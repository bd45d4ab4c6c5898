// The workload source against the real API server and controllers: a Deployment rolled while the
// source watches it reports the owner, its new ReplicaSet and their events, and nothing of a
// Deployment whose name shares the prefix; both events strategies (one namespace watch filtered
// here, one watch per involved object) report the same events; a missing target is one clear line.

import assert from 'node:assert/strict';
import { describe, expect, test } from 'vitest';
import { KubeClient } from '../../src/kube/client.ts';
import { UserError } from '../../src/kube/errors.ts';
import { resolveKubeconfig } from '../../src/kube/kubeconfig.ts';
import {
  resolveWorkload,
  startWorkloadSource,
  type WorkloadSourceObservation,
  type WorkloadTarget,
} from '../../src/kube/workload-source.ts';
import { readWorkload } from '../../src/model/workload.ts';
import { applyScenario, inNamespace, kubeconfigPath, kubectl, waitFor } from './helpers/env.ts';

function clientFor(namespace: string): KubeClient {
  return new KubeClient(resolveKubeconfig({ kubeconfig: kubeconfigPath(), context: undefined, namespace }), 30_000);
}

describe.concurrent('workload source', () => {
  test('a rolled Deployment: owner, ReplicaSets and owner-side events, the same through both events strategies', async () => {
    await inNamespace('wl-source', async ({ name: ns }) => {
      await applyScenario('rollout-deploy.yaml', ns);
      // A neighbour whose ReplicaSets are named shop-api-...: none of it may be reported.
      await kubectl([
        '-n',
        ns,
        'create',
        'deployment',
        'shop-api',
        '--image=docker.io/podlife/busybox:1',
        '--replicas=1',
        '--',
        'sleep',
        '3600',
      ]);
      await kubectl(['-n', ns, 'rollout', 'status', 'deploy/shop', '--timeout', '120s']);
      const target: WorkloadTarget = { kind: 'Deployment', namespace: ns, name: 'shop' };
      const stop = new AbortController();
      const seen: Record<'namespace' | 'per-object', WorkloadSourceObservation[]> = { namespace: [], 'per-object': [] };
      const clients: KubeClient[] = [];
      try {
        for (const mode of ['namespace', 'per-object'] as const) {
          const client = clientFor(ns);
          clients.push(client);
          const resolved = await resolveWorkload(client, target);
          expect(resolved.podSelector).toBe('app=shop');
          const src = await startWorkloadSource(
            { client, target, resolved, now: Date.now, events: mode, emit: (o) => seen[mode].push(...o) },
            stop.signal,
          );
          await src.ready;
        }
        await kubectl(['-n', ns, 'set', 'env', 'deploy/shop', 'VERSION=2']);
        await kubectl(['-n', ns, 'set', 'env', 'deploy/shop-api', 'X=2']);
        await kubectl(['-n', ns, 'rollout', 'status', 'deploy/shop', '--timeout', '120s']);
        const scaledDown = (mode: 'namespace' | 'per-object'): boolean =>
          seen[mode].some(
            (o) =>
              o.kind === 'event' &&
              o.object.reason === 'ScalingReplicaSet' &&
              /Scaled down replica set shop-\w+ .*to 0/.test(o.object.message ?? ''),
          );
        await waitFor(
          () => scaledDown('namespace') && scaledDown('per-object'),
          30_000,
          'the last ScalingReplicaSet event through both strategies',
        );
      } finally {
        stop.abort();
        for (const c of clients) c.close();
      }
      const obs = seen.namespace;
      const workloads = obs.flatMap((o) => (o.kind === 'workload' ? [readWorkload(o.object)!] : []));
      expect(new Set(workloads.map((w) => `${w.kind}/${w.name.replace(/-[a-z0-9]+$/, '-HASH')}`))).toEqual(
        new Set(['Deployment/shop', 'ReplicaSet/shop-HASH']),
      );
      const rsNames = new Set(workloads.filter((w) => w.kind === 'ReplicaSet').map((w) => w.name));
      expect(rsNames.size).toBe(2);
      const last = workloads.filter((w) => w.kind === 'Deployment').at(-1)!;
      expect(last.revision).toBe(2);
      // List items arrive with kind and apiVersion stamped; a relist is bracketed.
      expect(obs.filter((o) => o.kind === 'relist-start').map((o) => (o as { resource: string }).resource)).toEqual(
        expect.arrayContaining(['deployments', 'replicasets', 'workload-events']),
      );
      const events = (mode: 'namespace' | 'per-object'): Set<string> =>
        new Set(
          seen[mode].flatMap((o) =>
            o.kind === 'event'
              ? [`${o.object.involvedObject?.kind}/${o.object.involvedObject?.name} ${o.object.reason} ${o.object.metadata.uid}`]
              : [],
          ),
        );
      const a = events('namespace');
      assert.ok([...a].some((e) => e.startsWith('Deployment/shop ScalingReplicaSet')));
      assert.ok([...a].some((e) => /^ReplicaSet\/shop-\w+ SuccessfulCreate/.test(e)));
      assert.ok(![...a].some((e) => e.includes('shop-api')), 'no event of the neighbour');
      assert.ok([...a].every((e) => /^(Deployment\/shop|ReplicaSet\/shop-\w+) /.test(e)));
      expect([...events('per-object')].sort()).toEqual([...a].sort());
    });
  });

  test('a missing workload is one line naming it, with a suggestion', async () => {
    await inNamespace('wl-missing', async ({ name: ns }) => {
      await applyScenario('rollout-deploy.yaml', ns);
      const client = clientFor(ns);
      try {
        const err = await resolveWorkload(client, { kind: 'Deployment', namespace: ns, name: 'shpo' }).catch((e: unknown) => e);
        assert.ok(err instanceof UserError);
        expect(err.message).toBe(`deploy/shpo not found in namespace "${ns}"`);
        expect(err.hint).toBe('Did you mean "shop"?');
        const noNs = await resolveWorkload(client, { kind: 'StatefulSet', namespace: `${ns}-nope`, name: 'db' }).catch((e: unknown) => e);
        assert.ok(noNs instanceof UserError);
        expect(noNs.message).toBe(`namespace "${ns}-nope" not found`);
      } finally {
        client.close();
      }
    });
  });
});
