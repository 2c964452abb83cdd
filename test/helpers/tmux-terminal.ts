// One shell in its own tmux server, for the terminal tests: start the built CLI at 120x40,
// type with send-keys, read the screen with capture-pane. Every wait is for a marker on the
// screen, never for a fixed time.
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';

const WAIT_MS = 15_000;

export function requireTmux(): void {
  const probe = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error('tmux is not installed: the terminal tests drive the shell in tmux. Install it (apt-get install -y tmux) and run again.');
  }
}

/** One shell running in its own tmux server. */
export class Terminal {
  private readonly server: string;
  readonly exitFile: string;
  private readonly waitMs: number;

  constructor(name: string, dir: string, waitMs = WAIT_MS) {
    this.server = `qh-${process.pid}-${name}`;
    this.exitFile = path.join(dir, `${name}.exit`);
    this.waitMs = waitMs;
  }

  tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.server, ...args], { encoding: 'utf8' });
  }

  start(cli: string, args: string[], env: Record<string, string>): void {
    // The test runner may run under CI=...; the shell must not care (Ink would draw nothing).
    const envArgs = Object.entries({ CI: 'true', ...env }).map(([k, v]) => `${k}=${shellQuote(v)}`).join(' ');
    const command = `env ${envArgs} ${shellQuote(process.execPath)} ${shellQuote(cli)} ${args.map(shellQuote).join(' ')}; echo "EXITED $?" > ${shellQuote(this.exitFile)}; echo "shell exited"; sleep 600`;
    this.tmux('new-session', '-d', '-s', 'main', '-x', '120', '-y', '40', command);
  }

  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', 'main');
  }

  /** Types text literally (no key names). */
  type(text: string): void {
    this.tmux('send-keys', '-t', 'main', '-l', text);
  }

  /** Presses keys by tmux name: Enter, Tab, C-c, PPage, ... */
  press(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'main', ...keys);
  }

  async waitFor(marker: string | RegExp, what = String(marker)): Promise<string> {
    const end = Date.now() + this.waitMs;
    let screen = '';
    for (;;) {
      screen = this.screen();
      if (typeof marker === 'string' ? screen.includes(marker) : marker.test(screen)) return screen;
      if (Date.now() > end) throw new Error(`the screen never showed ${what} within ${this.waitMs} ms. Last screen:\n${screen}`);
      await new Promise((r) => setTimeout(r, 40));
    }
  }

  async waitUntilGone(marker: string): Promise<string> {
    const end = Date.now() + this.waitMs;
    for (;;) {
      const screen = this.screen();
      if (!screen.includes(marker)) return screen;
      if (Date.now() > end) throw new Error(`the screen still showed ${marker} after ${this.waitMs} ms:\n${screen}`);
      await new Promise((r) => setTimeout(r, 40));
    }
  }

  kill(): void {
    const socket = spawnSync('tmux', ['-L', this.server, 'display-message', '-p', '#{socket_path}'], { encoding: 'utf8' }).stdout.trim();
    spawnSync('tmux', ['-L', this.server, 'kill-server']);
    if (socket) rmSync(socket, { force: true });
  }
}

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

