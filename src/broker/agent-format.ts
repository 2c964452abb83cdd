// Writes replies the way qemu-ga writes them, so a client cannot tell the broker from the
// agent by the bytes: one object per line, `", "` and `": "` separators, non-ASCII
// characters as \uXXXX escapes, integers beyond 2^53 digit for digit. A reply to
// guest-sync-delimited starts with the 0xFF byte.
import type { JsonObject, JsonValue } from '../protocol/json.js';

const NON_ASCII = /[\u007f-\uffff]/g;

function quote(text: string): string {
  const json = JSON.stringify(text);
  NON_ASCII.lastIndex = 0;
  if (!NON_ASCII.test(json)) return json;
  return json.replace(NON_ASCII, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}

/** One JSON value in the agent's style. */
export function formatValue(value: JsonValue): string {
  switch (typeof value) {
    case 'string': return quote(value);
    case 'number': return Number.isFinite(value) ? String(value) : 'null';
    case 'bigint': return value.toString();
    case 'boolean': return value ? 'true' : 'false';
    default:
      break;
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  const parts: string[] = [];
  for (const key of Object.keys(value)) {
    const member = value[key];
    if (member !== undefined) parts.push(`${quote(key)}: ${formatValue(member)}`);
  }
  return `{${parts.join(', ')}}`;
}

const FLUSH = Buffer.from([0xff]);

/** A reply line, ready to write to a client. */
export function replyBytes(reply: JsonObject, delimited = false): Buffer {
  const line = Buffer.from(`${formatValue(reply)}\n`, 'utf8');
  return delimited ? Buffer.concat([FLUSH, line]) : line;
}

/** An error reply as the agent shapes it: `{"id": ..., "error": {"class", "desc"}}`, id only when given. */
export function errorReply(errorClass: string, desc: string, id?: { value: JsonValue }): JsonObject {
  const error = { class: errorClass, desc };
  return id ? { id: id.value, error } : { error };
}

/** A success reply: `{"return": value, "id": ...}`, id only when given. */
export function returnReply(value: JsonValue, id?: { value: JsonValue }): JsonObject {
  return id ? { return: value, id: id.value } : { return: value };
}
