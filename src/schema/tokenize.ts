// Splits a command line into words the way a POSIX shell would for plain words and
// quotes: whitespace separates, '...' is literal, "..." allows \" and \\, and a backslash
// outside quotes escapes the next character. Unlike a shell it does not treat |, >, ; or
// globs specially, since agent arguments (paths, JSON) are full of them.
import { UsageError } from '../protocol/errors.js';

export function tokenize(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < line.length) {
    const ch = line[i]!;
    if (ch === ' ' || ch === '\t') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i += 1;
      continue;
    }
    inWord = true;
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end === -1) throw new UsageError(`unterminated ' quote in: ${line}`, { hint: "Close the quote, or escape it with \\'." });
      word += line.slice(i + 1, end);
      i = end + 1;
    } else if (ch === '"') {
      i += 1;
      for (;;) {
        if (i >= line.length) throw new UsageError(`unterminated " quote in: ${line}`, { hint: 'Close the quote, or escape it with \\".' });
        const c = line[i]!;
        if (c === '"') break;
        if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) {
          word += line[i + 1];
          i += 2;
        } else {
          word += c;
          i += 1;
        }
      }
      i += 1;
    } else if (ch === '\\' && i + 1 < line.length) {
      word += line[i + 1];
      i += 2;
    } else {
      word += ch;
      i += 1;
    }
  }
  if (inWord) words.push(word);
  return words;
}
