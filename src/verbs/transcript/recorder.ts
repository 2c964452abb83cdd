// Records what a session does into a transcript, from the session's typed events only:
// one header line when attached, one line per settled call, the agent's version once
// known, connection events and discards. Secrets are hidden here as well as in the session
// (which hides them when built with `redact`): a request is written only after
// redactRequest, whatever session it came from.
import { isJsonObject, type JsonObject } from '../../protocol/json.js';
import { isSecretMember, redactRequest, redactRequestText } from '../../schema/annotations.js';
import type { CallRecord, SessionEvents, StateChange } from '../../session/events.js';
import type { Listener } from '../../session/emitter.js';
import { TRANSCRIPT_FORMAT, TRANSCRIPT_VERSION, type CallLine, type RunMode, type StateLine, type TranscriptLine } from './format.js';

/** What the recorder needs of a session: its events and a name for its endpoint. */
export interface RecordableSession {
  on<K extends keyof SessionEvents>(event: K, listener: Listener<SessionEvents[K]>): () => void;
  readonly transport: { readonly description: string };
  /** What guest-info last said, if anyone asked before recording began. */
  readonly agentInfo?: { version: string } | undefined;
  /** Session.keepRepliesWhole: file data is reported whole while recording. */
  keepRepliesWhole?(): () => void;
}

export interface LineSink {
  write(line: TranscriptLine): void;
}

export interface RecorderOptions {
  /** "qemu-host 0.1.0". */
  tool: string;
  mode: RunMode;
  now?: () => number;
}

/** Starts recording `session` into `sink`. Returns a function that stops recording. */
export function recordSession(session: RecordableSession, sink: LineSink, options: RecorderOptions): () => void {
  const now = options.now ?? Date.now;
  const time = now();
  let agentVersion = session.agentInfo?.version;
  sink.write({
    type: 'header', format: TRANSCRIPT_FORMAT, version: TRANSCRIPT_VERSION, tool: options.tool, mode: options.mode,
    endpoint: session.transport.description, startedAt: new Date(time).toISOString(), time,
    ...(agentVersion === undefined ? {} : { agent: agentVersion }),
  });
  let calls = 0;
  const noteVersion = (version: string): void => {
    if (version === agentVersion) return;
    agentVersion = version;
    sink.write({ type: 'agent', at: now(), version });
  };
  // File data in calls is recorded whole, not left out of the reports as it is by default.
  const keep = session.keepRepliesWhole?.();
  const offs = [
    session.on('call-end', (record) => {
      calls += 1;
      sink.write(callLine(record));
      if (record.execute === 'guest-info' && record.status === 'ok' && isJsonObject(record.value) && typeof record.value.version === 'string') {
        noteVersion(record.value.version);
      }
    }),
    session.on('agent-info', (info) => noteVersion(info.version)),
    session.on('state', (change) => {
      if (change.state === 'closed') {
        sink.write({ type: 'end', at: now(), calls });
        return;
      }
      const line = stateLine(change, now());
      if (line) sink.write(line);
    }),
    session.on('wire', (event) => {
      if (event.direction !== 'discard') return;
      sink.write({ type: 'discard', at: event.at, bytes: event.bytes, reason: event.reason ?? 'discarded', text: redactRequestText(event.text) });
    }),
  ];
  return () => {
    for (const off of offs) off();
    keep?.();
  };
}

function callLine(record: CallRecord): CallLine {
  const request = redactRequest(record.request as unknown as JsonObject);
  const line: CallLine = {
    type: 'call', seq: record.seq, execute: record.execute, startedAt: record.startedAt, ms: Math.round(record.ms * 1000) / 1000,
    status: record.status, request,
  };
  if (record.reply !== undefined) line.reply = record.reply;
  if (record.error && record.reply === undefined) line.error = { class: record.error.code, desc: record.error.message };
  const redacted = secretPaths(request);
  if (redacted.length > 0) line.redacted = redacted;
  return line;
}

/** The request members that hold a secret (already replaced by redactRequest). */
function secretPaths(request: JsonObject): string[] {
  const args = request.arguments;
  if (typeof request.execute !== 'string' || !isJsonObject(args)) return [];
  return Object.keys(args).filter((key) => isSecretMember(request.execute as string, key)).map((key) => `arguments.${key}`);
}

/** Connection events worth a line; the busy/ready flip of every call is not. */
function stateLine(change: StateChange, at: number): StateLine | undefined {
  const detail = change.detail === undefined ? {} : { detail: change.detail };
  if (change.state === 'ready' && change.previous === 'syncing') return { type: 'state', at, state: 'synced', ...detail };
  if (change.state === 'disconnected' || change.state === 'unresponsive') return { type: 'state', at, state: change.state, ...detail };
  return undefined;
}
