// The first screen of `--once` against the real cluster: the pod, its events and the crashed
// instance's log tail, from one list of each (traced with -v=6 as kubectl traces), and no watch:
// the picture is printed and the program leaves, so a watch would only cost connections.

import assert from 'node:assert/strict';
import { test } from 'vitest';
import { applyScenario, inNamespace, kubectl, podlife, waitFor } from './helpers/env.ts';

test(
  '--once: one list of pods and of events, the log tail, no watch; the picture says the connection was live',
  { timeout: 180_000 },
  async () => {
    await inNamespace('e2e-first-screen', async (ns) => {
      await applyScenario('crashloop.yaml', ns.name);
      await waitFor(
        async () =>
          Number(
            (
              await kubectl(['get', 'pod', 'crashloop', '-n', ns.name, '-o', 'jsonpath={.status.containerStatuses[0].restartCount}'])
            ).stdout.trim(),
          ) >= 1,
        120_000,
        'a restart',
      );
      const r = await podlife(['crashloop', '-n', ns.name, '--once', '-v=6']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^connection live; observed from /m);
      assert.match(r.stdout, /fatal: \/etc\/app\/config\.yaml: no such file or directory/);
      assert.match(r.stdout, /Scheduled/);
      const urls = r.stderr
        .split('\n')
        .flatMap((l) => /\] GET (\S+) /.exec(l)?.[1] ?? [])
        .map((u) => new URL(u));
      assert.deepEqual(
        urls.map((u) => u.pathname).sort(),
        [`/api/v1/namespaces/${ns.name}/events`, `/api/v1/namespaces/${ns.name}/pods`, `/api/v1/namespaces/${ns.name}/pods/crashloop/log`],
        r.stderr,
      );
      assert.deepEqual(urls.filter((u) => u.searchParams.get('watch') === 'true').map(String), []);
      // Connections opened (PODLIFE_PERF=1 marks each): the two lists go out together; the log
      // tail reuses one of their connections. A watch would open one of its own.
      const perf = await podlife(['crashloop', '-n', ns.name, '--once'], { env: { PODLIFE_PERF: '1' } });
      assert.equal(perf.code, 0, perf.stderr);
      assert.equal(perf.stderr.split('\n').filter((l) => l.endsWith('http: connecting')).length, 2, perf.stderr);
      // The built-ins loaded after the entry set its V8 flags (src/main.ts): each of them would be
      // compiled in every run instead of taken precompiled from Node's binary. None but the stream
      // Node makes for a stdout or stderr that is a file (as it may be here).
      const hook = `
        const v8 = process.getBuiltinModule('node:v8');
        const set = v8.setFlagsFromString;
        let seen;
        v8.setFlagsFromString = (f) => { seen ??= new Set(process.moduleLoadList); return set.call(v8, f); };
        process.on('exit', () => process.stderr.write('LATE ' + JSON.stringify(seen ? process.moduleLoadList.filter((m) => !seen.has(m) && m.startsWith('NativeModule ')).map((m) => m.slice(13)) : null) + '\\n'));`;
      const late = await podlife(['crashloop', '-n', ns.name, '--once'], {
        env: { NODE_OPTIONS: `--import=data:text/javascript,${encodeURIComponent(hook)}`, NODE_COMPILE_CACHE: '' },
      });
      assert.equal(late.code, 0, late.stderr);
      const loadedLate = JSON.parse(/^LATE (.*)$/m.exec(late.stderr)?.[1] ?? 'undefined') as string[] | null;
      assert.ok(loadedLate, `the entry set V8 flags: ${late.stderr}`);
      assert.deepEqual(
        loadedLate.filter((m) => m !== 'internal/fs/sync_write_stream'),
        [],
      );
    });
  },
);
