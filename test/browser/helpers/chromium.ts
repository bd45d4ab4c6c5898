// Headless Chromium (Debian's `chromium`) driven over the DevTools protocol: open a file at a given
// viewport, evaluate an expression in it, take a PNG of the full page. One browser per test file.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function chromiumPath(): string {
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  throw new Error('headless Chromium is needed for the export pictures: apt-get install chromium (.ci/run installs it)');
}

interface Pending {
  resolve(v: any): void;
  reject(e: Error): void;
}

export class Browser {
  private constructor(
    private readonly proc: ChildProcess,
    private readonly ws: WebSocket,
    private readonly dir: string,
  ) {
    ws.addEventListener('message', (m) => this.onMessage(String(m.data)));
  }
  private id = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly waiters: { method: string; sessionId: string | undefined; resolve(p: any): void }[] = [];

  static async launch(): Promise<Browser> {
    const dir = mkdtempSync(join(tmpdir(), 'podlife-chromium-'));
    const proc = spawn(
      chromiumPath(),
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--hide-scrollbars',
        '--no-first-run',
        '--remote-debugging-port=0',
        `--user-data-dir=${dir}`,
        'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const url = await new Promise<string>((resolve, reject) => {
      let err = '';
      const t = setTimeout(() => reject(new Error(`chromium did not start in 30 s:\n${err}`)), 30_000);
      proc.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
        if (m) {
          clearTimeout(t);
          resolve(m[1]!);
        }
      });
      proc.on('exit', (code) => reject(new Error(`chromium exited with ${code}:\n${err}`)));
    });
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.addEventListener('open', () => resolve(), { once: true });
      ws.addEventListener('error', () => reject(new Error('cannot connect to chromium')), { once: true });
    });
    return new Browser(proc, ws, dir);
  }

  private onMessage(text: string): void {
    const msg = JSON.parse(text) as {
      id?: number;
      result?: unknown;
      error?: { message: string };
      method?: string;
      params?: unknown;
      sessionId?: string;
    };
    if (msg.id !== undefined) {
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (msg.error) p?.reject(new Error(msg.error.message));
      else p?.resolve(msg.result);
      return;
    }
    for (let i = 0; i < this.waiters.length; i++) {
      const w = this.waiters[i]!;
      if (w.method === msg.method && w.sessionId === msg.sessionId) {
        this.waiters.splice(i, 1);
        w.resolve(msg.params);
        return;
      }
    }
  }

  send<T = any>(method: string, params: object = {}, sessionId?: string): Promise<T> {
    const id = ++this.id;
    this.ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    return new Promise<T>((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  private once(method: string, sessionId: string): Promise<any> {
    return new Promise((resolve) => this.waiters.push({ method, sessionId, resolve }));
  }

  /** Opens `url` in a new page of `width` x `height` CSS pixels; returns a handle. */
  async open(url: string, width: number, height: number): Promise<Page> {
    const { targetId } = await this.send<{ targetId: string }>('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await this.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
    await this.send('Page.enable', {}, sessionId);
    await this.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false }, sessionId);
    const loaded = this.once('Page.loadEventFired', sessionId);
    await this.send('Page.navigate', { url }, sessionId);
    await loaded;
    return {
      evaluate: async <T>(expression: string): Promise<T> => {
        const r = await this.send<{ result: { value: T }; exceptionDetails?: { text: string } }>(
          'Runtime.evaluate',
          { expression, returnByValue: true, awaitPromise: true },
          sessionId,
        );
        if (r.exceptionDetails) throw new Error(`in the page: ${r.exceptionDetails.text}`);
        return r.result.value;
      },
      screenshot: async (): Promise<Buffer> => {
        const r = await this.send<{ data: string }>('Page.captureScreenshot', { format: 'png' }, sessionId);
        return Buffer.from(r.data, 'base64');
      },
      close: async () => void (await this.send('Target.closeTarget', { targetId })),
    };
  }

  async close(): Promise<void> {
    try {
      await Promise.race([this.send('Browser.close'), new Promise((r) => setTimeout(r, 5_000))]);
    } catch {
      // already gone
    }
    this.ws.close();
    // Browser.close answers before Chromium's processes are gone; they still write to the profile.
    const exited = new Promise((r) =>
      this.proc.exitCode !== null || this.proc.signalCode !== null ? r(undefined) : this.proc.once('exit', r),
    );
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    if (this.proc.exitCode === null && this.proc.signalCode === null) {
      this.proc.kill('SIGKILL');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    }
    rmSync(this.dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
}

export interface Page {
  evaluate<T>(expression: string): Promise<T>;
  screenshot(): Promise<Buffer>;
  close(): Promise<void>;
}
