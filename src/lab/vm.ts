// Boots the lab guest under QEMU and waits until its agent answers guest-ping through a
// real Session. KVM is used only where it has been seen to boot this kernel: the first
// boot on a machine with /dev/kvm tries it with a short deadline, falls back to TCG, and
// remembers the verdict (nested software KVM often cannot boot a stock kernel at all).
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, closeSync, constants, existsSync, openSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { release } from 'node:os';
import { ConnectError, QemuHostError, asQemuHostError } from '../protocol/errors.js';
import { Session } from '../session/session.js';
import { SocketTransport } from '../transport/socket-transport.js';
import { readAccelVerdict, writeAccelVerdict } from './accel-verdicts.js';
import { ensureLabImage, type LabImage } from './build.js';
import { makeVmDir } from './paths.js';
import { findProgram } from './executable.js';
import { stopWithSignals } from './process.js';
import { qmpCommand } from './qmp.js';
import {
  QEMU_BINARY,
  QEMU_INSTALL_HINT,
  qemuArgs,
  vmFiles,
  type Accel,
  type LabTransport,
  type VmFiles,
} from './qemu-args.js';

export type AccelChoice = 'auto' | Accel;

export interface LabOptions {
  transport?: LabTransport;
  /** 'auto' (the default, or $QEMU_HOST_LAB_ACCEL) tries KVM once per machine and remembers. */
  accel?: AccelChoice;
  /** Start QEMU in its own session so it outlives this process (`lab --detach`). */
  detached?: boolean;
  /** Wait until the agent answers guest-ping (default true). */
  waitReady?: boolean;
  readyTimeoutMs?: number;
  rebuild?: boolean;
  memoryMb?: number;
  onProgress?: (message: string) => void;
  env?: NodeJS.ProcessEnv;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface LabVm extends VmFiles {
  readonly dir: string;
  readonly pid: number;
  readonly transport: LabTransport;
  readonly accel: Accel;
  readonly image: LabImage;
  readonly process: ChildProcess;
  /** Milliseconds from starting QEMU to the first guest-ping reply, once known. */
  readonly readyMs: number | undefined;
  /** Resolves when QEMU has exited. */
  readonly exited: Promise<ExitInfo>;
  readonly running: boolean;
  /** Waits until the agent answers guest-ping; returns the boot-to-ready time. */
  waitForAgent(timeoutMs?: number): Promise<number>;
  /** Asks QEMU to quit over QMP and waits for it to exit. */
  quit(): Promise<void>;
  /** Sends a signal to QEMU and waits for it to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Quits (falling back to SIGTERM, then SIGKILL) and removes the VM's files. */
  stop(): Promise<void>;
  /** Lets this process exit while QEMU keeps running. */
  detach(): void;
}

const DEFAULT_READY_MS = 60_000;
const KVM_PROBE_MS = 8_000;
const READY_SYNC_ATTEMPT_MS = 200;

/** $QEMU_HOST_QEMU when set (a path; nothing if it is not there), else qemu-system-x86_64 on the PATH. */
export function findQemu(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return findProgram(QEMU_BINARY, env.QEMU_HOST_QEMU, (env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(':'));
}

export function requireQemu(env: NodeJS.ProcessEnv = process.env): string {
  const qemu = findQemu(env);
  if (!qemu) {
    throw new QemuHostError(`${QEMU_BINARY} is not installed`, {
      hint: `The lab runs its guest under QEMU. Install it with: ${QEMU_INSTALL_HINT}`,
    });
  }
  return qemu;
}

function kvmUsable(): boolean {
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function verdictKey(qemu: string, image: LabImage): string {
  const real = realpathSync(qemu);
  const st = statSync(real);
  return `${release()}|${real}:${st.size}:${Math.trunc(st.mtimeMs)}|${image.manifest.kernelRelease}`;
}

function tail(file: string, lines: number): string {
  try {
    const text = readFileSync(file, 'utf8').replace(/\r/g, '').replace(/\x1b\[[0-9;?]*[a-zA-Z]/g, '');
    return text.split('\n').filter((l) => l.trim()).slice(-lines).join('\n');
  } catch {
    return '';
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Connects and syncs. QEMU creates the socket file a moment before it listens on it, so a
 * connect in between is refused: that is retried until the deadline while QEMU runs.
 */
async function connectOnceListening(session: Session, deadline: number, exited: () => boolean): Promise<void> {
  for (;;) {
    try {
      await session.connect({ timeoutMs: Math.max(1, deadline - Date.now()) });
      return;
    } catch (err) {
      const errno = err instanceof ConnectError ? err.errno : undefined;
      if (!(errno === 'ECONNREFUSED' || errno === 'ENOENT' || errno === 'EAGAIN') || exited() || Date.now() >= deadline) throw err;
      await sleep(10);
    }
  }
}

function launch(qemu: string, image: LabImage, accel: Accel, options: LabOptions): LabVm {
  const transport = options.transport ?? 'virtio';
  const dir = makeVmDir();
  const files = vmFiles(dir);
  const log = openSync(files.qemuLog, 'a', 0o600);
  const startedAt = performance.now();
  let child: ChildProcess;
  try {
    child = spawn(qemu, qemuArgs({ kernel: image.kernel, initrd: image.initrd, files, transport, accel, memoryMb: options.memoryMb }), {
      stdio: ['ignore', log, log],
      detached: options.detached === true,
    });
  } finally {
    closeSync(log);
  }
  let exitInfo: ExitInfo | undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
    child.once('error', () => {
      exitInfo = { code: null, signal: null };
      resolve(exitInfo);
    });
  });
  // A VM that belongs to this process must not outlive it.
  const killOnExit = (): void => {
    if (!exitInfo) child.kill('SIGKILL');
  };
  if (!options.detached) process.once('exit', killOnExit);
  void exited.then(() => process.removeListener('exit', killOnExit));

  let readyMs: number | undefined;
  const failure = (reason: string, cause?: unknown): QemuHostError => {
    const console = tail(files.consoleLog, 15);
    const qemuOut = tail(files.qemuLog, 10);
    return new QemuHostError(`the lab VM did not come up: ${reason}`, {
      cause,
      hint: [
        qemuOut && `QEMU said:\n${qemuOut}`,
        console && `Guest console (last lines):\n${console}`,
        `Files are in ${dir}.`,
      ].filter(Boolean).join('\n  '),
    });
  };

  const vm: LabVm = {
    dir,
    ...files,
    pid: child.pid ?? -1,
    transport,
    accel,
    image,
    process: child,
    exited,
    get readyMs() {
      return readyMs;
    },
    get running() {
      return exitInfo === undefined;
    },
    async waitForAgent(timeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_MS) {
      const deadline = Date.now() + timeoutMs;
      const exitedEarly = exited.then((info) => {
        throw failure(`QEMU exited (${info.signal ?? `status ${info.code}`})`);
      });
      exitedEarly.catch(() => undefined);
      while (!existsSync(files.socket)) {
        if (exitInfo) await exitedEarly;
        if (Date.now() > deadline) throw failure(`QEMU created no agent socket within ${timeoutMs} ms`);
        await sleep(10);
      }
      // Short sync attempts: on isa-serial, bytes sent before the agent opens the port are
      // lost, so readiness is only seen at the next attempt after the agent starts.
      const session = new Session(new SocketTransport({ kind: 'unix', path: files.socket }), { syncAttemptMs: READY_SYNC_ATTEMPT_MS });
      try {
        await Promise.race([
          (async () => {
            await connectOnceListening(session, deadline, () => exitInfo !== undefined);
            await session.call('guest-ping', undefined, { timeoutMs: Math.max(1, deadline - Date.now()) });
          })(),
          exitedEarly,
        ]);
      } catch (err) {
        const error = asQemuHostError(err);
        throw error.message.startsWith('the lab VM') ? error : failure(`the agent did not answer guest-ping within ${timeoutMs} ms (${error.message})`, error);
      } finally {
        session.close();
      }
      readyMs = performance.now() - startedAt;
      return readyMs;
    },
    async quit() {
      if (!exitInfo) await qmpCommand(files.qmpSocket, 'quit');
      await exited;
    },
    async kill(signal = 'SIGKILL') {
      if (!exitInfo) child.kill(signal);
      await exited;
    },
    async stop() {
      if (!exitInfo) {
        try {
          await qmpCommand(files.qmpSocket, 'quit', 3000);
        } catch {
          // QMP unusable: fall back to signals below.
        }
        await stopWithSignals(child.pid, () => exitInfo !== undefined);
      }
      rmSync(dir, { recursive: true, force: true });
    },
    detach() {
      process.removeListener('exit', killOnExit);
      child.unref();
    },
  };
  return vm;
}

async function chooseAccel(qemu: string, image: LabImage, options: LabOptions): Promise<Accel | 'probe'> {
  const env = options.env ?? process.env;
  const requested = options.accel ?? (env.QEMU_HOST_LAB_ACCEL as AccelChoice | undefined) ?? 'auto';
  if (requested !== 'auto' && requested !== 'kvm' && requested !== 'tcg') {
    throw new QemuHostError(`unknown accelerator "${String(requested)}"`, { hint: 'Use auto, kvm or tcg.' });
  }
  if (requested !== 'auto') return requested;
  if (!kvmUsable()) return 'tcg';
  return readAccelVerdict(verdictKey(qemu, image), env) ?? 'probe';
}

/**
 * Builds the image if needed, boots it and (unless waitReady is false) waits until the
 * agent answers guest-ping. The caller owns the VM and must stop() it.
 */
export async function startLab(options: LabOptions = {}): Promise<LabVm> {
  const env = options.env ?? process.env;
  const qemu = requireQemu(env);
  const image = await ensureLabImage({ rebuild: options.rebuild, onProgress: options.onProgress, env });
  let accel = await chooseAccel(qemu, image, options);

  if (accel === 'probe') {
    options.onProgress?.('trying KVM (once per machine)');
    const probe = launch(qemu, image, 'kvm', { ...options, detached: false });
    let works = false;
    try {
      await probe.waitForAgent(KVM_PROBE_MS);
      works = true;
    } catch {
      works = false;
    }
    await probe.stop();
    accel = works ? 'kvm' : 'tcg';
    writeAccelVerdict(verdictKey(qemu, image), accel, env);
    options.onProgress?.(works ? 'KVM works here' : 'KVM cannot boot the guest here: using TCG');
  }

  options.onProgress?.(`booting (${accel}, ${options.transport ?? 'virtio'})`);
  const vm = launch(qemu, image, accel, options);
  if (options.waitReady !== false) {
    try {
      await vm.waitForAgent();
    } catch (err) {
      await vm.kill().catch(() => undefined);
      throw err;
    }
  }
  return vm;
}
