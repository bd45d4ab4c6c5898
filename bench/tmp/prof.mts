process.env['NODE_ENV'] = 'production';
import { EventEmitter } from 'node:events';
const { createElement } = await import('react');
const { render } = await import('ink');
const model = await import('../../src/model/index.ts');
const { createStore } = await import('../../src/store/store.ts');
const { RolloutApp } = await import('../../src/ui/rollout-app.tsx');
const N = Number(process.argv[2] ?? 1000);
const t0 = Date.now() - 60_000;
const pod = (i: number, rv: string, reason?: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: `scale-${i}`,
    namespace: 'b',
    uid: `uid-${i}`,
    resourceVersion: rv,
    creationTimestamp: new Date(t0).toISOString(),
    labels: { app: 'scale' },
  },
  spec: { nodeSelector: { x: 'y' }, containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'] }] },
  status: {
    phase: 'Pending',
    ...(reason ? { reason } : {}),
    conditions: [
      {
        type: 'PodScheduled',
        status: 'False',
        reason: 'Unschedulable',
        message:
          "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
        lastTransitionTime: new Date(t0).toISOString(),
      },
    ],
    qosClass: 'BestEffort',
  },
});
class T extends EventEmitter {
  isTTY = true;
  columns = 120;
  rows = 40;
  w: (() => void)[] = [];
  write = () => {
    for (const x of this.w.splice(0)) x();
    return true;
  };
  next() {
    return new Promise<void>((r) => this.w.push(r));
  }
}
class K extends EventEmitter {
  isTTY = true;
  d: string | null = null;
  type(s: string) {
    this.d = s;
    this.emit('readable');
    this.emit('data', s);
  }
  read = () => {
    const d = this.d;
    this.d = null;
    return d;
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}
const store = createStore({ source: 'cluster', notifyIntervalMs: 0 });
store.dispatch(
  Array.from({ length: N }, (_, i) => ({
    kind: 'pod' as const,
    verb: 'list' as const,
    observedAt: t0,
    object: pod(i, String(i)) as never,
  })),
);
const select = model.groupSelector({ kind: 'pods', label: 'x', namespace: 'b' }, { failRestarts: 2 });
const out = new T();
const inp = new K();
const first = out.next();
const app = render(
  createElement(RolloutApp, { store, screens: [{ label: 'x', select }], now: () => Date.now(), requestLogs: () => undefined }),
  { stdout: out as never, stdin: inp as never, stderr: out as never, debug: false, exitOnCtrlC: false, patchConsole: false, maxFps: 1000 },
);
await first;
const keys: number[] = [];
for (let i = 0; i < 200; i++) {
  const w = out.next();
  const a = performance.now();
  inp.type(i % 20 < 10 ? 'j' : 'k');
  await w;
  keys.push(performance.now() - a);
}
const ch: number[] = [];
const vis = model
  .podsOf(select(store.getState()))
  .slice(0, 10)
  .map((p) => Number(p.name.slice(6)));
for (let i = 0; i < 200; i++) {
  const w = out.next();
  const a = performance.now();
  store.dispatch([{ kind: 'pod', verb: 'modified', observedAt: Date.now(), object: pod(vis[i % 10]!, `x${i}`, `B${i}`) as never }]);
  await w;
  ch.push(performance.now() - a);
}
app.unmount();
app.cleanup();
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor((p / 100) * xs.length)]!.toFixed(1);
console.log('keys p50', pct(keys, 50), 'p95', pct(keys, 95), '| changes p50', pct(ch, 50), 'p95', pct(ch, 95));
(globalThis as any).gc?.();
const mu = process.memoryUsage();
console.log(
  `heapUsed ${(mu.heapUsed / 1e6).toFixed(0)} MB heapTotal ${(mu.heapTotal / 1e6).toFixed(0)} MB rss ${(mu.rss / 1e6).toFixed(0)} MB external ${(mu.external / 1e6).toFixed(0)} arrayBuffers ${(mu.arrayBuffers / 1e6).toFixed(0)}`,
);
