// Starts a real qemu-ga on a temporary unix socket, as a test peer. Every RPC that would
// change this machine is blocked with -b. A host agent in unix-listen mode exits when a
// client leaves before reading its reply, so the fixture restarts it whenever it exits
// until stop() is called. A missing qemu-ga is a failure with instructions, never a skip.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MACHINE_CHANGING_RPCS } from '../../src/lab/host-agent.js';

// RPCs that would change the host if a test (or a bug) sent them: the same list src/lab uses.
export { MACHINE_CHANGING_RPCS };

export const QEMU_GA = process.env.QEMU_GA ?? '/usr/sbin/qemu-ga';

export interface AgentFixture {
  /** The socket path clients connect to. */
  socket: string;
  /** A private temp directory (state dir, files for guest-file-* tests). */
  dir: string;
  /** The current qemu-ga process. */
  readonly process: ChildProcess;
  /** How many times the agent has been (re)started. */
  readonly starts: number;
  /** Sends a signal to the current agent process. */
  signal(sig: NodeJS.Signals): void;
  /** Waits until a restarted agent is listening again. */
  waitReady(): Promise<void>;
  stop(): Promise<void>;
}

export function requireQemuGa(): void {
  if (!existsSync(QEMU_GA)) {
    throw new Error(`${QEMU_GA} not found: install Debian's qemu-guest-agent (apt-get install -y qemu-guest-agent). Real-agent tests cannot run without it.`);
  }
}

/** The RPCs this qemu-ga was built with (`qemu-ga -b help`). */
export function compiledRpcs(): string[] {
  requireQemuGa();
  const out = spawnSync(QEMU_GA, ['-b', 'help'], { encoding: 'utf8' });
  return out.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
}

async function waitForSocket(file: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (Date.now() > end) throw new Error(`qemu-ga did not create ${file} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function startAgent(
  options: { blocked?: string[]; extraArgs?: string[]; restart?: boolean } = {},
): Promise<AgentFixture> {
  requireQemuGa();
  const dir = mkdtempSync(path.join(tmpdir(), 'qh-agent-'));
  const socket = path.join(dir, 'qga.sock');
  const blocked = options.blocked ?? MACHINE_CHANGING_RPCS;
  const available = new Set(compiledRpcs());
  const blockList = blocked.filter((rpc) => available.has(rpc));
  let stopping = false;
  let current!: ChildProcess;
  let starts = 0;
  let ready: Promise<void> = Promise.resolve();

  const launch = (): void => {
    rmSync(socket, { force: true });
    const args = ['-m', 'unix-listen', '-p', socket, '-t', dir, ...(blockList.length ? ['-b', blockList.join(',')] : []), ...(options.extraArgs ?? [])];
    current = spawn(QEMU_GA, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    starts += 1;
    current.stderr?.resume();
    ready = waitForSocket(socket);
    current.once('exit', () => {
      if (!stopping && options.restart !== false) launch();
    });
  };
  launch();
  await ready;

  return {
    socket,
    dir,
    get process() {
      return current;
    },
    get starts() {
      return starts;
    },
    signal(sig) {
      current.kill(sig);
    },
    async waitReady() {
      await ready;
    },
    async stop() {
      stopping = true;
      const proc = current;
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGKILL');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
