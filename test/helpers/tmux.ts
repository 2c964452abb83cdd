// The built CLI in a real terminal: tmux runs it at 120x40 in its own server, the test types
// with send-keys and reads the screen with capture-pane. Every wait is for a marker on the
// screen, never for a fixed time.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startAgent, type AgentFixture } from './agent.js';

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
  /** How long to wait for a marker (longer for a guest under TCG). */
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

export interface ShellRig {
  readonly agent: AgentFixture;
  /** A private temp directory (the config dir lives in it). */
  readonly work: string;
  /** The private copy of dist/cli.js the terminals run. */
  readonly cli: string;
  /** A new terminal, killed after the test. */
  terminal(): Terminal;
  /** The shell on the agent, once connected and ready. */
  openShell(extraArgs?: string[]): Promise<Terminal>;
}

/**
 * Registers the hooks of a tmux test file: a real qemu-ga, a private copy of the build (a
 * rebuild in the same checkout cannot pull it away mid-test), terminals killed after each test.
 */
export function useShellRig(): ShellRig {
  const dist = path.resolve(import.meta.dirname, '../../dist');
  const terminals: Terminal[] = [];
  let count = 0;
  const rig = {
    agent: undefined as unknown as AgentFixture,
    work: '',
    cli: '',
    terminal(): Terminal {
      const t = new Terminal(`r${++count}`, rig.work);
      terminals.push(t);
      return t;
    },
    async openShell(extraArgs: string[] = []): Promise<Terminal> {
      const t = rig.terminal();
      await rig.agent.waitReady();
      t.start(rig.cli, ['-s', rig.agent.socket, ...extraArgs], { QEMU_HOST_CONFIG_DIR: path.join(rig.work, 'config'), TERM: 'xterm-256color' });
      await t.waitFor(/Connected: qemu-ga [\d.]+, \d+ of \d+ commands enabled/, 'the connected notice');
      await t.waitFor('● ready');
      return t;
    },
  };
  beforeAll(async () => {
    requireTmux();
    if (!existsSync(path.join(dist, 'cli.js'))) throw new Error(`${dist}/cli.js is missing: run \`npm run build\` first (npm test does).`);
    rig.work = mkdtempSync(path.join(tmpdir(), 'qh-tmux-'));
    cpSync(dist, path.join(rig.work, 'dist'), { recursive: true });
    rig.cli = path.join(rig.work, 'dist', 'cli.js');
    rig.agent = await startAgent();
  });
  afterEach(() => {
    for (const t of terminals.splice(0)) t.kill();
  });
  afterAll(async () => {
    await rig.agent?.stop();
    if (rig.work) rmSync(rig.work, { recursive: true, force: true });
  });
  return rig;
}
