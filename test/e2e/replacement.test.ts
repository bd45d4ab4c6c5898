// A pod watched by name that its controller replaces under a new name (the real
// kube-controller-manager's ReplicaSet and Job controllers): podlife shows the old pod's
// termination, says which pod replaced it, and follows the replacement (its lines, its events, its
// readiness); --until ready is the replacement's, --until deleted the named pod's; the terminal UI
// shows the old pod until it is gone, then the replacement; a user who may list only that one pod
// by name gets one note and the old pod alone.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { inNamespace, kubeconfigPath, kubectl, kubectlRow, launcher, podlife, Streaming, waitFor } from './helpers/env.ts';
import { assertNoCrash, isConnection, isLifecycle, lastPod, parsed, type JsonLine } from './helpers/json-lines.ts';
import { TmuxSession } from './helpers/tmux.ts';

let dir: string;
beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), 'podlife-replacement-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A Deployment of one replica whose pod takes its whole grace period to stop (the shell traps
 * SIGTERM; httpd serves the readiness probe), so that the old pod is still terminating when its
 * replacement runs.
 */
const deployment = (name: string, grace: number, replicas = 1): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      terminationGracePeriodSeconds: ${grace}
      containers:
      - name: web
        image: docker.io/podlife/busybox:1
        imagePullPolicy: Never
        command: [sh, -c, 'trap "echo got SIGTERM" TERM; httpd -p 8080 -h /var/www; while true; do sleep 1; done']
        readinessProbe:
          httpGet: {path: /, port: 8080}
          periodSeconds: 1
`;

async function deploy(ns: string, name: string, grace: number, replicas = 1): Promise<string> {
  await kubectl(['apply', '-n', ns, '-f', '-'], { input: deployment(name, grace, replicas) });
  await kubectl(['rollout', 'status', '-n', ns, `deployment/${name}`, '--timeout=90s']);
  const pods = (await kubectl(['get', 'pods', '-n', ns, '-l', `app=${name}`, '-o', 'jsonpath={.items[*].metadata.name}'])).stdout.trim();
  assert.equal(pods.split(' ').length, replicas, `${replicas} pod(s): ${pods}`);
  return pods.split(' ')[0]!;
}

const ownerUid = async (ns: string, pod: string): Promise<string> =>
  (await kubectl(['get', 'pod', pod, '-n', ns, '-o', 'jsonpath={.metadata.ownerReferences[?(@.controller==true)].uid}'])).stdout.trim();

const replacedBy = (l: JsonLine): string | undefined => (l['replacement'] as { name?: string } | undefined)?.name;

describe('a pod its controller replaces under a new name', () => {
  test('-o json: the old pod terminates, the event names the replacement, the replacement runs and becomes ready', async () => {
    await inNamespace('repl-json', async ({ name: ns }) => {
      const old = await deploy(ns, 'shop', 6);
      const rs = await ownerUid(ns, old);
      const s = new Streaming([old, '-n', ns, '-o', 'json']);
      try {
        await s.waitForLine(isConnection('live'), 30_000);
        await kubectl(['delete', 'pod', old, '-n', ns, '--wait=false']);
        const { line } = await s.waitForLine(
          isLifecycle('pod-replaced', (l) => l['pod'] === old),
          30_000,
        );
        const ev = JSON.parse(line) as JsonLine;
        const fresh = replacedBy(ev)!;
        assert.ok(fresh && fresh !== old, line);
        // The real controller made it: same ReplicaSet, as kubectl sees it.
        assert.equal(await ownerUid(ns, fresh), rs);
        assert.deepEqual((ev['replacement'] as { controller: unknown }).controller, {
          kind: 'ReplicaSet',
          name: (await kubectl(['get', 'pod', fresh, '-n', ns, '-o', 'jsonpath={.metadata.ownerReferences[0].name}'])).stdout.trim(),
        });
        assert.match(String(ev['text']), new RegExp(`^replaced by ${fresh}: ReplicaSet \\S+ created it after the deletion request$`));
        // The replacement's own lines: running, ready; the old pod's termination and deletion.
        await s.waitForLine(
          isLifecycle('container-ready', (l) => l['pod'] === fresh),
          60_000,
        );
        await s.waitForLine(
          isLifecycle('deleted', (l) => l['pod'] === old),
          60_000,
        );
        // (The pod line follows its lifecycle lines.)
        await waitFor(() => lastPod(s.lines, old)?.['deleted'] === true, 10_000, 'the old pod line saying deleted');
        const lines = parsed(s.lines);
        const types = (pod: string): string[] =>
          lines.filter((l) => l.kind === 'lifecycle' && l['pod'] === pod).map((l) => String(l['type']));
        assert.ok(types(old).includes('deleting'), types(old).join(' '));
        assert.ok(types(fresh).includes('pod-created') && types(fresh).includes('container-running'), types(fresh).join(' '));
        // Its events come too (the kubelet's Started for the replacement).
        const freshPod = lastPod(s.lines, fresh)!;
        assert.ok(
          (freshPod['events'] as { reason: string }[]).some((e) => e.reason === 'Started'),
          JSON.stringify(freshPod['events']),
        );
        assert.deepEqual((freshPod['replaces'] as { name: string }).name, old);
        assert.equal((lastPod(s.lines, old)!['replacedBy'] as { name: string }).name, fresh);
        // What kubectl says of the replacement, and of the old pod (gone).
        const row = await kubectlRow(ns, fresh);
        assert.equal(freshPod['status'], row.status);
        assert.equal(freshPod['ready'], row.ready);
        assert.equal((await kubectl(['get', 'pod', old, '-n', ns], { allowFail: true })).code, 1);
        // One replacement event, on the old pod; siblings none.
        assert.equal(lines.filter((l) => l.kind === 'lifecycle' && l['type'] === 'pod-replaced').length, 1);
      } finally {
        await s.stop();
        assertNoCrash(s.stderr, assert.ok);
      }
    });
  });

  test('--until ready waits for the replacement; --until deleted for the named pod', async () => {
    await inNamespace('repl-until', async ({ name: ns }) => {
      const old = await deploy(ns, 'api', 8);
      await kubectl(['delete', 'pod', old, '-n', ns, '--wait=false']);
      // Started while the named pod terminates: it will never be ready again, its replacement will.
      const [ready, deleted] = await Promise.all([
        podlife([old, '-n', ns, '--until', 'ready', '--timeout', '60s', '-o', 'text', '--no-color'], { timeoutMs: 90_000 }),
        podlife([old, '-n', ns, '--until', 'deleted', '--timeout', '60s', '-o', 'json'], { timeoutMs: 90_000 }),
      ]);
      const fresh = (await kubectl(['get', 'pods', '-n', ns, '-l', 'app=api', '-o', 'jsonpath={.items[*].metadata.name}'])).stdout.trim();
      assert.notEqual(fresh, old);
      assert.equal(ready.code, 0, ready.stdout.slice(-2000) + ready.stderr);
      assert.match(ready.stdout, new RegExp(`replaced by ${fresh}`));
      assert.match(ready.stdout, new RegExp(`pod/${fresh}: 1 of 1 ready`));
      assert.equal(deleted.code, 0, deleted.stdout.slice(-2000) + deleted.stderr);
      const until = parsed(deleted.stdout.split('\n')).find((l) => l.kind === 'until')!;
      assert.equal(until['outcome'], 'reached');
      assert.equal(until['target'], `pod/${old}`);
      assertNoCrash(ready.stderr + deleted.stderr, assert.ok);
    });
  });

  test('a Job pod deleted: the Job controller replaces it after its back-off, and podlife follows', async () => {
    await inNamespace('repl-job', async ({ name: ns }) => {
      await kubectl(['apply', '-n', ns, '-f', '-'], {
        input: `apiVersion: batch/v1
kind: Job
metadata: {name: batch}
spec:
  backoffLimit: 3
  template:
    metadata: {labels: {app: batch}}
    spec:
      restartPolicy: Never
      terminationGracePeriodSeconds: 1
      containers:
      - name: work
        image: docker.io/podlife/busybox:1
        imagePullPolicy: Never
        command: [sh, -c, 'echo processing; sleep 120']
`,
      });
      await kubectl(['wait', '-n', ns, 'pod', '-l', 'app=batch', '--for=condition=Ready', '--timeout=60s']);
      const old = (await kubectl(['get', 'pods', '-n', ns, '-l', 'app=batch', '-o', 'jsonpath={.items[0].metadata.name}'])).stdout.trim();
      const s = new Streaming([old, '-n', ns, '-o', 'json']);
      try {
        await s.waitForLine(isConnection('live'), 30_000);
        await kubectl(['delete', 'pod', old, '-n', ns, '--wait=false']);
        const { line } = await s.waitForLine(
          isLifecycle('pod-replaced', (l) => l['pod'] === old),
          60_000,
        );
        const fresh = replacedBy(JSON.parse(line) as JsonLine)!;
        assert.match(line, /"controller":\{"kind":"Job","name":"batch"\}/);
        await s.waitForLine(
          isLifecycle('container-running', (l) => l['pod'] === fresh),
          60_000,
        );
        assert.equal(
          await ownerUid(ns, fresh),
          (await kubectl(['get', 'job', 'batch', '-n', ns, '-o', 'jsonpath={.metadata.uid}'])).stdout.trim(),
        );
      } finally {
        await s.stop();
        assertNoCrash(s.stderr, assert.ok);
      }
    });
  });

  test('the terminal UI shows the old pod until it is gone, then the replacement', async () => {
    await inNamespace('repl-tui', async ({ name: ns }) => {
      const old = await deploy(ns, 'web', 5);
      const t = new TmuxSession([launcher, old, '-n', ns], { width: 110, height: 32, env: { KUBECONFIG: kubeconfigPath() } });
      try {
        await t.waitForScreen((sc) => sc.includes('● live') && sc.includes(`${ns}/${old}`), 30_000);
        await kubectl(['delete', 'pod', old, '-n', ns, '--wait=false']);
        // While it terminates: the old pod, saying what replaced it.
        const during = await t.waitForScreen((sc) => sc.includes(`${ns}/${old}`) && /replaced by \S+/.test(sc), 30_000);
        const fresh = /replaced by (\S+),/.exec(during)![1]!;
        assert.match(during, /Terminating/);
        // Once it is gone: the replacement, saying which pod it replaced.
        const after = await t.waitForScreen((sc) => sc.includes(`${ns}/${fresh}`) && sc.includes(`replaces ${old}`), 60_000);
        assert.match(after, /\[pod 1\/2, tab\]/);
      } finally {
        t.kill();
      }
    });
  });

  test('deploy/NAME: the replacement comes through the selector, and the same event names it (siblings replace nothing)', async () => {
    await inNamespace('repl-group', async ({ name: ns }) => {
      const old = await deploy(ns, 'grp', 3, 2);
      const s = new Streaming(['deploy/grp', '-n', ns, '-o', 'json']);
      try {
        await s.waitForLine((l) => l.startsWith('{"kind":"workload"'), 30_000);
        await kubectl(['delete', 'pod', old, '-n', ns, '--wait=false']);
        const { line } = await s.waitForLine(isLifecycle('pod-replaced'), 30_000);
        const ev = JSON.parse(line) as JsonLine;
        assert.equal(ev['pod'], old);
        const fresh = replacedBy(ev)!;
        await s.waitForLine(
          isLifecycle('container-ready', (l) => l['pod'] === fresh),
          60_000,
        );
        await s.waitForLine(
          isLifecycle('deleted', (l) => l['pod'] === old),
          60_000,
        );
        const now = (await kubectl(['get', 'pods', '-n', ns, '-l', 'app=grp', '-o', 'jsonpath={.items[*].metadata.name}'])).stdout
          .trim()
          .split(' ');
        assert.ok(now.includes(fresh), `${fresh} in ${now.join(' ')}`);
        assert.equal(parsed(s.lines).filter((l) => l.kind === 'lifecycle' && l['type'] === 'pod-replaced').length, 1);
        await waitFor(
          () => (lastPod(s.lines, fresh)?.['replaces'] as { name?: string } | undefined)?.name === old,
          10_000,
          'the replacement pod line naming the pod it replaces',
        );
      } finally {
        await s.stop();
        assertNoCrash(s.stderr, assert.ok);
      }
    });
  });

  test('allowed to list only the named pod: one note, the old pod alone', async () => {
    await inNamespace('repl-rbac', async ({ name: ns }) => {
      const old = await deploy(ns, 'solo', 3);
      // Pods by name only (RBAC authorizes a list by metadata.name field selector against resourceNames), and events.
      await kubectl(['create', 'serviceaccount', 'solo', '-n', ns]);
      await kubectl(['create', 'role', 'solo-pod', '-n', ns, '--verb=get,list,watch', '--resource=pods', `--resource-name=${old}`]);
      await kubectl(['create', 'role', 'solo-events', '-n', ns, '--verb=list,watch', '--resource=events']);
      for (const r of ['solo-pod', 'solo-events'])
        await kubectl(['create', 'rolebinding', r, `--role=${r}`, `--serviceaccount=${ns}:solo`, '-n', ns]);
      const token = (await kubectl(['create', 'token', 'solo', '-n', ns, '--duration=10m'])).stdout.trim();
      const admin = readFileSync(kubeconfigPath(), 'utf8');
      const kc = join(dir, `solo-${ns}`);
      writeFileSync(
        kc,
        `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: {server: "${/server:\s*(https:\/\/\S+)/.exec(admin)![1]!}", certificate-authority: "${/certificate-authority:\s*(\S+)/.exec(admin)![1]!}"}
users:
- name: u
  user: {token: "${token}"}
contexts:
- name: solo
  context: {cluster: c, user: u, namespace: ${ns}}
current-context: solo
`,
      );
      // The same user may not list pods by label, as kubectl says.
      const denied = await kubectl(['get', 'pods', '-l', 'app=solo', '-n', ns], { kubeconfig: kc, allowFail: true });
      assert.match(denied.stderr, /forbidden/);
      const s = new Streaming([old, '-o', 'json'], { KUBECONFIG: kc });
      try {
        await s.waitForLine(isConnection('live'), 30_000);
        await kubectl(['delete', 'pod', old, '-n', ns, '--wait=false']);
        await s.waitForLine(
          isLifecycle('deleted', (l) => l['pod'] === old),
          60_000,
        );
        await waitFor(() => s.lines.some((l) => l.includes('RBAC forbids listing pods by label')), 10_000, 'the note');
        const notes = parsed(s.lines).filter((l) => l.kind === 'note' && String(l['text']).includes('replaces'));
        assert.equal(notes.length, 1, JSON.stringify(notes));
        assert.match(
          String(notes[0]!['text']),
          new RegExp(
            `cannot look for the pod that replaces ${old}: RBAC forbids listing pods by label in namespace ${ns}; showing ${old} only`,
          ),
        );
        assert.equal(parsed(s.lines).filter((l) => l.kind === 'lifecycle' && l['type'] === 'pod-replaced').length, 0);
        assert.equal(s.proc.exitCode, null, 'still watching');
      } finally {
        await s.stop();
        assertNoCrash(s.stderr, assert.ok);
      }
    });
  });
});
