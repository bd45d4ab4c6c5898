import { test } from 'vitest';
import assert from 'node:assert/strict';
import { selectorString } from '../../src/kube/resolve-target.ts';
import { closeNames } from '../../src/kube/target.ts';

test('label selectors as the API accepts them', () => {
  assert.equal(selectorString({ matchLabels: { app: 'web', tier: 'fe' } }), 'app=web,tier=fe');
  assert.equal(
    selectorString({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'env', operator: 'In', values: ['a', 'b'] },
        { key: 'x', operator: 'NotIn', values: ['c'] },
        { key: 'y', operator: 'Exists' },
        { key: 'z', operator: 'DoesNotExist' },
      ],
    }),
    'app=web,env in (a,b),x notin (c),y,!z',
  );
  assert.equal(selectorString(undefined), '');
});

test('close names for "did you mean"', () => {
  const names = ['web-0', 'web-1', 'worker-7f9c', 'db-0'];
  assert.deepEqual(closeNames('web-2', names), ['web-0', 'web-1']);
  assert.deepEqual(closeNames('worker', names), ['worker-7f9c']);
  assert.deepEqual(closeNames('zzzzzzzz', names), []);
});
