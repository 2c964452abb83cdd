// Splits the text before the cursor into words for completion. Unlike the real tokenizer
// (src/schema/tokenize.ts) it never throws: an open quote just means the last word runs
// to the cursor. Offsets let the prompt replace exactly the word being completed.
export interface LineWord {
  /** The word with quotes removed. */
  text: string;
  /** Offset of the word's first character in the line. */
  start: number;
  /** Offset just past the word. */
  end: number;
}

export interface SplitLine {
  words: LineWord[];
  /** True when the text ends in whitespace: the word being completed is a new, empty one. */
  atNewWord: boolean;
}

export function splitForCompletion(text: string): SplitLine {
  const words: LineWord[] = [];
  let current: LineWord | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (quote === '"' && ch === '\\' && i + 1 < text.length) current!.text += text[++i];
      else current!.text += ch;
      current!.end = i + 1;
      continue;
    }
    if (ch === ' ' || ch === '\t') {
      if (current) words.push(current);
      current = undefined;
      continue;
    }
    current ??= { text: '', start: i, end: i };
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '\\' && i + 1 < text.length) current.text += text[++i];
    else current.text += ch;
    current.end = i + 1;
  }
  if (current) words.push(current);
  return { words, atNewWord: current === undefined };
}
