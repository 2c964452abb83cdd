// What one client does wrong stays with that client: a client killed mid-command, a client
// that sends garbage. And when the agent itself dies under the broker, clients get a clear
// error for what was in flight, then service resumes by itself.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJson, stringifyJson, type JsonObject } from '../../src/protocol/json.js';
import { startAgent, type AgentFixture } from '../helpers/agent.js';
import { eventually, LineClient, startTestBroker, type TestBroker } from '../helpers/broker.js';

let agent: AgentFixture;
let broker: TestBroker;
let bigFile: string;
const BIG = 24 * 1024 * 1024;

beforeAll(async () => {
  agent = await startAgent();
  bigFile = path.join(agent.dir, 'big.bin');
  writeFileSync(bigFile, Buffer.alloc(BIG, 0x61));
  broker = await startTestBroker(agent);
});

afterAll(async () => {
  await broker?.close();
  await agent?.stop();
});

async function openBig(client: LineClient): Promise<number> {
  const at = client.lines.length;
  client.send(stringifyJson({ execute: 'guest-file-open', arguments: { path: bigFile, mode: 'r' } }));
  const reply = await client.reply(at);
  expect(typeof reply.return).toBe('number');
  return reply.return as number;
}

/** Sends n pings with ids 0..n-1 and checks every reply is exactly its own. */
async function pingsAllOwn(client: LineClient, n: number, tag: string): Promise<void> {
  const at = client.lines.length;
  client.send(Array.from({ length: n }, (_, i) => stringifyJson({ execute: 'guest-ping', id: `${tag}-${i}` })).join(''));
  const lines = (await client.waitForLines(at + n)).slice(at);
  expect(lines.map((l) => parseJson(l.text))).toEqual(Array.from({ length: n }, (_, i) => ({ return: {}, id: `${tag}-${i}` })));
}

describe('a misbehaving client', () => {
  it('killed mid-command: its reply is read and dropped, and reaches no one else', async () => {
    const bystander = await LineClient.connect(broker.path);
    const handle = await openBig(bystander);
    const startsBefore = agent.starts;

    // A real process (socat) asks for 24 MiB and is killed while the agent is answering.
    const socat = spawn('socat', ['STDIO', `UNIX-CONNECT:${broker.path}`], { stdio: ['pipe', 'pipe', 'pipe'] });
    const spawned = await new Promise<boolean>((resolve) => {
      socat.once('spawn', () => resolve(true));
      socat.once('error', () => resolve(false));
    });
    expect(spawned, 'socat is needed for this test: apt-get install -y socat').toBe(true);
    let killedAt = -1;
    const unsubscribe = broker.broker.session.on('call-start', (call) => {
      if (call.execute !== 'guest-file-read' || killedAt !== -1) return;
      killedAt = bystander.lines.length;
      socat.kill('SIGKILL');
    });
    socat.stdin.write(`${stringifyJson({ execute: 'guest-file-read', arguments: { handle, count: BIG }, id: 'victim' })}\n`);
    const exited = new Promise((r) => socat.once('exit', r));
    await eventually(() => killedAt !== -1, 'the read to reach the agent');
    // The bystander's commands queue behind the big read and must get only their own replies.
    await pingsAllOwn(bystander, 200, 'bystander');
    await exited;
    unsubscribe();

    // The broker read the whole reply from the agent; the client was gone, so nobody got it.
    const victim = /^(client \d+): guest-file-read ok/;
    await eventually(() => broker.log.some((l) => victim.test(l)), `the read to finish:\n${broker.log.join('\n')}`);
    const label = victim.exec(broker.log.find((l) => victim.test(l))!)![1]!;
    await eventually(() => broker.log.includes(`${label} disconnected (1 attached)`), `${label} to be seen gone`);
    expect(bystander.lines.some((l) => l.text.includes('victim') || l.text.includes('buf-b64'))).toBe(false);
    // The agent never saw a client leave with a reply unread (a host agent exits then).
    expect(agent.starts).toBe(startsBefore);
    // And the session is still in step: the same handle reads on.
    bystander.send(stringifyJson({ execute: 'guest-file-seek', arguments: { handle, offset: 0, whence: 'set' }, id: 's' }));
    bystander.send(stringifyJson({ execute: 'guest-file-read', arguments: { handle, count: 4 }, id: 'r' }));
    const at = bystander.lines.length;
    expect(await bystander.reply(at)).toEqual({ return: { position: 0, eof: false }, id: 's' });
    expect(await bystander.reply(at + 1)).toEqual({ return: { count: 4, 'buf-b64': 'YWFhYQ==', eof: false }, id: 'r' });
    bystander.destroy();
  });

  it('gone with replies unread while its command runs: the broker drops the lane and the reply', async () => {
    const bystander = await LineClient.connect(broker.path);
    const handle = await openBig(bystander);
    const victim = await LineClient.connect(broker.path);
    victim.socket.pause();
    let gone = false;
    const unsubscribe = broker.broker.session.on('call-start', (call) => {
      if (call.execute !== 'guest-file-read' || gone) return;
      gone = true;
      victim.destroy();
    });
    victim.send('{"execute": "guest-ping"}'.repeat(5) + stringifyJson({ execute: 'guest-file-read', arguments: { handle, count: BIG }, id: 'victim' }));
    await eventually(() => gone, 'the read to reach the agent');
    await pingsAllOwn(bystander, 100, 'bystander');
    unsubscribe();
    await eventually(() => broker.log.some((l) => /guest-file-read ok .*client gone, reply dropped/.test(l)), `the dropped reply:\n${broker.log.join('\n')}`);
    expect(bystander.lines.some((l) => l.text.includes('victim') || l.text.includes('buf-b64'))).toBe(false);
    bystander.destroy();
  });

  it('sending garbage: that client gets parse errors, the others do not notice', async () => {
    const garbage = await LineClient.connect(broker.path);
    const others = await Promise.all([LineClient.connect(broker.path), LineClient.connect(broker.path)]);
    const random = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    const othersDone = others.map((c, i) => pingsAllOwn(c, 300, `other${i}`));
    garbage.send(random);
    garbage.send('{"execute": "guest-pi');
    garbage.send(Buffer.from([0xff]));
    garbage.send('not json at all\n}{"execute": "guest-ping", "id": "after-garbage"}');
    await Promise.all(othersDone);
    await eventually(() => garbage.lines.some((l) => l.text.includes('after-garbage')), 'the reply after the garbage');
    const replies = garbage.lines.map((l) => parseJson(l.text) as JsonObject);
    expect(replies.at(-1)).toEqual({ return: {}, id: 'after-garbage' });
    const errors = replies.slice(0, -1);
    expect(errors.length).toBeGreaterThan(3);
    for (const reply of errors) {
      expect(Object.keys(reply)).toEqual(['error']);
      expect((reply.error as JsonObject).class).toBe('GenericError');
      expect(String((reply.error as JsonObject).desc)).toMatch(/^(JSON parse error, |QMP input )/);
    }
    // Garbage costs the agent nothing: it never reaches it.
    expect(broker.log.filter((l) => /\(parse error\)/.test(l)).length).toBe(errors.filter((e) => String((e.error as JsonObject).desc).startsWith('JSON')).length);
    for (const c of [garbage, ...others]) c.destroy();
  });
});

describe('the agent dies under the broker', () => {
  it('fails what was in flight with a clear error, then serves again by itself', async () => {
    const client = await LineClient.connect(broker.path);
    const handle = await openBig(client);
    const startsBefore = agent.starts;
    const unsubscribe = broker.broker.session.on('call-start', (call) => {
      if (call.execute === 'guest-file-read') agent.signal('SIGKILL');
    });
    client.send(stringifyJson({ execute: 'guest-file-read', arguments: { handle, count: BIG }, id: { in: 'flight' } }));
    const failed = await client.reply(client.lines.length);
    unsubscribe();
    expect(failed.id).toEqual({ in: 'flight' });
    const error = failed.error as JsonObject;
    expect(error.class).toBe('GenericError');
    expect(String(error.desc)).toMatch(/^qemu-host broker: .*(closed|reset|lost|broken)/);

    // Commands sent while it is down get the same kind of clear error; then one succeeds.
    const outcomes: string[] = [];
    await eventually(async () => {
      const at = client.lines.length;
      client.send(stringifyJson({ execute: 'guest-ping', id: at }));
      const reply = await client.reply(at);
      expect(reply.id).toBe(at);
      if ('return' in reply) return true;
      outcomes.push(String((reply.error as JsonObject).desc));
      await new Promise((r) => setTimeout(r, 50));
      return false;
    }, 'the broker to serve again after the agent restarted', 20_000);
    for (const desc of outcomes) expect(desc).toMatch(/^qemu-host broker: /);
    expect(agent.starts).toBeGreaterThan(startsBefore);
    expect(broker.log.some((l) => /agent ready on/.test(l))).toBe(true);
    client.destroy();
  });
});

describe('no agent at all', () => {
  it('a client probing with guest-sync is told the truth: an error, not an echo', async () => {
    const nowhere = { socket: path.join(agent.dir, 'no-agent.sock'), dir: agent.dir } as AgentFixture;
    const lonely = await startTestBroker(nowhere);
    try {
      const client = await LineClient.connect(lonely.path);
      client.send(Buffer.from([0xff]));
      client.send('{"execute": "guest-sync-delimited", "arguments": {"id": 99}, "id": "probe"}{"execute": "qemu-host-broker-info"}');
      const lines = await client.waitForLines(3);
      expect(lines[0]!.text).toContain('JSON parse error');
      const sync = parseJson(lines[1]!.text) as JsonObject;
      expect(lines[1]!.delimited).toBe(false);
      expect(sync.id).toBe('probe');
      expect(String((sync.error as JsonObject).desc)).toMatch(/^qemu-host broker: no socket at .*no-agent\.sock/);
      expect((parseJson(lines[2]!.text) as JsonObject).return).toMatchObject({ state: expect.stringMatching(/^(disconnected|connecting)$/), 'agent-version': null });
      client.destroy();
    } finally {
      await lonely.close();
    }
  });
});
