// Makes sure the programs the tests drive are on this machine. The tests talk to a real
// qemu-ga, drive the shell in tmux, and (with --vm) boot a real guest under QEMU and libvirt. On a
// Debian machine as root, what is missing is installed with apt-get; otherwise this says
// exactly what to install and fails, so no real-agent test is ever skipped silently.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const vm = process.argv.includes('--vm');
const wanted = [
  { what: 'qemu-ga', found: () => existsSync('/usr/sbin/qemu-ga'), pkg: 'qemu-guest-agent' },
  { what: 'tmux', found: () => onPath('tmux'), pkg: 'tmux' },
  { what: 'socat', found: () => onPath('socat'), pkg: 'socat' },
  ...(vm ? [
    { what: 'qemu-system-x86_64', found: () => onPath('qemu-system-x86_64'), pkg: 'qemu-system-x86' },
    // The libvirt tests start their own libvirtd (in a private mount namespace) and drive virsh.
    { what: 'libvirtd', found: () => existsSync('/usr/sbin/libvirtd'), pkg: 'libvirt-daemon-system' },
    { what: 'virsh', found: () => onPath('virsh'), pkg: 'libvirt-clients' },
  ] : []),
];

function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

const missing = wanted.filter((w) => !w.found());
if (missing.length > 0) {
  const pkgs = missing.map((m) => m.pkg);
  const line = `apt-get install -y --no-install-recommends ${pkgs.join(' ')}`;
  const canInstall = process.getuid?.() === 0 && onPath('apt-get');
  if (!canInstall) {
    console.error(`qemu-host tests need: ${missing.map((m) => m.what).join(', ')}.\nInstall them with: sudo ${line}`);
    process.exit(1);
  }
  console.error(`installing test prerequisites: ${pkgs.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], { stdio: 'inherit', env });
  const still = missing.filter((m) => !m.found());
  if (still.length > 0) {
    console.error(`still missing after install: ${still.map((m) => m.what).join(', ')}`);
    process.exit(1);
  }
}
