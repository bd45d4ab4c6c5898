// A terminal for Ink inside a benchmark's own process (bench/scale-rollout.ts, bench/rollout-offline.ts):
// 120x40, every write counted, and a keyboard that types keys into it.

import { EventEmitter } from 'node:events';

/** 120x40; every write counted, and a frame can be awaited. */
export class FakeTerminal extends EventEmitter {
  readonly isTTY = true;
  readonly columns = 120;
  readonly rows = 40;
  writes = 0;
  private waiters: (() => void)[] = [];
  write = (_s: string): boolean => {
    this.writes++;
    for (const w of this.waiters.splice(0)) w();
    return true;
  };
  nextWrite(): Promise<void> {
    return new Promise((r) => this.waiters.push(r));
  }
}
export class FakeKeyboard extends EventEmitter {
  readonly isTTY = true;
  private data: string | null = null;
  type(s: string): void {
    this.data = s;
    this.emit('readable');
    this.emit('data', s);
  }
  read = (): string | null => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}
