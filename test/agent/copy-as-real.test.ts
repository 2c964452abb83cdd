// The lines `call --copy-as` prints, run with sh -c as someone pasting them would: the socat
// line against a real qemu-ga (also behind a relay holding a previous client's leftovers),
// the password filled in by the shell from $QGA_PASSWORD, and the virsh line's words as
// virsh would receive them.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type AgentFixture } from '../helpers/agent.js';
import { runCli } from '../helpers/cli.js';
import { startRelay } from '../helpers/relay.js';

let agent: AgentFixture;
let work: string;
beforeAll(async () => {
  agent = await startAgent();
  work = mkdtempSync(path.join(tmpdir(), 'qh-copy-'));
});
afterAll(async () => {
  await agent.stop();
  rmSync(work, { recursive: true, force: true });
});

/** The line `call --copy-as` prints (stdout alone), after checking it exited 0. */
async function copied(socket: string, kind: string, ...words: string[]): Promise<string> {
  // --timeout 1000 makes the socat line wait 1 s of silence instead of 3.
  const run = await runCli(['-s', socket, '--timeout', '1000', 'call', '--copy-as', kind, ...words]);
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout.split('\n')).toHaveLength(2);
  return run.stdout.trim();
}

function sh(line: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', line], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A unix socket in front of the agent that keeps every byte clients send. */
async function tap(target: string): Promise<{ path: string; sent: () => string; close: () => Promise<void> }> {
  const file = path.join(work, `tap-${Date.now()}.sock`);
  const chunks: Buffer[] = [];
  const server = net.createServer((client) => {
    const upstream = net.createConnection({ path: target });
    client.on('data', (d: Buffer) => {
      chunks.push(d);
      upstream.write(d);
    });
    upstream.on('data', (d: Buffer) => client.write(d));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(file, r));
  return { path: file, sent: () => Buffer.concat(chunks).toString('latin1'), close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** A client that writes `text` and leaves without reading. */
async function leaveBehind(socket: string, text: string): Promise<void> {
  const leaver = net.createConnection({ path: socket });
  await new Promise((r) => leaver.once('connect', r));
  const closed = new Promise((r) => leaver.once('close', r));
  leaver.end(text);
  await closed;
}

describe('call --copy-as socat', () => {
  it('prints a line that gets the reply from a real qemu-ga, and only the reply', async () => {
    const line = await copied(agent.socket, 'socat', 'guest-get-osinfo');
    const id = /"id":"(qh-copy-[0-9a-f]+)"/.exec(line)![1]!;
    const run = await sh(line);
    await agent.waitReady();
    expect(run.code, run.stderr).toBe(0);
    const reply = JSON.parse(run.stdout) as { return: { 'kernel-release': string }; id: string };
    expect(reply.id).toBe(id);
    expect(typeof reply.return['kernel-release']).toBe('string');
    expect(run.stdout.split('\n')).toHaveLength(2);
  });

  it("still works after a previous client left a reply unread and half a request in the agent's parser", async () => {
    const relayPath = path.join(work, 'relay.sock');
    const relay = await startRelay(agent.socket, { path: relayPath });
    try {
      await leaveBehind(relayPath, '{"execute":"guest-get-host-name","id":"left-behind"}\n{"execute":"guest-ping","arguments":{');
      const line = await copied(relayPath, 'socat', 'guest-info');
      const run = await sh(line);
      expect(run.code, run.stderr).toBe(0);
      const replies = run.stdout.trim().split('\n');
      expect(replies).toHaveLength(1);
      expect(replies[0]).toMatch(/^\{"return": \{"version": "[\d.]+", "supported_commands": .*"id": "qh-copy-[0-9a-f]+"\}$/);
      expect(run.stdout).not.toContain('left-behind');
      // Why the line leads with 0xFF: without it, the same leftovers swallow the request.
      await leaveBehind(relayPath, '{"execute":"guest-ping","arguments":{');
      const without = await sh(line.replace(`'\\377%s\\n'`, `'%s\\n'`));
      expect(line).toContain(`printf '\\377%s\\n'`);
      expect(without).toMatchObject({ code: 1, stdout: '' });
    } finally {
      await relay.close();
      await agent.waitReady();
    }
  });

  it('takes the password from $QGA_PASSWORD when pasted: it is not in the line, yet it reaches the agent', async () => {
    const secret = Buffer.from('s3cr3t').toString('base64');
    const proxy = await tap(agent.socket);
    try {
      const run = await runCli(['-s', proxy.path, '--timeout', '1000', 'call', '--copy-as', 'socat', 'guest-set-user-password', 'username=nobody', `password=${secret}`, 'crypted=false']);
      expect(run.code).toBe(0);
      expect(run.stdout).not.toContain(secret);
      expect(run.stderr).toContain('it reads $QGA_PASSWORD');
      const pasted = await sh(run.stdout.trim(), { QGA_PASSWORD: secret });
      // The agent got it (with the password the shell filled in) and refused: the fixture blocks it.
      expect(JSON.parse(pasted.stdout)).toEqual({ id: expect.stringMatching(/^qh-copy-/), error: { class: 'CommandNotFound', desc: 'Command guest-set-user-password has been disabled' } });
      expect(proxy.sent()).toContain(`"password":"${secret}"`);
      expect(proxy.sent().startsWith('\xff')).toBe(true);
    } finally {
      await proxy.close();
      await agent.waitReady();
    }
  });

  it('is checked against the schema like call, sends nothing, and needs a socket to name', async () => {
    const bad = await runCli(['-s', agent.socket, 'call', '--copy-as', 'socat', 'guest-file-read', 'handle=abc']);
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringMatching(/handle/) });
    const noSocket = await runCli(['call', '--copy-as', 'socat', 'guest-ping']);
    expect(noSocket).toMatchObject({ code: 2, stderr: expect.stringMatching(/--copy-as socat needs the agent socket/) });
    expect((await runCli(['call', '--copy-as', 'telnet', 'guest-ping'])).code).toBe(2);
    const json = await runCli(['--json', '-s', 'rel/qga.sock', 'call', '--copy-as', 'socat', 'guest-ping']);
    const parsed = JSON.parse(json.stdout) as { line: string; variables: string[]; notes: string[] };
    // A relative socket path becomes absolute: the line is pasted somewhere else.
    expect(parsed.line).toContain(`UNIX-CONNECT:${path.resolve('rel/qga.sock')}`);
    expect(parsed.variables).toEqual([]);
  });
});

describe('call --copy-as virsh', () => {
  it('prints a line whose words reach virsh exactly, the password from $QGA_PASSWORD', async () => {
    // A stand-in virsh on PATH that keeps the arguments it was given, one per line (JSON).
    const bin = path.join(work, 'bin');
    const out = path.join(work, 'virsh-argv.json');
    const script = `#!/bin/sh\nnode -e 'require("fs").writeFileSync(process.argv[1], JSON.stringify(process.argv.slice(2)))' ${out} "$@"\n`;
    rmSync(bin, { recursive: true, force: true });
    await import('node:fs').then((fs) => fs.mkdirSync(bin));
    writeFileSync(path.join(bin, 'virsh'), script);
    chmodSync(path.join(bin, 'virsh'), 0o755);
    const env = { PATH: `${bin}:${path.dirname(process.execPath)}:${process.env.PATH}` };

    const line = await copied(agent.socket, 'virsh:my vm', 'guest-file-open', "path=/tmp/it's here", 'mode=r');
    expect((await sh(line, env)).code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(['qemu-agent-command', 'my vm', '--timeout', '1', `{"execute":"guest-file-open","arguments":{"path":"/tmp/it's here","mode":"r"}}`]);

    // With --domain and --connect, the line is for that libvirt guest (nothing is sent to it).
    const domain = await runCli(['--domain', 'web 1', '--connect', 'qemu:///system', 'call', '--copy-as', 'virsh', 'guest-ping']);
    expect(domain).toMatchObject({ code: 0, stdout: `virsh -c qemu:///system qemu-agent-command 'web 1' '{"execute":"guest-ping"}'\n` });
    expect((await sh(domain.stdout.trim(), env)).code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(['-c', 'qemu:///system', 'qemu-agent-command', 'web 1', '{"execute":"guest-ping"}']);
    expect(await runCli(['--domain', 'web1', 'call', '--copy-as', 'socat', 'guest-ping'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/with --domain libvirt owns it/) });

    const secret = Buffer.from('pa$$ word').toString('base64');
    const withSecret = await copied(agent.socket, 'virsh', 'guest-set-user-password', 'username=bob', `password=${secret}`, 'crypted=false');
    expect(withSecret).not.toContain(secret);
    expect((await sh(withSecret, { ...env, QGA_PASSWORD: secret })).code).toBe(0);
    const argv = JSON.parse(readFileSync(out, 'utf8')) as string[];
    expect(argv.slice(0, 4)).toEqual(['qemu-agent-command', 'DOMAIN', '--timeout', '1']);
    expect(JSON.parse(argv[4]!)).toEqual({ execute: 'guest-set-user-password', arguments: { username: 'bob', password: secret, crypted: false } });
  });
});
