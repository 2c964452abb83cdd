// What the prompt shows: the line with secret values masked and the cursor marked,
// scrolled sideways to keep the cursor in view when the line is wider than the screen.
import { splitForCompletion } from '../../completion/line-words.js';
import { isSecretMember } from '../../schema/annotations.js';
import { seg, type Line } from '../text/styled-line.js';
import { visible } from '../text/width.js';
import type { LineValue } from '../text/line-edit.js';

const MASK = '•';

/** Offsets [from, to) of secret values on the line (`password=...` of guest-set-user-password). */
export function secretRanges(value: string): [number, number][] {
  let { words } = splitForCompletion(value);
  // A shell command that takes a command line (`:copy guest-set-user-password ...`).
  if (words[0]?.text.startsWith(':')) words = words.slice(1);
  const command = words[0]?.text;
  if (!command) return [];
  const out: [number, number][] = [];
  for (const word of words.slice(1)) {
    const eq = word.text.indexOf('=');
    if (eq > 0 && isSecretMember(command, word.text.slice(0, eq))) {
      const rawEq = value.indexOf('=', word.start);
      out.push([rawEq + 1, word.end]);
    }
  }
  // A raw JSON request: mask from the secret member's value to the end of the line.
  const match = /"password"\s*:\s*/.exec(value);
  if (/^\s*(:\S+\s+)?\{/.test(value) && match && value.includes('guest-set-user-password')) {
    out.push([match.index + match[0].length, value.length]);
  }
  return out;
}

export function maskSecrets(value: string): string {
  let out = value;
  for (const [from, to] of secretRanges(value)) out = out.slice(0, from) + MASK.repeat(to - from) + out.slice(to);
  return out;
}

/** The prompt's visible line, `width` cells wide at most, with the cursor as a role. */
export function promptLine(line: LineValue, width: number, showCursor: boolean): Line {
  const text = visible(maskSecrets(line.value));
  const chars = [...text];
  // Map the cursor (UTF-16 offset) to a code point index.
  const cursor = [...line.value.slice(0, line.cursor)].length;
  const room = Math.max(4, width - 1);
  let start = 0;
  if (cursor >= room) start = cursor - room + 1;
  const shown = chars.slice(start, start + room);
  const at = cursor - start;
  const before = shown.slice(0, at).join('');
  const under = shown[at] ?? ' ';
  const after = shown.slice(at + 1).join('');
  const out: Line = [];
  if (start > 0) out.push(seg('…', 'muted'));
  out.push(seg(start > 0 ? before.slice(1) : before, 'text'));
  if (showCursor) out.push(seg(under, 'cursor'));
  else if (under !== ' ' || after) out.push(seg(under, 'text'));
  if (after) out.push(seg(after, 'text'));
  return out.filter((s) => s.text !== '');
}
