// Makes sure the programs the tests drive are on this machine. The tests talk to a real
// qemu-ga, drive the shell in tmux, and (with --vm) boot a real guest under QEMU and libvirt. On a
// Debian machine as root, what is missing is installed with apt-get; otherwise this says
// exactly what to install and fails, so no real-agent test is ever skipped silently.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

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

// The schema tests and `--schema debian` read QEMU 7.2's schema where Debian's package
// installs it. Images that leave out /usr/share/doc (path-exclude in dpkg.cfg.d) lack it;
// as root, put it where the package would have, from the package itself.
const SCHEMA_72 = '/usr/share/doc/qemu-guest-agent/qapi-schema.json.gz';
if (!process.env.QEMU_HOST_QGA_7_2_SCHEMA && !existsSync(SCHEMA_72)) {
  if (process.getuid?.() !== 0 || !onPath('apt-get')) {
    console.error(`${SCHEMA_72} is missing (this system leaves out /usr/share/doc). Reinstall qemu-guest-agent with docs, ` +
      'or set QEMU_HOST_QGA_7_2_SCHEMA to a copy of the file.');
    process.exit(1);
  }
  const work = mkdtempSync(path.join(tmpdir(), 'qh-qga-deb-'));
  chmodSync(work, 0o755); // apt-get download fetches as _apt
  try {
    execFileSync('apt-get', ['download', 'qemu-guest-agent'], { cwd: work, stdio: ['ignore', 'ignore', 'inherit'] });
    const deb = readdirSync(work).find((f) => f.endsWith('.deb'));
    execFileSync('dpkg', ['-x', path.join(work, deb), path.join(work, 'root')]);
    mkdirSync(path.dirname(SCHEMA_72), { recursive: true });
    copyFileSync(path.join(work, 'root', SCHEMA_72), SCHEMA_72);
    console.error(`put QEMU 7.2's schema at ${SCHEMA_72} from ${deb} (this image leaves out /usr/share/doc)`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
