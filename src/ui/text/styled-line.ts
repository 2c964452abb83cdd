// Lines as runs of text with a colour role. History, help and the wire view lay their
// content out into these, already wrapped to the terminal width, so that the number of
// lines an item takes is known without rendering it: that is what makes virtualization work.
import type { Role } from '../theme/theme.js';
import { charWidth, textWidth, visible } from './width.js';

export interface Segment {
  text: string;
  role: Role;
}

export type Line = Segment[];

export function seg(text: string, role: Role = 'text'): Segment {
  return { text, role };
}

export function lineWidth(line: Line): number {
  return line.reduce((w, s) => w + textWidth(s.text), 0);
}

export function plain(line: Line): string {
  return line.map((s) => s.text).join('');
}

/**
 * Wraps a line to `width` cells, character by character (right for JSON and raw wire
 * text). Continuation lines start with `indent` spaces. Control characters are made
 * visible first.
 */
export function wrapLine(line: Line, width: number, indent = 0): Line[] {
  const safe = line.map((s) => ({ role: s.role, text: visible(s.text) }));
  if (lineWidth(safe) <= width) return [safe];
  const contIndent = Math.min(indent, Math.max(0, width - 8));
  const out: Line[] = [];
  let current: Line = [];
  let used = 0;
  const push = (): void => {
    out.push(current);
    current = contIndent > 0 ? [seg(' '.repeat(contIndent), 'text')] : [];
    used = contIndent;
  };
  for (const s of safe) {
    let run = '';
    for (const ch of s.text) {
      const w = charWidth(ch.codePointAt(0)!);
      if (used + w > width) {
        if (run) current.push({ role: s.role, text: run });
        run = '';
        push();
        if (ch === ' ') continue;
      }
      run += ch;
      used += w;
    }
    if (run) current.push({ role: s.role, text: run });
  }
  if (current.length > 0 && !(current.length === 1 && contIndent > 0 && used === contIndent)) out.push(current);
  return out;
}

export function wrapAll(lines: Line[], width: number, indent = 0): Line[] {
  return lines.flatMap((l) => wrapLine(l, width, indent));
}

/**
 * Prose (may hold newlines) as lines of one role, wrapped at spaces where possible. Every
 * line starts with `prefix` (continuations with as many spaces).
 */
export function textLines(text: string, width: number, role: Role = 'text', prefix = ''): Line[] {
  const room = Math.max(8, width - textWidth(prefix));
  const out: Line[] = [];
  for (const paragraph of visibleLines(text)) {
    let first = true;
    for (const chunk of wrapWords(paragraph, room)) {
      out.push([seg(first ? prefix : ' '.repeat(textWidth(prefix)), 'text'), seg(chunk, role)]);
      first = false;
    }
  }
  return out;
}

function visibleLines(text: string): string[] {
  return text.split('\n').map(visible);
}

/** Splits one paragraph into pieces of at most `width` cells, breaking at spaces when it can. */
export function wrapWords(text: string, width: number): string[] {
  if (textWidth(text) <= width) return [text];
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/(?<= )/)) {
    if (textWidth(line + word.trimEnd()) <= width) {
      line += word;
      continue;
    }
    if (line.trim() !== '') out.push(line.trimEnd());
    line = '';
    let rest = word;
    while (textWidth(rest.trimEnd()) > width) {
      const [head, tail] = splitAtWidth(rest, width);
      out.push(head);
      rest = tail;
    }
    line = rest;
  }
  if (line.trim() !== '' || out.length === 0) out.push(line.trimEnd());
  return out;
}

function splitAtWidth(text: string, width: number): [string, string] {
  let used = 0;
  let i = 0;
  for (const ch of text) {
    const w = charWidth(ch.codePointAt(0)!);
    if (used + w > width) break;
    used += w;
    i += ch.length;
  }
  return [text.slice(0, i), text.slice(i)];
}
