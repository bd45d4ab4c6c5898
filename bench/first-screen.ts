// First complete screen, one pod, in a pseudo-terminal: how long from starting the command until
// the screen shows what it is going to show. kubectl and `--once` print and exit: the time of their
// last byte. The terminal UI stays: the time of the bytes that made its first complete frame
// (status, events, and the crash's log line on the screen).
//
// Cold: a fresh cache (podlife's compile cache in a fresh TMPDIR: the program enables it there
// itself, as for a user, where NODE_COMPILE_CACHE would have Node enable it before the program
// chooses how to compile; KUBECACHEDIR for kubectl's discovery cache);
// the OS page cache stays warm (dropping it would slow the other users of this machine). Warm: the
// caches filled by an earlier run. Every round runs every command cold and warm, in a rotated order.
// Peak RSS comes from /usr/bin/time. Times include the pseudo-terminal's own start (`script`, a
// shell, `stty`, `time`): the row "pty overhead" measures it with `true`, and "net" subtracts it.

import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PtyRun } from './pty.ts';
import { spread, type Spread } from './stats.ts';

export interface ScreenCommand {
  readonly label: string;
  readonly argv: readonly string[];
  /** 'exit': done at the last byte; else done when the screen first satisfies it (a TUI). */
  readonly done: 'exit' | ((screen: string) => boolean);
  readonly kind: 'kubectl' | 'podlife' | 'none';
}

export interface ScreenRow {
  readonly label: string;
  readonly cold: Spread;
  readonly warm: Spread;
  readonly rssMb: Spread;
}

async function once(c: ScreenCommand, env: NodeJS.ProcessEnv, work: string): Promise<{ ms: number; rssMb: number }> {
  const timeFile = join(work, 'time.out');
  rmSync(timeFile, { force: true });
  const run = new PtyRun(['/usr/bin/time', '-q', '-o', timeFile, '-f', '%M', ...c.argv], { cols: 120, rows: 50, env });
  try {
    let ms: number;
    if (c.done === 'exit') {
      const code = await Promise.race([run.exited, new Promise<number>((_, rej) => setTimeout(() => rej(new Error('timeout')), 30_000))]);
      if (code !== 0) throw new Error(`${c.label}: exit ${code}: ${run.screen().trim().slice(0, 400)}`);
      ms = (c.kind === 'none' ? run.exitedAt! - run.startedAt : run.lastByteMs()) ?? NaN;
    } else {
      ms = (await run.waitScreen(c.done, 30_000)) - run.startedAt;
      await run.stop();
    }
    await run.exited;
    const rssKb = Number(readFileSync(timeFile, 'utf8').trim().split('\n').at(-1));
    return { ms, rssMb: rssKb / 1024 };
  } finally {
    run.kill('SIGKILL');
    run.dispose();
  }
}

export async function firstScreen(commands: readonly ScreenCommand[], baseEnv: NodeJS.ProcessEnv, rounds: number): Promise<ScreenRow[]> {
  const work = mkdtempSync(join(tmpdir(), 'podlife-bench-'));
  const warmCache = { podlife: join(work, 'warm-tmp'), kubectl: join(work, 'warm-kube-cache') };
  mkdirSync(warmCache.podlife);
  const envFor = (c: ScreenCommand, cold: boolean): NodeJS.ProcessEnv => {
    const dir = cold ? mkdtempSync(join(work, 'cold-')) : undefined;
    const env: NodeJS.ProcessEnv = {
      ...baseEnv,
      TMPDIR: c.kind === 'podlife' && dir ? dir : warmCache.podlife,
      KUBECACHEDIR: c.kind === 'kubectl' && dir ? dir : warmCache.kubectl,
    };
    delete env['NODE_COMPILE_CACHE'];
    return env;
  };
  const samples = commands.map(() => ({ cold: [] as number[], warm: [] as number[], rss: [] as number[] }));
  try {
    // Fill the warm caches.
    for (const c of commands) await once(c, envFor(c, false), work);
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < commands.length; k++) {
        const i = (k + r) % commands.length;
        const c = commands[i]!;
        for (const cold of r % 2 === 0 ? [true, false] : [false, true]) {
          const m = await once(c, envFor(c, cold), work);
          samples[i]![cold ? 'cold' : 'warm'].push(m.ms);
          samples[i]!.rss.push(m.rssMb);
        }
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return commands.map((c, i) => ({
    label: c.label,
    cold: spread(samples[i]!.cold),
    warm: spread(samples[i]!.warm),
    rssMb: spread(samples[i]!.rss),
  }));
}
