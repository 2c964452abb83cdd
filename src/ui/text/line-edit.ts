// Pure line editing shared by the prompt and the form's text fields: a value and a cursor
// (an offset in UTF-16 units, always on a code point boundary), and the edits readline
// users expect.
import type { Action } from '../keys/key-bindings.js';

export interface LineValue {
  value: string;
  cursor: number;
}

export const EMPTY_LINE: LineValue = { value: '', cursor: 0 };

export function lineOf(value: string, cursor = value.length): LineValue {
  return { value, cursor: Math.max(0, Math.min(cursor, value.length)) };
}

export function insertText(line: LineValue, text: string): LineValue {
  return { value: line.value.slice(0, line.cursor) + text + line.value.slice(line.cursor), cursor: line.cursor + text.length };
}

/** Replaces [from, to) by text, leaving the cursor after it. */
export function replaceRange(line: LineValue, from: number, to: number, text: string): LineValue {
  return { value: line.value.slice(0, from) + text + line.value.slice(to), cursor: from + text.length };
}

function prevBoundary(value: string, i: number): number {
  if (i <= 0) return 0;
  const code = value.charCodeAt(i - 1);
  return code >= 0xdc00 && code <= 0xdfff && i >= 2 ? i - 2 : i - 1;
}

function nextBoundary(value: string, i: number): number {
  if (i >= value.length) return value.length;
  const code = value.charCodeAt(i);
  return code >= 0xd800 && code <= 0xdbff && i + 1 < value.length ? i + 2 : i + 1;
}

/** Applies an editing action; returns undefined for actions that are not edits. */
export function editLine(line: LineValue, action: Action): LineValue | undefined {
  const { value, cursor } = line;
  switch (action) {
    case 'cursor-left':
      return { value, cursor: prevBoundary(value, cursor) };
    case 'cursor-right':
      return { value, cursor: nextBoundary(value, cursor) };
    case 'line-start':
      return { value, cursor: 0 };
    case 'line-end':
      return { value, cursor: value.length };
    case 'erase-back': {
      const from = prevBoundary(value, cursor);
      return { value: value.slice(0, from) + value.slice(cursor), cursor: from };
    }
    case 'erase-forward':
      return { value: value.slice(0, cursor) + value.slice(nextBoundary(value, cursor)), cursor };
    case 'kill-to-start':
      return { value: value.slice(cursor), cursor: 0 };
    case 'kill-to-end':
      return { value: value.slice(0, cursor), cursor };
    case 'erase-word': {
      let from = cursor;
      while (from > 0 && value[from - 1] === ' ') from -= 1;
      while (from > 0 && value[from - 1] !== ' ') from -= 1;
      return { value: value.slice(0, from) + value.slice(cursor), cursor: from };
    }
    default:
      return undefined;
  }
}
