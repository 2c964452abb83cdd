// Many clients through one broker to one real qemu-ga: every reply reaches the client that
// asked, with that client's own id, in the order it asked; and turns are fair.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJson, stringifyJson, type JsonObject, type JsonValue } from '../../src/protocol/json.js';
import { startAgent, type AgentFixture } from '../helpers/agent.js';
import { canonical, LineClient, startTestBroker, type TestBroker } from '../helpers/broker.js';
import { rawExchange } from '../helpers/raw-client.js';

let agent: AgentFixture;
let broker: TestBroker;
let guestInfo: JsonValue;

beforeAll(async () => {
  agent = await startAgent();
  // What guest-info says, straight from the agent before the broker holds its socket.
  guestInfo = (parseJson(await rawExchange(agent.socket, '{"execute": "guest-info"}', { sync: true })) as JsonObject).return!;
  await agent.waitReady();
  broker = await startTestBroker(agent);
});

afterAll(async () => {
  await broker?.close();
  await agent?.stop();
});

/** A small deterministic PRNG, so a failure can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

interface Expected {
  request: JsonObject;
  reply: JsonObject;
  delimited: boolean;
}

/** The id a request carries, by turns every kind: numbers, BigInt, strings, objects, null, none. */
function idFor(client: number, k: number): { value: JsonValue } | undefined {
  switch (k % 7) {
    case 0: return { value: client * 100_000 + k };
    case 1: return { value: 2n ** 64n + BigInt(client * 100_000 + k) };
    case 2: return { value: `client-${client}/req-${k}` };
    case 3: return { value: { client, k, tag: ['x', k] } };
    case 4: return undefined;
    case 5: return { value: null };
    default: return { value: -(client * 100_000 + k) };
  }
}

function withId(object: JsonObject, id: { value: JsonValue } | undefined): JsonObject {
  return id ? { ...object, id: id.value } : object;
}

/** 1,000 requests for one client and the reply each must get. */
function plan(client: number, handle: number, content: Buffer, random: () => number): Expected[] {
  const out: Expected[] = [];
  for (let k = 0; out.length < 1000; k++) {
    const id = idFor(client, k);
    const pick = random();
    if (pick < 0.25) {
      const delimited = random() < 0.5;
      const syncId = Math.floor(random() * 2 ** 40) * (random() < 0.5 ? 1 : -1);
      out.push({
        request: withId({ execute: delimited ? 'guest-sync-delimited' : 'guest-sync', arguments: { id: syncId } }, id),
        reply: withId({ return: syncId }, id),
        delimited,
      });
    } else if (pick < 0.5) {
      out.push({ request: withId({ execute: 'guest-ping' }, id), reply: withId({ return: {} }, id), delimited: false });
    } else if (pick < 0.7) {
      out.push({ request: withId({ execute: 'guest-info' }, id), reply: withId({ return: guestInfo }, id), delimited: false });
    } else {
      // Rewind, then read the whole file: the content tells whose file it was.
      const seekId = idFor(client, k + 500_000);
      out.push({
        request: withId({ execute: 'guest-file-seek', arguments: { handle, offset: 0, whence: 'set' } }, seekId),
        reply: withId({ return: { position: 0, eof: false } }, seekId),
        delimited: false,
      });
      out.push({
        request: withId({ execute: 'guest-file-read', arguments: { handle, count: content.length + 10 } }, id),
        reply: withId({ return: { count: content.length, 'buf-b64': content.toString('base64'), eof: true } }, id),
        delimited: false,
      });
    }
  }
  return out.slice(0, 1000);
}

/** Writes the requests as one stream cut at random places: joined and split writes, no newlines needed. */
async function sendChopped(client: LineClient, requests: JsonObject[], random: () => number): Promise<void> {
  const separators = ['', '\n', ' ', '\r\n', '\t'];
  const text = requests.map((r) => stringifyJson(r) + separators[Math.floor(random() * separators.length)]!).join('');
  const bytes = Buffer.from(text, 'utf8');
  for (let at = 0; at < bytes.length;) {
    const size = 1 + Math.floor(random() * (random() < 0.2 ? 8 : 3000));
    client.send(bytes.subarray(at, at + size));
    at += size;
    if (random() < 0.1) await new Promise((r) => setImmediate(r));
  }
}

describe('broker with 8 concurrent clients', () => {
  it('delivers each of 8 x 1,000 mixed replies to its own client, in order, with its own id', async () => {
    const clients = await Promise.all(Array.from({ length: 8 }, () => LineClient.connect(broker.path)));
    const plans: Expected[][] = [];
    for (const [c, client] of clients.entries()) {
      // Each client reads its own file, so a reply delivered to the wrong client shows.
      const content = Buffer.from(`client ${c}: ${'abcdefghijklmnopqrstuvwxyz'.repeat(20 + c * 7)}\n`);
      const file = path.join(agent.dir, `file-${c}.txt`);
      writeFileSync(file, content);
      client.send(stringifyJson({ execute: 'guest-file-open', arguments: { path: file, mode: 'r' }, id: 'open' }));
      const opened = await client.reply(0);
      expect(opened.id).toBe('open');
      expect(typeof opened.return).toBe('number');
      client.lines.length = 0;
      plans.push(plan(c, opened.return as number, content, prng(1000 + c)));
    }

    await Promise.all(clients.map((client, c) => sendChopped(client, plans[c]!.map((e) => e.request), prng(2000 + c))));
    const mismatches: string[] = [];
    let checked = 0;
    await Promise.all(clients.map(async (client, c) => {
      const lines = await client.waitForLines(1000);
      for (const [k, line] of lines.entries()) {
        const expected = plans[c]![k]!;
        const got = canonical(parseJson(line.text));
        const want = canonical(expected.reply);
        if (got !== want || line.delimited !== expected.delimited) {
          mismatches.push(`client ${c} reply ${k} to ${stringifyJson(expected.request)}: got ${line.delimited ? '0xFF ' : ''}${line.text.slice(0, 200)}`);
        }
        checked++;
      }
    }));
    expect(mismatches).toEqual([]);
    expect(checked).toBe(8000);
    // No client got more than it asked for.
    await new Promise((r) => setTimeout(r, 50));
    expect(clients.map((c) => c.lines.length)).toEqual(Array(8).fill(1000));
    // guest-sync was answered by the broker: the agent saw only the session's own syncs.
    const forwarded = plans.flat().filter((e) => !String(e.request.execute).startsWith('guest-sync')).length;
    expect(broker.broker.session.stats.sentMessages).toBeLessThan(forwarded + 50);
    for (const client of clients) client.destroy();
  });

  it('takes turns: a client with one command is not held behind another client\'s 2,000', async () => {
    const chatty = await LineClient.connect(broker.path);
    const quiet = await LineClient.connect(broker.path);
    chatty.send('{"execute": "guest-ping"}'.repeat(2000));
    await chatty.waitForLines(10);
    const chattyBefore = chatty.lines.length;
    quiet.send('{"execute": "guest-ping", "id": "quiet"}');
    expect(await quiet.reply(0)).toEqual({ return: {}, id: 'quiet' });
    const chattyAfter = chatty.lines.length;
    // Round-robin: the quiet client waits for at most the command in flight and what the
    // broker read before its request arrived, never for the whole queue (~1,990 left).
    expect(chattyAfter - chattyBefore).toBeLessThan(200);
    await chatty.waitForLines(2000);
    expect(chatty.lines.every((l) => l.text === '{"return": {}}')).toBe(true);
    chatty.destroy();
    quiet.destroy();
  });
});
