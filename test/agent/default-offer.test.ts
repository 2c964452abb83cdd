// `qemu-host` with no socket, as a new user first runs it. In a real terminal (tmux) with
// QEMU made to look missing (QEMU_HOST_QEMU=/nonexistent) it offers a sandboxed qemu-ga on
// this machine, labelled as such, runs the shell on it and stops it on the way out. With
// qemu-ga missing too it says what to install; without a terminal it stays a usage error;
// a socket set in the settings is used. The sandbox's block list is checked against the
// real agent. (The lab VM offer, accepted, is test/vm/default-offer-lab.test.ts.)
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HOST_AGENT_DIR_PREFIX, HOST_AGENT_QUESTION } from '../../src/cli/commands/lab-offer.js';
import { MACHINE_CHANGING_RPCS, READ_ONLY_RPCS, compiledRpcs, startHostAgent, type HostAgent } from '../../src/lab/host-agent.js';
import { CommandDisabledError } from '../../src/protocol/errors.js';
import type { JsonObject } from '../../src/protocol/json.js';
import { Session } from '../../src/session/session.js';
import { SocketTransport } from '../../src/transport/socket-transport.js';
import { QEMU_GA, requireQemuGa, startAgent, type AgentFixture } from '../helpers/agent.js';
import { runCli } from '../helpers/cli.js';

const DIST = path.resolve(import.meta.dirname, '../../dist');
const WAIT_MS = 20_000;

function requireTmux(): void {
  const probe = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error('tmux is not installed: these tests drive the CLI in a real terminal. Install it (apt-get install -y tmux).');
  }
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The built CLI in its own tmux server, started with no socket at all. */
class Terminal {
  readonly server = `qh-offer-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.server, ...args], { encoding: 'utf8' });
  }

  start(cli: string, env: Record<string, string>): void {
    // No CI variables (Ink draws nothing live under CI) and no QEMU_HOST_SOCKET.
    const envArgs = Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)}`).join(' ');
    const command = `env -u CI -u CONTINUOUS_INTEGRATION -u GITHUB_ACTIONS -u QEMU_HOST_SOCKET ${envArgs} ${shellQuote(process.execPath)} ${shellQuote(cli)}; echo "EXITED $?"; sleep 600`;
    this.tmux('new-session', '-d', '-s', 'main', '-x', '160', '-y', '40', command);
  }

  screen(): string {
    return this.tmux('capture-pane', '-p', '-J', '-t', 'main');
  }

  type(text: string): void {
    this.tmux('send-keys', '-t', 'main', '-l', text);
  }

  press(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'main', ...keys);
  }

  async waitFor(marker: string | RegExp): Promise<string> {
    const end = Date.now() + WAIT_MS;
    for (;;) {
      const screen = this.screen();
      if (typeof marker === 'string' ? screen.includes(marker) : marker.test(screen)) return screen;
      if (Date.now() > end) throw new Error(`the screen never showed ${String(marker)} within ${WAIT_MS} ms. Last screen:\n${screen}`);
      await new Promise((r) => setTimeout(r, 40));
    }
  }

  /** The pid of the process running in the pane's shell whose command line mentions `text`. */
  childPid(text: string): number | undefined {
    const pane = Number(this.tmux('list-panes', '-t', 'main', '-F', '#{pane_pid}').trim());
    return processes().find((p) => p.ppid === pane && p.cmdline.includes(text))?.pid;
  }

  kill(): void {
    spawnSync('tmux', ['-L', this.server, 'kill-server']);
  }
}

function processes(): { pid: number; ppid: number; cmdline: string }[] {
  const out: { pid: number; ppid: number; cmdline: string }[] = [];
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      out.push({ pid: Number(entry), ppid, cmdline: readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ') });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** The qemu-ga processes serving a socket under `dir`. */
function agentsIn(dir: string): { pid: number; cmdline: string }[] {
  return processes().filter((p) => p.cmdline.includes('qemu-ga') && p.cmdline.includes(dir));
}

async function until(test: () => boolean, what: string, timeoutMs = WAIT_MS): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > end) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let work: string;
let cli: string;
const terminals: Terminal[] = [];

beforeAll(() => {
  requireTmux();
  requireQemuGa();
  if (!existsSync(path.join(DIST, 'cli.js'))) throw new Error(`${DIST}/cli.js is missing: run \`npm run build\` first (npm test does).`);
  work = mkdtempSync(path.join(tmpdir(), 'qh-offer-'));
  // A private copy of the build: a rebuild in the same checkout cannot pull it away mid-test.
  cpSync(DIST, path.join(work, 'dist'), { recursive: true });
  cli = path.join(work, 'dist', 'cli.js');
});

afterEach(() => {
  for (const t of terminals.splice(0)) t.kill();
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

function terminal(env: Record<string, string> = {}): Terminal {
  const t = new Terminal();
  terminals.push(t);
  t.start(cli, { QEMU_HOST_CONFIG_DIR: path.join(work, 'config'), TERM: 'xterm-256color', QEMU_HOST_QEMU: '/nonexistent', ...env });
  return t;
}

describe('qemu-host with no socket, in a terminal, where QEMU is missing', () => {
  it('offers a sandboxed qemu-ga on this machine, labelled so, and stops it when the shell is left', async () => {
    const t = terminal();
    const offer = await t.waitFor(HOST_AGENT_QUESTION.trim());
    expect(offer).toContain('No agent socket given, and QEMU is not installed for a lab VM (install it with: apt-get install -y --no-install-recommends qemu-system-x86).');
    t.press('Enter');

    // The shell on it: the socket says whose it is, in the first notice and the status bar.
    const ready = await t.waitFor(/● ready │ read-only │ unix:\S+qga\.sock/);
    const socket = new RegExp(`unix:(\\S*${HOST_AGENT_DIR_PREFIX}\\S*/qga\\.sock)`).exec(ready)?.[1];
    expect(socket, ready).toBeDefined();
    expect(ready).toContain(`qemu-host shell · unix:${socket}`);
    const dir = path.dirname(socket!);
    expect(path.basename(dir).startsWith('qh-this-machine-not-a-guest-')).toBe(true);

    // Every state-changing RPC is blocked by the agent itself: everything but the readers.
    const running = agentsIn(dir);
    expect(running).toHaveLength(1);
    const blocked = /-b (\S+)/.exec(running[0]!.cmdline)?.[1]?.split(',') ?? [];
    const compiled = compiledRpcs(QEMU_GA);
    for (const rpc of [...MACHINE_CHANGING_RPCS, 'guest-exec', 'guest-file-open', 'guest-file-write']) {
      if (compiled.includes(rpc)) expect(blocked).toContain(rpc);
    }
    expect(blocked.filter((rpc) => READ_ONLY_RPCS.includes(rpc))).toEqual([]);
    // The agent says so too: only readers are enabled (it also disables what this OS lacks).
    const connected = /Connected: qemu-ga [\d.]+, (\d+) of (\d+) commands enabled/.exec(await t.waitFor('commands enabled'));
    expect(Number(connected?.[2])).toBe(compiled.length);
    expect(Number(connected?.[1])).toBeLessThanOrEqual(compiled.length - blocked.length);

    // It answers for this machine.
    t.type('guest-get-host-name');
    t.press('Enter');
    await t.waitFor(`"host-name": "${hostname()}"`);
    // The shell is read-only too: a command that changes the machine is not even sent.
    t.type('guest-shutdown');
    t.press('Enter');
    await t.waitFor('Refused: guest-shutdown shuts the guest down, and the shell is read-only');

    // Leaving the shell stops the agent and removes its socket; the banner stays in the scrollback.
    t.press('C-d');
    const after = await t.waitFor('EXITED 0');
    expect(after).toContain(`qemu-host: THIS MACHINE, NOT A GUEST: ${QEMU_GA} runs here on ${socket}`);
    expect(after).toMatch(/only commands that read are allowed: the agent refuses the other \d+ \(guest-exec, guest-file-open/);
    await until(() => agentsIn(dir).length === 0, 'the agent stopping');
    expect(existsSync(dir)).toBe(false);
  });

  it('restarts the agent when it exits while the shell runs', async () => {
    const t = terminal();
    await t.waitFor(HOST_AGENT_QUESTION.trim());
    t.type('y');
    t.press('Enter');
    const ready = await t.waitFor(/● ready │ read-only │ unix:\S+qga\.sock/);
    const dir = path.dirname(/unix:(\S+qga\.sock)/.exec(ready)![1]!);
    const first = agentsIn(dir)[0]!.pid;
    process.kill(first, 'SIGKILL');
    await until(() => agentsIn(dir).some((p) => p.pid !== first), 'a new qemu-ga');
    t.type('guest-ping');
    t.press('Enter');
    await t.waitFor(/❯ guest-ping +ok/);
    t.press('C-d');
    await t.waitFor('EXITED 0');
    await until(() => agentsIn(dir).length === 0, 'the agent stopping');
  });

  it('stops the agent when the terminal goes away (SIGHUP)', async () => {
    const t = terminal();
    await t.waitFor(HOST_AGENT_QUESTION.trim());
    t.press('Enter');
    const ready = await t.waitFor(/● ready │ read-only │ unix:\S+qga\.sock/);
    const dir = path.dirname(/unix:(\S+qga\.sock)/.exec(ready)![1]!);
    const pid = t.childPid(cli);
    expect(pid).toBeDefined();
    process.kill(pid!, 'SIGHUP');
    await until(() => !existsSync(dir) && agentsIn(dir).length === 0, 'the agent stopping after SIGHUP');
  });

  it('starts nothing when the offer is declined, and says how to give a socket', async () => {
    const t = terminal();
    await t.waitFor(HOST_AGENT_QUESTION.trim());
    t.type('n');
    t.press('Enter');
    const screen = await t.waitFor('EXITED 2');
    expect(screen).toContain('qemu-host: no agent socket given');
    expect(screen).toContain('-s /path/to/qga.sock');
    expect(screen).not.toContain('THIS MACHINE, NOT A GUEST');
  });

  it('says exactly what to install when qemu-ga is missing too', async () => {
    const t = terminal({ QEMU_HOST_QEMU_GA: '/nonexistent' });
    const screen = await t.waitFor('EXITED 2');
    expect(screen).toContain('no agent socket given, and neither QEMU nor qemu-ga is installed here to try one');
    expect(screen).toContain('apt-get install -y --no-install-recommends qemu-system-x86');
    expect(screen).toContain('apt-get install -y qemu-guest-agent');
    expect(screen).not.toContain('[Y/n]');
  });
});

describe('qemu-host with no socket, without a terminal', () => {
  it('stays a usage error and starts nothing, whatever is installed', async () => {
    const before = readdirSync(tmpdir()).filter((e) => e.startsWith(HOST_AGENT_DIR_PREFIX) || e.startsWith('qh-lab-')).sort();
    for (const env of [{}, { QEMU_HOST_QEMU: '/nonexistent' }]) {
      const run = await runCli([], { input: '{"execute":"guest-ping"}\n', env: { QEMU_HOST_CONFIG_DIR: path.join(work, 'config-empty'), ...env } });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('qemu-host: no agent socket given');
      expect(run.stderr).not.toContain('[Y/n]');
      expect(run.stdout).toBe('');
    }
    const after = readdirSync(tmpdir()).filter((e) => e.startsWith(HOST_AGENT_DIR_PREFIX) || e.startsWith('qh-lab-')).sort();
    expect(after).toEqual(before);
  });
});

describe('a default socket in the settings', () => {
  let agent: AgentFixture;
  beforeAll(async () => {
    agent = await startAgent();
  });
  afterAll(async () => {
    await agent?.stop();
  });

  it('is used when no socket is given', async () => {
    const config = path.join(work, 'config-default');
    mkdirSync(config, { recursive: true, mode: 0o700 });
    writeFileSync(path.join(config, 'settings.json'), JSON.stringify({ settings: { defaultSocket: agent.socket }, profiles: {} }), { mode: 0o600 });
    const run = await runCli([], { input: 'guest-ping\n', env: { QEMU_HOST_CONFIG_DIR: config } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('{}');
  });
});

describe('the sandboxed host agent (src/lab/host-agent.ts)', () => {
  let agent: HostAgent;
  let session: Session;
  beforeAll(async () => {
    agent = await startHostAgent({ dirPrefix: HOST_AGENT_DIR_PREFIX });
    session = new Session(new SocketTransport({ kind: 'unix', path: agent.socket }), { reconnect: false });
  });
  afterAll(async () => {
    session?.close();
    await agent?.stop();
  });

  it('refuses, in the agent itself, every RPC that is not known only to read', async () => {
    const compiled = compiledRpcs(agent.binary);
    expect([...agent.blocked].sort()).toEqual(compiled.filter((rpc) => !READ_ONLY_RPCS.includes(rpc)).sort());
    const changing: { execute: string; args: JsonObject }[] = [
      { execute: 'guest-exec', args: { path: '/bin/touch', arg: [path.join(agent.dir, 'ran')] } },
      { execute: 'guest-file-open', args: { path: path.join(agent.dir, 'made'), mode: 'w' } },
      { execute: 'guest-set-time', args: { time: 0 } },
      { execute: 'guest-shutdown', args: { mode: 'powerdown' } },
    ];
    for (const { execute, args } of changing) {
      await expect(session.call(execute, args)).rejects.toBeInstanceOf(CommandDisabledError);
    }
    expect(existsSync(path.join(agent.dir, 'ran'))).toBe(false);
    expect(existsSync(path.join(agent.dir, 'made'))).toBe(false);
    // What only reads still answers.
    expect(await session.call('guest-get-host-name')).toMatchObject({ status: 'ok', value: { 'host-name': hostname() } });
    expect(await session.call('guest-get-osinfo')).toMatchObject({ status: 'ok' });
  });

  it('is restarted when it exits, and stop() ends it for good', async () => {
    const first = agent.process;
    const starts = agent.starts;
    first.kill('SIGKILL');
    await until(() => agent.starts === starts + 1, 'a restart');
    await agent.waitReady();
    const again = new Session(new SocketTransport({ kind: 'unix', path: agent.socket }));
    try {
      expect(await again.call('guest-ping')).toMatchObject({ status: 'ok', value: {} });
    } finally {
      again.close();
    }
    const dir = agent.dir;
    await agent.stop();
    expect(existsSync(dir)).toBe(false);
    expect(agentsIn(dir)).toHaveLength(0);
  });
});
