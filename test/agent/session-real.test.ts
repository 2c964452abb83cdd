// The session against a real qemu-ga: what the tool returns equals what a raw socket
// returns; exec and file round trips; stale data left by earlier clients (through a relay
// that behaves like QEMU's chardev); a stopped agent; a killed agent.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentError, ConnectError, ConnectionLostError, SyncTimeoutError, TimeoutError } from '../../src/protocol/errors.js';
import { parseJson, stringifyJson, type JsonObject, type JsonValue } from '../../src/protocol/json.js';
import { compiledRpcs, startAgent, type AgentFixture } from '../helpers/agent.js';
import { rawExchange } from '../helpers/raw-client.js';
import { startRelay } from '../helpers/relay.js';
import { okValue, sessionTo } from '../helpers/session.js';

/** Commands that take no arguments and change nothing. */
const READ_ONLY = [
  'guest-ping', 'guest-info', 'guest-get-time', 'guest-get-osinfo', 'guest-get-host-name',
  'guest-get-timezone', 'guest-get-users', 'guest-get-vcpus', 'guest-get-memory-blocks',
  'guest-get-memory-block-info', 'guest-get-fsinfo', 'guest-network-get-interfaces',
  'guest-fsfreeze-status', 'guest-get-disks', 'guest-get-diskstats', 'guest-get-cpustats',
  'guest-get-load', 'guest-network-get-route', 'guest-get-devices',
];
/** Replies that move between two calls: compared by shape, not value. */
const VOLATILE = new Set(['guest-get-time', 'guest-get-cpustats', 'guest-get-diskstats', 'guest-network-get-interfaces', 'guest-get-load', 'guest-get-users', 'guest-get-memory-blocks', 'guest-get-fsinfo']);

function shape(value: JsonValue): unknown {
  if (Array.isArray(value)) return value.length ? [shape(value[0]!)] : [];
  if (typeof value === 'bigint') return 'number';
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((k) => [k, shape(value[k]!)]));
  return typeof value;
}

let agent: AgentFixture;
beforeAll(async () => {
  agent = await startAgent();
});
afterAll(async () => {
  await agent.stop();
});

describe('against a real qemu-ga', () => {
  it('returns for every read-only command what a raw socket returns', async () => {
    const available = new Set(compiledRpcs());
    const commands = READ_ONLY.filter((c) => available.has(c));
    expect(commands.length).toBeGreaterThanOrEqual(12);
    // The agent serves one client at a time: collect the raw answers first, then ours.
    const rawReplies = new Map<string, JsonObject>();
    for (const command of commands) {
      rawReplies.set(command, parseJson(await rawExchange(agent.socket, `{"execute": "${command}"}`, { sync: true })) as JsonObject);
      await agent.waitReady();
    }
    const session = sessionTo(agent.socket);
    for (const command of commands) {
      const raw = rawReplies.get(command)!;
      const ours = await session.call(command).then(
        (r) => (r.status === 'ok' ? { return: r.value } : { noReply: true }),
        (e: unknown) => (e instanceof AgentError ? { error: { class: e.errorClass, desc: e.desc } } : { thrown: String(e) }),
      );
      if (VOLATILE.has(command) && 'return' in raw && 'return' in ours) {
        expect(shape(ours.return as JsonValue), command).toEqual(shape(raw.return!));
      } else {
        expect(stringifyJson(ours), command).toBe(stringifyJson(raw));
      }
    }
  });

  it('keeps guest-get-time exact beyond 2^53', async () => {
    const session = sessionTo(agent.socket);
    const result = await session.call('guest-get-time');
    expect(result.status === 'ok' && typeof result.value).toBe('bigint');
    const ns = okValue<bigint>(result);
    const now = BigInt(Date.now()) * 1_000_000n;
    expect(ns > now - 60_000_000_000n && ns < now + 60_000_000_000n).toBe(true);
    expect(ns % 1000n).toBe(ns - (ns / 1000n) * 1000n); // BigInt arithmetic, no rounding to a double
  });

  it('writes, seeks and reads back a file with guest-file-*', async () => {
    const session = sessionTo(agent.socket);
    const file = path.join(agent.dir, 'round-trip.bin');
    const data = Buffer.from(Array.from({ length: 70000 }, (_, i) => (i * 7) % 256));
    const open = await session.call('guest-file-open', { path: file, mode: 'w' });
    const handle = okValue<number>(open);
    expect(handle).toBeGreaterThanOrEqual(1000);
    const write = await session.call('guest-file-write', { handle, 'buf-b64': data.toString('base64') });
    expect(okValue<JsonObject>(write).count).toBe(data.length);
    await session.call('guest-file-close', { handle });
    expect(readFileSync(file).equals(data)).toBe(true);

    const h2 = okValue<number>(await session.call('guest-file-open', { path: file, mode: 'r' }));
    const seek = await session.call('guest-file-seek', { handle: h2, offset: 100, whence: 'set' });
    expect(okValue<JsonObject>(seek).position).toBe(100);
    const read = { value: okValue<JsonObject>(await session.call('guest-file-read', { handle: h2, count: 1000 })) };
    expect(Buffer.from(read.value['buf-b64'] as string, 'base64').equals(data.subarray(100, 1100))).toBe(true);
    await session.call('guest-file-close', { handle: h2 });
    await expect(session.call('guest-file-close', { handle: h2 })).rejects.toBeInstanceOf(AgentError);
  });

  it('reads a multi-MB reply line whole', async () => {
    const session = sessionTo(agent.socket);
    const file = path.join(agent.dir, 'big.bin');
    const data = Buffer.alloc(6 * 1024 * 1024, 'qemu-host ');
    writeFileSync(file, data);
    const handle = okValue<number>(await session.call('guest-file-open', { path: file }));
    const read = { value: okValue<JsonObject>(await session.call('guest-file-read', { handle, count: data.length })) };
    await session.call('guest-file-close', { handle });
    expect(read.value.count).toBe(data.length);
    expect(Buffer.from(read.value['buf-b64'] as string, 'base64').equals(data)).toBe(true);
  });

  it('runs guest-exec and collects the output once, after exit', async () => {
    const session = sessionTo(agent.socket);
    const started = { value: okValue<{ pid: number }>(await session.call('guest-exec', {
      path: '/bin/sh', arg: ['-c', 'echo out; echo err >&2; exit 3'], 'capture-output': true,
    })) };
    let status: JsonObject = {};
    for (let i = 0; i < 200 && !status.exited; i++) {
      status = okValue<JsonObject>(await session.call('guest-exec-status', { pid: started.value.pid }));
      if (!status.exited) await new Promise((r) => setTimeout(r, 5));
    }
    expect(status.exited).toBe(true);
    expect(status.exitcode).toBe(3);
    expect(Buffer.from(status['out-data'] as string, 'base64').toString()).toBe('out\n');
    expect(Buffer.from(status['err-data'] as string, 'base64').toString()).toBe('err\n');
    // The agent reaps the process after reporting its exit.
    await expect(session.call('guest-exec-status', { pid: started.value.pid })).rejects.toBeInstanceOf(AgentError);
  });

  it('reports a command the agent blocks as disabled, without disturbing the session', async () => {
    const session = sessionTo(agent.socket);
    const err = await session.call('guest-set-time', { time: 1n }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AgentError);
    expect((err as AgentError).code).toBe('CommandDisabled');
    expect((await session.call('guest-ping')).status).toBe('ok');
  });

  it('says guest-shutdown was refused when the agent refuses it', async () => {
    const session = sessionTo(agent.socket);
    const err = await session.call('guest-shutdown').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AgentError);
    expect((await session.call('guest-ping')).status).toBe('ok');
  });
});

describe('stale data left by earlier clients (relay in front of a real agent)', () => {
  it("discards an unread reply and half a request, and answers the next client's command correctly", async () => {
    const relay = await startRelay(agent.socket, { path: path.join(agent.dir, 'relay.sock') });
    try {
      // The agent answers only after the clients have gone (as a slow guest would):
      // client 1 leaves two requests unread, client 2 leaves half a request.
      const net = await import('node:net');
      agent.signal('SIGSTOP');
      const leaver = net.createConnection({ path: relay.path! });
      await new Promise((r) => leaver.once('connect', r));
      leaver.write('{"execute": "guest-get-osinfo", "id": "leaver-1"}\n');
      leaver.write('{"execute": "guest-info", "id": "leaver-2"}\n');
      await new Promise((r) => setTimeout(r, 30));
      leaver.destroy();
      const halfWriter = net.createConnection({ path: relay.path! });
      await new Promise((r) => halfWriter.once('connect', r));
      halfWriter.write('{"execute": "guest-get-osi');
      await new Promise((r) => setTimeout(r, 30));
      halfWriter.destroy();
      agent.signal('SIGCONT');
      for (let i = 0; i < 200 && relay.held() < 1000; i++) await new Promise((r) => setTimeout(r, 10));
      expect(relay.held()).toBeGreaterThan(1000);

      const session = sessionTo(relay.path!);
      const result = await session.call('guest-get-host-name');
      const { hostname } = await import('node:os');
      expect(result.status === 'ok' && result.value).toEqual({ 'host-name': hostname() });
      const reasons = session.discards.recent().map((d) => d.reason);
      expect(reasons).toContain('stale reply (id "leaver-1" is not the one awaited)');
      expect(reasons).toContain('stale reply (id "leaver-2" is not the one awaited)');
      expect(reasons.some((r) => r.startsWith('a parse error for garbage sent earlier'))).toBe(true);
      expect(session.stats.discardedMessages).toBeGreaterThanOrEqual(3);
    } finally {
      await relay.close();
    }
  });

  it('works over TCP too', async () => {
    const relay = await startRelay(agent.socket, { tcp: true });
    try {
      const { Session } = await import('../../src/session/session.js');
      const { SocketTransport } = await import('../../src/transport/socket-transport.js');
      const session = new Session(new SocketTransport({ kind: 'tcp', host: '127.0.0.1', port: relay.port! }));
      const result = await session.call('guest-ping');
      session.close();
      expect(result.status).toBe('ok');
    } finally {
      await relay.close();
    }
  });
});

describe('an agent that stops or dies', () => {
  it('times out while the agent is stopped, then recovers after SIGCONT', async () => {
    const stopped = await startAgent();
    try {
      const session = sessionTo(stopped.socket, { syncAttemptMs: 100 });
      await session.connect();
      stopped.signal('SIGSTOP');
      const err = await session.call('guest-info', undefined, { timeoutMs: 300 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TimeoutError);
      expect(session.state).toBe('unresponsive');
      const again = await session.call('guest-ping', undefined, { timeoutMs: 300 }).catch((e: unknown) => e);
      expect(again).toBeInstanceOf(SyncTimeoutError);
      stopped.signal('SIGCONT');
      const result = await session.call('guest-get-host-name', undefined, { timeoutMs: 5000 });
      expect(result.status).toBe('ok');
      expect(session.discards.recent().some((d) => d.text.includes('"version"'))).toBe(true);
    } finally {
      await stopped.stop();
    }
  });

  it('reports a killed agent clearly: EOF in flight, then a refused connection', async () => {
    const doomed = await startAgent({ restart: false });
    try {
      const session = sessionTo(doomed.socket);
      await session.connect();
      const sawEof = new Promise<string | undefined>((resolve) => {
        session.on('state', (c) => c.state === 'disconnected' && resolve(c.error?.message));
      });
      const exited = new Promise((resolve) => doomed.process.once('exit', resolve));
      doomed.signal('SIGKILL');
      expect(await sawEof).toMatch(/closed \(EOF\)/);
      // The EOF can come while the dying process still holds its listening socket (a
      // connect then succeeds and is dropped); once it has exited, the file is left over.
      await exited;
      const err = await session.call('guest-ping').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConnectError);
      expect((err as ConnectError).errno).toBe('ECONNREFUSED');
      expect((err as ConnectError).hint).toMatch(/left over/);
      expect(session.state).toBe('disconnected');
    } finally {
      await doomed.stop();
    }
  });

  it('fails the command in flight when the agent dies mid-command', async () => {
    const doomed = await startAgent({ restart: false });
    try {
      const session = sessionTo(doomed.socket);
      await session.connect();
      doomed.signal('SIGSTOP');
      const pending = session.call('guest-info', undefined, { timeoutMs: 5000 }).catch((e: unknown) => e);
      await new Promise((r) => setTimeout(r, 50));
      doomed.signal('SIGKILL');
      const err = await pending;
      expect(err).toBeInstanceOf(ConnectionLostError);
      expect((err as ConnectionLostError).sent).toMatchObject({ execute: 'guest-info' });
    } finally {
      await doomed.stop();
    }
  });
});
