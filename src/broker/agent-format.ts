// Writes replies the way qemu-ga writes them, so a client cannot tell the broker from the
// agent by the bytes: one object per line, `", "` and `": "` separators, control and
// non-ASCII characters as upper-case \uXXXX escapes, other numbers than integers with 17
// significant digits (C's %.17g), integers beyond 2^53 digit for digit. A reply to
// guest-sync-delimited starts with the 0xFF byte.
import type { JsonObject, JsonValue } from '../protocol/json.js';

const NEEDS_ESCAPE = /[\u0000-\u001f"\\\u007f-\uffff]/;
const SHORT_ESCAPES: Record<number, string> = { 0x22: '\\"', 0x5c: '\\\\', 0x08: '\\b', 0x0c: '\\f', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t' };

/** A string as the agent quotes it: ASCII only, other characters as upper-case \uXXXX (UTF-16 units). */
function quote(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return `"${text}"`;
  let out = '"';
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const short = SHORT_ESCAPES[c];
    if (short === undefined && c >= 0x20 && c < 0x7f) continue;
    out += text.slice(run, i) + (short ?? `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`);
    run = i + 1;
  }
  return `${out}${text.slice(run)}"`;
}

/** A number as the agent prints it: integers plainly, others like C's %.17g. */
function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e17) return Object.is(n, -0) ? '-0' : String(n);
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'nan' : n > 0 ? 'inf' : '-inf';
  const [mantissa, exp] = n.toExponential(16).split('e') as [string, string];
  const e = Number(exp);
  const trim = (digits: string): string => (digits.includes('.') ? digits.replace(/\.?0+$/, '') : digits);
  if (e < -4 || e >= 17) {
    const sign = e < 0 ? '-' : '+';
    return `${trim(mantissa)}e${sign}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  return trim(n.toFixed(16 - e));
}

/** One JSON value in the agent's style. */
export function formatValue(value: JsonValue): string {
  switch (typeof value) {
    case 'string': return quote(value);
    case 'number': return formatNumber(value);
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
