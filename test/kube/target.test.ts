// Workload targets as kubectl spells them: the short, singular, plural and grouped forms
// (`kubectl api-resources` names apps/v1 and batch/v1), CronJobs, and what is refused.

import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { UserError } from '../../src/kube/errors.ts';
import { parseTarget, WORKLOAD_KIND, workloadOf } from '../../src/kube/target.ts';

describe('kubectl spellings of a workload', () => {
  test.each([
    ['deploy/web', 'deployments'],
    ['Deployment/web', 'deployments'],
    ['deployment.apps/web', 'deployments'],
    ['deployments.apps/web', 'deployments'],
    ['deployments.v1.apps/web', 'deployments'],
    ['deploy.apps/web', 'deployments'],
    ['sts.apps/web', 'statefulsets'],
    ['statefulset.v1.apps/web', 'statefulsets'],
    ['ds/web', 'daemonsets'],
    ['daemonsets.apps/web', 'daemonsets'],
    ['rs.apps/web', 'replicasets'],
    ['job.batch/web', 'jobs'],
    ['jobs.v1.batch/web', 'jobs'],
    ['cj/web', 'cronjobs'],
    ['cronjob/web', 'cronjobs'],
    ['cronjobs.batch/web', 'cronjobs'],
    ['CronJob.batch/web', 'cronjobs'],
  ])('%s is the %s resource', (arg, resource) => {
    assert.deepEqual(parseTarget(arg, undefined), { kind: 'workload', resource, name: 'web' });
    assert.equal(typeof WORKLOAD_KIND[resource as keyof typeof WORKLOAD_KIND], 'string');
  });

  test.each([
    'deployment.batch/web',
    'job.apps/web',
    'deploy.v2.apps/web',
    'deploy.apps.v1/web',
    'cronjob.v1beta1.batch/web',
    'svc/web',
    'pods.apps/web',
  ])('%s is refused with one line naming the types podlife reads (exit 2)', (arg) => {
    assert.throws(
      () => parseTarget(arg, undefined),
      (e: unknown) =>
        e instanceof UserError && /^unsupported resource type/.test(e.message) && /cronjob\/NAME/.test(e.hint ?? '') && e.exitCode === 2,
    );
  });

  test('a workload by name across all namespaces is refused, as kubectl refuses it', () => {
    assert.throws(
      () => parseTarget('cronjob/x', undefined, { allNamespaces: true, fieldSelector: undefined }),
      (e: unknown) => e instanceof UserError && /cannot be retrieved by name across all namespaces/.test(e.message),
    );
  });

  test('workloadOf: the alias table and nothing else', () => {
    assert.equal(workloadOf('deployment.apps')?.resource, 'deployments');
    assert.equal(workloadOf('apps'), undefined);
    assert.equal(workloadOf(''), undefined);
    assert.equal(workloadOf('deployment.'), undefined);
  });
});
