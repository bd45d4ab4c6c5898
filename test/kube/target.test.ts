import { test } from 'vitest';
import assert from 'node:assert/strict';
import { closeNames } from '../../src/kube/target.ts';
import { UserError } from '../../src/kube/errors.ts';

test('close names for "did you mean"', () => {
  const names = ['web-0', 'web-1', 'worker-7f9c', 'db-0'];
  assert.deepEqual(closeNames('web-2', names), ['web-0', 'web-1']);
  assert.deepEqual(closeNames('worker', names), ['worker-7f9c']);
  assert.deepEqual(closeNames('zzzzzzzz', names), []);
});

test('field selectors: the syntax the API server reads, checked before connecting', async () => {
  const { checkFieldSelector } = await import('../../src/kube/target.ts');
  for (const ok of [
    'status.phase=Running',
    'status.phase==Running',
    'status.phase!=Running',
    'spec.nodeName=n1,status.phase=Failed',
    'metadata.name=a\\,b',
    '',
  ])
    assert.doesNotThrow(() => checkFieldSelector(ok), ok);
  for (const bad of ['foo', '=x', 'a=b,,c', 'a=b,', '!=x'])
    assert.throws(
      () => checkFieldSelector(bad),
      (e: unknown) => e instanceof UserError && e.exitCode === 2 && /invalid field selector/.test(e.message),
      bad,
    );
});

test('-A and --field-selector become the collection path and the pod query', async () => {
  const { resolveTarget, collectionPath } = await import('../../src/kube/resolve-target.ts');
  const noClient = {} as never; // pods and selectors need no request to resolve
  const all = await resolveTarget(noClient, 'shop', { kind: 'all' }, { allNamespaces: true, fieldSelector: 'status.phase=Failed' });
  assert.equal(all.namespace, undefined);
  assert.equal(collectionPath('pods', all.namespace), '/api/v1/pods');
  assert.deepEqual(all.podQuery, { fieldSelector: 'status.phase=Failed' });
  assert.equal(all.label, '-A --field-selector status.phase=Failed');
  const sel = await resolveTarget(
    noClient,
    'shop',
    { kind: 'selector', selector: 'app=web' },
    { allNamespaces: true, fieldSelector: undefined },
  );
  assert.deepEqual(sel.podQuery, { labelSelector: 'app=web' });
  assert.equal(collectionPath('events', sel.namespace), '/api/v1/events');
  const pod = await resolveTarget(
    noClient,
    'shop',
    { kind: 'pod', name: 'web-0' },
    { allNamespaces: false, fieldSelector: 'spec.nodeName=n1' },
  );
  assert.equal(collectionPath('pods', pod.namespace), '/api/v1/namespaces/shop/pods');
  assert.deepEqual(pod.podQuery, { fieldSelector: 'metadata.name=web-0,spec.nodeName=n1' });
});

test('-A with a name is refused as kubectl refuses it; usage errors exit 2', async () => {
  const { parseTarget } = await import('../../src/kube/target.ts');
  for (const [arg, scope] of [
    ['web-0', { allNamespaces: true, fieldSelector: undefined }],
    ['deploy/web', { allNamespaces: true, fieldSelector: undefined }],
  ] as const)
    assert.throws(
      () => parseTarget(arg, undefined, scope),
      (e: unknown) =>
        e instanceof UserError && e.exitCode === 2 && e.message === 'a resource cannot be retrieved by name across all namespaces',
    );
  for (const arg of [undefined, 'deploy/', 'foo/bar', 'Bad_Name'])
    assert.throws(
      () => parseTarget(arg, undefined),
      (e: unknown) => e instanceof UserError && e.exitCode === 2,
      String(arg),
    );
});
