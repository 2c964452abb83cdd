// Exact byte cases from agent-behaviour.md, with the test playing the agent over an
// in-memory transport. The same behaviours are proven against a real qemu-ga in
// test/agent/.
import { describe, expect, it } from 'vitest';
import {
  AgentError, CancelledError, CommandDisabledError, ConnectionLostError, SyncTimeoutError, TimeoutError,
} from '../../../src/protocol/errors.js';
import { Session } from '../../../src/session/session.js';
import type { SessionState, WireEvent } from '../../../src/session/events.js';
import { MemoryTransport, actLikeAgent } from '../../helpers/memory-transport.js';

const echo = (req: Record<string, unknown>, body = '{}') => `{"return": ${body}, "id": ${JSON.stringify(req.id)}}\n`;

function setup(answer: (req: Record<string, unknown>) => string | undefined = (r) => echo(r)) {
  const t = new MemoryTransport();
  actLikeAgent(t, answer);
  const session = new Session(t, { syncAttemptMs: 50, noReplyGraceMs: 100 });
  const states: SessionState[] = [];
  const wire: WireEvent[] = [];
  session.on('state', (c) => states.push(c.state));
  session.on('wire', (w) => wire.push(w));
  return { t, session, states, wire };
}

describe('session sync', () => {
  it('opens with 0xFF + guest-sync-delimited and discards the agent answer to the 0xFF byte', async () => {
    const { t, session, states, wire } = setup();
    await session.connect();
    expect(t.writes[0]![0]).toBe(0xff);
    expect(t.requests()[0]!.execute).toBe('guest-sync-delimited');
    expect(states).toEqual(['connecting', 'syncing', 'ready']);
    const discards = wire.filter((w) => w.direction === 'discard');
    expect(discards.map((d) => d.reason)).toEqual(["the agent's answer to the 0xFF flush byte"]);
    expect(session.stats.discardedMessages).toBe(1);
    session.close();
  });

  it("discards a previous client's stale reply, a mid-line tail and tty echo before the sync reply", async () => {
    const t = new MemoryTransport();
    const session = new Session(t, { syncAttemptMs: 200 });
    t.whenWritten((buf) => {
      const req = JSON.parse(buf.toString('latin1').replace(/^\xff/, '')) as { arguments: { id: number } };
      // What a fresh client really sees: the tail of an old 11 MB reply, an old whole reply,
      // an echoed request (isa-serial tty), the parse error for half a request left behind,
      // the 0xFF parse error, then the sync reply.
      t.send(`${'QUFB'.repeat(1000)}", "eof": false}, "id": "old-7"}\n`);
      t.send('{"return": {"pid": 1234}, "id": "old-8"}\n');
      t.send('{"execute":"guest-info"}\n');
      t.send('{"error": {"class": "GenericError", "desc": "JSON parse error, invalid keyword \'xecute\'"}}\n');
      t.send('{"error": {"class": "GenericError", "desc": "JSON parse error, stray \'\\ufffd\'"}}\n');
      t.send(`\xff{"return": ${req.arguments.id}}\n`);
    });
    await session.connect();
    const reasons = session.discards.recent().map((d) => d.reason);
    expect(reasons).toEqual([
      'not JSON',
      'stale reply (id "old-8" is not the one awaited)',
      'a request echoed back (tty echo)',
      'a parse error for garbage sent earlier (half a request left by another client?)',
      "the agent's answer to the 0xFF flush byte",
    ]);
    expect(session.stats.discardedBytes).toBeGreaterThan(4000);
    expect(session.state).toBe('ready');
    session.close();
  });

  it('ignores a sync reply with another id and retries until its own id comes back', async () => {
    const t = new MemoryTransport();
    const session = new Session(t, { syncAttemptMs: 30 });
    let attempts = 0;
    t.whenWritten((buf) => {
      attempts += 1;
      const req = JSON.parse(buf.toString('latin1').replace(/^\xff/, '')) as { arguments: { id: number } };
      // The agent is "booting": it answers only from the third sync on.
      if (attempts >= 3) queueMicrotask(() => t.send(`\xff{"return": ${req.arguments.id}}\n`));
      else queueMicrotask(() => t.send(`\xff{"return": ${req.arguments.id + 1}}\n`));
    });
    await session.connect({ timeoutMs: 5000 });
    expect(attempts).toBe(3);
    expect(session.state).toBe('ready');
    session.close();
  });

  it('gives up with a clear SyncTimeoutError when the agent never answers', async () => {
    const t = new MemoryTransport();
    const session = new Session(t, { syncAttemptMs: 20 });
    const err = await session.connect({ timeoutMs: 120 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SyncTimeoutError);
    expect((err as SyncTimeoutError).message).toMatch(/agent does not answer/);
    expect((err as SyncTimeoutError).hint).toMatch(/booting/);
    expect(session.state).toBe('unresponsive');
    expect(t.writes.length).toBeGreaterThan(1);
    session.close();
  });
});

describe('session calls', () => {
  it('matches replies split byte by byte and joined with stale ones', async () => {
    const { t, session } = setup(() => undefined);
    await session.connect();
    t.whenWritten((buf) => {
      const req = JSON.parse(buf.toString()) as { id: string };
      const stream = `{"return": "stale", "id": "someone-else"}\n{"return": {"version": "7.2.22"}, "id": "${req.id}"}\n`;
      queueMicrotask(() => {
        for (const ch of stream) t.send(ch);
      });
    });
    const result = await session.call('guest-info');
    expect(result.status).toBe('ok');
    expect(result.status === 'ok' && result.value).toEqual({ version: '7.2.22' });
    expect(session.discards.recent().at(-1)!.reason).toBe('stale reply (id "someone-else" is not the one awaited)');
    session.close();
  });

  it('carries a 10 MB reply whole', async () => {
    const payload = 'QUJD'.repeat(2.5 * 1024 * 1024);
    const { session } = setup((r) => echo(r, `{"count": 7864320, "buf-b64": "${payload}", "eof": true}`));
    const result = await session.call('guest-file-read', { handle: 1000, count: 7864320 });
    expect(result.status === 'ok' && (result.value as { 'buf-b64': string })['buf-b64'].length).toBe(payload.length);
    session.close();
  });

  it('falls back to first-in-first-out for agents that do not echo ids', async () => {
    const { session } = setup(() => '{"return": {"pong": true}}\n');
    const result = await session.call('guest-ping');
    expect(result.status === 'ok' && result.value).toEqual({ pong: true });
    session.close();
  });

  it('sends and receives integers beyond 2^53 exactly', async () => {
    const { t, session } = setup((r) => echo(r, '1795603519181776123'));
    const result = await session.call('guest-set-time', { time: 1795603519181776123n });
    expect(result.status === 'ok' && result.value).toBe(1795603519181776123n);
    expect(t.writes.at(-1)!.toString()).toContain('"time":1795603519181776123');
    session.close();
  });

  it('turns an error reply into AgentError carrying what was sent and received', async () => {
    const { session } = setup((r) => `{"error": {"class": "GenericError", "desc": "No such file"}, "id": ${JSON.stringify(r.id)}}\n`);
    const err = (await session.call('guest-file-open', { path: '/x' }).catch((e: unknown) => e)) as AgentError;
    expect(err).toBeInstanceOf(AgentError);
    expect(err.errorClass).toBe('GenericError');
    expect(err.desc).toBe('No such file');
    expect(err.exitCode).toBe(1);
    expect((err.sent as { arguments: unknown }).arguments).toEqual({ path: '/x' });
    expect((err.received as { error: unknown }).error).toEqual({ class: 'GenericError', desc: 'No such file' });
    session.close();
  });

  it('recognises a command disabled by policy', async () => {
    const { session } = setup((r) => `{"error": {"class": "CommandNotFound", "desc": "Command guest-exec has been disabled"}, "id": ${JSON.stringify(r.id)}}\n`);
    const err = await session.call('guest-exec', { path: '/bin/true' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandDisabledError);
    expect((err as CommandDisabledError).hint).toMatch(/--allow-rpcs/);
    session.close();
  });

  it('times out, resyncs before the next command, and drops the late reply', async () => {
    let late: string | undefined;
    const { t, session } = setup((r) => {
      if (r.execute === 'guest-fstrim') {
        late = echo(r, '{"paths": []}');
        return undefined;
      }
      return echo(r, '{"ok": 1}');
    });
    const err = await session.call('guest-fstrim', undefined, { timeoutMs: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as TimeoutError).exitCode).toBe(3);
    expect(session.state).toBe('unresponsive');
    t.send(late!);
    const writesBefore = t.writes.length;
    const result = await session.call('guest-ping');
    expect(result.status === 'ok' && result.value).toEqual({ ok: 1 });
    expect(t.writes[writesBefore]![0]).toBe(0xff);
    expect(session.discards.recent().some((d) => d.text.includes('"paths"'))).toBe(true);
    session.close();
  });

  it('fails an in-flight call on EOF mid-reply and reports the partial line', async () => {
    const { t, session } = setup(() => undefined);
    await session.connect();
    t.whenWritten(() => queueMicrotask(() => {
      t.send('{"return": {"half');
      t.eof();
    }));
    const err = await session.call('guest-info').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionLostError);
    expect((err as ConnectionLostError).message).toMatch(/may or may not have run/);
    expect(session.state).toBe('disconnected');
    expect(session.discards.recent().at(-1)!.reason).toBe('partial line at end of stream');
  });

  it('cancels the command in flight and resyncs afterwards', async () => {
    const { t, session } = setup(() => undefined);
    await session.connect();
    const pending = session.call('guest-fsfreeze-freeze');
    await new Promise((r) => setTimeout(r, 10));
    expect(session.cancel()).toBe(true);
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
    actLikeAgent(t, (r) => echo(r));
    const writesBefore = t.writes.length;
    await session.call('guest-ping');
    expect(t.writes[writesBefore]![0]).toBe(0xff);
    session.close();
  });

  it('runs one command at a time, in order', async () => {
    const { t, session } = setup((r) => echo(r, JSON.stringify(r.execute)));
    const results = await Promise.all(['a', 'b', 'c'].map((c) => session.call(`guest-${c}`)));
    expect(results.map((r) => r.status === 'ok' && r.value)).toEqual(['guest-a', 'guest-b', 'guest-c']);
    expect(t.requests().map((r) => r.execute)).toEqual(['guest-sync-delimited', 'guest-a', 'guest-b', 'guest-c']);
    session.close();
  });

  it('sends a raw request exactly as written', async () => {
    // JSON.parse on the fake agent's side would round the id, so it answers with the literal digits.
    const { t, session } = setup(() => '{"return": "raw", "id": 18446744073709551615}\n');
    const raw = { execute: 'guest-ping', id: 18446744073709551615n, arguments: { odd: [1] } };
    const result = await session.call('guest-ping', undefined, { raw });
    expect(result.status === 'ok' && result.reply.id).toBe(18446744073709551615n);
    expect(t.writes.at(-1)!.toString()).toBe('{"execute":"guest-ping","id":18446744073709551615,"arguments":{"odd":[1]}}\n');
    session.close();
  });
});

describe('commands that never reply on success', () => {
  it('complete when the agent answers the sync written behind them', async () => {
    const { t, session } = setup(() => undefined);
    const result = await session.call('guest-shutdown');
    expect(result.status).toBe('no-reply');
    expect(result.status === 'no-reply' && result.detail).toMatch(/^sent, no reply expected/);
    expect(t.requests().slice(-2).map((r) => r.execute)).toEqual(['guest-shutdown', 'guest-sync-delimited']);
    session.close();
  });

  it('report a refusal as an agent error', async () => {
    const { session } = setup((r) => r.execute === 'guest-suspend-ram'
      ? `{"error": {"class": "GenericError", "desc": "suspend not supported"}, "id": ${JSON.stringify(r.id)}}\n`
      : undefined);
    await expect(session.call('guest-suspend-ram')).rejects.toBeInstanceOf(AgentError);
    session.close();
  });

  it('complete on EOF (the guest went down)', async () => {
    const t = new MemoryTransport();
    const session = new Session(t, { syncAttemptMs: 50, noReplyGraceMs: 5000 });
    actLikeAgent(t, () => undefined);
    await session.connect();
    t.whenWritten(() => queueMicrotask(() => t.eof()));
    const result = await session.call('guest-shutdown');
    expect(result.status === 'no-reply' && result.detail).toMatch(/connection closed/);
  });

  it('complete after the grace period when the agent goes quiet, and resync next time', async () => {
    const t = new MemoryTransport();
    const session = new Session(t, { syncAttemptMs: 50, noReplyGraceMs: 30 });
    actLikeAgent(t, () => undefined);
    await session.connect();
    t.whenWritten(() => undefined);
    const result = await session.call('guest-suspend-disk');
    expect(result.status === 'no-reply' && result.detail).toMatch(/has not answered/);
    actLikeAgent(t, (r) => echo(r));
    const writesBefore = t.writes.length;
    await session.call('guest-ping');
    expect(t.writes[writesBefore]![0]).toBe(0xff);
    session.close();
  });
});

describe('reconnect', () => {
  it('reconnects with back-off after EOF when asked to', async () => {
    const t = new MemoryTransport();
    actLikeAgent(t, (r) => echo(r));
    const session = new Session(t, { syncAttemptMs: 50, reconnect: { initialMs: 10, maxMs: 40 } });
    const states: string[] = [];
    session.on('state', (c) => states.push(c.state));
    await session.connect();
    t.eof();
    await new Promise((r) => setTimeout(r, 100));
    expect(t.connects).toBe(2);
    expect(session.state).toBe('ready');
    expect(states).toEqual(['connecting', 'syncing', 'ready', 'disconnected', 'disconnected', 'connecting', 'syncing', 'ready']);
    session.close();
    expect(session.state).toBe('closed');
  });
});

describe('disconnect', () => {
  it('drops the connection and reconnects with a fresh sync on the next call', async () => {
    const t = new MemoryTransport();
    actLikeAgent(t, (r) => echo(r));
    const session = new Session(t, { syncAttemptMs: 50 });
    await session.call('guest-ping');
    session.disconnect();
    expect(session.state).toBe('disconnected');
    const writesBefore = t.writes.length;
    expect((await session.call('guest-ping')).status).toBe('ok');
    expect(t.connects).toBe(2);
    expect(t.writes[writesBefore]![0]).toBe(0xff);
    session.close();
  });
});
