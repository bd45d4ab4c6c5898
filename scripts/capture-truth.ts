// Captures what the real kubectl says about one pod while a scenario runs, for the fixtures of
// test/fixtures/truth/: every row `kubectl get pod -w` prints (STATUS / READY / RESTARTS), every
// version of the pod's status, every version of its events, and the container logs with the
// runtime's timestamps, each stamped with the moment it arrived. scripts/record-scenarios.sh runs it
// beside `kubectl podlife --record`; it writes the fixture when it receives SIGTERM or SIGINT.
//   node --import tsx scripts/capture-truth.ts --kubeconfig K -n NS --pod NAME --scenario S --out FILE [--marks FILE]

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { KubectlWatch } from '../test/e2e/helpers/kubectl-watch.ts';

function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? process.argv[i + 1] : fallback;
  if (v === undefined) {
    console.error(`capture-truth: missing ${name}`);
    process.exit(2);
  }
  return v;
}

const kubeconfig = arg('--kubeconfig', process.env['KUBECONFIG'] ?? '/tmp/podlife-cluster/kubeconfig');
const namespace = arg('-n');
const pod = arg('--pod');
const scenario = arg('--scenario');
const out = arg('--out');
const marksFile = arg('--marks', '');
const how = arg('--how', `bash scripts/record-scenarios.sh ${scenario}`);

function kubectlText(args: string[]): string | null {
  try {
    return execFileSync('kubectl', ['--kubeconfig', kubeconfig, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

const iso = (ms: number) => new Date(ms).toISOString();
const startedAt = Date.now();
const watch = new KubectlWatch(kubeconfig, namespace, pod, { logs: true });

let finishing = false;
async function finish(): Promise<void> {
  if (finishing) return;
  finishing = true;
  await watch.stop();
  const marks = marksFile && existsSync(marksFile) ? readFileSync(marksFile, 'utf8') : '';
  const versions = JSON.parse(kubectlText(['version', '-o', 'json']) ?? '{}') as Record<string, { gitVersion?: string }>;
  const fixture = {
    scenario,
    pod,
    namespace,
    recording: `recordings/${scenario}.jsonl`,
    how:
      `${how}: scripts/capture-truth.ts ran beside \`kubectl podlife --record\` on the project's cluster ` +
      '(cluster/up.sh: one node, real kubelet, containerd, runc). Every line below is what the real kubectl printed, stamped ' +
      '(`at`) when it reached the capture: `rows` from `kubectl get pods --field-selector metadata.name=POD -w ' +
      '--output-watch-events` (the server-side table kubectl prints: READY, STATUS, RESTARTS), `pods` from the same watch ' +
      'with -o json (status only), `events` from `kubectl get events --field-selector involvedObject.name=POD -w -o json`, ' +
      "`logs` from `kubectl logs -f --timestamps` of each running instance (`time` is the runtime's own timestamp), " +
      '`marks` what the recording script did and when.',
    kubectlVersion: versions['clientVersion']?.gitVersion ?? null,
    serverVersion: versions['serverVersion']?.gitVersion ?? null,
    containerRuntime: kubectlText(['get', 'nodes', '-o', 'jsonpath={.items[0].status.nodeInfo.containerRuntimeVersion}']),
    captureFrom: iso(startedAt),
    captureTo: iso(Date.now()),
    marks: marks
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => {
        const sp = l.indexOf(' ');
        return { at: iso(Number(l.slice(0, sp))), what: l.slice(sp + 1) };
      }),
    rows: watch.rows.map((r) => ({ ...r, at: iso(r.at) })),
    pods: watch.pods.map((p) => ({ ...p, at: iso(p.at) })),
    events: watch.events.map((e) => ({ ...e, at: iso(e.at) })),
    logs: watch.logs.map((l) => ({ ...l, at: iso(l.at) })),
    stderr: watch.stderr,
  };
  writeFileSync(out, JSON.stringify(fixture, null, 1) + '\n');
  process.exit(0);
}

process.on('SIGTERM', () => void finish());
process.on('SIGINT', () => void finish());
