// Turns tokens into a list of top-level items: expressions (always objects) and doc blocks,
// in file order. Only syntax is checked here; what the keys mean is the checker's business.
import type { QEntry, QList, QNode, QObject, SourceItem } from './ast.js';
import { QapiSyntaxError } from './errors.js';
import { Lexer, type Token } from './lexer.js';

export function parseSource(text: string, file: string): SourceItem[] {
  return new Parser(text, file).parseFile();
}

function describeToken(token: Token): string {
  switch (token.kind) {
    case 'punct': return `'${token.value}'`;
    case 'string': return 'a string';
    case 'bool': return `'${token.value}'`;
    case 'doc': return "a '##' doc comment";
    case 'eof': return 'the end of the file';
  }
}

class Parser {
  private readonly lexer: Lexer;
  private readonly file: string;
  private token: Token;

  constructor(text: string, file: string) {
    this.file = file;
    this.lexer = new Lexer(text, file);
    this.token = this.lexer.next();
  }

  parseFile(): SourceItem[] {
    const items: SourceItem[] = [];
    for (;;) {
      const token = this.token;
      if (token.kind === 'eof') return items;
      if (token.kind === 'doc') {
        items.push({ kind: 'doc', block: token.block });
        this.advance();
      } else if (token.kind === 'punct' && token.value === '{') {
        items.push({ kind: 'expr', expr: this.parseObject() });
      } else {
        throw this.fail(token, `a top-level expression must be an object, found ${describeToken(token)}`);
      }
    }
  }

  private advance(): void {
    this.token = this.lexer.next();
  }

  private fail(at: Token, reason: string): QapiSyntaxError {
    return new QapiSyntaxError(this.file, at.line, at.col, reason);
  }

  private isPunct(value: string): boolean {
    return this.token.kind === 'punct' && this.token.value === value;
  }

  private parseValue(): QNode {
    const token = this.token;
    const pos = { file: this.file, line: token.line, col: token.col };
    switch (token.kind) {
      case 'string':
        this.advance();
        return { type: 'string', value: token.value, ...pos };
      case 'bool':
        this.advance();
        return { type: 'bool', value: token.value, ...pos };
      case 'punct':
        if (token.value === '{') return this.parseObject();
        if (token.value === '[') return this.parseList();
        break;
      case 'doc':
        throw this.fail(token, "a '##' doc comment may only appear between top-level expressions");
      case 'eof':
        break;
    }
    throw this.fail(token, `expected a value, found ${describeToken(token)}`);
  }

  private parseObject(): QObject {
    const open = this.token;
    const obj: QObject = { type: 'object', entries: [], file: this.file, line: open.line, col: open.col };
    this.advance();
    if (this.isPunct('}')) {
      this.advance();
      return obj;
    }
    for (;;) {
      obj.entries.push(this.parseEntry(obj));
      if (this.isPunct('}')) {
        this.advance();
        return obj;
      }
      if (!this.isPunct(',')) {
        throw this.fail(this.token, `expected ',' or '}', found ${describeToken(this.token)}`);
      }
      this.advance();
      if (this.isPunct('}')) throw this.fail(this.token, "expected a key after ','; trailing commas are not allowed");
    }
  }

  private parseEntry(obj: QObject): QEntry {
    const keyToken = this.token;
    if (keyToken.kind === 'doc') {
      throw this.fail(keyToken, "a '##' doc comment may only appear between top-level expressions");
    }
    if (keyToken.kind !== 'string') {
      throw this.fail(keyToken, `expected a string key, found ${describeToken(keyToken)}`);
    }
    if (obj.entries.some((e) => e.key === keyToken.value)) {
      throw this.fail(keyToken, `duplicate key '${keyToken.value}'`);
    }
    this.advance();
    if (!this.isPunct(':')) throw this.fail(this.token, `expected ':' after key '${keyToken.value}', found ${describeToken(this.token)}`);
    this.advance();
    const keyPos = { file: this.file, line: keyToken.line, col: keyToken.col };
    return { key: keyToken.value, keyPos, value: this.parseValue() };
  }

  private parseList(): QList {
    const open = this.token;
    const list: QList = { type: 'list', items: [], file: this.file, line: open.line, col: open.col };
    this.advance();
    if (this.isPunct(']')) {
      this.advance();
      return list;
    }
    for (;;) {
      list.items.push(this.parseValue());
      if (this.isPunct(']')) {
        this.advance();
        return list;
      }
      if (!this.isPunct(',')) {
        throw this.fail(this.token, `expected ',' or ']', found ${describeToken(this.token)}`);
      }
      this.advance();
      if (this.isPunct(']')) throw this.fail(this.token, "expected a value after ','; trailing commas are not allowed");
    }
  }
}
