// Decides what becomes of one request a client sent: answered by the broker itself
// (guest-sync, guest-sync-delimited, qemu-host-broker-info, read-only refusals, input that
// is not an object), or forwarded to the agent under an id of the broker's own.
//
// Anything the broker cannot fully vouch for is forwarded, so the agent's own checks and
// wording apply: a guest-sync with a bad argument goes to the agent, which answers the
// error (and writes no 0xFF, since the command never ran).
import { isJsonObject, type JsonObject, type JsonValue } from '../protocol/json.js';
import { changeOf } from '../schema/annotations.js';
import { errorReply, returnReply } from './agent-format.js';

/** The command a shell asks to learn that it talks to a broker, and how many share it. */
export const BROKER_INFO_COMMAND = 'qemu-host-broker-info';

/** The client's id, when it sent one (null is an id too). */
export type ClientId = { value: JsonValue } | undefined;

export type Work =
  /** Answered at once with this reply. */
  | { kind: 'reply'; reply: JsonObject; delimited: boolean }
  /**
   * guest-sync / guest-sync-delimited: answered by the broker, but only while its session
   * is in step with the agent, so a client probing for a live agent is never told yes
   * when there is none (it waits for the session's own connect and sync otherwise).
   */
  | { kind: 'sync'; reply: JsonObject; delimited: boolean; id: ClientId }
  /** Answered by the broker with its current state, when its turn comes. */
  | { kind: 'broker-info'; id: ClientId }
  /** Sent to the agent: the client's object, whose id (kept in `id`) forward() replaces with the broker's. */
  | { kind: 'forward'; request: JsonObject; id: ClientId };

export interface Classified {
  /** The command named, for logs ('?' when there is none). */
  execute: string;
  work: Work;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const REQUEST_KEYS = new Set(['execute', 'arguments', 'id']);

function isInt64(value: JsonValue | undefined): value is number | bigint {
  if (typeof value === 'number') return Number.isSafeInteger(value);
  return typeof value === 'bigint' && value >= INT64_MIN && value <= INT64_MAX;
}

/** Only execute, arguments (an object) and id: the shape the agent accepts. */
function wellFormed(request: JsonObject): boolean {
  for (const key of Object.keys(request)) if (!REQUEST_KEYS.has(key)) return false;
  return request.arguments === undefined || isJsonObject(request.arguments);
}

export function classify(value: JsonValue, readOnly: boolean): Classified {
  if (!isJsonObject(value)) {
    return { execute: '?', work: { kind: 'reply', reply: errorReply('GenericError', 'QMP input must be a JSON object'), delimited: false } };
  }
  const id: ClientId = Object.hasOwn(value, 'id') ? { value: value.id! } : undefined;
  const execute = typeof value.execute === 'string' ? value.execute : '?';
  const args = isJsonObject(value.arguments) ? value.arguments : undefined;

  if (execute !== '?' && wellFormed(value)) {
    if (execute === 'guest-sync' || execute === 'guest-sync-delimited') {
      const keys = args ? Object.keys(args) : [];
      if (args && keys.length === 1 && isInt64(args.id)) {
        return { execute, work: { kind: 'sync', reply: returnReply(args.id, id), delimited: execute === 'guest-sync-delimited', id } };
      }
    } else if (execute === BROKER_INFO_COMMAND) {
      if (args && Object.keys(args).length > 0) {
        const reply = errorReply('GenericError', `Parameter '${Object.keys(args)[0]}' is unexpected`, id);
        return { execute, work: { kind: 'reply', reply, delimited: false } };
      }
      return { execute, work: { kind: 'broker-info', id } };
    } else if (readOnly) {
      const change = changeOf(execute, args);
      if (change !== undefined) {
        const desc = `${execute} is refused: this agent is shared through a read-only qemu-host broker ` +
          `(serve --read-only), and this command ${change}`;
        return { execute, work: { kind: 'reply', reply: errorReply('GenericError', desc, id), delimited: false } };
      }
    }
  }
  // The value is this request's own (just parsed): forward() gives it the broker's id in
  // place of the client's, which `id` keeps.
  return { execute, work: { kind: 'forward', request: value, id } };
}

/** The agent's reply for the client: its own id put back, or none when it sent none. */
export function withClientId(reply: JsonObject, id: ClientId): JsonObject {
  if (!Object.hasOwn(reply, 'id')) return reply;
  if (id) {
    reply.id = id.value;
    return reply;
  }
  const { id: _ours, ...rest } = reply;
  return rest;
}
