// How a base64 field looks when decoded: text when the bytes are readable UTF-8, a hex
// dump when they are not. The raw base64 stays one keypress away (Ctrl+B).
import { seg, type Line } from './styled-line.js';
import { visible } from './width.js';

const HEX_DUMP_LIMIT = 1024;

export interface DecodedView {
  /** One-line description: "12 bytes, text" / "4096 bytes, binary". */
  summary: string;
  lines: Line[];
}

/** `maxLines`: decode only enough of a long string to show that many lines. */
export function decodeBase64View(b64: string, indent: string, maxLines?: number): DecodedView {
  const total = Math.floor((b64.replace(/=+$/, '').length * 3) / 4);
  const prefix = maxLines === undefined ? b64 : b64.slice(0, 4 * Math.ceil((maxLines * 256) / 3));
  const bytes = Buffer.from(prefix, 'base64');
  const partial = bytes.length < total;
  const text = readableText(bytes, partial);
  if (text !== undefined) {
    const body = text.endsWith('\n') ? text.slice(0, -1) : text;
    const lines = bytes.length === 0 ? [] : body.split('\n').map((l) => [seg(`${indent}│ `, 'muted'), seg(visible(l), 'decoded')]);
    if (partial) lines.push([seg(`${indent}│ … ${total - bytes.length} more bytes`, 'muted')]);
    return { summary: `${total} bytes, decoded text`, lines };
  }
  const shown = bytes.subarray(0, HEX_DUMP_LIMIT);
  const lines: Line[] = [];
  for (let off = 0; off < shown.length; off += 16) {
    const row = shown.subarray(off, off + 16);
    const hex = [...row].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = [...row].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push([seg(`${indent}│ `, 'muted'), seg(off.toString(16).padStart(8, '0'), 'muted'), seg(`  ${hex.padEnd(47)}  `, 'decoded'), seg(ascii, 'muted')]);
  }
  if (total > HEX_DUMP_LIMIT) lines.push([seg(`${indent}│ … ${total - shown.length} more bytes`, 'muted')]);
  return { summary: `${total} bytes, binary`, lines };
}

/**
 * The bytes as text when they are valid UTF-8 with few control characters; else undefined.
 * `partial`: the bytes are a prefix, so a character cut at the end is not an error.
 */
function readableText(bytes: Buffer, partial: boolean): string | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: partial });
  } catch {
    return undefined;
  }
  let controls = 0;
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if (c < 32 && c !== 9 && c !== 10 && c !== 13) controls += 1;
  }
  return controls > Math.max(2, text.length / 50) ? undefined : text.replace(/\r\n/g, '\n');
}
