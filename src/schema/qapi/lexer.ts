// Splits QAPI schema text into tokens. The language is a small JSON dialect: single-quoted
// strings, `true`/`false`, the six punctuation marks, and `#` comments. A line that is
// exactly `##` opens a doc block, which runs to the next `##` line and becomes one token.
import type { DocBlock, DocLine } from './ast.js';
import { QapiSyntaxError } from './errors.js';

export type Punct = '{' | '}' | '[' | ']' | ':' | ',';

interface TokenPos {
  line: number;
  col: number;
}

export type Token =
  | (TokenPos & { kind: 'punct'; value: Punct })
  | (TokenPos & { kind: 'string'; value: string })
  | (TokenPos & { kind: 'bool'; value: boolean })
  | (TokenPos & { kind: 'doc'; block: DocBlock })
  | (TokenPos & { kind: 'eof' });

const PUNCTUATION = new Set<string>(['{', '}', '[', ']', ':', ',']);
const WORD_CHAR = /[A-Za-z0-9_.+-]/;

export class Lexer {
  private readonly text: string;
  private readonly file: string;
  private pos = 0;
  private line = 1;
  private lineStart = 0;

  constructor(text: string, file: string) {
    this.text = text;
    this.file = file;
  }

  next(): Token {
    this.skipBlanksAndComments();
    const here = this.here();
    const ch = this.text[this.pos];
    if (ch === undefined) return { kind: 'eof', ...here };
    if (ch === '#') return this.readDocBlock(here);
    if (PUNCTUATION.has(ch)) {
      this.pos++;
      return { kind: 'punct', value: ch as Punct, ...here };
    }
    if (ch === "'") return this.readString(here);
    if (WORD_CHAR.test(ch)) return this.readWord(here);
    if (ch === '"') throw this.fail(here, 'strings must be in single quotes');
    throw this.fail(here, `unexpected character ${JSON.stringify(ch)}`);
  }

  private here(): TokenPos {
    return { line: this.line, col: this.pos - this.lineStart + 1 };
  }

  private fail(at: TokenPos, reason: string): QapiSyntaxError {
    return new QapiSyntaxError(this.file, at.line, at.col, reason);
  }

  private newline(): void {
    this.pos++;
    this.line++;
    this.lineStart = this.pos;
  }

  /** Skips whitespace and ordinary comments; stops at `##` so it can become a doc token. */
  private skipBlanksAndComments(): void {
    for (;;) {
      const ch = this.text[this.pos];
      if (ch === '\n') this.newline();
      else if (ch === ' ' || ch === '\t' || ch === '\r') this.pos++;
      else if (ch === '#' && this.text[this.pos + 1] !== '#') this.skipToLineEnd();
      else return;
    }
  }

  private skipToLineEnd(): void {
    const end = this.text.indexOf('\n', this.pos);
    this.pos = end < 0 ? this.text.length : end;
  }

  private restOfLine(): string {
    const end = this.text.indexOf('\n', this.pos);
    return this.text.slice(this.pos, end < 0 ? this.text.length : end);
  }

  private readString(start: TokenPos): Token {
    this.pos++;
    let value = '';
    for (;;) {
      const ch = this.text[this.pos];
      if (ch === undefined || ch === '\n' || ch === '\r') {
        throw this.fail(start, 'string is not closed before the end of the line');
      }
      if (ch === "'") break;
      if (ch === '\\') {
        const escaped = this.text[this.pos + 1];
        if (escaped !== '\\') {
          throw this.fail(this.here(), "the only escape allowed in a string is '\\\\'");
        }
        value += '\\';
        this.pos += 2;
        continue;
      }
      const code = ch.charCodeAt(0);
      if (code < 0x20 || code > 0x7e) {
        throw this.fail(this.here(), 'strings may hold printable ASCII characters only');
      }
      value += ch;
      this.pos++;
    }
    this.pos++;
    return { kind: 'string', value, ...start };
  }

  private readWord(start: TokenPos): Token {
    let end = this.pos;
    while (end < this.text.length && WORD_CHAR.test(this.text[end] ?? '')) end++;
    const word = this.text.slice(this.pos, end);
    if (word === 'true' || word === 'false') {
      this.pos = end;
      return { kind: 'bool', value: word === 'true', ...start };
    }
    if (/^[-+]?[0-9]/.test(word)) throw this.fail(start, `numbers are not allowed in a schema (found '${word}')`);
    throw this.fail(start, `unexpected word '${word}': only quoted strings, true and false are values`);
  }

  /** Reads from a `##` line through the closing `##` line. */
  private readDocBlock(start: TokenPos): Token {
    const opening = this.restOfLine();
    if (opening.trimEnd() !== '##') {
      throw this.fail({ line: start.line, col: start.col + 2 }, "unexpected text after '##'");
    }
    this.skipToLineEnd();
    const lines: DocLine[] = [];
    for (;;) {
      if (this.pos >= this.text.length) {
        throw this.fail(start, "doc comment is not closed by a '##' line");
      }
      this.newline();
      const raw = this.restOfLine().replace(/\r$/, '');
      const line = this.line;
      const indent = raw.length - raw.trimStart().length;
      const content = raw.slice(indent).trimEnd();
      if (content === '##') break;
      if (content === '') {
        // A truly empty line inside a block carries nothing; QEMU skips it too.
        this.skipToLineEnd();
        continue;
      }
      if (content.startsWith('##')) {
        throw this.fail({ line, col: indent + 3 }, "unexpected text after '##'");
      }
      if (!content.startsWith('#')) {
        throw this.fail({ line, col: indent + 1 }, "doc comment line must start with '#' (close the block with '##')");
      }
      if (content.length > 1 && content[1] !== ' ') {
        throw this.fail({ line, col: indent + 2 }, "doc comment text must be separated from '#' by a space");
      }
      lines.push({ text: content.slice(2), line });
      this.skipToLineEnd();
    }
    this.skipToLineEnd();
    return {
      kind: 'doc',
      block: { file: this.file, line: start.line, col: start.col, lines },
      ...start,
    };
  }
}
