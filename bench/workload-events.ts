// Which is cheaper for a rollout's owner-side events: one events watch for the namespace, filtered
// here, or one watch per involved object (the Deployment and each ReplicaSet, by field selector)?
// Prints numbers; asserts nothing. About a minute against the project's cluster:
//
//   node_modules/.bin/node --import tsx bench/workload-events.ts [--seconds 15] [--copies 10] [--reverse]
//
// A namespace holds the Deployment `shop` (rolled a few times, so it has several ReplicaSets) and
// noise: a Deployment scaled 0 <-> 6 every few seconds (pod and ReplicaSet events) and crash-
// looping pods. Each variant runs `--copies` watchers at once for `--seconds` while `shop` is rolled
// once, and the phase reports: events received from the API server, events kept, bytes received,
// watches open, this process's CPU, and the kube-apiserver's and etcd's CPU (from /proc).

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { KubeClient, type ApiResponse, type RequestOpts } from '../src/kube/client.ts';
import { resolveKubeconfig } from '../src/kube/kubeconfig.ts';
import { runListWatch } from '../src/kube/list-watch.ts';
import { resolveWorkload, startWorkloadSource, type WorkloadTarget } from '../src/kube/workload-source.ts';

const arg = (name: string, dflt: number): number => Number(process.argv[process.argv.indexOf(name) + 1]) || dflt;
const seconds = arg('--seconds', 15);
const copies = arg('--copies', 10);
const clusterDir = process.env['PODLIFE_CLUSTER_DIR'] ?? '/tmp/podlife-cluster';
const kubeconfig = process.env['PODLIFE_E2E_KUBECONFIG'] ?? join(clusterDir, 'kubeconfig');
const root = join(import.meta.dirname, '..');

const k = (...args: string[]): string => execFileSync('kubectl', ['--kubeconfig', kubeconfig, ...args], { encoding: 'utf8' });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** utime + stime of a cluster process, in seconds. */
function procCpu(component: string): number | undefined {
  try {
    const pid = readFileSync(join(clusterDir, 'pids', component), 'utf8').trim();
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** A client that counts the bytes of every response body. */
class CountingClient extends KubeClient {
  bytes = 0;
  override async request(path: string, opts: RequestOpts = {}): Promise<ApiResponse> {
    const res = await super.request(path, opts);
    const count = (chunk: Buffer): void => void (this.bytes += chunk.length);
    const counted = res.body.pipe(
      new Transform({
        transform(chunk: Buffer, _enc, done) {
          count(chunk);
          done(null, chunk);
        },
      }),
    );
    res.body.on('error', (e) => counted.destroy(e));
    return { ...res, body: counted };
  }
}

interface Phase {
  readonly name: string;
  readonly start: (
    client: CountingClient,
    target: WorkloadTarget,
    signal: AbortSignal,
    count: { received: number; kept: number },
  ) => Promise<() => number>;
}

const phases: Phase[] = [
  {
    name: 'baseline: the noise alone, no watcher',
    start: () => Promise.resolve(() => 0),
  },
  {
    name: 'namespace watch, involvedObject.kind!=Pod, filtered here (podlife default)',
    async start(client, target, signal, count) {
      const resolved = await resolveWorkload(client, target);
      const src = await startWorkloadSource(
        {
          client,
          target,
          resolved,
          now: Date.now,
          events: 'namespace',
          emit: (obs) => (count.kept += obs.filter((o) => o.kind === 'event').length),
        },
        signal,
      );
      return src.watches;
    },
  },
  {
    name: 'one watch per involved object (Deployment + each ReplicaSet)',
    async start(client, target, signal, count) {
      const resolved = await resolveWorkload(client, target);
      const src = await startWorkloadSource(
        {
          client,
          target,
          resolved,
          now: Date.now,
          events: 'per-object',
          emit: (obs) => (count.kept += obs.filter((o) => o.kind === 'event').length),
        },
        signal,
      );
      return src.watches;
    },
  },
  {
    name: 'namespace watch of every event (no field selector), filtered here',
    async start(client, target, signal, count) {
      let open = 0;
      runListWatch(
        client,
        { path: `/api/v1/namespaces/${target.namespace}/events`, query: {} },
        {
          onList: (items) => (count.received += items.length),
          onWatchEvent: () => count.received++,
          onState: (s) => (open = s === 'live' ? 1 : 0),
          onFatal: () => true,
        },
        signal,
      );
      return () => open;
    },
  },
];

async function main(): Promise<void> {
  const ns = `bench-wl-events-${Math.floor(Date.now() / 1000)}`;
  k('create', 'namespace', ns);
  const stopNoise = new AbortController();
  try {
    for (let i = 0; i < 60 && !k('-n', ns, 'get', 'sa', '-o', 'name').includes('default'); i++) await sleep(500);
    k('-n', ns, 'apply', '-f', join(root, 'test', 'scenarios', 'rollout-deploy.yaml'));
    k('-n', ns, 'rollout', 'status', 'deploy/shop', '--timeout', '120s');
    for (const v of ['2', '3', '4']) {
      k('-n', ns, 'set', 'env', 'deploy/shop', `VERSION=${v}`);
      k('-n', ns, 'rollout', 'status', 'deploy/shop', '--timeout', '120s');
    }
    k('-n', ns, 'create', 'deployment', 'churn', '--image=docker.io/podlife/busybox:1', '--replicas=0', '--', 'sleep', '3600');
    k(
      '-n',
      ns,
      'patch',
      'deploy/churn',
      '--type',
      'json',
      '-p',
      '[{"op":"add","path":"/spec/template/spec/containers/0/imagePullPolicy","value":"Never"},{"op":"add","path":"/spec/template/spec/terminationGracePeriodSeconds","value":0}]',
    );
    k('-n', ns, 'create', 'deployment', 'crash', '--image=docker.io/podlife/busybox:1', '--replicas=4', '--', 'sh', '-c', 'exit 1');
    k(
      '-n',
      ns,
      'patch',
      'deploy/crash',
      '--type',
      'json',
      '-p',
      '[{"op":"add","path":"/spec/template/spec/containers/0/imagePullPolicy","value":"Never"}]',
    );
    const noise = (async () => {
      let up = true;
      while (!stopNoise.signal.aborted) {
        k('-n', ns, 'scale', 'deploy/churn', `--replicas=${up ? 6 : 0}`);
        up = !up;
        await sleep(4000);
      }
    })();
    await sleep(8000);

    const target: WorkloadTarget = { kind: 'Deployment', namespace: ns, name: 'shop' };
    const config = resolveKubeconfig({ kubeconfig, context: undefined, namespace: ns });
    console.log(
      `namespace ${ns}; ${copies} watchers per variant, ${seconds}s each; shop has ${k('-n', ns, 'get', 'rs', '-l', 'app=shop', '-o', 'name').trim().split('\n').length} ReplicaSets\n`,
    );
    let version = 5;
    // --reverse runs the variants in the opposite order; a second baseline at the end shows the drift of the noise.
    const variants = phases.slice(1);
    if (process.argv.includes('--reverse')) variants.reverse();
    for (const phase of [phases[0]!, ...variants, phases[0]!]) {
      const stop = new AbortController();
      const clients = Array.from({ length: copies }, () => new CountingClient(config, undefined));
      const counts = clients.map(() => ({ received: 0, kept: 0 }));
      const cpu0 = process.cpuUsage();
      const api0 = procCpu('kube-apiserver');
      const etcd0 = procCpu('etcd');
      const watchCounts = await Promise.all(clients.map((c, i) => phase.start(c, target, stop.signal, counts[i]!)));
      await sleep(1000);
      k('-n', ns, 'set', 'env', 'deploy/shop', `VERSION=${version++}`);
      await sleep(seconds * 1000 - 1000);
      const open = watchCounts.reduce((n, w) => n + w(), 0);
      stop.abort();
      const cpu = process.cpuUsage(cpu0);
      const api = procCpu('kube-apiserver');
      const etcd = procCpu('etcd');
      const bytes = clients.reduce((n, c) => n + c.bytes, 0);
      const kept = counts.reduce((n, c) => n + c.kept, 0);
      const received = counts.reduce((n, c) => n + c.received, 0);
      clients.forEach((c) => c.close());
      console.log(phase.name);
      console.log(`  watches open at the end: ${open} (${open / copies} per watcher)`);
      if (received) console.log(`  events received: ${received / copies} per watcher`);
      if (kept) console.log(`  owner-side events kept: ${kept / copies} per watcher`);
      console.log(
        `  bytes received (all watches of the phase, owner and ReplicaSets included): ${(bytes / copies / 1024).toFixed(1)} KiB per watcher`,
      );
      console.log(`  this process CPU: ${((cpu.user + cpu.system) / 1000 / copies).toFixed(1)} ms per watcher`);
      console.log(
        `  kube-apiserver CPU: ${api !== undefined && api0 !== undefined ? `${((api - api0) * 1000).toFixed(0)} ms` : 'unknown'}; etcd CPU: ${etcd !== undefined && etcd0 !== undefined ? `${((etcd - etcd0) * 1000).toFixed(0)} ms` : 'unknown'} (whole phase, noise included)\n`,
      );
      await sleep(2000);
    }
    stopNoise.abort();
    await noise.catch(() => undefined);
  } finally {
    stopNoise.abort();
    k('delete', 'namespace', ns, '--wait=false');
  }
}

await main();
