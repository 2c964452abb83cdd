// What a session tells its subscribers. The shell, the broker, transcripts and tests all
// observe a session only through these events and its public methods.
import type { QemuHostError } from '../protocol/errors.js';
import type { JsonObject, JsonValue } from '../protocol/json.js';
import type { Request } from '../protocol/messages.js';

export type SessionState =
  /** No connection. */
  | 'disconnected'
  /** Opening the transport. */
  | 'connecting'
  /** Connected; flushing stale data with 0xFF + guest-sync-delimited. */
  | 'syncing'
  /** Connected, in step with the agent, nothing in flight. */
  | 'ready'
  /** A command is in flight. */
  | 'busy'
  /** Connected, but the agent did not answer in time; the next command resyncs first. */
  | 'unresponsive'
  /** Closed for good by close(). */
  | 'closed';

export interface StateChange {
  state: SessionState;
  previous: SessionState;
  /** Why, in words: "agent not answering (attempt 3)", the error that closed it, ... */
  detail?: string;
  error?: QemuHostError;
}

export type WireDirection = 'out' | 'in' | 'discard';

export interface WireEvent {
  direction: WireDirection;
  /** Milliseconds since the epoch. */
  at: number;
  /** The line (or a preview of a long one), without the 0xFF byte. */
  text: string;
  /** Size on the wire. */
  bytes: number;
  /** The line was preceded by a 0xFF byte (sent or received). */
  delimited: boolean;
  /** For discards: why the bytes were dropped. */
  reason?: string;
}

export type CallStatus = 'ok' | 'agent-error' | 'no-reply' | 'timeout' | 'cancelled' | 'failed';

/** A finished call, as history and transcripts record it. */
export interface CallRecord {
  seq: number;
  execute: string;
  /** The request as sent, including the id the session added. */
  request: Request;
  status: CallStatus;
  /**
   * The reply object as received (lossless), when one came. A call made with
   * CallOptions.largeStrings (file reads) shows its long strings as '' here, and one with
   * base64Argument a note of its data's size in `request`, unless someone called
   * session.keepRepliesWhole() (transcripts do).
   */
  reply?: JsonObject;
  /** The `return` value on success. */
  value?: JsonValue;
  error?: QemuHostError;
  startedAt: number;
  /** Wall time from writing the request to settling it. */
  ms: number;
}

export interface SessionStats {
  sentMessages: number;
  receivedMessages: number;
  discardedMessages: number;
  discardedBytes: number;
  syncs: number;
  lastRttMs: number | undefined;
}

export interface SessionEvents {
  state: [StateChange];
  wire: [WireEvent];
  /** A call was written to the agent. */
  'call-start': [{ seq: number; execute: string; request: Request; startedAt: number }];
  /** A call settled, however it ended. */
  'call-end': [CallRecord];
  /** The agent's version, learned from guest-info by whoever asked. */
  'agent-info': [{ version: string; supported: JsonValue }];
}
