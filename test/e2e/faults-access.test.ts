// Access that is partial, or that ends mid-watch, against the test cluster (nothing is killed here):
// - the restricted user (get/list/watch pods; no events, no logs): every view says what it cannot
//   see and keeps working;
// - credentials that stop being accepted mid-watch: a service-account token revoked (its account
//   deleted), then podlife's connection cut (a loopback fault proxy) so that it must authenticate
//   again. A kubeconfig `tokenFile` that was refreshed is read again and an exec plugin is run again,
//   as kubectl does; when nothing new can be had, one clear line says to log in again, exit 1.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.ts';
import {
  kubeconfigPath,
  kubectl,
  launcher,
  newNamespace,
  podlife,
  restrictedKubeconfigPath,
  scenarios,
  Streaming,
  waitFor,
} from './helpers/env.ts';
import { assertNoCrash, isConnection, isLifecycle, parsed } from './helpers/json-lines.ts';
import { patchStatus, statusFor, unschedulablePod } from './helpers/pod-status.ts';
import { TmuxSession } from './helpers/tmux.ts';

let ns: { name: string; cleanup: () => Promise<void> };
let dir: string;
const admin = (): string => kubeconfigPath();
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  ns = await newNamespace('faults-access');
  dir = mkdtempSync(join(tmpdir(), 'podlife-faults-access-'));
}, 120_000);

afterAll(async () => {
  for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
  await ns?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

/** Starts a long-running podlife and makes sure it is stopped, even when the test fails. */
function streaming(args: string[], env: Record<string, string>): Streaming {
  const s = new Streaming(args, env);
  cleanups.push(() => void s.stop());
  return s;
}

function tmux(args: string[], env: Record<string, string>): TmuxSession {
  const t = new TmuxSession([launcher, ...args], { width: 120, height: 40, env });
  cleanups.push(() => t.kill());
  return t;
}

describe('the restricted user (pods only: no events, no logs)', () => {
  test(
    'pod view (JSON, text, TUI) and -l view (JSON, TUI, --once) say what they cannot see and keep working',
    { timeout: 180_000 },
    async () => {
      const created = Date.now() - 20_000;
      const t0 = Date.now() - 10_000;
      for (const name of ['r1', 'r2'])
        await kubectl(['apply', '-n', ns.name, '-f', '-'], { input: unschedulablePod(name, { tier: 'restricted' }) });
      // r1's container has ended: podlife asks for its log, which this user may not read.
      await patchStatus(
        admin(),
        ns.name,
        'r1',
        statusFor({ kind: 'terminated', id: 'r1-c1', startedAt: t0, finishedAt: t0 + 2_000, exitCode: 1, restarts: 0 }, created),
      );
      await patchStatus(admin(), ns.name, 'r2', statusFor({ kind: 'waiting' }, created));

      const env = { KUBECONFIG: restrictedKubeconfigPath() };
      const podJson = streaming(['r1', '-n', ns.name, '-o', 'json'], env);
      const podText = streaming(['r1', '-n', ns.name, '-o', 'text'], env);
      const selJson = streaming(['-l', 'tier=restricted', '-n', ns.name, '-o', 'json'], env);
      const podTui = tmux(['r1', '-n', ns.name], env);
      const selTui = tmux(['-l', 'tier=restricted', '-n', ns.name], env);

      const eventsNote = /events are not visible \(RBAC forbids list\/watch on events\)/;
      const logsNote = /logs not visible: RBAC forbids get on pods\/log/;
      for (const s of [podJson, selJson]) {
        await s.waitForLine((l) => l.startsWith('{"kind":"note"') && eventsNote.test(l), 30_000);
        await s.waitForLine((l) => isLifecycle('logs')(l) && logsNote.test(l), 30_000);
        await s.waitForLine(isConnection('live'), 30_000);
      }
      await podText.waitForLine((l) => l.startsWith('# note:') && eventsNote.test(l), 30_000);
      await podText.waitForLine((l) => logsNote.test(l), 30_000);
      const gap = 'not known: events: not readable with these credentials';
      await podTui.waitForScreen((s) => s.includes('● live') && s.includes(gap), 30_000);
      // The -l view lists the pods by workload; its note says what it cannot see.
      await selTui.waitForScreen((s) => s.includes('● live') && eventsNote.test(s) && /\br1\b/.test(s) && /\br2\b/.test(s), 30_000);
      podTui.keys('Enter');
      await podTui.waitForScreen((s) => s.includes('(logs not visible: RBAC forbids get on pods/log)'), 10_000);

      // Keeps working: the next transitions arrive in every view.
      const fromPod = podJson.lines.length;
      const fromSel = selJson.lines.length;
      await patchStatus(
        admin(),
        ns.name,
        'r1',
        statusFor(
          {
            kind: 'running',
            id: 'r1-c2',
            startedAt: t0 + 5_000,
            restarts: 1,
            last: { id: 'r1-c1', startedAt: t0, finishedAt: t0 + 2_000, exitCode: 1 },
          },
          created,
        ),
      );
      await patchStatus(admin(), ns.name, 'r2', statusFor({ kind: 'running', id: 'r2-c1', startedAt: t0 + 6_000, restarts: 0 }, created));
      await podJson.waitForLine(
        isLifecycle('container-restarted', (l) => l['containerID'] === 'containerd://r1-c2'),
        30_000,
        fromPod,
      );
      await selJson.waitForLine(
        isLifecycle('container-restarted', (l) => l['pod'] === 'r1'),
        30_000,
        fromSel,
      );
      await selJson.waitForLine(
        isLifecycle('container-running', (l) => l['pod'] === 'r2'),
        30_000,
        fromSel,
      );
      await podText.waitForLine((l) => /\[app\] restarted/.test(l), 30_000);
      // Each pod's picture (a "pod" line follows each change) names what is not known.
      for (const name of ['r1', 'r2']) {
        const { line } = await selJson.waitForLine((l) => l.startsWith('{"kind":"pod"') && JSON.parse(l).name === name, 30_000, fromSel);
        const gaps = (JSON.parse(line) as { gaps: string[] }).gaps;
        assert.ok(
          gaps.some((g) => /events/.test(g)),
          `${name}: gaps name the events: ${JSON.stringify(gaps)}`,
        );
      }
      podTui.keys('Enter');
      await podTui.waitForScreen((s) => /RESTARTS 1/.test(s), 30_000);
      // The -l view: both rows follow the changes; each pod opens (enter) on its own view, which names
      // the same gap, and closes again (escape).
      await selTui.waitForScreen((s) => /\br1\s+\d\/1\s+\S+\s+1\s/.test(s) && /\br2\s+1\/1\s+Running\b/.test(s), 30_000);
      const opened: string[] = [];
      for (const key of [[], ['Down']]) {
        if (key.length > 0) selTui.keys(...key);
        await new Promise((r) => setTimeout(r, 300));
        selTui.keys('Enter');
        const pod = await selTui.waitForScreen((s) => /─ containers/.test(s) && s.includes(gap), 10_000);
        opened.push(/^podlife .* › (r[12]) /m.exec(pod)?.[1] ?? pod);
        selTui.keys('Escape');
        await selTui.waitForScreen((s) => eventsNote.test(s) && !/─ containers/.test(s), 10_000);
      }
      assert.deepEqual([...opened].sort(), ['r1', 'r2'], 'enter opens the selected pod, down selects the next');

      // The -l picture, once: the same notes, exit 0.
      const once = await podlife(['-l', 'tier=restricted', '-n', ns.name, '--once'], { env });
      assert.equal(once.code, 0, once.stderr);
      assert.match(once.stdout, eventsNote);
      assert.match(once.stdout, /r1/);
      assert.match(once.stdout, /r2/);

      for (const s of [podJson, podText, selJson]) {
        assert.equal(s.proc.exitCode, null, 'still running');
        assertNoCrash(s.stderr, assert.ok);
      }
    },
  );
});

describe('the restricted user and a Deployment', () => {
  test(
    'deploy/NAME: without read access to Deployments one line names the permission; with it, the rollout view says events are not visible and --until decides from what it can read',
    { timeout: 180_000 },
    async () => {
      const env = { KUBECONFIG: restrictedKubeconfigPath() };
      await kubectl(['apply', '-n', ns.name, '-f', join(scenarios, 'rollout-deploy.yaml')]);
      await kubectl(['rollout', 'status', 'deploy/shop', '-n', ns.name, '--timeout', '120s']);

      // Pods only: the Deployment itself cannot be read. One line (and a hint), exit 1, no stack.
      const denied = await podlife(['deploy/shop', '-n', ns.name, '--once'], { env });
      assert.equal(denied.code, 1, denied.stdout + denied.stderr);
      assert.match(denied.stderr, /^podlife: forbidden: deployments\.apps "shop" is forbidden/m);
      assert.match(denied.stderr, /kubectl auth can-i get deployments -n /);
      assertNoCrash(denied.stderr, assert.ok);

      // Deployments and ReplicaSets readable in this namespace (still no events, no logs).
      await kubectl([
        'create',
        'role',
        'apps-read',
        '-n',
        ns.name,
        '--verb=get,list,watch',
        '--resource=deployments.apps,replicasets.apps',
      ]);
      await kubectl(['create', 'rolebinding', 'apps-read', '-n', ns.name, '--role=apps-read', '--user=podlife-restricted']);
      const eventsNote = /events are not visible \(RBAC forbids list\/watch on events\)/;
      await waitFor(
        async () => (await podlife(['deploy/shop', '-n', ns.name, '--once'], { env })).code === 0,
        30_000,
        'the role to take effect',
      );
      const tui = tmux(['deploy/shop', '-n', ns.name], env);
      await tui.waitForScreen((s) => s.includes('● live') && eventsNote.test(s) && /complete/.test(s), 30_000);

      // A new revision rolls out; --until decides from the Deployment and pod status alone.
      await kubectl(['set', 'env', 'deploy/shop', '-n', ns.name, 'VERSION=2']);
      const r = await podlife(['deploy/shop', '-n', ns.name, '--until', 'available', '--timeout', '120s', '-o', 'json'], {
        env,
        timeoutMs: 150_000,
      });
      assert.equal(r.code, 0, r.stderr + r.stdout.slice(-2000));
      const out = parsed(r.stdout.split('\n'));
      assert.ok(
        out.some((l) => l['kind'] === 'note' && eventsNote.test(String(l['text']))),
        'the events note',
      );
      assert.ok(
        out.some(
          (l) =>
            l['kind'] === 'note' &&
            /^events not visible \(RBAC forbids list\/watch\); the rollout view lacks them$/.test(String(l['text'])),
        ),
        `the workload's events note: ${JSON.stringify(out.filter((l) => l['kind'] === 'note'))}`,
      );
      const until = out.at(-1)!;
      assert.equal(until['kind'], 'until');
      assert.equal(until['outcome'], 'reached');
      const last = out.filter((l) => l['kind'] === 'workload').at(-1)!;
      assert.equal(last['revision'], 2);
      await tui.waitForScreen((s) => /revision 1 -> 2/.test(s) && eventsNote.test(s), 30_000);
      tui.keys('q');
    },
  );
});

// --- credentials that stop being accepted ---

const server = (): string => /server:\s*(https:\/\/\S+)/.exec(readFileSync(admin(), 'utf8'))![1]!;
const caFile = (): string => /certificate-authority:\s*(\S+)/.exec(readFileSync(admin(), 'utf8'))![1]!;

function kubeconfigFor(file: string, serverUrl: string, user: string): string {
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: {server: "${serverUrl}", certificate-authority: "${caFile()}"}
users:
- name: u
  user:
${user}
contexts:
- name: viewer
  context: {cluster: c, user: u, namespace: ${ns.name}}
current-context: viewer
`,
  );
  return file;
}

/** A service account allowed to view the namespace, and a token for it. */
async function viewer(sa: string): Promise<string> {
  await kubectl(['create', 'serviceaccount', sa, '-n', ns.name]);
  await kubectl(['create', 'rolebinding', sa, '--clusterrole=view', `--serviceaccount=${ns.name}:${sa}`, '-n', ns.name], {
    allowFail: true,
  });
  return (await kubectl(['create', 'token', sa, '-n', ns.name, '--duration=10m'])).stdout.trim();
}

/** Deletes the account, so its tokens are refused; waits until the API server refuses this one. */
async function revoke(sa: string, token: string): Promise<void> {
  await kubectl(['delete', 'serviceaccount', sa, '-n', ns.name, '--wait=true']);
  const probe = kubeconfigFor(join(dir, `probe-${sa}`), server(), `    token: ${token}`);
  // The API server caches a successful token review for up to 10 s.
  await waitFor(
    async () =>
      /Unauthorized|must be logged in/.test((await kubectl(['get', 'pods', '-n', ns.name], { kubeconfig: probe, allowFail: true })).stderr),
    30_000,
    `token of ${sa} refused`,
  );
}

async function withProxy(): Promise<FaultProxy> {
  const u = new URL(server());
  const p = await startFaultProxy(u.hostname, Number(u.port));
  cleanups.push(() => p.close());
  return p;
}

describe.concurrent('credentials that stop being accepted mid-watch', () => {
  test('tokenFile: refreshed on disk, read again after the 401, the watch goes on', { timeout: 120_000 }, async () => {
    const pod = 'cred-file';
    await kubectl(['apply', '-n', ns.name, '-f', '-'], { input: unschedulablePod(pod) });
    const proxy = await withProxy();
    const tokenPath = join(dir, 'file-token');
    writeFileSync(tokenPath, (await viewer('sa-file')) + '\n');
    // Relative to the kubeconfig's directory, as kubectl reads it.
    const kc = kubeconfigFor(join(dir, 'kubeconfig-file'), `https://127.0.0.1:${proxy.port}`, '    tokenFile: file-token');
    const theirs = await kubectl(['get', 'pod', pod, '--no-headers'], { kubeconfig: kc });
    assert.match(theirs.stdout, new RegExp(`^${pod}\\s`), 'kubectl reads the tokenFile');

    const json = streaming([pod, '-o', 'json', '--log-lines', '0'], { KUBECONFIG: kc });
    await json.waitForLine(isConnection('live'), 30_000);
    await revoke('sa-file', readFileSync(tokenPath, 'utf8').trim());
    writeFileSync(tokenPath, (await viewer('sa-file')) + '\n'); // what a login tool does
    const from = json.lines.length;
    proxy.cutAll();
    await json.waitForLine(isConnection('reconnecting'), 30_000, from);
    await json.waitForLine(isConnection('live'), 30_000, from);
    await patchStatus(
      admin(),
      ns.name,
      pod,
      statusFor({ kind: 'running', id: 'f1', startedAt: Date.now() - 1_000, restarts: 0 }, Date.now() - 5_000),
    );
    await json.waitForLine(
      isLifecycle('container-running', (l) => l['containerID'] === 'containerd://f1'),
      30_000,
      from,
    );
    const after = parsed(json.lines, from);
    assert.equal(after.filter((l) => l.kind === 'connection' && l['state'] === 'offline').length, 0, 'never offline');
    assert.equal(json.proc.exitCode, null);
    assertNoCrash(json.stderr, assert.ok);
  });

  test('exec plugin: run again after the 401, the watch goes on', { timeout: 120_000 }, async () => {
    const pod = 'cred-exec';
    await kubectl(['apply', '-n', ns.name, '-f', '-'], { input: unschedulablePod(pod) });
    const proxy = await withProxy();
    const cred = join(dir, 'exec-cred');
    const runs = join(dir, 'exec-runs');
    writeFileSync(cred, await viewer('sa-exec'));
    const plugin = join(dir, 'exec-plugin.sh');
    writeFileSync(
      plugin,
      `#!/bin/sh\necho run >> '${runs}'\nprintf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}\\n' "$(cat '${cred}')"\n`,
      { mode: 0o755 },
    );
    const kc = kubeconfigFor(
      join(dir, 'kubeconfig-exec'),
      `https://127.0.0.1:${proxy.port}`,
      `    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ${plugin}\n      interactiveMode: Never`,
    );
    const json = streaming([pod, '-o', 'json', '--log-lines', '0'], { KUBECONFIG: kc });
    await json.waitForLine(isConnection('live'), 30_000);
    const runsBefore = readFileSync(runs, 'utf8').split('\n').filter(Boolean).length;
    await revoke('sa-exec', readFileSync(cred, 'utf8').trim());
    writeFileSync(cred, await viewer('sa-exec'));
    const from = json.lines.length;
    proxy.cutAll();
    await json.waitForLine(isConnection('live'), 30_000, from);
    await patchStatus(
      admin(),
      ns.name,
      pod,
      statusFor({ kind: 'running', id: 'e1', startedAt: Date.now() - 1_000, restarts: 0 }, Date.now() - 5_000),
    );
    await json.waitForLine(
      isLifecycle('container-running', (l) => l['containerID'] === 'containerd://e1'),
      30_000,
      from,
    );
    const runsAfter = readFileSync(runs, 'utf8').split('\n').filter(Boolean).length;
    assert.ok(runsAfter > runsBefore, `the plugin ran again (${runsBefore} -> ${runsAfter})`);
    assert.equal(json.proc.exitCode, null);
    assertNoCrash(json.stderr, assert.ok);
  });

  test(
    'nothing new to be had (token revoked, or the plugin says the login expired): one line saying to log in again, exit 1',
    { timeout: 150_000 },
    async () => {
      const pod = 'cred-gone';
      await kubectl(['apply', '-n', ns.name, '-f', '-'], { input: unschedulablePod(pod) });
      const proxy = await withProxy();
      const tokenPath = join(dir, 'gone-token');
      writeFileSync(tokenPath, await viewer('sa-gone'));
      const kcFile = kubeconfigFor(join(dir, 'kubeconfig-gone'), `https://127.0.0.1:${proxy.port}`, `    tokenFile: ${tokenPath}`);
      const expired = join(dir, 'gone-expired');
      const plugin = join(dir, 'gone-plugin.sh');
      writeFileSync(
        plugin,
        `#!/bin/sh\nif [ -e '${expired}' ]; then echo 'error: the session has expired; run: example-login' >&2; exit 1; fi\nprintf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}\\n' "$(cat '${tokenPath}')"\n`,
        { mode: 0o755 },
      );
      const kcExec = kubeconfigFor(
        join(dir, 'kubeconfig-gone-exec'),
        `https://127.0.0.1:${proxy.port}`,
        `    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ${plugin}\n      interactiveMode: Never`,
      );
      const file = streaming([pod, '-o', 'json', '--log-lines', '0'], { KUBECONFIG: kcFile });
      const exec = streaming([pod, '-o', 'text', '--log-lines', '0'], { KUBECONFIG: kcExec });
      const tui = tmux([pod, '--log-lines', '0'], { KUBECONFIG: kcFile });
      await file.waitForLine(isConnection('live'), 30_000);
      await exec.waitForLine((l) => l === '# connection live', 30_000);
      await tui.waitForScreen((s) => s.includes('● live'), 30_000);
      await revoke('sa-gone', readFileSync(tokenPath, 'utf8').trim());
      writeFileSync(expired, '');
      proxy.cutAll();

      const codes = await Promise.race([
        Promise.all([file.exited, exec.exited]),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('podlife did not give up within 60 s')), 60_000)),
      ]);
      assert.deepEqual(codes, [1, 1]);
      // One line from podlife and its hint. An exec plugin's own messages reach stderr too, as with
      // kubectl (that is where login prompts go): once per watch that ran it, not in a loop.
      for (const [s, what, hint] of [
        [file, /^podlife: unauthorized: the API server rejected the credentials \(Unauthorized\)$/, /^ {2}Log in again/],
        [exec, /^podlife: getting credentials: exec: executable \S+gone-plugin\.sh failed with exit code 1$/, /log in again/],
      ] as const) {
        assertNoCrash(s.stderr, assert.ok);
        const lines = s.stderr.trimEnd().split('\n');
        const ours = lines.filter((l) => l.startsWith('podlife:'));
        assert.equal(ours.length, 1, `one line from podlife:\n${s.stderr}`);
        assert.match(ours[0]!, what);
        const i = lines.indexOf(ours[0]!);
        assert.match(lines[i + 1] ?? '', hint, s.stderr);
        const others = lines.filter((l, j) => j !== i && j !== i + 1);
        assert.ok(
          others.length <= 2 && others.every((l) => /session has expired/.test(l)),
          `only the plugin's own message besides, at most once per watch:\n${s.stderr}`,
        );
      }
      // The stream says it too, once.
      const notes = parsed(file.lines).filter((l) => l.kind === 'note' && /log in again/.test(String(l['text'])));
      assert.equal(notes.length, 1, JSON.stringify(notes));
      // The TUI stays, offline, saying why; on q the same line follows on the terminal.
      const screen = await tui.waitForScreen((s) => s.includes('● offline') && /log in again/.test(s), 60_000);
      assert.ok((screen.match(/Unauthorized/g) ?? []).length <= 3, screen);
      tui.keys('q');
      const after = await tui.waitForScreen((s) => /\[exit \d+\]/.test(s), 10_000);
      assert.match(after, /podlife: unauthorized: the API server rejected the credentials/);
      assert.match(after, /\[exit 1\]/);
    },
  );
});
