// Which wait a line read from the agent ends, why it is discarded when it ends none, and
// the errors for waits that end without an answer. Pure: the session routes each frame
// through these and keeps the state.
import { ConnectionLostError, NotConnectedError, SyncTimeoutError, type ConnectionError, type QemuHostError } from '../protocol/errors.js';
import { stringifyJson } from '../protocol/json.js';
import { sameId, type Reply } from '../protocol/messages.js';
import type { Outcome, Waiter } from './session-types.js';

/** The answer to our guest-sync-delimited with `syncId` (the agent may echo it as a BigInt). */
export function isSyncReply(reply: Reply, syncId: number): boolean {
  const value = reply.message.return;
  return !reply.error && (value === syncId || (typeof value === 'bigint' && value === BigInt(syncId)));
}

/** How `reply` ends the current wait, or undefined when it is not the awaited one. */
export function outcomeFor(reply: Reply, waiter: Waiter | undefined): Outcome | undefined {
  if (!waiter) return undefined;
  if (waiter.syncId !== undefined && isSyncReply(reply, waiter.syncId)) return { kind: 'sync-reply' };
  if (!waiter.awaitingReply) return undefined;
  // A reply without an id is taken first in, first out, unless it answers a sync.
  const matches = reply.hasId ? waiter.requestId !== undefined && sameId(reply.id, waiter.requestId) : !reply.delimited;
  return matches ? { kind: 'reply', reply } : undefined;
}

/** Why a reply that ended no wait is thrown away, for the discard log and the wire view. */
export function discardReason(reply: Reply, waiting: boolean): string {
  if (reply.error && !reply.hasId && /parse error/i.test(reply.error.desc)) {
    // qemu-ga answers the 0xFF byte with a parse error about a stray U+FFFD; other parse
    // errors come from garbage such as half a request left by an earlier client.
    if (/stray '(\uFFFD|\\ufffd)'/i.test(reply.error.desc)) return "the agent's answer to the 0xFF flush byte";
    return 'a parse error for garbage sent earlier (half a request left by another client?)';
  }
  if (reply.delimited) return 'an answer to an earlier guest-sync-delimited';
  if (reply.hasId) return `stale reply (id ${stringifyJson(reply.id)} is not the one awaited)`;
  return waiting ? 'stale data before the sync' : 'unsolicited reply';
}

/** The error for a connection that ended while `sent` was waiting, carrying the request. */
export function closedError(error: ConnectionError | undefined, sent: unknown, consequence: string): QemuHostError {
  if (!error) return new NotConnectedError('the session was closed', { sent });
  return new ConnectionLostError(`${error.message}; ${consequence}`, { sent, hint: error.hint, cause: error });
}

/** The agent did not answer guest-sync-delimited (`sent`) before the deadline. */
export function syncTimeoutError(endpoint: string, attemptMs: number, sent: unknown): SyncTimeoutError {
  return new SyncTimeoutError(`connected to ${endpoint}, but the agent does not answer`, attemptMs, {
    sent,
    hint: 'The guest may still be booting, qemu-ga may not be running inside it, another client may ' +
      'hold the socket (the agent serves one at a time: see qemu-host serve), or it is busy or stopped ' +
      '(a frozen filesystem, a paused VM). Check the guest and try again.',
  });
}
