// The request a call sends, and what its outcome means: the result or error its caller gets, how the call-end event
// records it, the state the session shows afterwards, and whether the stream must be synced
// again before the next command. Pure; the session applies it (see Session.finishCall).
import { CancelledError, TimeoutError, type QemuHostError } from '../protocol/errors.js';
import { agentErrorFrom } from './agent-errors.js';
import type { CallRecord, CallStatus, SessionState } from './events.js';
import { closedError } from './reply-routing.js';
import type { JsonValue } from '../protocol/json.js';
import type { Request } from '../protocol/messages.js';
import type { Base64Argument } from './bulk-argument.js';
import type { CallInFlight, CallJob, CallResult, Outcome } from './session-types.js';

/**
 * The request for `job`: the raw object as given (its own id, if any, is matched), or
 * `execute` and its arguments with our `id`. Only a built request takes a base64Argument.
 */
export function requestFor(job: CallJob, id: string): { id: JsonValue | undefined; request: Request; bulk: Base64Argument | undefined } {
  const raw = job.options.raw;
  if (raw) return { id: raw.id, request: raw as unknown as Request, bulk: undefined };
  const bulk = job.options.base64Argument;
  const request: Request = { execute: job.execute };
  if (job.args !== undefined || bulk) request.arguments = job.args ?? {};
  request.id = id;
  return { id, request, bulk };
}

export interface CallSettlement {
  result: CallResult | QemuHostError;
  status: CallStatus;
  record?: Partial<CallRecord>;
  /** The state to show once the call has ended; only while connected unless `always`. */
  state?: { state: SessionState; detail?: string; always?: boolean };
  /** The stream may hold a late reply: sync again before the next command. */
  unsynced?: boolean;
  /** The agent answered: the round trip to report. */
  answered?: boolean;
}

export function settleCall(call: CallInFlight, outcome: Outcome, ms: number): CallSettlement {
  const { job, shown, noReply } = call;
  const noReplyResult = (detail: string): CallResult => ({ status: 'no-reply', detail, ms, request: shown });
  switch (outcome.kind) {
    case 'reply': {
      const { reply } = outcome;
      if (reply.error) {
        const error = agentErrorFrom(reply.error, shown, reply.message);
        return { result: error, status: 'agent-error', record: { reply: reply.message, error }, state: { state: 'ready' }, answered: true };
      }
      const value = reply.message.return ?? {};
      const result: CallResult = { status: 'ok', value, reply: reply.message, ms, request: shown };
      return { result, status: 'ok', record: { reply: reply.message, value }, state: { state: 'ready' }, answered: true };
    }
    case 'sync-reply':
      return { result: noReplyResult('sent, no reply expected: the agent accepted it'), status: 'no-reply', state: { state: 'ready' }, answered: true };
    case 'closed': {
      if (noReply && outcome.error !== undefined) {
        return { result: noReplyResult('sent, no reply expected: the connection closed afterwards'), status: 'no-reply' };
      }
      const error = closedError(outcome.error, shown, 'the command may or may not have run');
      return { result: error, status: 'failed', record: { error } };
    }
    case 'no-reply':
      return { result: noReplyResult(outcome.detail), status: 'no-reply', state: { state: 'ready' }, answered: true };
    case 'failed': {
      const { error } = outcome;
      const timedOut = error instanceof TimeoutError;
      return { result: error, status: timedOut ? 'timeout' : 'failed', record: { error }, state: { state: timedOut ? 'unresponsive' : 'ready', detail: error.message } };
    }
    case 'cancelled': {
      const error = new CancelledError(`${job.execute} was cancelled; the agent may still run it`, { sent: shown });
      return { result: error, status: 'cancelled', record: { error }, state: { state: 'ready', detail: 'cancelled; will resync' }, unsynced: true };
    }
    case 'timeout': {
      if (noReply) {
        return { result: noReplyResult('sent, no reply expected: the agent has not answered since'), status: 'no-reply', state: { state: 'ready' }, unsynced: true };
      }
      const error = new TimeoutError(`no reply to ${job.execute} within ${call.timeoutMs} ms`, call.timeoutMs, {
        sent: shown,
        hint: 'The agent may be busy with a slow command, stuck, or gone. Raise --timeout for slow commands; ' +
          'the session resyncs before the next command.',
      });
      return { result: error, status: 'timeout', record: { error }, state: { state: 'unresponsive', detail: `${job.execute} timed out`, always: true }, unsynced: true };
    }
  }
}
