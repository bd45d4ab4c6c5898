// Resolving a target without the API server: a pod by name, a selector, where each workload is
// read (the paths `kubectl api-resources` lists: apps/v1 and batch/v1), and its selector as the
// API accepts it. Reading the workload from the real server is covered by the e2e scenarios.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'vitest';
import { parse } from 'yaml';
import { podTarget, selectorString, workloadLocation } from '../../src/kube/resolve-target.ts';
import { parseTarget, WORKLOADS } from '../../src/kube/target.ts';
import { podSnapshots, recording } from '../helpers/fixtures.ts';

describe('pods and selectors', () => {
  test('one pod by name: listed and watched by metadata.name, its events by involvedObject.name', () => {
    assert.deepEqual(podTarget('shop', { kind: 'pod', name: 'web-0' }), {
      namespace: 'shop',
      label: 'pod/web-0',
      podName: 'web-0',
      podQuery: { fieldSelector: 'metadata.name=web-0' },
      eventQuery: { fieldSelector: 'involvedObject.kind=Pod,involvedObject.name=web-0' },
    });
  });

  test('a selector: pods by label, the events of every pod in the namespace', () => {
    assert.deepEqual(podTarget('shop', { kind: 'selector', selector: 'app=web,tier!=db' }), {
      namespace: 'shop',
      label: '-l app=web,tier!=db',
      podName: undefined,
      podQuery: { labelSelector: 'app=web,tier!=db' },
      eventQuery: { fieldSelector: 'involvedObject.kind=Pod' },
    });
  });
});

describe('workloads', () => {
  test.each([
    ['deploy/web', '/apis/apps/v1/namespaces/shop/deployments/web', 'deploy'],
    ['deployment/web', '/apis/apps/v1/namespaces/shop/deployments/web', 'deploy'],
    ['deployments/web', '/apis/apps/v1/namespaces/shop/deployments/web', 'deploy'],
    ['sts/db', '/apis/apps/v1/namespaces/shop/statefulsets/db', 'sts'],
    ['ds/agent', '/apis/apps/v1/namespaces/shop/daemonsets/agent', 'ds'],
    ['rs/web-595f5d7c5b', '/apis/apps/v1/namespaces/shop/replicasets/web-595f5d7c5b', 'rs'],
    ['job/migrate', '/apis/batch/v1/namespaces/shop/jobs/migrate', 'job'],
    ['jobs/migrate', '/apis/batch/v1/namespaces/shop/jobs/migrate', 'job'],
  ])('%s is read from %s and named %s/… in messages', (arg, path, short) => {
    const spec = parseTarget(arg, undefined);
    assert.equal(spec.kind, 'workload');
    if (spec.kind !== 'workload') return;
    assert.deepEqual(workloadLocation('shop', spec), { path, short });
  });

  test('every alias the parser accepts has a location', () => {
    for (const alias of Object.keys(WORKLOADS)) {
      const spec = parseTarget(`${alias}/x`, undefined);
      assert.ok(spec.kind === 'workload' && workloadLocation('ns', spec).path.endsWith(`/${spec.resource}/x`), alias);
    }
  });
});

describe('label selectors as the API accepts them', () => {
  test.each([
    [{ matchLabels: { app: 'web', tier: 'fe' } }, 'app=web,tier=fe'],
    [
      {
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['a', 'b'] },
          { key: 'x', operator: 'NotIn', values: ['c'] },
          { key: 'y', operator: 'Exists' },
          { key: 'z', operator: 'DoesNotExist' },
        ],
      },
      'app=web,env in (a,b),x notin (c),y,!z',
    ],
    [{ matchLabels: null, matchExpressions: null }, ''],
    [undefined, ''],
    [null, ''],
  ])('%j -> %j', (sel, want) => {
    assert.equal(selectorString(sel), want);
  });

  test("the test Deployment's selector matches the labels of every pod of its rollout recording", () => {
    const deployment = parse(readFileSync(join(import.meta.dirname, '..', 'scenarios', 'deployment.yaml'), 'utf8')) as {
      spec: { selector: { matchLabels: Record<string, string> } };
    };
    const selector = selectorString(deployment.spec.selector);
    assert.equal(selector, 'app=web');
    const pods = podSnapshots(recording('rollout-web'));
    assert.ok(pods.length > 0);
    for (const p of pods) for (const [k, v] of selector.split(',').map((kv) => kv.split('='))) assert.equal(p.metadata.labels?.[k!], v);
  });
});
