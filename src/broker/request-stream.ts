// Turns a client's byte stream into whole JSON values, as the guest agent does: tokens
// are collected until braces and brackets balance (or a scalar stands alone), then the
// collected tokens are parsed. Every failure becomes the agent's wording,
// "JSON parse error, ...", and starts the client afresh; nothing of it reaches the agent.
// Values are lossless: integers beyond 2^53 become BigInt.
import { isAscii } from 'node:buffer';
import type { JsonObject, JsonValue } from '../protocol/json.js';
import { RequestLexer, type Token } from './request-lexer.js';

export type StreamItem =
  | { kind: 'value'; value: JsonValue; bytes: number }
  | { kind: 'error'; desc: string };

/** The agent's limits on one message (the same numbers qemu-ga uses). */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
const MAX_TOKENS = 2 * 1024 * 1024;
const MAX_NESTING = 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Lenient = new TextDecoder('utf-8');

class ParseError extends Error {}

export class RequestStream {
  private readonly lexer = new RequestLexer();
  private tokens: Token[] = [];
  private braces = 0;
  private brackets = 0;
  private bytes = 0;

  /** Feeds bytes and returns the values and errors they completed, in order. */
  push(chunk: Buffer): StreamItem[] {
    const items: StreamItem[] = [];
    this.lexer.push(chunk, (token) => this.onToken(token, items));
    if (this.bytes + this.lexer.pendingBytes > MAX_MESSAGE_BYTES) {
      // One token alone is already too big: give up on it as the agent does.
      this.lexer.reset();
      this.fail(items, 'JSON token size limit exceeded');
    }
    return items;
  }

  private onToken(token: Token, items: StreamItem[]): void {
    if (token.type === 'error') {
      this.fail(items, `JSON parse error, stray '${utf8Lenient.decode(token.bytes)}'`);
      return;
    }
    if (token.type === '{') this.braces++;
    else if (token.type === '}') this.braces--;
    else if (token.type === '[') this.brackets++;
    else if (token.type === ']') this.brackets--;

    if (this.bytes + token.bytes.length > MAX_MESSAGE_BYTES) return this.fail(items, 'JSON token size limit exceeded');
    if (this.tokens.length + 1 > MAX_TOKENS) return this.fail(items, 'JSON token count limit exceeded');
    if (this.braces + this.brackets > MAX_NESTING) return this.fail(items, 'JSON nesting depth limit exceeded');

    this.tokens.push(token);
    this.bytes += token.bytes.length;
    if ((this.braces > 0 || this.brackets > 0) && this.braces >= 0 && this.brackets >= 0) return;

    const tokens = this.tokens;
    const bytes = this.bytes;
    this.clear();
    try {
      items.push({ kind: 'value', value: new TokenParser(tokens).parseMessage(), bytes });
    } catch (err) {
      if (!(err instanceof ParseError)) throw err;
      items.push({ kind: 'error', desc: `JSON parse error, ${err.message}` });
    }
  }

  private fail(items: StreamItem[], desc: string): void {
    this.clear();
    items.push({ kind: 'error', desc });
  }

  private clear(): void {
    this.tokens = [];
    this.braces = 0;
    this.brackets = 0;
    this.bytes = 0;
  }
}

/** A recursive-descent parser over one message's tokens, with the agent's error wording. */
class TokenParser {
  private pos = 0;
  private readonly tokens: Token[];

  constructor(tokens: Token[]) {
    this.tokens = tokens;
  }

  parseMessage(): JsonValue {
    return this.value();
  }

  private next(): Token | undefined {
    return this.tokens[this.pos++];
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private value(): JsonValue {
    const token = this.next();
    if (!token) throw new ParseError('expecting value');
    switch (token.type) {
      case '{': return this.object();
      case '[': return this.array();
      case 'string': return decodeString(token.bytes);
      case 'integer': return integer(token.bytes.toString('latin1'));
      case 'float': return Number(token.bytes.toString('latin1'));
      case 'keyword': {
        const word = token.bytes.toString('latin1');
        if (word === 'true') return true;
        if (word === 'false') return false;
        if (word === 'null') return null;
        throw new ParseError(`invalid keyword '${word}'`);
      }
      default:
        throw new ParseError('expecting value');
    }
  }

  private object(): JsonObject {
    const result: JsonObject = {};
    if (this.peek()?.type === '}') {
      this.pos++;
      return result;
    }
    for (;;) {
      // The agent parses a key as any value first, so `{bad}` is an invalid keyword.
      const name = this.value();
      if (typeof name !== 'string') throw new ParseError('key is not a string in object');
      if (this.next()?.type !== ':') throw new ParseError('missing : in object pair');
      const value = this.value();
      if (Object.hasOwn(result, name)) throw new ParseError('duplicate key');
      result[name] = value;
      const sep = this.next();
      if (sep?.type === '}') return result;
      if (sep?.type !== ',') throw new ParseError('expected separator in dict');
    }
  }

  private array(): JsonValue[] {
    const result: JsonValue[] = [];
    if (this.peek()?.type === ']') {
      this.pos++;
      return result;
    }
    for (;;) {
      result.push(this.value());
      const sep = this.next();
      if (sep?.type === ']') return result;
      if (sep?.type !== ',') throw new ParseError('expected separator in list');
    }
  }
}

function integer(text: string): number | bigint {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : BigInt(text);
}

/** A quoted string token (double or single quotes) to its value, with the agent's checks. */
function decodeString(bytes: Buffer): string {
  let text: string;
  if (isAscii(bytes)) {
    // Most strings (command names, paths, base64): nothing to check or decode.
    text = bytes.toString('latin1');
  } else {
    try {
      text = utf8.decode(bytes);
    } catch {
      throw new ParseError('invalid UTF-8 sequence in string');
    }
  }
  const end = text.length - 1; // the closing quote
  if (!text.includes('\\')) return text.slice(1, end);
  let out = '';
  for (let i = 1; i < end; i++) {
    const c = text[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = text[++i];
    switch (e) {
      case '"': case "'": case '\\': case '/': out += e; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        const escapeAt = i - 1;
        const unit = hexUnit(text, i + 1);
        i += 4;
        let codePoint = unit;
        let shown = text.slice(escapeAt, i + 1);
        if (unit >= 0xd800 && unit <= 0xdbff) {
          const low = text[i + 1] === '\\' && text[i + 2] === 'u' ? lowSurrogate(text, i + 3) : undefined;
          if (low === undefined) throw notUnicode(shown);
          codePoint = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
          shown = text.slice(escapeAt, i + 7);
          i += 6;
        } else if (unit >= 0xdc00 && unit <= 0xdfff) {
          throw notUnicode(shown);
        }
        if ((codePoint >= 0xfdd0 && codePoint <= 0xfdef) || (codePoint & 0xfffe) === 0xfffe) throw notUnicode(shown);
        out += String.fromCodePoint(codePoint);
        break;
      }
      default:
        throw new ParseError('invalid escape sequence in string');
    }
  }
  return out;
}

function notUnicode(escape: string): ParseError {
  return new ParseError(`${escape} is not a valid Unicode character`);
}

/** The four hex digits after \u at `at`; the agent shows up to four characters when they are not. */
function hexUnit(text: string, at: number): number {
  const digits = text.slice(at, at + 4);
  if (!/^[0-9a-fA-F]{4}$/.test(digits)) throw notUnicode(`\\u${digits}`);
  return parseInt(digits, 16);
}

function lowSurrogate(text: string, at: number): number | undefined {
  const digits = text.slice(at, at + 4);
  if (!/^[0-9a-fA-F]{4}$/.test(digits)) return undefined;
  const unit = parseInt(digits, 16);
  return unit >= 0xdc00 && unit <= 0xdfff ? unit : undefined;
}
