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

export function decodeBase64View(b64: string, indent: string): DecodedView {
  const bytes = Buffer.from(b64, 'base64');
  const text = readableText(bytes);
  if (text !== undefined) {
    const body = text.endsWith('\n') ? text.slice(0, -1) : text;
    const lines = bytes.length === 0 ? [] : body.split('\n').map((l) => [seg(`${indent}│ `, 'muted'), seg(visible(l), 'decoded')]);
    return { summary: `${bytes.length} bytes, decoded text`, lines };
  }
  const shown = bytes.subarray(0, HEX_DUMP_LIMIT);
  const lines: Line[] = [];
  for (let off = 0; off < shown.length; off += 16) {
    const row = shown.subarray(off, off + 16);
    const hex = [...row].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = [...row].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push([seg(`${indent}│ `, 'muted'), seg(off.toString(16).padStart(8, '0'), 'muted'), seg(`  ${hex.padEnd(47)}  `, 'decoded'), seg(ascii, 'muted')]);
  }
  if (bytes.length > HEX_DUMP_LIMIT) lines.push([seg(`${indent}│ … ${bytes.length - HEX_DUMP_LIMIT} more bytes`, 'muted')]);
  return { summary: `${bytes.length} bytes, binary`, lines };
}

/** The bytes as text when they are valid UTF-8 with few control characters; else undefined. */
function readableText(bytes: Buffer): string | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
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
