// The one error type of the QAPI reader. Lexer, parser, doc parser and checker all throw it,
// so a caller can show `file:line:col: what went wrong` without knowing which stage failed.

export class QapiSyntaxError extends Error {
  readonly file: string;
  /** 1-based line of the offending text. */
  readonly line: number;
  /** 1-based column of the offending text. */
  readonly col: number;
  /** The message without the `file:line:col: ` prefix. */
  readonly reason: string;

  constructor(file: string, line: number, col: number, reason: string) {
    super(`${file}:${line}:${col}: ${reason}`);
    this.name = 'QapiSyntaxError';
    this.file = file;
    this.line = line;
    this.col = col;
    this.reason = reason;
  }
}

/** A place in a schema file, used to anchor error messages. */
export interface SourcePos {
  file: string;
  line: number;
  col: number;
}

export function errorAt(pos: SourcePos, reason: string): QapiSyntaxError {
  return new QapiSyntaxError(pos.file, pos.line, pos.col, reason);
}
