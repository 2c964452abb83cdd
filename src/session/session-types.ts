// The shapes the session works with: its options, a call's options and result, and the
// internal records of a job, a wait and a call in flight (see session.ts).
import type { QemuHostError, ConnectionError } from '../protocol/errors.js';
import type { JsonObject, JsonValue } from '../protocol/json.js';
import type { Reply, Request } from '../protocol/messages.js';
import type { Base64Argument } from './bulk-argument.js';

export interface SessionOptions {
  /** Commands that send no reply on success. Defaults to guest-shutdown and guest-suspend-*. */
  isNoReply?: (command: string) => boolean;
  /** Default deadline per command. */
  timeoutFor?: (command: string) => number;
  /** Reconnect with exponential back-off after the connection drops. */
  reconnect?: boolean | { initialMs?: number; maxMs?: number };
  syncAttemptMs?: number;
  noReplyGraceMs?: number;
  maxLineBytes?: number;
  /**
   * Hides secrets (a guest-set-user-password password) in everything the session reports:
   * wire events, call records, errors. What is sent is never changed.
   */
  redact?: { request<T extends object>(request: T): T; text(line: string): string };
}

export interface CallOptions {
  timeoutMs?: number;
  /** Override the schema's idea of whether this command replies. */
  noReply?: boolean;
  /**
   * Send this object exactly as written instead of building a request (the raw form, for
   * debugging an agent with odd input). Its own `id`, if any, is used to match the reply;
   * without one the reply is matched first in, first out.
   */
  raw?: JsonObject;
  /**
   * Called with the reply line's bytes as received (without the newline), just before the
   * call settles with that reply (a return value or an agent error). For relaying the
   * agent's own bytes; they are valid only during the call, so copy what is kept.
   */
  onReplyLine?: (line: Buffer) => void;
  /**
   * Long string values in the reply (file data: megabytes of base64) as bytes instead of
   * strings: members longer than `minBytes` without escapes read as '' in the reply, and
   * `take` gets each one's key and bytes (between the quotes) before the call settles.
   * The bytes are valid only during that call. Not while someone keeps replies whole
   * (keepRepliesWhole): then the reply is parsed whole and take is not called.
   */
  largeStrings?: { minBytes: number; take(key: string, bytes: Buffer): void };
  /**
   * One argument sent as the base64 of a buffer, encoded piece by piece as it is written
   * (file data: see bulk-argument.ts). Not with `raw`. The request that events report
   * carries the text only while someone keeps replies whole or watches the wire.
   */
  base64Argument?: Base64Argument;
}

export type CallResult =
  | { status: 'ok'; value: JsonValue; reply: JsonObject; ms: number; request: Request }
  | { status: 'no-reply'; detail: string; ms: number; request: Request };

export type Outcome =
  | { kind: 'reply'; reply: Reply }
  | { kind: 'sync-reply' }
  /** A request transport says the command went out and none is expected (libvirt). */
  | { kind: 'no-reply'; detail: string }
  /** A request transport failed this request with its own error (libvirt). */
  | { kind: 'failed'; error: QemuHostError }
  | { kind: 'closed'; error: ConnectionError | undefined }
  | { kind: 'timeout' }
  | { kind: 'cancelled' };

export interface Waiter {
  /** Waiting for a call's reply (rather than only a sync). */
  awaitingReply?: boolean;
  /** The id of the request we wait for; undefined for a raw request without one. */
  requestId?: JsonValue;
  /** The guest-sync-delimited id whose reply ends the wait, if any. */
  syncId?: number;
  /** When the wait times out (a performance.now() time). */
  until: number;
  /** Long string values of the awaited reply come as bytes (CallOptions.largeStrings). */
  largeStringBytes?: number;
  settle(outcome: Outcome): void;
}

/** What a call in flight needs when its outcome comes. */
export interface CallInFlight {
  job: CallJob;
  id: JsonValue | undefined;
  /** The request as the session reports it: any secret hidden. */
  shown: Request;
  seq: number;
  noReply: boolean;
  timeoutMs: number;
  startedAt: number;
  started: number;
}

export interface CallJob {
  kind: 'call';
  execute: string;
  args: JsonObject | undefined;
  options: CallOptions;
  resolve(result: CallResult): void;
  reject(error: QemuHostError): void;
}

export interface ConnectJob {
  kind: 'connect';
  timeoutMs: number;
  resolve(): void;
  reject(error: QemuHostError): void;
}

export type Job = CallJob | ConnectJob;
