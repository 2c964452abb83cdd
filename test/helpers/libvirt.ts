// A real libvirt daemon for one test file, and the lab guest defined in it as a domain
// with a guest-agent channel. libvirtd runs as root with system paths compiled in, so it
// runs in a mount namespace of its own (unshare -m) where /etc/libvirt, /run/libvirt,
// /var/lib/libvirt, /var/log/libvirt and /var/cache/libvirt are private temp dirs: it
// never touches this machine's libvirt, and two test runs never see each other. Its
// socket is in the temp dir, reached with qemu+unix:///system?socket=PATH.
//
// qemu.conf makes it work on a bare CI machine (root, no systemd, no KVM): QEMU runs as
// root with no security driver, no cgroups, no per-domain /dev namespace, and writes its
// output to files (no virtlogd). libvirtd exits by itself after --timeout seconds idle.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ensureLabImage, type LabImage } from '../../src/lab/index.js';

const run = promisify(execFile);

export const LIBVIRT_INSTALL = 'apt-get install -y --no-install-recommends libvirt-daemon-system libvirt-clients';
const LIBVIRTD = '/usr/sbin/libvirtd';
const PRIVATE_DIRS = { etc: '/etc/libvirt', run: '/run/libvirt', lib: '/var/lib/libvirt', log: '/var/log/libvirt', cache: '/var/cache/libvirt' };

export interface LibvirtDaemon {
  dir: string;
  uri: string;
  /** The daemon's own log (errors only). */
  log: string;
  /** Runs virsh against this daemon; resolves with stdout, rejects with stderr in the message. */
  virsh(...args: string[]): Promise<string>;
  /** Defines the lab guest as NAME (with or without the agent channel) and starts it unless told not to. */
  defineLab(name: string, options?: { channel?: boolean; start?: boolean }): Promise<void>;
  /** Polls guest-ping through virsh until the agent answers. */
  waitForAgent(name: string, timeoutMs?: number): Promise<void>;
  /** Destroys and undefines every domain, stops the daemon, removes the temp dir. */
  stop(): Promise<void>;
}

function requireLibvirt(): void {
  const missing = [LIBVIRTD, '/usr/bin/virsh', '/usr/bin/unshare'].filter((f) => !existsSync(f));
  if (missing.length > 0) throw new Error(`missing ${missing.join(', ')}: the libvirt tests run a real libvirtd. Install: ${LIBVIRT_INSTALL}`);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function domainXml(name: string, image: LabImage, dir: string, channel: boolean): string {
  return `<domain type='qemu'>
  <name>${name}</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>${image.kernel}</kernel>
    <initrd>${image.initrd}</initrd>
    <cmdline>console=ttyS0 quiet qh.transport=virtio</cmdline>
  </os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>destroy</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <serial type='file'><source path='${path.join(dir, `${name}.console.log`)}'/><target port='0'/></serial>
    ${channel ? "<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>" : ''}
    <memballoon model='none'/>
  </devices>
</domain>
`;
}

export async function startLibvirtd(): Promise<LibvirtDaemon> {
  requireLibvirt();
  const dir = mkdtempSync(path.join(tmpdir(), 'qh-libvirt-'));
  for (const sub of [...Object.keys(PRIVATE_DIRS), 'sock']) mkdirSync(path.join(dir, sub), { recursive: true });
  const socket = path.join(dir, 'sock', 'libvirt-sock');
  const log = path.join(dir, 'libvirtd.log');
  writeFileSync(path.join(dir, 'etc', 'libvirtd.conf'), [
    `unix_sock_dir = "${path.join(dir, 'sock')}"`,
    'unix_sock_rw_perms = "0700"',
    'auth_unix_rw = "none"',
    'auth_unix_ro = "none"',
    `log_outputs = "3:file:${log}"`,
  ].join('\n'));
  writeFileSync(path.join(dir, 'etc', 'qemu.conf'), [
    'user = "root"', 'group = "root"', 'dynamic_ownership = 0', 'remember_owner = 0',
    'security_driver = "none"', 'cgroup_controllers = [ ]', 'namespaces = [ ]', 'stdio_handler = "file"',
  ].join('\n'));
  const mounts = Object.entries(PRIVATE_DIRS).map(([sub, target]) => `mkdir -p ${target} && mount --bind ${path.join(dir, sub)} ${target}`);
  const script = [
    'set -e',
    ...mounts,
    `exec ${LIBVIRTD} --config ${path.join(dir, 'etc', 'libvirtd.conf')} --pid-file ${path.join(dir, 'libvirtd.pid')} --timeout 900`,
  ].join('\n');
  writeFileSync(path.join(dir, 'start.sh'), script);
  const daemon: ChildProcess = spawn('unshare', ['-m', '--propagation', 'private', 'sh', path.join(dir, 'start.sh')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let daemonErr = '';
  daemon.stderr!.setEncoding('utf8').on('data', (d: string) => (daemonErr += d));
  let exited = false;
  const gone = new Promise<void>((resolve) => daemon.once('exit', () => {
    exited = true;
    resolve();
  }));
  const killOnExit = (): void => {
    if (!exited) daemon.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const uri = `qemu+unix:///system?socket=${socket}`;
  const virsh = async (...args: string[]): Promise<string> => {
    try {
      const { stdout } = await run('virsh', ['-q', '-c', uri, ...args], { env: { ...process.env, LC_ALL: 'C' } });
      return stdout;
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`virsh ${args.join(' ')}: ${e.stderr?.trim() || e.message}`);
    }
  };
  const deadline = Date.now() + 30_000;
  while (!existsSync(socket)) {
    if (exited || Date.now() > deadline) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`libvirtd did not start: ${daemonErr || 'no socket'}${existsSync(log) ? `\n${readFileSync(log, 'utf8')}` : ''}`);
    }
    await sleep(50);
  }
  let image: LabImage | undefined;
  const defined: string[] = [];

  const waitForAgent = async (name: string, timeoutMs = 120_000): Promise<void> => {
    const end = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < end) {
      try {
        await virsh('qemu-agent-command', name, '--timeout', '2', '{"execute":"guest-ping"}');
        return;
      } catch (err) {
        last = (err as Error).message;
      }
      await sleep(200);
    }
    throw new Error(`the agent of ${name} did not answer through libvirt within ${timeoutMs} ms: ${last}`);
  };

  return {
    dir,
    uri,
    log,
    virsh,
    waitForAgent,
    async defineLab(name, options = {}) {
      image ??= await ensureLabImage();
      const xml = path.join(dir, `${name}.xml`);
      writeFileSync(xml, domainXml(name, image, dir, options.channel !== false));
      await virsh('define', xml);
      defined.push(name);
      if (options.start !== false) await virsh('start', name);
    },
    async stop() {
      for (const name of defined) {
        await virsh('destroy', name).catch(() => undefined);
        await virsh('undefine', name).catch(() => undefined);
      }
      if (!exited) {
        daemon.kill('SIGTERM');
        await Promise.race([gone, sleep(10_000)]);
        if (!exited) daemon.kill('SIGKILL');
        await gone;
      }
      process.removeListener('exit', killOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Whether any process's command line contains `needle` (what `ps` shows to every user). */
export function anyCommandLineContains(needle: string): string | undefined {
  const ps = spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return ps.stdout.split('\n').find((line) => line.includes(needle) && !line.includes('ps -eo'));
}
