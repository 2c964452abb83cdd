// Boots the lab guest (a real Debian kernel, busybox and qemu-guest-agent under QEMU) for
// a test file. The image is built once and cached by src/lab; each boot takes about two
// seconds under TCG. A missing QEMU or apt failure makes the test fail with the exact
// install command, never skip.
import { existsSync } from 'node:fs';
import { AGENT_PID_FILE, GuestConsole, startLab, type ConsoleResult, type LabOptions, type LabVm } from '../../src/lab/index.js';
import { QemuHostError } from '../../src/protocol/errors.js';
import type { CallRecord, StateChange } from '../../src/session/events.js';
import { Session, type SessionOptions } from '../../src/session/session.js';
import { SocketTransport } from '../../src/transport/socket-transport.js';

export interface VmFixture {
  vm: LabVm;
  /** The agent's chardev socket. */
  socket: string;
  qmpSocket: string;
  consoleSocket: string;
  pid: number;
  /** A new Session on the agent socket (not connected yet). */
  session(options?: SessionOptions): Session;
  /** QMP quit; resolves when QEMU has exited. */
  quit(): Promise<void>;
  /** Kills QEMU (SIGKILL by default); resolves when it has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Runs a shell command line on the guest console (not through the agent). */
  guestShell(command: string): Promise<ConsoleResult>;
  /** The pid of the qemu-ga now running in the guest. */
  agentPid(): Promise<number>;
  /**
   * Kills qemu-ga inside the guest with SIGKILL (through the console, so it works while the
   * agent is busy) and waits until /init has started a new one. Returns both pids.
   */
  killAgentInGuest(): Promise<{ killed: number; restarted: number }>;
  /** Stops QEMU if it still runs and removes the VM's files. */
  stop(): Promise<void>;
}

function withHint(err: unknown): Error {
  if (err instanceof QemuHostError) return new Error(err.describe(), { cause: err });
  return err instanceof Error ? err : new Error(String(err));
}

export async function bootVm(options: LabOptions = {}): Promise<VmFixture> {
  let vm: LabVm;
  try {
    vm = await startLab({ readyTimeoutMs: 120_000, ...options });
  } catch (err) {
    throw withHint(err);
  }
  let guestConsole: GuestConsole | undefined;
  const shell = async (command: string): Promise<ConsoleResult> => {
    guestConsole ??= await GuestConsole.open(vm.consoleSocket, 60_000);
    return guestConsole.run(command);
  };
  const agentPid = async (): Promise<number> => {
    // The tty echoes the command line back; only the output has digits right after "pid=".
    const result = await shell(`echo "pid=$(cat ${AGENT_PID_FILE})"`);
    const pid = /pid=(\d+)/.exec(result.output)?.[1];
    if (result.status !== 0 || !pid) throw new Error(`cannot read the agent's pid in the guest: ${JSON.stringify(result.output)}`);
    return Number(pid);
  };
  return {
    vm,
    socket: vm.socket,
    qmpSocket: vm.qmpSocket,
    consoleSocket: vm.consoleSocket,
    pid: vm.pid,
    session: (sessionOptions) => new Session(new SocketTransport({ kind: 'unix', path: vm.socket }), sessionOptions),
    quit: () => vm.quit(),
    kill: (signal) => vm.kill(signal),
    guestShell: shell,
    agentPid,
    async killAgentInGuest() {
      const killed = await agentPid();
      const result = await shell(`kill -9 ${killed}`);
      if (result.status !== 0) throw new Error(`kill -9 ${killed} failed in the guest: ${result.output}`);
      for (let i = 0; i < 200; i++) {
        const now = await agentPid().catch(() => killed);
        if (now !== killed) return { killed, restarted: now };
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`qemu-ga (pid ${killed}) was not restarted in the guest`);
    },
    async stop() {
      guestConsole?.close();
      await vm.stop();
    },
  };
}

/** The built CLI; the VM suite runs after `npm run build` (npm run test:vm does both). */
export function builtCli(): string {
  const cli = new URL('../../dist/cli.js', import.meta.url).pathname;
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build (npm run test:vm builds first)`);
  return cli;
}

/** Collects every finished call of a session, to check that no reply was lost or mismatched. */
export function recordCalls(session: Session): CallRecord[] {
  const records: CallRecord[] = [];
  session.on('call-end', (record) => records.push(record));
  return records;
}

/** Each answered call got the reply carrying its own id. */
export function repliesMatchRequests(records: CallRecord[]): boolean {
  return records
    .filter((r) => r.reply !== undefined)
    .every((r) => r.reply!.id !== undefined && JSON.stringify(r.reply!.id) === JSON.stringify(r.request.id));
}

/** Session states in order, as the 'state' event reports them. */
export function recordStates(session: Session): StateChange[] {
  const states: StateChange[] = [];
  session.on('state', (change) => states.push(change));
  return states;
}

/** Resolves with the next state change to `state`. */
export function nextState(session: Session, state: StateChange['state'], timeoutMs = 30_000): Promise<StateChange> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`the session did not reach state ${state} within ${timeoutMs} ms (now ${session.state})`));
    }, timeoutMs);
    const off = session.on('state', (change) => {
      if (change.state !== state) return;
      clearTimeout(timer);
      off();
      resolve(change);
    });
  });
}
