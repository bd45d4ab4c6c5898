// Signals in every mode, in a real pseudo-terminal (tmux): the terminal UI on a file, a recording,
// the demo and a live pod; lines streamed to the terminal; connecting to a server that never
// answers; waiting for stdin; waiting for a pod to be created. Each ends promptly and quietly on
// SIGINT (the key and the signal), SIGTERM, SIGHUP and a closed terminal, and the terminal is given
// back: cooked mode with echo, the main screen, the cursor shown.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { kubeconfigPath, launcher, newNamespace, root, waitFor, kubectlRow, applyScenario } from './helpers/env.ts';

const recording = join(root, 'recordings', 'crashloop.jsonl');
const podFile = join(root, 'test', 'fixtures', 'public', 'crashloop-backoff-10s-exit1.yaml');
let ns: { name: string; cleanup: () => Promise<void> };
let blackHole: Server;
let blackHolePort = 0;
const sockets = new Set<Socket>();

beforeAll(async () => {
  ns = await newNamespace('e2e-signals');
  await applyScenario('plain.yaml', ns.name);
  // Accepts connections and never answers: a server that hangs while podlife connects.
  blackHole = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
  blackHolePort = (blackHole.address() as { port: number }).port;
  await waitFor(async () => (await kubectlRow(ns.name, 'plain')).status === 'Running', 60_000, 'plain Running');
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => (blackHole ? blackHole.close(() => resolve()) : resolve()));
  await ns?.cleanup();
});

const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * A terminal (a tmux pane) running `shell` under bash, which survives the Ctrl-C it forwards to its
 * foreground job (a trap, not an ignore: the job gets the default disposition) and then prints the
 * tty modes and "[exit N]". (test/e2e/helpers/tmux.ts runs its command under a plain sh, which a
 * Ctrl-C in cooked mode takes down with the pane.)
 */
class Terminal {
  readonly name = `podlife-sig-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  constructor(shell: string) {
    const script = `trap : INT; ${shell}; c=$?; echo "[tty $(stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' ')]"; echo "[exit $c]"; sleep 600`;
    execFileSync('tmux', [
      'new-session',
      '-d',
      '-s',
      this.name,
      '-x',
      '100',
      '-y',
      '30',
      '-e',
      `KUBECONFIG=${kubeconfigPath()}`,
      '-e',
      'NO_COLOR=1',
      `exec bash -c ${q(script)}`,
    ]);
  }
  screen(): string {
    return execFileSync('tmux', ['capture-pane', '-p', '-t', this.name], { encoding: 'utf8' });
  }
  keys(...keys: string[]): void {
    execFileSync('tmux', ['send-keys', '-t', this.name, ...keys]);
  }
  async waitForScreen(pred: (screen: string) => boolean, timeoutMs: number): Promise<string> {
    let last = '';
    await waitFor(() => pred((last = this.screen())), timeoutMs, 'the screen', 200).catch(() =>
      assert.fail(`screen condition not met within ${timeoutMs} ms; screen:\n${last}`),
    );
    return last;
  }
  kill(): void {
    try {
      execFileSync('tmux', ['kill-session', '-t', this.name], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
}

function terminal(shell: string): Terminal {
  return new Terminal(shell);
}

/** The node process of the launcher running in the session (the launcher execs node). */
function nodePid(t: Terminal): number {
  const pane = Number(execFileSync('tmux', ['list-panes', '-t', t.name, '-F', '#{pane_pid}'], { encoding: 'utf8' }).trim());
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l)!)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3]! }));
  const mine = new Set([pane]);
  for (let changed = true; changed;) {
    changed = false;
    for (const r of rows)
      if (mine.has(r.ppid) && !mine.has(r.pid)) {
        mine.add(r.pid);
        changed = true;
      }
  }
  const node = rows.find((r) => mine.has(r.pid) && r.args.includes('kubectl-podlife.mjs'));
  assert.ok(node, 'podlife is running in the terminal');
  return node.pid;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Waits for the program's exit and checks the terminal it left behind. */
async function ended(t: Terminal, expectCode: number): Promise<string> {
  const screen = await t.waitForScreen((s) => /\[exit \d+\]/.test(s), 15_000);
  assert.match(screen, new RegExp(`\\[exit ${expectCode}\\]`), screen);
  assert.match(screen, /\[tty icanon echo \]/, 'cooked mode with echo');
  // A stack frame ("    at fn (file:1:2)"), not the timeline's "  at 14:28:50 (now):" line.
  assert.doesNotMatch(screen, /unexpected error|Invalid URL|\n\s+at .*:\d+:\d+\)?\s*$/m, screen);
  const [alt, cursor] = execFileSync('tmux', ['display', '-p', '-t', t.name, '#{alternate_on} #{cursor_flag}'], { encoding: 'utf8' })
    .trim()
    .split(' ');
  assert.equal(alt, '0', 'the main screen is back');
  assert.equal(cursor, '1', 'the cursor is shown');
  return screen;
}

type Ending = 'SIGTERM' | 'SIGHUP' | 'SIGINT' | 'ctrl-c' | 'q';
async function stop(t: Terminal, how: Ending): Promise<void> {
  if (how === 'ctrl-c') t.keys('C-c');
  else if (how === 'q') t.keys('q');
  else process.kill(nodePid(t), how);
}

// TUI modes: a watch ended by the user exits 0.
const tuiModes: { name: string; shell: () => string; ready: RegExp; endings: Ending[] }[] = [
  {
    name: '-f FILE',
    shell: () => `${q(launcher)} -f ${q(podFile)}`,
    ready: /crashloop/,
    endings: ['SIGTERM', 'SIGHUP', 'SIGINT', 'ctrl-c', 'q'],
  },
  {
    name: '--replay FILE',
    shell: () => `${q(launcher)} --replay ${q(recording)}`,
    ready: /crashloop/,
    endings: ['SIGTERM', 'SIGHUP', 'ctrl-c'],
  },
  { name: '--demo', shell: () => `${q(launcher)} --demo`, ready: /demo: /, endings: ['SIGTERM', 'SIGINT'] },
  { name: 'a live pod', shell: () => `${q(launcher)} plain -n ${ns.name}`, ready: /● live/, endings: ['SIGTERM', 'SIGHUP', 'ctrl-c'] },
];

describe.concurrent('signals in a pseudo-terminal', () => {
  for (const mode of tuiModes)
    for (const how of mode.endings)
      test(`TUI ${mode.name}: ${how} ends it, the terminal restored`, { timeout: 60_000 }, async () => {
        const t = terminal(mode.shell());
        try {
          await t.waitForScreen((s) => mode.ready.test(s), 20_000);
          await stop(t, how);
          await ended(t, 0);
        } finally {
          t.kill();
        }
      });

  test('TUI -f FILE: closing the terminal ends the process', { timeout: 60_000 }, async () => {
    const t = terminal(`${q(launcher)} -f ${q(podFile)}`);
    await t.waitForScreen((s) => /crashloop/.test(s), 20_000);
    const pid = nodePid(t);
    t.kill(); // the terminal goes away: SIGHUP
    await waitFor(() => !alive(pid), 10_000, 'podlife to exit after its terminal closed');
  });

  test('lines streamed to the terminal (-o text): Ctrl-C ends the watch with 0', { timeout: 60_000 }, async () => {
    const t = terminal(`${q(launcher)} plain -n ${ns.name} -o text`);
    try {
      await t.waitForScreen((s) => /watching:/.test(s), 20_000);
      t.keys('C-c');
      await ended(t, 0);
    } finally {
      t.kill();
    }
  });

  test(
    'connecting to a server that never answers: Ctrl-C and SIGTERM end it at once, quietly, 128+signal',
    { timeout: 60_000 },
    async () => {
      for (const [how, code] of [
        ['ctrl-c', 130],
        ['SIGTERM', 143],
      ] as const) {
        const t = terminal(`${q(launcher)} plain --once --server https://127.0.0.1:${blackHolePort} --insecure-skip-tls-verify`);
        try {
          await waitFor(() => sockets.size > 0, 20_000, 'podlife to connect');
          await new Promise((r) => setTimeout(r, 300));
          await stop(t, how);
          const screen = await ended(t, code);
          assert.doesNotMatch(screen, /podlife:/, 'nothing said');
        } finally {
          t.kill();
        }
      }
    },
  );

  test('waiting for stdin (-f - from a producer that has not written yet): Ctrl-C and SIGTERM end it', { timeout: 60_000 }, async () => {
    for (const [how, code] of [
      ['ctrl-c', 130],
      ['SIGTERM', 143],
    ] as const) {
      // A process substitution: the shell waits for podlife only, not for the silent producer.
      const t = terminal(`${q(launcher)} -f - < <(sleep 600)`);
      try {
        await waitFor(
          () => {
            try {
              nodePid(t);
              return true;
            } catch {
              return false;
            }
          },
          20_000,
          'podlife to start',
        );
        await new Promise((r) => setTimeout(r, 500));
        await stop(t, how);
        const screen = await ended(t, code);
        assert.doesNotMatch(screen, /podlife:/, 'nothing said');
      } finally {
        t.kill();
      }
    }
  });

  test('waiting for a pod to be created (--wait, -o text): SIGTERM and SIGHUP end the watch with 0', { timeout: 60_000 }, async () => {
    for (const how of ['SIGTERM', 'SIGHUP'] as const) {
      const t = terminal(`${q(launcher)} not-yet -n ${ns.name} --wait -o text`);
      try {
        await t.waitForScreen((s) => /does not exist yet/.test(s), 20_000);
        await stop(t, how);
        await ended(t, 0);
      } finally {
        t.kill();
      }
    }
  });
});
