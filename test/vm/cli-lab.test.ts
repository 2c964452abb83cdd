// `qemu-host lab --detach` leaves a real VM running and says where it is in one JSON line;
// `qemu-host lab --stop` stops it and cleans up. Run through the built CLI, as a user would.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { processGone } from '../../src/lab/process.js';
import { Session } from '../../src/session/session.js';
import { SocketTransport } from '../../src/transport/socket-transport.js';
import { builtCli } from '../helpers/vm.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], env: NodeJS.ProcessEnv, stdin?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [builtCli(), ...args], { env, stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    if (stdin !== undefined) child.stdin!.end(stdin);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('qemu-host lab --detach / --stop', () => {
  // A private runtime dir keeps this test's state file apart from a user's detached VM;
  // the image cache is the shared one, so nothing is rebuilt.
  const runtime = mkdtempSync(path.join(tmpdir(), 'qh-lab-cli-'));
  const env = { ...process.env, XDG_RUNTIME_DIR: runtime };
  let startedPid: number | undefined;

  afterAll(async () => {
    if (startedPid !== undefined && !processGone(startedPid)) await runCli(['lab', '--stop'], env);
    rmSync(runtime, { recursive: true, force: true });
  });

  it('prints exactly one JSON line once the agent answers, and leaves the VM running', async () => {
    const run = await runCli(['lab', '--detach'], env);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    const info = JSON.parse(lines[0]!) as { socket: string; qmp: string; pid: number };
    expect(Object.keys(info)).toEqual(['socket', 'qmp', 'pid']);
    startedPid = info.pid;
    expect(processGone(info.pid)).toBe(false);
    expect(existsSync(info.qmp)).toBe(true);
    expect(existsSync(path.join(runtime, 'qemu-host', 'lab.json'))).toBe(true);

    // The CLI has exited; the guest still answers.
    const session = new Session(new SocketTransport({ kind: 'unix', path: info.socket }));
    try {
      expect(await session.call('guest-ping')).toMatchObject({ status: 'ok', value: {} });
    } finally {
      session.close();
    }

    // A second --detach refuses rather than starting another VM.
    const again = await runCli(['lab', '--detach'], env);
    expect(again.code).toBe(2);
    expect(again.stdout).toBe('');
    expect(again.stderr).toContain(`already running (pid ${info.pid}`);
    expect(again.stderr).toContain('qemu-host lab --stop');

    const stop = await runCli(['lab', '--stop'], env);
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stderr).toContain(`stopped the lab VM (pid ${info.pid})`);
    expect(processGone(info.pid)).toBe(true);
    expect(existsSync(path.dirname(info.socket))).toBe(false);
    expect(existsSync(path.join(runtime, 'qemu-host', 'lab.json'))).toBe(false);

    const none = await runCli(['lab', '--stop'], env);
    expect(none.code).toBe(0);
    expect(none.stderr).toContain('no detached lab VM to stop');
  });

  it('--stop after the VM died by itself removes what it left behind', async () => {
    const run = await runCli(['lab', '--detach', '--transport', 'isa'], env);
    expect(run.code, run.stderr).toBe(0);
    const info = JSON.parse(run.stdout) as { socket: string; pid: number };
    startedPid = info.pid;
    process.kill(info.pid, 'SIGKILL');
    while (!processGone(info.pid)) await new Promise((r) => setTimeout(r, 20));
    const stop = await runCli(['lab', '--stop'], env);
    expect(stop.code).toBe(0);
    expect(stop.stderr).toContain(`the lab VM (pid ${info.pid}) had already exited; removed its files`);
    expect(existsSync(path.dirname(info.socket))).toBe(false);
    expect(existsSync(path.join(runtime, 'qemu-host', 'lab.json'))).toBe(false);
  });

  it('rejects a bad --transport before doing anything', async () => {
    const run = await runCli(['lab', '--transport', 'pci'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--transport takes virtio or isa, not "pci"');
  });

  it('names the package to install when qemu-system-x86_64 is missing', async () => {
    const run = await runCli(['lab', '--detach'], { ...env, PATH: '/nonexistent' });
    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('qemu-system-x86_64 is not installed');
    expect(run.stderr).toContain('apt-get install -y --no-install-recommends qemu-system-x86');
  });

  it('with commands on stdin: boots, runs them as a batch on the guest, then stops the VM', async () => {
    const run = await runCli(['lab'], env, 'guest-ping\nguest-get-host-name\n');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.split('\n').filter(Boolean)).toEqual(['{"return":{}}', '{"return":{"host-name":"qh-lab"}}']);
    const socket = /agent socket (\S+)/.exec(run.stderr)?.[1];
    expect(socket).toBeDefined();
    // The VM was stopped and its files removed when the batch ended.
    expect(existsSync(path.dirname(socket!))).toBe(false);
  });

  it('says exactly what to run when apt has no package lists', async () => {
    // A real apt, pointed at empty lists (as on a machine where apt-get update never ran),
    // and an empty image cache so that a build is needed.
    const lists = path.join(runtime, 'empty-lists');
    mkdirSync(path.join(lists, 'partial'), { recursive: true });
    const conf = path.join(runtime, 'apt.conf');
    writeFileSync(conf, `Dir::State::Lists "${lists}";\nDir::Cache::pkgcache "";\nDir::Cache::srcpkgcache "";\n`);
    const run = await runCli(['lab', '--detach'], { ...env, APT_CONFIG: conf, XDG_CACHE_HOME: path.join(runtime, 'cache') });
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('apt knows no Debian kernel package');
    expect(run.stderr).toContain('Run (as root): apt-get update');
  });
});
