// The whole tool through libvirt (--domain NAME --connect URI): a real libvirtd started for
// this file, the lab guest defined in it as a domain with a guest-agent channel, and the
// built CLI driving it through virsh qemu-agent-command.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentError, CommandDisabledError, ConnectError, TimeoutError } from '../../src/protocol/errors.js';
import { Session } from '../../src/session/session.js';
import { LibvirtTransport } from '../../src/transport/libvirt/libvirt-transport.js';
import { eventually } from '../helpers/broker.js';
import { CLI, runCli } from '../helpers/cli.js';
import { anyCommandLineContains, startLibvirtd, type LibvirtDaemon } from '../helpers/libvirt.js';

const GUEST = 'qh-lab-a';
const NO_CHANNEL = 'qh-lab-nochan';
const STOPPED = 'qh-lab-off';

let daemon: LibvirtDaemon;
const on = (...args: string[]): string[] => ['--domain', GUEST, '--connect', daemon.uri, ...args];

function batchLines(stdout: string): Record<string, unknown>[] {
  return stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}

beforeAll(async () => {
  daemon = await startLibvirtd();
  await daemon.defineLab(GUEST);
  await daemon.defineLab(NO_CHANNEL, { channel: false });
  await daemon.defineLab(STOPPED, { start: false });
  await daemon.waitForAgent(GUEST);
});

afterAll(async () => {
  await daemon?.stop();
});

describe('--domain: commands through libvirt', () => {
  it('call answers, and keeps the nanoseconds of guest-get-time exact', async () => {
    const ping = await runCli(on('call', 'guest-ping'));
    expect(ping.stderr).toBe('');
    expect(ping.code).toBe(0);
    expect(JSON.parse(ping.stdout)).toEqual({});
    const time = await runCli(on('--json', 'call', 'guest-get-time'));
    expect(time.code).toBe(0);
    // 19 digits: beyond 2^53, printed digit for digit (a float would end in zeros or an exponent).
    expect(time.stdout.trim()).toMatch(/^\d{19}$/);
    const ns = BigInt(time.stdout.trim());
    expect(ns > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(Number(ns / 1_000_000_000n)).toBeGreaterThan(Date.now() / 1000 - 3600);
  });

  it('batch mode: one JSON line per command, agent errors as the agent would send them', async () => {
    const input = ['guest-ping', 'guest-get-host-name', '{"execute": "guest-nosuch"}', 'guest-file-open path=/no/such/file', 'guest-info'].join('\n');
    const batch = await runCli(on(), { input: `${input}\n` });
    const lines = batchLines(batch.stdout);
    expect(lines).toHaveLength(5);
    expect(lines[0]).toEqual({ return: {} });
    expect(lines[1]).toEqual({ return: { 'host-name': 'qh-lab' } });
    // libvirt passes only the description on: CommandNotFound is recognised from it.
    expect(lines[2]).toEqual({ error: { class: 'CommandNotFound', desc: 'The command guest-nosuch has not been found' } });
    expect(lines[3]).toMatchObject({ error: { class: 'GenericError', desc: expect.stringContaining("failed to open file '/no/such/file'") } });
    expect((lines[4]!.return as { version: string }).version).toMatch(/^\d+\.\d+/);
    expect(batch.code).toBe(1);
  });

  it('refuses guest-sync-delimited, which would stop libvirt talking to the agent, and guest-sync still works', async () => {
    const delimited = await runCli(on('call', 'guest-sync-delimited', 'id=7'));
    expect(delimited.code).toBe(2);
    expect(delimited.stderr).toContain('guest-sync-delimited cannot go through libvirt');
    const sync = await runCli(on('call', 'guest-sync', 'id=12345'));
    expect(sync.stdout.trim()).toBe('12345');
    expect((await runCli(on('call', 'guest-ping'))).code).toBe(0);
  });

  it('exec, put, get and info', async () => {
    const exec = await runCli(on('exec', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3'));
    expect(exec.stdout).toBe('out\n');
    expect(exec.stderr).toContain('err');
    expect(exec.code).toBe(3);

    const local = path.join(daemon.dir, 'payload.bin');
    const back = path.join(daemon.dir, 'payload.back');
    const data = randomBytes(300 * 1024);
    writeFileSync(local, data);
    // The default chunk through libvirt is 64K for writes (bigger ones were seen garbled).
    const put = await runCli(on('put', local, '/tmp/payload.bin'), { timeoutMs: 120_000 });
    expect(put.stderr).toContain("matches the guest's copy");
    expect(put.code).toBe(0);
    const get = await runCli(on('get', '/tmp/payload.bin', back), { timeoutMs: 120_000 });
    expect(get.code).toBe(0);
    expect(createHash('sha256').update(readFileSync(back)).digest('hex')).toBe(createHash('sha256').update(data).digest('hex'));

    const tooBig = await runCli(on('get', '--chunk', '4M', '/tmp/payload.bin', back));
    expect(tooBig.code).toBe(2);
    expect(tooBig.stderr).toContain('--chunk can be at most 2M here');
    const tooBigWrite = await runCli(on('put', '--chunk', '1M', local, '/tmp/payload.bin'));
    expect(tooBigWrite.code).toBe(2);
    expect(tooBigWrite.stderr).toContain('--chunk can be at most 128K here');

    const info = await runCli(on('info'));
    expect(info.code).toBe(0);
    expect(info.stdout).toMatch(/Host name\s+qh-lab/);
  });

  it('watch repeats a command through libvirt and draws its series', async () => {
    const watch = await runCli(on('--json', 'watch', 'guest-get-cpustats', '--every', '300ms', '--count', '3'), { timeoutMs: 60_000 });
    expect(watch.code, watch.stderr).toBe(0);
    const ticks = batchLines(watch.stdout);
    expect(ticks.map((t) => t.n)).toEqual([1, 2, 3]);
    const series = ticks[2]!.series as Record<string, number>;
    expect(Object.keys(series).length).toBeGreaterThan(0);
    for (const value of Object.values(series)) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(100);
    }
  });

  it('serve --domain shares the libvirt guest on a broker socket', async () => {
    const listen = path.join(daemon.dir, 'broker.sock');
    const child = spawn(process.execPath, [CLI, 'serve', ...on('--listen', listen)], { env: { ...process.env, QEMU_HOST_TOKEN: '' } });
    let log = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (log += d));
    try {
      await eventually(() => /agent ready/.test(log), `serve --domain to reach the agent:\n${log}`, 60_000);
      const [a, b] = await Promise.all([
        runCli(['-s', listen, '--json', 'call', 'guest-get-host-name']),
        runCli(['-s', listen, '--json', 'call', 'guest-ping']),
      ]);
      expect(a.code, a.stderr).toBe(0);
      expect(JSON.parse(a.stdout)).toEqual({ 'host-name': expect.stringMatching(/^qh-lab/) });
      expect(b.code, b.stderr).toBe(0);
      // The broker writes its log per burst, after the replies: wait for the line.
      await eventually(() => /guest-get-host-name ok in \d+\.\d+ ms/.test(log), `the broker to log guest-get-host-name:\n${log}`, 10_000);
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('a command disabled by the agent is CommandDisabled, through the session API', async () => {
    // Block one command in qemu-ga's config file, restart the agent (the guest's /init
    // starts it again) and wait until libvirt reaches it again.
    const conf = path.join(daemon.dir, 'qemu-ga.conf');
    writeFileSync(conf, '[general]\nblock-rpcs=guest-get-osinfo\n');
    expect((await runCli(on('exec', '--', 'mkdir', '-p', '/etc/qemu'))).code).toBe(0);
    expect((await runCli(on('put', conf, '/etc/qemu/qemu-ga.conf'))).code).toBe(0);
    const restart = await runCli(on('--yes', 'call', 'guest-exec', 'path=/bin/sh', 'arg=["-c","sleep 0.3; kill $(cat /run/qemu-ga.pid)"]'));
    expect(restart.code).toBe(0);
    await new Promise((r) => setTimeout(r, 1000));
    await daemon.waitForAgent(GUEST);

    const session = new Session(new LibvirtTransport({ kind: 'libvirt', domain: GUEST, uri: daemon.uri }));
    try {
      const error = await session.call('guest-get-osinfo').catch((err: unknown) => err);
      expect(error).toBeInstanceOf(CommandDisabledError);
      expect((error as CommandDisabledError).desc).toContain('has been disabled');
      const other = await session.call('guest-file-open', { path: '/no/such/file' }).catch((err: unknown) => err);
      expect(other).toBeInstanceOf(AgentError);
      expect(other).not.toBeInstanceOf(CommandDisabledError);
      expect((await session.call('guest-ping')).status).toBe('ok');
    } finally {
      session.close();
    }
  });

  it('a timeout is reported as one, and the next command works once the agent answers again', async () => {
    // Stop the agent inside the guest for 4 s (a child of guest-exec does it, then lets it go).
    const stop = await runCli(on('--yes', 'call', 'guest-exec', 'path=/bin/sh',
      'arg=["-c","p=$(cat /run/qemu-ga.pid); sleep 0.3; kill -STOP $p; sleep 4; kill -CONT $p"]'));
    expect(stop.code).toBe(0);
    await new Promise((r) => setTimeout(r, 800));
    const slow = await runCli(on('--timeout', '1500', '--json', 'call', 'guest-ping'));
    expect(slow.code).toBe(3);
    expect(slow.stderr).toMatch(/no reply to guest-[a-z-]+ within|could not sync/);
    const later = await runCli(on('--timeout', '20000', 'call', 'guest-ping'));
    expect(later.stderr).toBe('');
    expect(later.code).toBe(0);

    const session = new Session(new LibvirtTransport({ kind: 'libvirt', domain: GUEST, uri: daemon.uri }));
    try {
      await runCli(on('--yes', 'call', 'guest-exec', 'path=/bin/sh', 'arg=["-c","p=$(cat /run/qemu-ga.pid); sleep 0.3; kill -STOP $p; sleep 3; kill -CONT $p"]'));
      await new Promise((r) => setTimeout(r, 800));
      await expect(session.call('guest-ping', undefined, { timeoutMs: 1200 })).rejects.toBeInstanceOf(TimeoutError);
      // The abandoned virsh was killed; the next call starts another and gets its own answer.
      const again = await session.call('guest-get-host-name', undefined, { timeoutMs: 20_000 });
      expect(again.status === 'ok' && again.value).toEqual({ 'host-name': 'qh-lab' });
    } finally {
      session.close();
    }
  });

  it('a password goes over stdin: never on a command line, in the wire log or in libvirt\'s log', async () => {
    const secret = randomBytes(18).toString('base64');
    const lines = Array.from({ length: 4 }, () => `guest-set-user-password username=nobody-here password=${secret} crypted=false`).join('\n');
    const seen: string[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const hit = anyCommandLineContains(secret);
        if (hit) seen.push(hit);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const batch = await runCli(on('--yes', '--wire'), { input: `${lines}\n` });
    polling = false;
    await poller;
    expect(seen).toEqual([]);
    // The agent ran it (and failed: there is no such user), so it did go through.
    expect(batchLines(batch.stdout)).toHaveLength(4);
    expect(batch.stderr).toContain('guest-set-user-password');
    expect(batch.stdout + batch.stderr).not.toContain(secret);
    expect(readFileSync(daemon.log, 'utf8')).not.toContain(secret);
  });
});

describe('--domain: libvirt failures say what to do', () => {
  it('no such domain, a stopped domain, no agent channel, a bad URI', async () => {
    const missing = await runCli(['--domain', 'no-such-guest', '--connect', daemon.uri, 'call', 'guest-ping']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('has no domain named no-such-guest');
    expect(missing.stderr).toContain('list --all');

    const stopped = await runCli(['--domain', STOPPED, '--connect', daemon.uri, 'call', 'guest-ping']);
    expect(stopped.code).toBe(3);
    expect(stopped.stderr).toContain(`domain ${STOPPED} is shut off, not running`);
    expect(stopped.stderr).toContain(`start ${STOPPED}`);

    const noChannel = await runCli(['--domain', NO_CHANNEL, '--connect', daemon.uri, 'call', 'guest-ping']);
    expect(noChannel.code).toBe(3);
    expect(noChannel.stderr).toContain(`domain ${NO_CHANNEL} has no guest-agent channel`);
    expect(noChannel.stderr).toContain("name='org.qemu.guest_agent.0'");

    const badUri = await runCli(['--domain', GUEST, '--connect', `qemu+unix:///system?socket=${daemon.dir}/nope.sock`, 'call', 'guest-ping']);
    expect(badUri.code).toBe(3);
    expect(badUri.stderr).toContain('cannot connect to libvirt at');
    expect(badUri.stderr).toContain('No such file or directory');

    const noVirsh = await runCli(on('call', 'guest-ping'), { env: { QEMU_HOST_VIRSH: path.join(daemon.dir, 'no-virsh') } });
    expect(noVirsh.code).toBe(3);
    expect(noVirsh.stderr).toContain('apt-get install -y --no-install-recommends libvirt-clients');
  });

  it('permission denied for a user who may not use the socket', async () => {
    const cli = path.resolve(import.meta.dirname, '../../dist/cli.js');
    const run = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, cli, ...on('call', 'guest-ping')], { encoding: 'utf8', env: { ...process.env, HOME: '/tmp' } });
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('permission denied');
    expect(run.stderr).toContain('libvirt group');
  });

  it('ConnectError codes tell the cases apart for callers', async () => {
    const session = new Session(new LibvirtTransport({ kind: 'libvirt', domain: STOPPED, uri: daemon.uri }));
    try {
      const error = await session.call('guest-ping').catch((err: unknown) => err);
      expect(error).toBeInstanceOf(ConnectError);
      expect((error as ConnectError).errno).toBe('DOMAIN_NOT_RUNNING');
    } finally {
      session.close();
    }
  });
});

describe('--domain: the shell in a real terminal (tmux)', () => {
  it('connects to the domain, shows it in the status bar and sends a command', async () => {
    const server = `qh-libvirt-${process.pid}`;
    const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', server, ...args], { encoding: 'utf8' });
    const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;
    const cli = path.resolve(import.meta.dirname, '../../dist/cli.js');
    const env = `env CI=true TERM=xterm-256color QEMU_HOST_CONFIG_DIR=${quote(path.join(daemon.dir, 'config'))}`;
    const errors = path.join(daemon.dir, 'shell.stderr');
    const command = `${env} ${quote(process.execPath)} ${quote(cli)} ${on().map(quote).join(' ')} 2>${quote(errors)}; echo "shell exited $?"; sleep 600`;
    const waitFor = async (marker: string): Promise<string> => {
      const end = Date.now() + 30_000;
      for (;;) {
        const screen = tmux('capture-pane', '-p', '-t', 'main');
        if (screen.includes(marker)) return screen;
        if (Date.now() > end) {
          const said = readFileSync(errors, { encoding: 'utf8', flag: 'a+' });
          throw new Error(`the screen never showed ${marker}:\n${screen.trim()}\nstderr: ${said}\ncommand: ${command}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    tmux('new-session', '-d', '-s', 'main', '-x', '120', '-y', '40', command);
    try {
      const ready = await waitFor('● ready');
      expect(ready).toContain(`libvirt:${daemon.uri} ${GUEST}`);
      tmux('send-keys', '-t', 'main', '-l', 'guest-get-host-name');
      tmux('send-keys', '-t', 'main', 'Enter');
      const answered = await waitFor('"host-name": "qh-lab"');
      expect(answered).toContain('qemu-ga 7.2');
    } finally {
      const socket = spawnSync('tmux', ['-L', server, 'display-message', '-p', '#{socket_path}'], { encoding: 'utf8' }).stdout.trim();
      spawnSync('tmux', ['-L', server, 'kill-server']);
      if (socket) rmSync(socket, { force: true });
    }
  });
});

describe('--domain: guest-shutdown through libvirt', () => {
  it('says "sent, no reply expected", and the domain goes down', async () => {
    const shutdown = await runCli(on('--yes', 'call', 'guest-shutdown'), { timeoutMs: 60_000 });
    expect(shutdown.stdout).toContain('sent, no reply expected');
    expect(shutdown.code).toBe(0);
    const end = Date.now() + 60_000;
    let state = '';
    while (Date.now() < end) {
      state = (await daemon.virsh('domstate', GUEST)).trim();
      if (state === 'shut off') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(state).toBe('shut off');
    const after = await runCli(on('call', 'guest-ping'));
    expect(after.code).toBe(3);
    expect(after.stderr).toContain('not running');
  });
});
