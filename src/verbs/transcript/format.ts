// The transcript file format (`--record FILE`), version 1: JSON Lines, one object per line,
// each with a `type`. Integers beyond 2^53 are written digit for digit (lossless JSON).
//
//   header   starts every recorded run (a file may hold several runs, appended):
//            {"type":"header","format":"qemu-host-transcript","version":1,"tool":"qemu-host 0.1.0",
//             "mode":"call","endpoint":"unix:/tmp/qga.sock","startedAt":"2025-…Z","time":1735…}
//            (with "agent":"7.2.22" when the version was known before recording began)
//   agent    the agent's version, once known (from guest-info): {"type":"agent","at":…,"version":"7.2.22"}
//   call     one per command, when it settles:
//            {"type":"call","seq":1,"execute":"guest-info","startedAt":1735…,"ms":0.412,
//             "status":"ok","request":{…as sent…},"reply":{…as received…}}
//            status is ok | agent-error | no-reply | timeout | cancelled | failed; `reply` is
//            there when one came (its content exact, written compactly), `error` ({"class","desc"}) when the tool itself failed;
//            `redacted` lists the request members whose secret was replaced by "<redacted>".
//   state    a connection event: synced (connected and in step), disconnected, unresponsive.
//   discard  bytes the session threw away (stale replies, the 0xFF parse error, tty echo).
//   end      the session was closed normally: {"type":"end","at":…,"calls":12}
// `at`, `time` and `startedAt` (in call lines) are milliseconds since the epoch; `ms` is the
// wall time from writing the request to settling it. Readers must ignore unknown types
// and unknown members, so that later versions can add them.
import type { JsonObject } from '../../protocol/json.js';
import type { CallStatus } from '../../session/events.js';

export const TRANSCRIPT_FORMAT = 'qemu-host-transcript';
export const TRANSCRIPT_VERSION = 1;

/** What a run was: a subcommand name (call, exec, get, replay, ...), or shell, plain, batch. */
export type RunMode = string;

export interface HeaderLine {
  type: 'header';
  format: typeof TRANSCRIPT_FORMAT;
  version: number;
  tool: string;
  mode: RunMode;
  endpoint: string;
  startedAt: string;
  time: number;
  /** The agent's version, when known before recording began. */
  agent?: string;
}

export interface AgentLine {
  type: 'agent';
  at: number;
  version: string;
}

export interface CallLine {
  type: 'call';
  seq: number;
  execute: string;
  startedAt: number;
  ms: number;
  status: CallStatus;
  request: JsonObject;
  reply?: JsonObject;
  error?: { class: string; desc: string };
  /** Request members (dotted, e.g. `arguments.password`) whose value was not recorded. */
  redacted?: string[];
}

export interface StateLine {
  type: 'state';
  at: number;
  state: 'synced' | 'disconnected' | 'unresponsive';
  detail?: string;
}

export interface DiscardLine {
  type: 'discard';
  at: number;
  bytes: number;
  reason: string;
  /** The bytes as text (a preview for long ones), with secrets hidden. */
  text: string;
}

export interface EndLine {
  type: 'end';
  at: number;
  calls: number;
}

export type TranscriptLine = HeaderLine | AgentLine | CallLine | StateLine | DiscardLine | EndLine;

/** Call statuses a transcript may hold. */
export const CALL_STATUSES: readonly CallStatus[] = ['ok', 'agent-error', 'no-reply', 'timeout', 'cancelled', 'failed'];
