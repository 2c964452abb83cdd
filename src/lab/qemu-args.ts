// The QEMU command line for the lab guest. The agent's chardev socket is the one a user's
// VM would have (virtio-serial, or isa-serial on ttyS1); beside it a QMP socket for a clean
// quit and the guest console (ttyS0) on a socket of its own, logged to a file.
import path from 'node:path';

export type LabTransport = 'virtio' | 'isa';
export type Accel = 'kvm' | 'tcg';

export const QEMU_BINARY = 'qemu-system-x86_64';
export const QEMU_INSTALL_HINT = 'apt-get install -y --no-install-recommends qemu-system-x86';

export interface VmFiles {
  /** The agent's chardev socket. */
  socket: string;
  qmpSocket: string;
  consoleSocket: string;
  consoleLog: string;
  /** QEMU's own stdout and stderr. */
  qemuLog: string;
}

export function vmFiles(dir: string): VmFiles {
  return {
    socket: path.join(dir, 'qga.sock'),
    qmpSocket: path.join(dir, 'qmp.sock'),
    consoleSocket: path.join(dir, 'console.sock'),
    consoleLog: path.join(dir, 'console.log'),
    qemuLog: path.join(dir, 'qemu.log'),
  };
}

/** QEMU option values use ',' as a separator; a literal comma is written twice. */
function value(text: string): string {
  return text.replace(/,/g, ',,');
}

export interface QemuLaunch {
  kernel: string;
  initrd: string;
  files: VmFiles;
  transport: LabTransport;
  accel: Accel;
  memoryMb?: number;
}

export function qemuArgs(launch: QemuLaunch): string[] {
  const { files } = launch;
  const args = [
    '-accel', launch.accel,
    ...(launch.accel === 'kvm' ? ['-cpu', 'host'] : []),
    '-m', `${launch.memoryMb ?? 128}M`,
    '-nographic', '-no-reboot', '-nic', 'none', '-monitor', 'none',
    '-kernel', launch.kernel,
    '-initrd', launch.initrd,
    '-append', `console=ttyS0 quiet qh.transport=${launch.transport}`,
    '-qmp', `unix:${value(files.qmpSocket)},server=on,wait=off`,
    '-chardev', `socket,id=con0,path=${value(files.consoleSocket)},server=on,wait=off,logfile=${value(files.consoleLog)}`,
    '-serial', 'chardev:con0',
    '-chardev', `socket,id=qga0,path=${value(files.socket)},server=on,wait=off`,
  ];
  if (launch.transport === 'virtio') {
    args.push('-device', 'virtio-serial', '-device', 'virtserialport,chardev=qga0,name=org.qemu.guest_agent.0');
  } else {
    args.push('-device', 'isa-serial,chardev=qga0');
  }
  return args;
}
