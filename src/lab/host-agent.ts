// A real qemu-ga on THIS machine (not in a guest), serving a private temp unix socket: the
// fallback when QEMU is not installed for a lab VM, and the peer of the real-agent tests.
// In unix-listen mode this agent exits when a client leaves before reading its reply, so it
// is restarted whenever it exits until stop() is called.
//
// Two block lists: MACHINE_CHANGING_RPCS (what tests block: they still use guest-exec and
// guest-file-* in a temp dir) and sandboxBlockList() (what a user's sandbox blocks: every
// RPC except the ones known only to read, so anything that writes, runs a program or is
// new and unknown is refused by the agent itself).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { QemuHostError } from '../protocol/errors.js';
import { findProgram } from './executable.js';

export const QEMU_GA_BINARY = 'qemu-ga';
export const QEMU_GA_INSTALL_HINT = 'apt-get install -y qemu-guest-agent';

/** RPCs that would change the machine the agent runs on: shut down, suspend, freeze, set. */
export const MACHINE_CHANGING_RPCS: readonly string[] = [
  'guest-shutdown', 'guest-suspend-disk', 'guest-suspend-ram', 'guest-suspend-hybrid',
  'guest-set-time', 'guest-fsfreeze-freeze', 'guest-fsfreeze-freeze-list', 'guest-fsfreeze-thaw',
  'guest-set-user-password', 'guest-set-vcpus', 'guest-set-memory-blocks',
  'guest-ssh-add-authorized-keys', 'guest-ssh-remove-authorized-keys', 'guest-fstrim',
];

/**
 * The RPCs a sandboxed host agent keeps: they only read. Everything else is blocked,
 * including guest-exec (runs programs), guest-file-open (creates and truncates files) and
 * any RPC a newer qemu-ga adds that is not named here.
 */
export const READ_ONLY_RPCS: readonly string[] = [
  'guest-sync-delimited', 'guest-sync', 'guest-ping', 'guest-info', 'guest-get-time',
  'guest-get-host-name', 'guest-get-osinfo', 'guest-get-timezone', 'guest-get-users',
  'guest-get-vcpus', 'guest-get-cpustats', 'guest-get-load', 'guest-get-memory-blocks',
  'guest-get-memory-block-info', 'guest-get-disks', 'guest-get-diskstats', 'guest-get-fsinfo',
  'guest-get-devices', 'guest-fsfreeze-status', 'guest-network-get-interfaces',
  'guest-network-get-route',
];

/** Every compiled-in RPC that is not known to only read. */
export function sandboxBlockList(compiled: readonly string[]): string[] {
  const keep = new Set(READ_ONLY_RPCS);
  return compiled.filter((rpc) => !keep.has(rpc));
}

/**
 * Where qemu-ga is: $QEMU_HOST_QEMU_GA when set (a path; nothing if it is not there), else
 * the PATH and the sbin directories Debian installs it to.
 */
export function findQemuGa(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return findProgram(QEMU_GA_BINARY, env.QEMU_HOST_QEMU_GA, [...(env.PATH ?? '').split(':'), '/usr/sbin', '/sbin', '/usr/local/sbin']);
}

export function requireQemuGa(env: NodeJS.ProcessEnv = process.env): string {
  const found = findQemuGa(env);
  if (!found) {
    throw new QemuHostError('qemu-ga is not installed', { hint: `Install it with: ${QEMU_GA_INSTALL_HINT}` });
  }
  return found;
}

/** The RPCs this qemu-ga was built with (`qemu-ga -b help`). */
export function compiledRpcs(qemuGa: string): string[] {
  const out = spawnSync(qemuGa, ['-b', 'help'], { encoding: 'utf8' });
  if (out.error || out.status !== 0) {
    throw new QemuHostError(`${qemuGa} -b help failed: ${out.error?.message ?? out.stderr.trim()}`);
  }
  return out.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
}

export interface HostAgentOptions {
  /** RPCs to block (those this qemu-ga does not have are left out). Default: the sandbox list. */
  blocked?: readonly string[];
  /** A prefix for the temp directory's name, which the socket path shows. */
  dirPrefix?: string;
  /** Restart the agent whenever it exits (default true). */
  restart?: boolean;
  extraArgs?: string[];
  env?: NodeJS.ProcessEnv;
  readyTimeoutMs?: number;
}

export interface HostAgent {
  /** The socket clients connect to. */
  readonly socket: string;
  /** A private temp directory: the socket and the agent's state. */
  readonly dir: string;
  readonly binary: string;
  /** What -b blocks. */
  readonly blocked: readonly string[];
  /** The current qemu-ga process. */
  readonly process: ChildProcess;
  /** How many times the agent has been (re)started. */
  readonly starts: number;
  /** Waits until the current agent's socket exists. */
  waitReady(): Promise<void>;
  /** Stops the agent for good and removes its directory. */
  stop(): Promise<void>;
}

/** When the agent dies this many times within a second of starting, it is not restarted. */
const QUICK_EXITS_ALLOWED = 5;

async function waitForFile(file: string, timeoutMs: number, exited: () => boolean): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (exited()) throw new QemuHostError(`qemu-ga exited before it created ${file}`);
    if (Date.now() > end) throw new QemuHostError(`qemu-ga did not create ${file} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Starts qemu-ga on a temp unix socket; resolves once it is listening. */
export async function startHostAgent(options: HostAgentOptions = {}): Promise<HostAgent> {
  const env = options.env ?? process.env;
  const binary = requireQemuGa(env);
  const available = new Set(compiledRpcs(binary));
  const blocked = (options.blocked ?? sandboxBlockList([...available])).filter((rpc) => available.has(rpc));
  const dir = mkdtempSync(path.join(tmpdir(), options.dirPrefix ?? 'qh-agent-'));
  const socket = path.join(dir, 'qga.sock');
  const readyTimeoutMs = options.readyTimeoutMs ?? 5000;
  let stopping = false;
  let current!: ChildProcess;
  let starts = 0;
  let quickExits = 0;
  let ready: Promise<void> = Promise.resolve();
  let lastStderr = '';

  const launch = (): void => {
    rmSync(socket, { force: true });
    const args = ['-m', 'unix-listen', '-p', socket, '-t', dir, ...(blocked.length ? ['-b', blocked.join(',')] : []), ...(options.extraArgs ?? [])];
    const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    current = child;
    starts += 1;
    const startedAt = Date.now();
    let exited = false;
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      lastStderr = (lastStderr + text).slice(-2000);
    });
    child.once('error', () => undefined);
    ready = waitForFile(socket, readyTimeoutMs, () => exited);
    ready.catch(() => undefined);
    child.once('exit', () => {
      exited = true;
      if (stopping || options.restart === false) return;
      quickExits = Date.now() - startedAt < 1000 ? quickExits + 1 : 0;
      if (quickExits < QUICK_EXITS_ALLOWED) launch();
    });
  };
  const killNow = (): void => {
    stopping = true;
    current.kill('SIGKILL');
  };
  process.once('exit', killNow);

  launch();
  try {
    await ready;
  } catch (err) {
    killNow();
    rmSync(dir, { recursive: true, force: true });
    process.removeListener('exit', killNow);
    throw new QemuHostError((err as Error).message, { hint: lastStderr.trim() ? `qemu-ga said: ${lastStderr.trim()}` : undefined });
  }

  return {
    socket,
    dir,
    binary,
    blocked,
    get process() {
      return current;
    },
    get starts() {
      return starts;
    },
    async waitReady() {
      await ready;
    },
    async stop() {
      stopping = true;
      process.removeListener('exit', killNow);
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
