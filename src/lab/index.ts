// The lab: a tiny real guest with qemu-guest-agent, built once from Debian packages and
// booted under QEMU in about two seconds. Used by `qemu-host lab` and the VM test suite.
export { ensureLabImage, hasCachedImage, type LabImage, type LabManifest, type BuildOptions } from './build.js';
export { GuestConsole, type ConsoleResult } from './console.js';
export {
  isDetachedRunning,
  readDetachedState,
  stopDetached,
  writeDetachedState,
  type DetachedState,
  type StopOutcome,
} from './detached.js';
export { AGENT_PID_FILE } from './guest-files.js';
export {
  MACHINE_CHANGING_RPCS,
  QEMU_GA_INSTALL_HINT,
  READ_ONLY_RPCS,
  compiledRpcs,
  findQemuGa,
  requireQemuGa,
  sandboxBlockList,
  startHostAgent,
  type HostAgent,
  type HostAgentOptions,
} from './host-agent.js';
export { labCacheDir } from './paths.js';
export { QEMU_INSTALL_HINT, type Accel, type LabTransport } from './qemu-args.js';
export { findQemu, requireQemu, startLab, type AccelChoice, type ExitInfo, type LabOptions, type LabVm } from './vm.js';
