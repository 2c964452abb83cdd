// The broker's HTTP JSON API against a real qemu-ga: POST /call, GET /commands,
// GET /health, and the token rules (loopback by default; a token for anything else, and a
// token once set is always checked).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkHttpBind, isLoopback, parseHttpBind } from '../../src/broker/http-api.js';
import { UsageError } from '../../src/protocol/errors.js';
import { parseJson, type JsonObject } from '../../src/protocol/json.js';
import { startAgent, type AgentFixture } from '../helpers/agent.js';
import { LineClient, startTestBroker, type TestBroker } from '../helpers/broker.js';

let agent: AgentFixture;
let broker: TestBroker;
let base: string;

beforeAll(async () => {
  agent = await startAgent();
  broker = await startTestBroker(agent, { http: { host: '127.0.0.1', port: 0 } });
  base = broker.http!.url;
});

afterAll(async () => {
  await broker?.close();
  await agent?.stop();
});

async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string; json: JsonObject }> {
  const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  const text = await res.text();
  return { status: res.status, text, json: parseJson(text) as JsonObject };
}

async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; json: JsonObject }> {
  const res = await fetch(url, { headers });
  return { status: res.status, json: parseJson(await res.text()) as JsonObject };
}

describe('POST /call', () => {
  it('returns the reply object, integers beyond 2^53 exact', async () => {
    expect(await post(`${base}/call`, '{"execute": "guest-ping"}')).toMatchObject({ status: 200, json: { return: {} } });
    const time = await post(`${base}/call`, '{"execute": "guest-get-time"}');
    expect(time.status).toBe(200);
    expect(time.text).toMatch(/^\{"return":\d{19}\}\n$/);
    const name = await post(`${base}/call`, '{"execute": "guest-get-host-name", "arguments": {}}');
    expect(name.json.return).toMatchObject({ 'host-name': expect.any(String) });
  });

  it("passes the agent's own errors through, and answers guest-sync itself", async () => {
    expect((await post(`${base}/call`, '{"execute": "guest-shutdown"}')).json).toEqual({
      error: { class: 'CommandNotFound', desc: 'Command guest-shutdown has been disabled' },
    });
    expect((await post(`${base}/call`, '{"execute": "guest-ping", "arguments": {"x": 1}}')).json).toEqual({
      error: { class: 'GenericError', desc: "Parameter 'x' is unexpected" },
    });
    expect((await post(`${base}/call`, '{"execute": "guest-sync", "arguments": {"id": 123456789012345678}}')).text).toBe('{"return":123456789012345678}\n');
  });

  it('rejects what is not a call with 4xx and says why', async () => {
    expect(await post(`${base}/call`, '{"execute": ')).toMatchObject({ status: 400, json: { error: { desc: expect.stringMatching(/not JSON/) } } });
    expect(await post(`${base}/call`, '{"arguments": {}}')).toMatchObject({ status: 400 });
    expect(await post(`${base}/call`, '{"execute": "guest-ping", "arguments": [1]}')).toMatchObject({ status: 400 });
    expect((await get(`${base}/call`)).status).toBe(405);
    expect((await get(`${base}/nowhere`)).status).toBe(404);
  });

  it('takes its turn with socket clients instead of waiting behind a whole queue', async () => {
    const chatty = await LineClient.connect(broker.path);
    chatty.send('{"execute": "guest-ping"}'.repeat(2000));
    await chatty.waitForLines(10);
    const reply = await post(`${base}/call`, '{"execute": "guest-get-timezone"}');
    expect(reply.status).toBe(200);
    expect(chatty.lines.length).toBeLessThan(1500);
    await chatty.waitForLines(2000);
    chatty.destroy();
  });
});

describe('GET /commands and /health', () => {
  it("lists the shipped schema's commands with what this agent has", async () => {
    const { status, json } = await get(`${base}/commands`);
    expect(status).toBe(200);
    expect(json['agent-version']).toBe('7.2.22');
    expect(json['schema-version']).toBe('10.2');
    const byName = new Map((json.commands as JsonObject[]).map((c) => [c.name as string, c]));
    expect(byName.get('guest-ping')).toMatchObject({ agent: 'enabled', 'in-schema': true, summary: expect.any(String), 'success-response': true });
    expect(byName.get('guest-shutdown')).toMatchObject({ agent: 'disabled', 'success-response': false });
    // In QEMU 10.2's schema, but newer than this 7.2 agent.
    expect(byName.get('guest-network-get-route')).toMatchObject({ agent: 'absent', 'in-schema': true });
  });

  it('reports the session state and the agent version', async () => {
    const { status, json } = await get(`${base}/health`);
    expect(status).toBe(200);
    expect(json).toMatchObject({ broker: 'qemu-host', state: expect.stringMatching(/^(ready|busy)$/), 'agent-version': '7.2.22', agent: `unix:${agent.socket}` });
  });

  it('says 503 when the agent cannot be reached', async () => {
    const nowhere = { socket: path.join(agent.dir, 'no-agent-here.sock'), dir: agent.dir } as AgentFixture;
    const lonely = await startTestBroker(nowhere, { http: { host: '127.0.0.1', port: 0 } });
    try {
      const { status, json } = await get(`${lonely.http!.url}/health`);
      expect(status).toBe(503);
      expect(json).toMatchObject({ state: expect.stringMatching(/^(disconnected|connecting)$/), 'agent-version': null });
      const call = await post(`${lonely.http!.url}/call`, '{"execute": "guest-ping"}');
      expect(call.status).toBe(503);
      expect(String((call.json.error as JsonObject).desc)).toMatch(/^qemu-host broker: no socket at /);
    } finally {
      await lonely.close();
    }
  });
});

describe('tokens', () => {
  it('once a token is set, every request must carry it', async () => {
    const guarded = await startTestBroker(await startAgentFor(), { http: { host: '127.0.0.1', port: 0 }, token: 's3cret-token' });
    try {
      const url = guarded.http!.url;
      expect((await get(`${url}/health`)).status).toBe(401);
      expect((await get(`${url}/health`, { authorization: 'Bearer wrong' })).status).toBe(401);
      expect((await post(`${url}/call`, '{"execute": "guest-ping"}')).status).toBe(401);
      expect((await get(`${url}/health`, { authorization: 'Bearer s3cret-token' })).status).toBe(200);
      expect((await post(`${url}/call`, '{"execute": "guest-ping"}', { authorization: 'Bearer s3cret-token' })).json).toEqual({ return: {} });
      expect(guarded.log.join('\n')).not.toContain('s3cret-token');
    } finally {
      await guarded.close();
      await spareAgent?.stop();
    }
  });

  it('refuses to serve beyond loopback without a token, before binding', async () => {
    expect(() => checkHttpBind({ host: '0.0.0.0', port: 8377 }, undefined)).toThrow(UsageError);
    expect(() => checkHttpBind({ host: '::', port: 8377 }, undefined)).toThrow(/no token is set/);
    let refusal: unknown;
    try {
      checkHttpBind({ host: '192.0.2.1', port: 8377 }, undefined);
    } catch (err) {
      refusal = err;
    }
    expect((refusal as UsageError).hint).toMatch(/--token TOKEN \(or set QEMU_HOST_TOKEN\)/);
    expect(() => checkHttpBind({ host: '0.0.0.0', port: 8377 }, 't')).not.toThrow();
    expect(() => checkHttpBind({ host: '127.0.0.1', port: 8377 }, undefined)).not.toThrow();
    const listen = path.join(agent.dir, 'refused.sock');
    await expect(startTestBroker(agent, { listen, http: { host: '0.0.0.0', port: 0 } })).rejects.toThrow(/no token is set/);
    expect(await import('node:fs').then((fs) => fs.existsSync(listen))).toBe(false);
  });

  it('knows loopback addresses, and reads --http forms', () => {
    for (const host of ['localhost', '127.0.0.1', '127.0.0.2', '::1', '::ffff:127.0.0.1']) expect(isLoopback(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.10', '::ffff:10.0.0.1', 'example.com']) expect(isLoopback(host), host).toBe(false);
    expect(parseHttpBind('8377')).toEqual({ host: '127.0.0.1', port: 8377 });
    expect(parseHttpBind(':8377')).toEqual({ host: '127.0.0.1', port: 8377 });
    expect(parseHttpBind('0.0.0.0:80')).toEqual({ host: '0.0.0.0', port: 80 });
    expect(parseHttpBind('[::1]:9000')).toEqual({ host: '::1', port: 9000 });
    expect(() => parseHttpBind('host:99999')).toThrow(UsageError);
    expect(() => parseHttpBind('nonsense')).toThrow(/HOST:PORT/);
  });
});

let spareAgent: AgentFixture | undefined;
/** A fresh agent for a second broker: an agent serves one connection at a time. */
async function startAgentFor(): Promise<AgentFixture> {
  spareAgent = await startAgent();
  return spareAgent;
}
