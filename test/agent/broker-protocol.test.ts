// The broker speaks the agent's protocol as the agent does: for the same input a client
// gets the same bytes back from the broker as from qemu-ga itself (parse errors, 0xFF,
// sync replies, the agent's own errors), while ids are kept exactly, guest-sync never
// reaches the agent, no-reply commands complete, and --read-only refuses changes.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJson, stringifyJson, type JsonObject } from '../../src/protocol/json.js';
import { QEMU_GA, startAgent, type AgentFixture } from '../helpers/agent.js';
import { eventually, LineClient, startTestBroker, type TestBroker } from '../helpers/broker.js';

let agent: AgentFixture;
let direct: AgentFixture;
let broker: TestBroker;

beforeAll(async () => {
  agent = await startAgent();
  // A second agent that clients talk to directly, to compare the bytes.
  direct = await startAgent();
  broker = await startTestBroker(agent);
});

afterAll(async () => {
  await broker?.close();
  await agent?.stop();
  await direct?.stop();
});

/** Writes `input` then a ping tagged "end", and returns every reply line up to that ping's, 0xFF shown as \xff. */
async function exchange(socketPath: string, input: Buffer): Promise<string[]> {
  const client = await LineClient.connect(socketPath);
  client.send(input);
  client.send('{"execute": "guest-ping", "id": "end"}');
  await eventually(() => client.lines.some((l) => l.text.includes('"end"')), `the end marker after ${JSON.stringify(input.toString('latin1'))}`);
  client.destroy();
  return client.lines.map((l) => `${l.delimited ? '\\xff' : ''}${l.text}`);
}

const FF = '\u00ff';
/** Inputs written as latin1 so that \u00ff is the raw 0xFF byte. */
const SAMPLES: string[] = [
  'hello\n', '{bad}', '[1]', '"str" 42 ', '}', ']', 'x{"execute":"guest-ping"}', '@abc def{"execute":"guest-ping"}',
  'abc@def{"execute":"guest-ping"}', '{"a" 1}', '{"a":1 "b":2}', '{1:2}', '[1 2]', '[1,]', '{"execute":"guest-ping",}',
  '01', '-x', '1.5e+ ', '1.x', '{"a":tru}', 'true false null 3.25 -7 ', FF, `${FF}${FF}`, `{"execute":"guest-ping"${FF}`,
  `{"execute":"gue${FF}`, "{'execute':'guest-ping','id':'a\\'b'}", '{"execute":"guest-ping","id":3,"id":4}',
  '{"id":3}', '{"execute":5,"id":3}', '{"execute":"guest-ping","arguments":5,"id":3}', '{"execute":"nope","id":3}',
  '{"execute":"guest-ping","exec-oob":"x","id":3}', '{"foo":1,"id":3}', '{"execute":"guest-ping","id":"\\ud800"}',
  '{"execute":"guest-ping","id":"\\ud83d\\ude00 é ü"}', '{"execute":"guest-ping","id":"\\x"}', '{"execute":"guest-ping","id":"\\u12"}',
  '{"execute":"\u00e9"}', '{"execute":"guest-ping","arguments":{"z":1},"id":[1,{"b":null}]}',
  `${FF}{"execute":"guest-sync-delimited","arguments":{"id":5},"id":"x"}`, '{"execute":"guest-sync","arguments":{"id":-42}}',
  '{"execute":"guest-sync","arguments":{"id":9223372036854775807},"id":0}', '{"execute":"guest-sync","arguments":{"id":"s"},"id":1}',
  '{"execute":"guest-sync","arguments":{"id":1.5},"id":1}', '{"execute":"guest-sync","arguments":{"id":5,"q":1},"id":1}',
  '{"execute":"guest-sync","id":1}', '{"execute":"guest-sync-delimited","arguments":{"id":7},"extra":1}',
  '{"execute":"guest-shutdown","id":"blocked"}', '{"execute":"guest-ping","id":{"deep":[[[[[[[[1]]]]]]]]}}',
  '{"execute":"guest-get-osinfo","id":2}', '{"execute":"guest-file-open","arguments":{"path":"/nonexistent/\u00c3\u00a9"},"id":3}',
  '  \n\t\r\n', '{"execute":\n"guest-ping",\r\n"id"\t:\n7}',
  // Escapes in, escapes out: the agent's checks and its way of writing strings and numbers.
  '{"execute":"guest-ping","id":"\\u12zzzz"}', '{"execute":"guest-ping","id":"\\u"}', '{"execute":"guest-ping","id":"\\udc00"}',
  '{"execute":"guest-ping","id":"\\ud800\\u0041"}', '{"execute":"guest-ping","id":"\\u0000\\u007f\\b\\f\\n\\r\\t\\u001f/\\\\\\""}',
  '{"execute":"guest-ping","id":"\\uFFFF"}', '{"execute":"guest-ping","id":"\\ufdd0"}', '{"execute":"guest-ping","id":"\\ud83f\\udffe"}',
  '{"execute":"guest-ping","id":"\\uD83D\\uDE00\\u00e9"}', '{"execute":"guest-ping","id":"\\q"}',
  '{"execute":"guest-ping","id":[1.5,-0.0,1e20,1E5,0.1,100.0,1e-7,123456789.123,-2.5e-300,1e17,0]}',
];

describe('same bytes as the agent', () => {
  it.each(SAMPLES.map((s) => [JSON.stringify(s), s]))('for %s', async (_label, sample) => {
    const input = Buffer.from(sample, 'latin1');
    const fromAgent = await exchange(direct.socket, input);
    await direct.waitReady();
    const fromBroker = await exchange(broker.path, input);
    expect(fromBroker).toEqual(fromAgent);
  });

  it('splits and joins writes anywhere: one byte at a time, or all at once', async () => {
    const requests = [
      '{"execute": "guest-ping", "id": "a"}',
      '{"execute":"guest-sync-delimited","arguments":{"id":12345},"id":"b"}',
      "{'execute': 'guest-ping'}",
      '{"execute": "guest-info", "id": ["c"]}',
    ].join('');
    const whole = await LineClient.connect(broker.path);
    whole.send(requests);
    const bytewise = await LineClient.connect(broker.path);
    for (const byte of Buffer.from(requests)) {
      bytewise.send(Buffer.from([byte]));
      await new Promise((r) => setImmediate(r));
    }
    const a = await whole.waitForLines(4);
    const b = await bytewise.waitForLines(4);
    expect(b).toEqual(a);
    expect(a[0]).toEqual({ text: '{"return": {}, "id": "a"}', delimited: false });
    expect(a[1]).toEqual({ text: '{"return": 12345, "id": "b"}', delimited: true });
    expect(a[2]).toEqual({ text: '{"return": {}}', delimited: false });
    whole.destroy();
    bytewise.destroy();
  });
});

describe('ids', () => {
  it('comes back exactly as sent, even where the agent itself would round it', async () => {
    const client = await LineClient.connect(broker.path);
    const big = '123456789012345678901234567890';
    client.send(`{"execute": "guest-ping", "id": ${big}}{"execute": "guest-ping", "id": -${big}}`);
    client.send('{"execute": "guest-ping", "id": {"n": 18446744073709551617, "s": "x\\"y", "l": [true, null]}}');
    client.send('{"execute": "guest-ping"}{"execute": "guest-ping", "id": null}{"execute": "guest-ping", "id": ""}');
    const lines = (await client.waitForLines(6)).map((l) => l.text);
    expect(lines).toEqual([
      `{"return": {}, "id": ${big}}`,
      `{"return": {}, "id": -${big}}`,
      '{"return": {}, "id": {"n": 18446744073709551617, "s": "x\\"y", "l": [true, null]}}',
      '{"return": {}}',
      '{"return": {}, "id": null}',
      '{"return": {}, "id": ""}',
    ]);
    client.destroy();
  });

  it('two clients using the same ids each get their own replies', async () => {
    const a = await LineClient.connect(broker.path);
    const b = await LineClient.connect(broker.path);
    const n = 300;
    a.send(Array.from({ length: n }, (_, i) => `{"execute": "guest-sync", "arguments": {"id": ${i}}, "id": ${i}}{"execute": "guest-ping", "id": ${i}}`).join(''));
    b.send(Array.from({ length: n }, (_, i) => `{"execute": "guest-get-host-name", "id": ${i}}`).join(''));
    const la = await a.waitForLines(2 * n);
    const lb = await b.waitForLines(n);
    expect(la.map((l) => l.text)).toEqual(Array.from({ length: n }, (_, i) => [`{"return": ${i}, "id": ${i}}`, `{"return": {}, "id": ${i}}`]).flat());
    for (const [i, line] of lb.entries()) {
      const reply = parseJson(line.text) as JsonObject;
      expect(reply.id).toBe(i);
      expect(Object.keys(reply.return as JsonObject)).toEqual(['host-name']);
    }
    a.destroy();
    b.destroy();
  });
});

describe('answered by the broker itself', () => {
  it('guest-sync and guest-sync-delimited never reach the agent', async () => {
    const client = await LineClient.connect(broker.path);
    await eventually(() => broker.broker.session.state === 'ready', 'the session to be ready');
    const sentBefore = broker.broker.session.stats.sentMessages;
    client.send(Buffer.from([0xff]));
    client.send(Array.from({ length: 50 }, (_, i) => `{"execute": "guest-sync${i % 2 ? '-delimited' : ''}", "arguments": {"id": ${i}}}`).join(''));
    const lines = await client.waitForLines(51);
    expect(lines[0]).toEqual({ text: '{"error": {"class": "GenericError", "desc": "JSON parse error, stray \'\\uFFFD\'"}}', delimited: false });
    expect(lines.slice(1)).toEqual(Array.from({ length: 50 }, (_, i) => ({ text: `{"return": ${i}}`, delimited: i % 2 === 1 })));
    expect(broker.broker.session.stats.sentMessages).toBe(sentBefore);
    client.destroy();
  });

  it('qemu-host-broker-info says it is a broker and how many clients share the agent', async () => {
    const clients = await Promise.all([1, 2, 3].map(() => LineClient.connect(broker.path)));
    await eventually(() => broker.broker.clients === 3, 'three clients attached');
    clients[0]!.send('{"execute": "qemu-host-broker-info", "id": "who"}');
    const reply = await clients[0]!.reply(0);
    expect(reply.id).toBe('who');
    expect(reply.return).toMatchObject({
      broker: 'qemu-host',
      clients: 3,
      agent: `unix:${agent.socket}`,
      'agent-version': '7.2.22',
      'read-only': false,
    });
    clients[1]!.send('{"execute": "qemu-host-broker-info", "arguments": {"x": 1}}');
    expect(await clients[1]!.reply(0)).toEqual({ error: { class: 'GenericError', desc: "Parameter 'x' is unexpected" } });
    for (const c of clients) c.destroy();
  });
});

/** A real qemu-ga whose guest-shutdown succeeds (and so sends no reply): /sbin/shutdown is a stub in a private mount namespace. */
async function startShutdownableAgent(): Promise<{ socket: string; calls: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'qh-noreply-'));
  const stub = path.join(dir, 'shutdown-stub');
  const calls = path.join(dir, 'shutdown-calls');
  const socket = path.join(dir, 'qga.sock');
  writeFileSync(stub, `#!/bin/sh\necho "$@" >> ${calls}\nexit 0\n`);
  chmodSync(stub, 0o755);
  // Only if the stub really replaced /sbin/shutdown in this namespace does the agent start.
  const script = `mount --bind ${stub} /sbin/shutdown && cmp -s ${stub} /sbin/shutdown && exec ${QEMU_GA} -m unix-listen -p ${socket} -t ${dir}`;
  const child: ChildProcess = spawn('unshare', ['-m', 'sh', '-c', script], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  await eventually(() => existsSync(socket) || child.exitCode !== null, 'qemu-ga in its own mount namespace', 5000);
  if (!existsSync(socket)) {
    throw new Error(`could not start qemu-ga with a stub /sbin/shutdown (needs root and util-linux unshare): ${stderr}`);
  }
  return {
    socket,
    calls,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('commands that send no reply', () => {
  it('a refused guest-shutdown gets the agent\'s error with the client\'s id', async () => {
    const client = await LineClient.connect(broker.path);
    client.send('{"execute": "guest-shutdown", "id": "refused"}{"execute": "guest-ping", "id": "next"}');
    expect(await client.reply(0)).toEqual({ id: 'refused', error: { class: 'CommandNotFound', desc: 'Command guest-shutdown has been disabled' } });
    expect(await client.reply(1)).toEqual({ return: {}, id: 'next' });
    client.destroy();
  });

  it('a guest-shutdown that succeeds completes with nothing sent back, and others go on', async () => {
    const quiet = await startShutdownableAgent();
    const fakeAgent = { socket: quiet.socket, dir: path.dirname(quiet.socket) } as AgentFixture;
    const own = await startTestBroker(fakeAgent);
    try {
      const a = await LineClient.connect(own.path);
      const b = await LineClient.connect(own.path);
      a.send('{"execute": "guest-shutdown", "id": "bye"}{"execute": "guest-ping", "id": "after"}');
      b.send(Array.from({ length: 50 }, (_, i) => `{"execute": "guest-ping", "id": ${i}}`).join(''));
      expect(await a.reply(0)).toEqual({ return: {}, id: 'after' });
      const lb = await b.waitForLines(50);
      expect(lb.map((l) => l.text)).toEqual(Array.from({ length: 50 }, (_, i) => `{"return": {}, "id": ${i}}`));
      expect(a.lines.map((l) => l.text)).toEqual(['{"return": {}, "id": "after"}']);
      expect(readFileSync(quiet.calls, 'utf8')).toContain('-P +0');
      expect(own.log.some((l) => /guest-shutdown sent, no reply/.test(l))).toBe(true);
      a.destroy();
      b.destroy();
    } finally {
      await own.close();
      await quiet.stop();
    }
  });
});

describe('--read-only', () => {
  it('refuses what changes the guest with an agent-style error, and lets the rest through', async () => {
    // Its own agent: an agent serves one connection at a time, and the main broker holds one.
    const spare = await startAgent();
    const ro = await startTestBroker(spare, { readOnly: true });
    try {
      const client = await LineClient.connect(ro.path);
      const file = path.join(spare.dir, 'ro.txt');
      writeFileSync(file, 'read me');
      client.send(stringifyJson({ execute: 'guest-exec', arguments: { path: '/bin/true' }, id: 1 }));
      client.send(stringifyJson({ execute: 'guest-file-open', arguments: { path: file, mode: 'w' }, id: 2 }));
      client.send(stringifyJson({ execute: 'guest-file-open', arguments: { path: file }, id: 3 }));
      client.send(stringifyJson({ execute: 'guest-set-user-password', arguments: { username: 'root', password: 'c2VjcmV0LXB3', crypted: false }, id: 4 }));
      client.send(stringifyJson({ execute: 'guest-ping', id: 5 }));
      const [exec, write, read, password, ping] = await Promise.all([0, 1, 2, 3, 4].map((i) => client.reply(i)));
      for (const refused of [exec, write, password]) {
        expect(Object.keys(refused!)).toEqual(['id', 'error']);
        expect((refused!.error as JsonObject).class).toBe('GenericError');
        expect(String((refused!.error as JsonObject).desc)).toMatch(/is refused: this agent is shared through a read-only qemu-host broker/);
      }
      expect(String((write!.error as JsonObject).desc)).toContain('for writing');
      expect(typeof read!.return).toBe('number');
      expect(ping).toEqual({ return: {}, id: 5 });
      // The password never reaches the log, refused or not.
      expect(ro.log.join('\n')).not.toContain('c2VjcmV0LXB3');
      expect(ro.log.some((l) => /guest-set-user-password error GenericError/.test(l))).toBe(true);
      client.destroy();
    } finally {
      await ro.close();
      await spare.stop();
    }
  });
});

describe('the broker socket', () => {
  let spare: AgentFixture;
  beforeAll(async () => {
    spare = await startAgent();
  });
  afterAll(async () => {
    await spare?.stop();
  });

  it('is created 0600 by default, or with --socket-mode', async () => {
    expect(statSync(broker.path).mode & 0o777).toBe(0o600);
    const shared = await startTestBroker(spare, { socketMode: 0o660 });
    try {
      expect(statSync(shared.path).mode & 0o777).toBe(0o660);
    } finally {
      await shared.close();
    }
    expect(existsSync(shared.path)).toBe(false);
  });

  it('replaces a stale socket file but refuses a live one or a regular file', async () => {
    const stale = path.join(spare.dir, 'stale.sock');
    // A listener that is then killed leaves its socket file behind, with nobody serving it.
    const listener = spawn('socat', [`UNIX-LISTEN:${stale},fork`, 'OPEN:/dev/null'], { stdio: 'ignore' });
    listener.once('error', () => undefined);
    await eventually(() => existsSync(stale) || listener.exitCode !== null, 'socat to listen (apt-get install -y socat)', 5000);
    expect(existsSync(stale), 'socat is needed for this test: apt-get install -y socat').toBe(true);
    // The file appears at bind(), a moment before listen(): wait until it accepts.
    await eventually(() => LineClient.connect(stale).then((c) => (c.destroy(), true), () => false), 'socat to accept');
    await expect(startTestBroker(spare, { listen: stale })).rejects.toThrow(/already serving/);
    const killed = new Promise((r) => listener.once('exit', r));
    listener.kill('SIGKILL');
    await killed;
    expect(existsSync(stale)).toBe(true);

    writeFileSync(path.join(spare.dir, 'plain-file'), 'x');
    await expect(startTestBroker(spare, { listen: path.join(spare.dir, 'plain-file') })).rejects.toThrow(/not a socket/);

    const replaced = await startTestBroker(spare, { listen: stale });
    const client = await LineClient.connect(stale);
    client.send('{"execute": "guest-ping"}');
    expect(await client.reply(0)).toEqual({ return: {} });
    client.destroy();
    await replaced.close();
  });
});
