// What `qemu-host lab` does (declared in lab.ts, loaded when it runs): boot the lab VM and
// open the shell on it, or --detach / --stop.
import { UsageError } from '../../protocol/errors.js';
import {
  isDetachedRunning,
  readDetachedState,
  startLab,
  stopDetached,
  writeDetachedState,
  type AccelChoice,
  type LabTransport,
} from '../../lab/index.js';
import type { GlobalOptions } from '../context.js';
import { printError } from '../output.js';
import { contextFrom } from '../context.js';
import type { LabCommandOptions, RunShell } from './lab.js';

function parseTransport(text: string): LabTransport {
  if (text === 'virtio' || text === 'isa') return text;
  throw new UsageError(`--transport takes virtio or isa, not "${text}"`);
}

function parseAccel(text: string): AccelChoice {
  if (text === 'auto' || text === 'kvm' || text === 'tcg') return text;
  throw new UsageError(`--accel takes auto, kvm or tcg, not "${text}"`);
}

export async function runLab(globals: GlobalOptions, opts: LabCommandOptions, runShell: RunShell): Promise<number> {
  const ctx = contextFrom(globals);
  const say = (message: string): void => {
    ctx.stderr.write(`qemu-host lab: ${message}\n`);
  };
  try {
    if (opts.detach && opts.stop) throw new UsageError('give either --detach or --stop, not both');
    if (globals.socket || globals.tcp) {
      throw new UsageError('lab boots its own VM and connects to it; --socket and --tcp do not apply', {
        hint: 'Run qemu-host lab --detach to get the socket of a running lab VM.',
      });
    }
    if (opts.stop) {
      const { outcome, state } = await stopDetached();
      if (outcome === 'none') say('no detached lab VM to stop');
      else if (outcome === 'was-not-running') say(`the lab VM (pid ${state!.pid}) had already exited; removed its files`);
      else say(`stopped the lab VM (pid ${state!.pid})`);
      return 0;
    }
    const transport = parseTransport(opts.transport);
    const accel = parseAccel(opts.accel);

    if (opts.detach) {
      const existing = readDetachedState();
      if (existing && isDetachedRunning(existing)) {
        throw new UsageError(`a detached lab VM is already running (pid ${existing.pid}, socket ${existing.socket})`, {
          hint: 'Use it, or stop it first with: qemu-host lab --stop',
        });
      }
      const vm = await startLab({ transport, accel, rebuild: opts.rebuild, detached: true, onProgress: say });
      writeDetachedState(vm);
      ctx.stdout.write(`${JSON.stringify({ socket: vm.socket, qmp: vm.qmpSocket, pid: vm.pid })}\n`);
      vm.detach();
      return 0;
    }

    const vm = await startLab({ transport, accel, rebuild: opts.rebuild, onProgress: say });
    say(`guest ready in ${((vm.readyMs ?? 0) / 1000).toFixed(1)} s; agent socket ${vm.socket}`);
    // The VM is ours: stop it however we leave, a closed terminal and kill included.
    const stopAndExit = (signalNumber: number): void => {
      void vm.stop().finally(() => process.exit(128 + signalNumber));
    };
    const handlers = { SIGHUP: () => stopAndExit(1), SIGTERM: () => stopAndExit(15) };
    // `on`, not `once`: a once-listener is gone by the time signal-exit (loaded with Ink)
    // counts listeners, and it would then re-raise the signal and kill us before we stop.
    for (const [signal, handler] of Object.entries(handlers)) process.on(signal, handler);
    try {
      return await runShell({ ...globals, socket: vm.socket, tcp: undefined });
    } finally {
      for (const [signal, handler] of Object.entries(handlers)) process.removeListener(signal, handler);
      await vm.stop();
    }
  } catch (err) {
    return printError(ctx, err);
  }
}
