// The guest-agent protocol's messages and the classification of incoming lines.
import { isJsonObject, parseJson, type JsonObject, type JsonValue } from './json.js';
import type { Frame } from './framer.js';
import { findLargeStrings } from './large-strings.js';

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
  /**
   * String values left out of `message` (they read as '' there) when the caller asked for
   * long strings as bytes: each member's key and its bytes between the quotes, which share
   * memory with `line`.
   */
  elided?: Array<{ key: string; bytes: Buffer }>;
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

/** The first 4000 characters of a long reply line, as Reply.text shows it. */
function longPreview(bytes: Buffer): string {
  const text = bytes.subarray(0, PREVIEW_CHARS * 8).toString('utf8');
  return text.length > PREVIEW_CHARS * 2 ? `${text.slice(0, PREVIEW_CHARS * 2)}…` : text;
}

/**
 * Classifies one frame from the framer. With `largeStringBytes`, member values longer
 * than that (and free of escapes) are not parsed: see Reply.elided.
 */
export function classifyFrame(frame: Frame, largeStringBytes?: number): Incoming {
  if (frame.kind === 'fragment') {
    const reason = {
      'before-0xff': 'partial line abandoned at a 0xFF byte',
      'end-of-stream': 'partial line at end of stream',
      'too-long': 'line longer than the limit',
    }[frame.reason];
    return { kind: 'garbage', text: preview(frame.bytes), bytes: frame.bytes.length, reason };
  }
  const large = largeStringBytes !== undefined && frame.bytes.length > largeStringBytes ? findLargeStrings(frame.bytes, largeStringBytes) : [];
  let text: string;
  let elided: Reply['elided'];
  if (large.length === 0) {
    text = frame.bytes.toString('utf8');
  } else {
    // Parse the line with those values emptied; hand their bytes over as they are.
    const pieces: Buffer[] = [];
    let at = 0;
    for (const { start, end } of large) {
      pieces.push(frame.bytes.subarray(at, start));
      at = end;
    }
    pieces.push(frame.bytes.subarray(at));
    text = Buffer.concat(pieces).toString('utf8');
    elided = large.map(({ key, start, end }) => ({ key, bytes: frame.bytes.subarray(start, end) }));
  }
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
    text: elided ? longPreview(frame.bytes) : text.length > PREVIEW_CHARS * 2 ? `${text.slice(0, PREVIEW_CHARS * 2)}…` : text,
    line: frame.bytes,
    ...(elided ? { elided } : {}),
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
