// creates N pending pods in namespace NS (kubectl create from a List, in 4 parallel chunks)
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
const [ns, nStr] = process.argv.slice(2);
const n = Number(nStr);
const kc = '/tmp/podlife-cluster/kubeconfig';
try {
  execFileSync('kubectl', ['--kubeconfig', kc, 'create', 'ns', ns!]);
} catch {}
await new Promise((r) => setTimeout(r, 2000));
const chunks = 4;
await Promise.all(
  Array.from(
    { length: chunks },
    (_, c) =>
      new Promise<void>((resolve) => {
        const items = [];
        for (let i = c; i < n; i += chunks)
          items.push({
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: `scale-${i}`, labels: { app: 'scale' } },
            spec: {
              nodeSelector: { 'podlife.bench/none': 'nowhere' },
              terminationGracePeriodSeconds: 0,
              containers: [{ name: 'app', image: 'docker.io/podlife/busybox:1', imagePullPolicy: 'Never', command: ['sleep', '3600'] }],
            },
          });
        const f = `/tmp/rw/pods-${c}.json`;
        writeFileSync(f, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
        const p = spawn('kubectl', ['--kubeconfig', kc, 'create', '-n', ns!, '-f', f], { stdio: 'ignore' });
        p.on('close', () => resolve());
      }),
  ),
);
