// runTui on a stand-in terminal (a TTY-like stream with a size): it draws live frames even when
// CI is set in the environment, on the alternate screen, follows the terminal's size, and gives the
// terminal back (primary screen, cursor) on q and on abort. The real pseudo-terminal run is
// test/e2e/tui.test.ts.

import assert from 'node:assert/strict';
import { Console } from 'node:console';
import { EventEmitter } from 'node:events';
import { afterAll, describe, test, vi } from 'vitest';
import { createStore } from '../../src/store/store.ts';
import { lastTime, recording } from '../helpers/fixtures.ts';

// A CI variable inherited by a developer's shell must not switch live drawing off. Set before Ink
// is loaded (it reads the variable once, when it loads): this file imports it only below.
const ciBefore = process.env['CI'];
process.env['CI'] = 'true';
afterAll(() => {
  if (ciBefore === undefined) delete process.env['CI'];
  else process.env['CI'] = ciBefore;
});

// runTui asks Ink to route console output around its frames; Ink builds a console.Console for that,
// which vitest's console replacement lacks.
(console as { Console?: typeof Console }).Console ??= Console;

const ENTER_ALT = '\x1b[?1049h';
const LEAVE_ALT = '\x1b[?1049l';
const SHOW_CURSOR = '\x1b[?25h';
const strip = (s: string): string => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

class Terminal extends EventEmitter {
  readonly isTTY = true;
  columns = 100;
  rows = 30;
  readonly chunks: string[] = [];
  write(s: string | Uint8Array, encoding?: unknown, callback?: () => void): boolean {
    this.chunks.push(typeof s === 'string' ? s : Buffer.from(s).toString('utf8'));
    const done = typeof encoding === 'function' ? (encoding as () => void) : callback;
    if (done) queueMicrotask(done);
    return true;
  }
  /** What was written from chunk `from` on, as lines: cursor moves and erases end a line, other escape codes are removed. */
  since(from: number): string {
    return strip(
      this.chunks
        .slice(from)
        .join('')
        .replace(/\x1b\[(?:\d*;?\d*H|\d*J|\d*K|\d*A)/g, '\n'),
    );
  }
  text(): string {
    return this.chunks.join('');
  }
  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}

class Keyboard extends EventEmitter {
  readonly isTTY = true;
  private data: string | null = null;
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
  read = (): string | null => {
    const d = this.data;
    this.data = null;
    return d;
  };
  press(key: string): void {
    this.data = key;
    this.emit('readable');
    this.emit('data', key);
  }
}

async function start(signal?: AbortSignal) {
  const { runTui } = await import('../../src/ui/run-tui.tsx');
  const obs = recording('liveness');
  const store = createStore({ source: 'replay', notifyIntervalMs: 0 });
  store.dispatch(obs);
  const t = lastTime(obs);
  const term = new Terminal();
  const keys = new Keyboard();
  const exit = runTui(store, {
    target: 'liveness',
    actions: { requestLogs: () => undefined },
    stdout: term as unknown as NodeJS.WriteStream,
    stdin: keys as unknown as NodeJS.ReadStream,
    now: () => t,
    ...(signal ? { signal } : {}),
  });
  return { term, keys, exit };
}

describe('runTui', () => {
  test('the premise: Ink sees CI set', async () => {
    assert.equal((await import('is-in-ci')).default, true);
  });

  test('live frames on the alternate screen while running, with CI set; q gives the terminal back', async () => {
    const { term, keys, exit } = await start();
    await vi.waitFor(() => assert.match(strip(term.text()), /READY \d\/2/));
    assert.ok(term.text().startsWith(ENTER_ALT), JSON.stringify(term.text().slice(0, 20)));
    assert.ok(!term.text().includes(LEAVE_ALT), 'still on the alternate screen');
    const mark = term.chunks.length;
    keys.press('j');
    await vi.waitFor(() => assert.match(term.since(mark), /› http/));
    keys.press('q');
    assert.equal(await exit, 0);
    const out = term.text();
    assert.ok(out.lastIndexOf(LEAVE_ALT) > out.lastIndexOf('READY'), 'the primary screen is back after the last frame');
    assert.ok(out.lastIndexOf(SHOW_CURSOR) > out.lastIndexOf(LEAVE_ALT) - 1, 'and the cursor');
  });

  test('a frame fits the terminal; a resize redraws at the new size', async () => {
    const abort = new AbortController();
    const { term, exit } = await start(abort.signal);
    await vi.waitFor(() => assert.match(strip(term.text()), /READY/));
    const widest = (text: string): number => Math.max(...text.split('\n').map((l) => l.length));
    assert.ok(widest(term.since(0)) <= 100);
    const mark = term.chunks.length;
    term.resize(60, 20);
    await vi.waitFor(() => {
      // Ink writes each frame in one piece.
      const frame = term.chunks
        .slice(mark)
        .filter((c) => c.includes('READY'))
        .at(-1);
      assert.ok(frame, 'redrawn');
      const lines = term.since(term.chunks.lastIndexOf(frame)).trim().split('\n');
      assert.ok(lines.length <= 20, `${lines.length} lines`);
      assert.ok(widest(lines.join('\n')) <= 60, JSON.stringify(lines.filter((l) => l.length > 60)));
    });
    abort.abort();
    assert.equal(await exit, 0);
  });

  test('an abort (SIGTERM, the end of a replay) ends it and leaves the alternate screen', async () => {
    const abort = new AbortController();
    const { term, exit } = await start(abort.signal);
    await vi.waitFor(() => assert.match(strip(term.text()), /READY/));
    abort.abort();
    assert.equal(await exit, 0);
    assert.ok(term.text().includes(LEAVE_ALT));
  });

  test('already aborted before it started: returns at once, the terminal as it was', async () => {
    const abort = new AbortController();
    abort.abort();
    const { term, exit } = await start(abort.signal);
    assert.equal(await exit, 0);
    const out = term.text();
    assert.ok(!out.includes(ENTER_ALT) || out.lastIndexOf(LEAVE_ALT) > out.lastIndexOf(ENTER_ALT), JSON.stringify(out.slice(-40)));
  });
});
