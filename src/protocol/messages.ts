// The guest-agent protocol's messages and the classification of incoming lines.
import { isJsonObject, parseJson, type JsonObject, type JsonValue } from './json.js';
import type { Frame } from './framer.js';

/** A request as sent. Only these three keys are accepted by the agent. */
export interface Request {
  execute: string;
  arguments?: JsonObject;
  id?: JsonValue;
}

export interface AgentErrorBody {
  class: string;
  desc: string;
}

/** A reply line that parsed: either a return value or an error, with the id if echoed. */
export interface Reply {
  kind: 'reply';
  /** The object exactly as received (lossless). */
  message: JsonObject;
  id: JsonValue | undefined;
  hasId: boolean;
  /** The line was preceded by 0xFF (guest-sync-delimited). */
  delimited: boolean;
  error: AgentErrorBody | undefined;
  bytes: number;
  /** The line as received (a preview for very long lines). */
  text: string;
  /**
   * The line's bytes as received, without the newline. They may share memory with the
   * transport's read buffer: copy what must outlive the call that receives them.
   */
  line: Buffer;
}

/** Anything that is not a reply: partial lines, tty echo, non-JSON, unknown objects. */
export interface Garbage {
  kind: 'garbage';
  text: string;
  bytes: number;
  reason: string;
}

export type Incoming = Reply | Garbage;

const PREVIEW_CHARS = 2000;

function preview(bytes: Buffer): string {
  const text = bytes.subarray(0, PREVIEW_CHARS * 4).toString('utf8');
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text;
}

/** Classifies one frame from the framer. */
export function classifyFrame(frame: Frame): Incoming {
  if (frame.kind === 'fragment') {
    const reason = {
      'before-0xff': 'partial line abandoned at a 0xFF byte',
      'end-of-stream': 'partial line at end of stream',
      'too-long': 'line longer than the limit',
    }[frame.reason];
    return { kind: 'garbage', text: preview(frame.bytes), bytes: frame.bytes.length, reason };
  }
  const text = frame.bytes.toString('utf8');
  let value: JsonValue;
  try {
    value = parseJson(text);
  } catch {
    return { kind: 'garbage', text: preview(frame.bytes), bytes: frame.bytes.length, reason: 'not JSON' };
  }
  if (!isJsonObject(value)) {
    return { kind: 'garbage', text: preview(frame.bytes), bytes: frame.bytes.length, reason: 'JSON but not an object' };
  }
  if ('execute' in value) {
    return { kind: 'garbage', text: preview(frame.bytes), bytes: frame.bytes.length, reason: 'a request echoed back (tty echo)' };
  }
  const errorBody = value.error;
  const isError = isJsonObject(errorBody);
  if (!('return' in value) && !isError) {
    return { kind: 'garbage', text: preview(frame.bytes), bytes: frame.bytes.length, reason: 'object without return or error' };
  }
  return {
    kind: 'reply',
    message: value,
    id: value.id,
    hasId: 'id' in value,
    delimited: frame.delimited,
    error: isError
      ? { class: String(errorBody.class ?? 'GenericError'), desc: String(errorBody.desc ?? '') }
      : undefined,
    bytes: frame.bytes.length,
    text: text.length > PREVIEW_CHARS * 2 ? `${text.slice(0, PREVIEW_CHARS * 2)}…` : text,
    line: frame.bytes,
  };
}

/** The reply object without the `id` key, as batch mode prints it. */
export function withoutId(message: JsonObject): JsonObject {
  if (!('id' in message)) return message;
  const { id: _id, ...rest } = message;
  return rest;
}

export function sameId(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (typeof a === 'bigint' || typeof b === 'bigint') {
    const asBig = (v: JsonValue | undefined) =>
      typeof v === 'bigint' ? v : typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : undefined;
    const x = asBig(a);
    return x !== undefined && x === asBig(b);
  }
  if (typeof a === 'object' || typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}
