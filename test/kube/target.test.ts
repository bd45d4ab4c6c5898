import { test } from 'vitest';
import assert from 'node:assert/strict';
import { closeNames } from '../../src/kube/target.ts';

test('close names for "did you mean"', () => {
  const names = ['web-0', 'web-1', 'worker-7f9c', 'db-0'];
  assert.deepEqual(closeNames('web-2', names), ['web-0', 'web-1']);
  assert.deepEqual(closeNames('worker', names), ['worker-7f9c']);
  assert.deepEqual(closeNames('zzzzzzzz', names), []);
});
