// Completion against the real API server, as kubectl (>= 1.26) asks for it: the real kubectl runs
// bin/kubectl_complete-podlife found on PATH (`kubectl __complete podlife ...` is what the shell
// scripts call), which runs `kubectl-podlife __complete`. Pods, workloads, namespaces, contexts.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, test } from 'vitest';
import { applyScenario, kubeconfigPath, kubectl, inNamespace, root, waitFor } from './helpers/env.ts';

const execFileP = promisify(execFile);
const bin = join(root, 'bin');

/** Candidates and directive, as the shim prints them (the shim kubectl runs). */
async function shim(args: string[], env: Record<string, string> = {}): Promise<{ candidates: string[]; directive: string }> {
  const r = await execFileP(join(bin, 'kubectl_complete-podlife'), args, {
    env: { ...process.env, KUBECONFIG: kubeconfigPath(), ...env },
    timeout: 30_000,
  });
  return parse(r.stdout);
}

/** The same through the real kubectl's plugin completion. */
async function viaKubectl(args: string[]): Promise<{ candidates: string[]; directive: string }> {
  const r = await execFileP('kubectl', ['__complete', 'podlife', ...args], {
    env: { ...process.env, KUBECONFIG: kubeconfigPath(), PATH: `${bin}:${process.env['PATH']}` },
    timeout: 30_000,
  });
  return parse(r.stdout);
}

function parse(stdout: string): { candidates: string[]; directive: string } {
  const lines = stdout.split('\n').filter((l) => l !== '');
  const last = lines.at(-1) ?? '';
  assert.match(last, /^:\d+$/, `the last line is the directive: ${stdout}`);
  return { candidates: lines.slice(0, -1).map((l) => l.split('\t')[0]!), directive: last };
}

describe.concurrent('completion against the real cluster', () => {
  test('pods and TYPE/NAME of workloads in the namespace given with -n; through the real kubectl too', () =>
    inNamespace('complete', async ({ name: ns }) => {
      await applyScenario('plain.yaml', ns);
      await applyScenario('deployment.yaml', ns);
      await waitFor(
        async () => (await kubectl(['get', 'pods', '-n', ns, '-o', 'name'])).stdout.trim().split('\n').length >= 2,
        60_000,
        'the pod and the deployment pod',
      );
      const pods = (await kubectl(['get', 'pods', '-n', ns, '-o', 'jsonpath={.items[*].metadata.name}'])).stdout.split(' ').sort();

      const all = await shim(['-n', ns, '']);
      assert.deepEqual(all.candidates, pods);
      assert.equal(all.directive, ':4');
      assert.deepEqual((await shim(['-n', ns, 'pl'])).candidates, ['plain']);
      assert.deepEqual((await shim(['-n', ns, 'deploy/'])).candidates, ['deploy/web']);
      assert.deepEqual((await shim(['--namespace', ns, 'pod/pl'])).candidates, ['pod/plain']);
      assert.deepEqual((await shim([`--namespace=${ns}`, 'rs/'])).candidates.length, 1);
      assert.deepEqual((await shim(['-n', ns, 'sts/'])).candidates, []);

      // kubectl's own plugin completion: same answer, the same directive.
      const k = await viaKubectl(['-n', ns, '']);
      assert.deepEqual(k.candidates, pods);
      assert.equal(k.directive, ':4');
      assert.deepEqual((await viaKubectl(['-n', ns, 'deploy/w'])).candidates, ['deploy/web']);
    }));

  test('namespaces after -n, contexts after --context, formats after -o, flags', async () => {
    const namespaces = (await kubectl(['get', 'namespaces', '-o', 'jsonpath={.items[*].metadata.name}'])).stdout.split(' ').sort();
    const ns = await shim(['-n', '']);
    assert.ok(ns.candidates.includes('default') && ns.candidates.includes('kube-system'), ns.candidates.join());
    // Namespaces come and go while other tests run: every one listed by kubectl before is there unless deleted since.
    assert.ok(namespaces.filter((n) => !n.startsWith('complete-') && !ns.candidates.includes(n)).length <= 2);
    assert.deepEqual((await viaKubectl(['-n', 'kube-'])).candidates, ['kube-node-lease', 'kube-public', 'kube-system']);

    const contexts = (await kubectl(['config', 'get-contexts', '-o', 'name'])).stdout.trim().split('\n').sort();
    assert.deepEqual((await shim(['--context', ''])).candidates, contexts);
    assert.deepEqual((await viaKubectl(['--context', ''])).candidates, contexts);
    assert.deepEqual((await viaKubectl(['-o', ''])).candidates.slice(0, 3), ['tui', 'text', 'json']);
    assert.ok((await viaKubectl(['--name'])).candidates.includes('--namespace'));
    assert.ok((await viaKubectl(['demo', ''])).candidates.includes('oom'));
  });

  test("without a kubeconfig: no candidates and cobra's error directive, nothing on stderr", async () => {
    const r = await execFileP(join(bin, 'kubectl_complete-podlife'), [''], {
      env: { ...process.env, KUBECONFIG: '/nonexistent/kubeconfig' },
      timeout: 30_000,
    });
    assert.deepEqual(parse(r.stdout), { candidates: [], directive: ':1' });
    assert.equal(r.stderr, '');
  });
});
