// The VM that `qemu-host lab --detach` leaves running, recorded in a state file so that
// `qemu-host lab --stop` (a later process) can find it, check it is still that QEMU, and
// stop it: QMP quit first, then SIGTERM, then SIGKILL.
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { detachedStateFile } from './paths.js';
import { commandLineOf, processGone, stopWithSignals } from './process.js';
import { qmpCommand } from './qmp.js';
import type { LabVm } from './vm.js';

export interface DetachedState {
  pid: number;
  socket: string;
  qmp: string;
  console: string;
  consoleLog: string;
  dir: string;
  transport: string;
  accel: string;
  startedAt: string;
}

export function writeDetachedState(vm: LabVm, env: NodeJS.ProcessEnv = process.env): DetachedState {
  const state: DetachedState = {
    pid: vm.pid,
    socket: vm.socket,
    qmp: vm.qmpSocket,
    console: vm.consoleSocket,
    consoleLog: vm.consoleLog,
    dir: vm.dir,
    transport: vm.transport,
    accel: vm.accel,
    startedAt: new Date().toISOString(),
  };
  const file = detachedStateFile(env);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return state;
}

export function readDetachedState(env: NodeJS.ProcessEnv = process.env): DetachedState | undefined {
  try {
    const state = JSON.parse(readFileSync(detachedStateFile(env), 'utf8')) as DetachedState;
    return typeof state.pid === 'number' && typeof state.dir === 'string' ? state : undefined;
  } catch {
    return undefined;
  }
}

/** True while the recorded pid is still the QEMU we started (not a recycled pid). */
export function isDetachedRunning(state: DetachedState): boolean {
  if (processGone(state.pid)) return false;
  const argv = commandLineOf(state.pid);
  return argv !== undefined && argv.some((arg) => arg.includes(state.qmp));
}

export type StopOutcome = 'stopped' | 'was-not-running' | 'none';

/** Stops the detached VM, if any, and removes its files and the state file. */
export async function stopDetached(env: NodeJS.ProcessEnv = process.env): Promise<{ outcome: StopOutcome; state?: DetachedState }> {
  const state = readDetachedState(env);
  if (!state) return { outcome: 'none' };
  let outcome: StopOutcome = 'was-not-running';
  if (isDetachedRunning(state)) {
    outcome = 'stopped';
    try {
      await qmpCommand(state.qmp, 'quit', 3000);
    } catch {
      // QMP unusable: signals follow.
    }
    await stopWithSignals(state.pid);
  }
  rmSync(state.dir, { recursive: true, force: true });
  rmSync(detachedStateFile(env), { force: true });
  return { outcome, state };
}
