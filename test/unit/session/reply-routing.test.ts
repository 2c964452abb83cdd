// Which wait a line from the agent ends, why the others are discarded, and what each way a
// call can end means for its caller and for the session (the pure parts of session.ts).
import { describe, expect, it, vi } from 'vitest';
import { AgentError, CancelledError, ConnectionLostError, NotConnectedError, TimeoutError, ConnectionError } from '../../../src/protocol/errors.js';
import { classifyFrame, type Reply } from '../../../src/protocol/messages.js';
import { requestFor, settleCall } from '../../../src/session/call-settlement.js';
import { Reconnector } from '../../../src/session/reconnector.js';
import { discardReason, outcomeFor } from '../../../src/session/reply-routing.js';
import type { CallInFlight, CallJob, Waiter } from '../../../src/session/session-types.js';

function reply(line: string, delimited = false): Reply {
  const incoming = classifyFrame({ kind: 'line', bytes: Buffer.from(line, 'utf8'), delimited });
  if (incoming.kind !== 'reply') throw new Error(`not a reply: ${line}`);
  return incoming;
}
const waiting = (spec: Partial<Waiter>): Waiter => ({ until: 0, settle: () => undefined, ...spec });

describe('routing a reply', () => {
  it('ends a sync only with its own id, even when the agent echoes it beyond 2^53 as a BigInt', () => {
    expect(outcomeFor(reply('{"return":4242}', true), waiting({ syncId: 4242 }))).toEqual({ kind: 'sync-reply' });
    expect(outcomeFor(reply('{"return":4243}', true), waiting({ syncId: 4242 }))).toBeUndefined();
    expect(outcomeFor(reply('{"error":{"class":"GenericError","desc":"x"}}'), waiting({ syncId: 4242 }))).toBeUndefined();
    expect(outcomeFor(reply('{"return":{}}'), undefined)).toBeUndefined();
  });

  it('ends a call with its id, or first in first out without ids, never with a sync answer', () => {
    const call = waiting({ awaitingReply: true, requestId: 'qh-a-1' });
    expect(outcomeFor(reply('{"return":{},"id":"qh-a-1"}'), call)?.kind).toBe('reply');
    expect(outcomeFor(reply('{"return":{},"id":"qh-a-0"}'), call)).toBeUndefined();
    expect(outcomeFor(reply('{"return":{}}'), call)?.kind).toBe('reply');
    expect(outcomeFor(reply('{"return":77}', true), call)).toBeUndefined();
    // A raw request without an id takes any reply that carries none.
    expect(outcomeFor(reply('{"return":{},"id":5}'), waiting({ awaitingReply: true }))).toBeUndefined();
  });

  it('names why a line is thrown away', () => {
    expect(discardReason(reply('{"error":{"class":"GenericError","desc":"JSON parse error, stray \'\uFFFD\'"}}'), true)).toBe("the agent's answer to the 0xFF flush byte");
    expect(discardReason(reply('{"error":{"class":"GenericError","desc":"JSON parse error, invalid keyword \'xx\'"}}'), true)).toMatch(/half a request left/);
    expect(discardReason(reply('{"return":1}', true), true)).toBe('an answer to an earlier guest-sync-delimited');
    expect(discardReason(reply('{"return":{},"id":"old"}'), true)).toBe('stale reply (id "old" is not the one awaited)');
    expect(discardReason(reply('{"return":{}}'), true)).toBe('stale data before the sync');
    expect(discardReason(reply('{"return":{}}'), false)).toBe('unsolicited reply');
  });
});

function inFlight(execute: string, noReply = false): CallInFlight {
  const job: CallJob = { kind: 'call', execute, args: undefined, options: {}, resolve: () => undefined, reject: () => undefined };
  return { job, id: 'qh-a-1', shown: { execute, id: 'qh-a-1' }, seq: 1, noReply, timeoutMs: 500, startedAt: 0, started: 0 };
}

describe('settling a call', () => {
  it('gives the value of a reply, or an AgentError carrying what was sent and received', () => {
    const ok = settleCall(inFlight('guest-ping'), { kind: 'reply', reply: reply('{"return":{},"id":"qh-a-1"}') }, 1.5);
    expect(ok).toMatchObject({ status: 'ok', answered: true, state: { state: 'ready' }, result: { status: 'ok', value: {}, ms: 1.5 } });
    const bad = settleCall(inFlight('guest-file-open'), { kind: 'reply', reply: reply('{"error":{"class":"GenericError","desc":"no such file"},"id":"qh-a-1"}') }, 1);
    expect(bad.status).toBe('agent-error');
    expect(bad.result).toBeInstanceOf(AgentError);
    expect((bad.result as AgentError).sent).toEqual({ execute: 'guest-file-open', id: 'qh-a-1' });
  });

  it('asks for a resync after a timeout or a cancel, and says the agent may still run the command', () => {
    const late = settleCall(inFlight('guest-fsfreeze-freeze'), { kind: 'timeout' }, 500);
    expect(late).toMatchObject({ status: 'timeout', unsynced: true, state: { state: 'unresponsive', always: true } });
    expect(late.result).toBeInstanceOf(TimeoutError);
    expect((late.result as TimeoutError).message).toBe('no reply to guest-fsfreeze-freeze within 500 ms');
    const cancelled = settleCall(inFlight('guest-exec-status'), { kind: 'cancelled' }, 3);
    expect(cancelled).toMatchObject({ status: 'cancelled', unsynced: true });
    expect(cancelled.result).toBeInstanceOf(CancelledError);
  });

  it('completes a no-reply command on its trailing sync, on EOF, or when the grace period ends', () => {
    const shutdown = inFlight('guest-shutdown', true);
    expect(settleCall(shutdown, { kind: 'sync-reply' }, 2).result).toMatchObject({ status: 'no-reply', detail: expect.stringMatching(/accepted it/) });
    const eof = new ConnectionError('the agent closed the connection (EOF)');
    expect(settleCall(shutdown, { kind: 'closed', error: eof }, 2).result).toMatchObject({ status: 'no-reply', detail: expect.stringMatching(/connection closed/) });
    expect(settleCall(shutdown, { kind: 'timeout' }, 2)).toMatchObject({ status: 'no-reply', unsynced: true });
  });

  it('fails a call whose connection ended, with the request it carried', () => {
    const lost = settleCall(inFlight('guest-ping'), { kind: 'closed', error: new ConnectionError('ECONNRESET') }, 2);
    expect(lost.result).toBeInstanceOf(ConnectionLostError);
    expect((lost.result as ConnectionLostError).sent).toEqual({ execute: 'guest-ping', id: 'qh-a-1' });
    expect(settleCall(inFlight('guest-ping'), { kind: 'closed', error: undefined }, 2).result).toBeInstanceOf(NotConnectedError);
  });
});

describe('the request a call sends', () => {
  const job = (options: CallJob['options'], args?: CallJob['args']): CallJob => ({ kind: 'call', execute: 'guest-file-write', args, options, resolve: () => undefined, reject: () => undefined });
  it('takes our id, arguments only when there are any, and a raw object exactly as given', () => {
    expect(requestFor(job({}), 'qh-x-1').request).toEqual({ execute: 'guest-file-write', id: 'qh-x-1' });
    expect(requestFor(job({}, { handle: 1 }), 'qh-x-2').request).toEqual({ execute: 'guest-file-write', arguments: { handle: 1 }, id: 'qh-x-2' });
    const raw = { execute: 'guest-ping', id: 99 };
    expect(requestFor(job({ raw, base64Argument: { name: 'buf-b64', data: Buffer.from('x') } }), 'qh-x-3')).toEqual({ id: 99, request: raw, bulk: undefined });
  });
});

describe('reconnecting', () => {
  it('backs off from the initial delay, doubling to the maximum, and starts over after a connect', () => {
    vi.useFakeTimers();
    try {
      const reconnector = new Reconnector({ initialMs: 100, maxMs: 350 });
      const attempts: number[] = [];
      const delays = [];
      for (let i = 0; i < 4; i++) {
        delays.push(reconnector.schedule(() => attempts.push(i)));
        expect(reconnector.schedule(() => attempts.push(-1))).toBeUndefined();
        vi.runAllTimers();
      }
      expect(delays).toEqual([100, 200, 350, 350]);
      expect(attempts).toEqual([0, 1, 2, 3]);
      reconnector.reset();
      expect(reconnector.schedule(() => undefined)).toBe(100);
      reconnector.cancel();
      expect(reconnector.scheduled).toBe(false);
      expect(new Reconnector(false).schedule(() => undefined)).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });
});
