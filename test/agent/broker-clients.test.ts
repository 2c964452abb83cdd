// Ordinary clients through the broker, unchanged: socat, the plain one-line protocol, and
// qemu-host's own CLI pointed at the broker socket. `qemu-host serve` end to end. And
// --share, which connects per command and leaves the agent socket free in between.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJson, type JsonObject } from '../../src/protocol/json.js';
import { PerCommandSession } from '../../src/session/per-command.js';
import { SocketTransport } from '../../src/transport/socket-transport.js';
import { startAgent, type AgentFixture } from '../helpers/agent.js';
import { eventually, LineClient, startTestBroker, type TestBroker } from '../helpers/broker.js';
import { CLI, runCli } from '../helpers/cli.js';
import { rawExchange } from '../helpers/raw-client.js';

let agent: AgentFixture;
let broker: TestBroker;

beforeAll(async () => {
  agent = await startAgent();
  broker = await startTestBroker(agent);
});

afterAll(async () => {
  await broker?.close();
  await agent?.stop();
});

/** Runs socat with `input` on its stdin (asynchronously: the broker under test shares this process). */
function socat(args: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('socat', args);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', (err) => reject(new Error(`socat failed to run (${err.message}): apt-get install -y socat`)));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('plain clients through the broker', () => {
  it('socat: requests on stdin, replies on stdout, even after it has closed its side', async () => {
    const run = await socat(['-', `UNIX-CONNECT:${broker.path}`], '{"execute": "guest-ping", "id": 1}\n{"execute": "guest-get-host-name", "id": "h"}\n');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('{"return": {}, "id": 1}');
    expect(parseJson(lines[1]!)).toMatchObject({ id: 'h', return: { 'host-name': expect.any(String) } });
    expect(lines).toHaveLength(2);
  });

  it('the one-line protocol with the 0xFF resync, as a careful raw client does it', async () => {
    const reply = parseJson(await rawExchange(broker.path, '{"execute": "guest-info"}', { sync: true })) as JsonObject;
    expect(reply.return).toMatchObject({ version: '7.2.22', supported_commands: expect.any(Array) });
    const plain = await rawExchange(broker.path, '{"execute":"guest-get-osinfo","id":"os"}');
    expect(parseJson(plain)).toMatchObject({ id: 'os', return: { 'kernel-release': expect.any(String) } });
  });

  it('qemu-host itself with -s BROKER: call, batch, and raw requests', async () => {
    const call = await runCli(['-s', broker.path, 'call', 'guest-get-host-name']);
    expect(call.stderr).toBe('');
    expect(call.code).toBe(0);
    expect(parseJson(call.stdout)).toMatchObject({ 'host-name': expect.any(String) });
    const batch = await runCli(['-s', broker.path], {
      input: 'guest-ping\n{"execute": "guest-sync", "arguments": {"id": 77}, "id": "mine"}\nguest-get-time\n{"execute": "qemu-host-broker-info"}\n',
    });
    expect(batch.code).toBe(0);
    const lines = batch.stdout.trimEnd().split('\n').map((l) => parseJson(l) as JsonObject);
    expect(lines[0]).toEqual({ return: {} });
    expect(lines[1]).toEqual({ return: 77, id: 'mine' });
    expect(typeof lines[2]!.return).toBe('bigint');
    expect(lines[3]!.return).toMatchObject({ broker: 'qemu-host', clients: 1, 'agent-version': '7.2.22' });
  });
});

describe('qemu-host serve', () => {
  function serve(args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcessWithoutNullStreams; stderr: () => string } {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does).`);
    const child = spawn(process.execPath, [CLI, 'serve', ...args], { env: { ...process.env, QEMU_HOST_TOKEN: '', ...env } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    return { child, stderr: () => stderr };
  }

  it('serves clients, logs each connect, command and disconnect, and cleans up on SIGTERM', async () => {
    const spare = await startAgent();
    const listen = path.join(spare.dir, 'served.sock');
    const { child, stderr } = serve(['-s', spare.socket, '--listen', listen]);
    try {
      await eventually(() => /agent ready/.test(stderr()), `serve to reach the agent:\n${stderr()}`);
      expect(statSync(listen).mode & 0o777).toBe(0o600);
      const run = await socat(['-', `UNIX-CONNECT:${listen}`], '{"execute": "guest-set-user-password", "arguments": {"username": "nobody", "password": "c2VjcmV0LXB3", "crypted": false}, "id": 5}');
      expect(parseJson(run.stdout)).toMatchObject({ id: 5, error: { class: 'CommandNotFound' } });
      await eventually(() => /client 1 disconnected/.test(stderr()), 'the disconnect line');
      const log = stderr();
      expect(log).toMatch(/client 1 connected \(1 attached\)/);
      expect(log).toMatch(/client 1: guest-set-user-password error CommandNotFound in \d+\.\d+ ms/);
      expect(log).not.toContain('c2VjcmV0LXB3');
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(existsSync(listen)).toBe(false);
    } finally {
      child.kill('SIGKILL');
      await spare.stop();
    }
  });

  it('refuses an HTTP API beyond loopback without a token, before binding anything', async () => {
    const listen = path.join(agent.dir, 'never.sock');
    const run = await runCli(['serve', '-s', agent.socket, '--listen', listen, '--http', '0.0.0.0:0']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/reachable from other machines, and no token is set/);
    expect(run.stderr).toMatch(/--token/);
    expect(existsSync(listen)).toBe(false);
  });

  it('warns that a --token on the command line is visible to other users, and never logs it', async () => {
    const spare = await startAgent();
    const listen = path.join(spare.dir, 'token.sock');
    const { child, stderr } = serve(['-s', spare.socket, '--listen', listen, '--http', '127.0.0.1:0', '--token', 'tok-3f9a-secret']);
    try {
      await eventually(() => /agent ready/.test(stderr()), `serve to reach the agent:\n${stderr()}`);
      expect(stderr()).toMatch(/warning: --token on the command line can be read by every user of this machine \(ps, \/proc\); set QEMU_HOST_TOKEN instead/);
      expect(stderr()).not.toContain('tok-3f9a-secret');
    } finally {
      child.kill('SIGKILL');
      await spare.stop();
    }
    const quiet = await startAgent();
    const viaEnv = serve(['-s', quiet.socket, '--listen', path.join(quiet.dir, 'env.sock'), '--http', '127.0.0.1:0'], { QEMU_HOST_TOKEN: 'tok-env' });
    try {
      await eventually(() => /agent ready/.test(viaEnv.stderr()), `serve to reach the agent:\n${viaEnv.stderr()}`);
      expect(viaEnv.stderr()).not.toMatch(/warning: --token/);
      expect(viaEnv.stderr()).not.toContain('tok-env');
    } finally {
      viaEnv.child.kill('SIGKILL');
      await quiet.stop();
    }
  });

  it('needs --listen and an agent socket', async () => {
    const noListen = await runCli(['serve', '-s', agent.socket]);
    expect(noListen.code).toBe(2);
    expect(noListen.stderr).toMatch(/--listen/);
    const noAgent = await runCli(['serve', '--listen', path.join(agent.dir, 'x.sock')]);
    expect(noAgent.code).toBe(2);
    expect(noAgent.stderr).toMatch(/no agent socket given/);
  });
});

describe('--share: one connection per command', () => {
  it('leaves the agent socket free between two commands, and says what the connect cost', async () => {
    const spare = await startAgent();
    const session = new PerCommandSession(new SocketTransport({ kind: 'unix', path: spare.socket }));
    try {
      const first = await session.call('guest-get-host-name');
      expect(first.status).toBe('ok');
      expect(session.state).toBe('disconnected');
      // Another client uses the agent in between: it would wait forever behind a held connection.
      const between = parseJson(await rawExchange(spare.socket, '{"execute": "guest-ping", "id": "between"}', { sync: true }));
      expect(between).toEqual({ return: {}, id: 'between' });
      await spare.waitReady();
      const second = await session.call('guest-ping');
      expect(second.status).toBe('ok');
      expect(second.connectMs).toBeGreaterThan(0);
      expect(second.ms).toBeCloseTo(second.connectMs + second.exchangeMs, 6);
      expect(session.lastConnectMs).toBe(second.connectMs);
      expect(session.stats.lastRttMs).toBe(second.ms);
      expect(session.perCommand).toBe(true);
      expect(session.stats.syncs).toBe(2);
      // Calls issued together still run one connection each, in order.
      const results = await Promise.all(['guest-ping', 'guest-get-timezone', 'guest-ping'].map((c) => session.call(c)));
      expect(results.map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
      expect(session.stats.syncs).toBe(5);
      expect(session.state).toBe('disconnected');
    } finally {
      session.close();
      await spare.stop();
    }
  });

  it('qemu-host --share: call and batch work, each command on its own connection', async () => {
    const spare = await startAgent();
    try {
      const call = await runCli(['--share', '-s', spare.socket, 'call', 'guest-ping']);
      expect(call.code).toBe(0);
      expect(call.stdout.trim()).toBe('{}');
      const batch = await runCli(['--share', '-s', spare.socket], { input: 'guest-ping\nguest-get-host-name\nguest-ping\n' });
      expect(batch.code).toBe(0);
      expect(batch.stdout.trimEnd().split('\n').map((l) => Object.keys(parseJson(l) as JsonObject))).toEqual([['return'], ['return'], ['return']]);
      // Through a broker too: each command is one client connection.
      const own = await startTestBroker(spare);
      try {
        const before = own.log.filter((l) => / connected /.test(l)).length;
        const shared = await runCli(['--share', '-s', own.path], { input: 'guest-ping\nguest-ping\n' });
        expect(shared.code).toBe(0);
        const after = own.log.filter((l) => / connected /.test(l)).length;
        expect(after - before).toBeGreaterThanOrEqual(2);
      } finally {
        await own.close();
      }
    } finally {
      await spare.stop();
    }
  });
});

describe('what a client sees of sharing', () => {
  it('qemu-host-broker-info counts the clients attached right now', async () => {
    const a = await LineClient.connect(broker.path);
    const b = await LineClient.connect(broker.path);
    await eventually(() => broker.broker.clients === 2, 'two clients');
    a.send('{"execute": "qemu-host-broker-info"}');
    expect(((await a.reply(0)).return as JsonObject).clients).toBe(2);
    b.destroy();
    await eventually(() => broker.broker.clients === 1, 'one client');
    a.send('{"execute": "qemu-host-broker-info"}');
    expect(((await a.reply(1)).return as JsonObject).clients).toBe(1);
    a.destroy();
  });
});
