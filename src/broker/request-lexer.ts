// Splits a client's byte stream into JSON tokens the way the guest agent's own lexer
// does, so that a client talking to the broker meets the same rules as one talking to
// qemu-ga directly (measured against qemu-ga 7.2):
// - no newline is needed and writes may be split or joined anywhere;
// - strings may be in double or single quotes; keywords are runs of a-z;
// - a byte that cannot start or continue a token (a 0xFF flush byte, '@', a control
//   character inside a string) ends the current token as an error, and the lexer then
//   skips input until a structural character, a control character other than tab, or
//   0xFE/0xFF, where it starts afresh. That is how a client's 0xFF resets its parser.
// Bytes are handled as bytes: UTF-8 is checked later, when a string is decoded.

export type TokenType = '{' | '}' | '[' | ']' | ':' | ',' | 'string' | 'integer' | 'float' | 'keyword' | 'error';

export interface Token {
  type: TokenType;
  /** The token's bytes as received (quotes included for strings). */
  bytes: Buffer;
}

type State =
  | 'start' | 'recover'
  | 'dq' | 'dq-escape' | 'sq' | 'sq-escape'
  | 'zero' | 'sign' | 'int' | 'frac-start' | 'frac' | 'exp-start' | 'exp-sign' | 'exp'
  | 'word';

const QUOTE = 0x22;
const APOSTROPHE = 0x27;
const BACKSLASH = 0x5c;
const TAB = 0x09;

function isDigit(b: number): boolean {
  return b >= 0x30 && b <= 0x39;
}

function isLower(b: number): boolean {
  return b >= 0x61 && b <= 0x7a;
}

/** One shared token per structural character: they carry no bytes worth keeping apart. */
const STRUCTURAL_TOKENS: Record<string, Token> = Object.fromEntries(
  ['{', '}', '[', ']', ':', ','].map((type) => [type, Object.freeze({ type: type as TokenType, bytes: Buffer.from(type, 'latin1') })]),
);

function structural(b: number): TokenType | undefined {
  switch (b) {
    case 0x7b: return '{';
    case 0x7d: return '}';
    case 0x5b: return '[';
    case 0x5d: return ']';
    case 0x3a: return ':';
    case 0x2c: return ',';
    default: return undefined;
  }
}

/** Where error recovery stops: structure, line ends and other controls, 0xFE/0xFF. */
function endsRecovery(b: number): boolean {
  return (b < 0x20 && b !== TAB) || b >= 0xfe || structural(b) !== undefined;
}

/** Bytes allowed inside a quoted string (the quote and backslash are handled first). */
function stringByte(b: number): boolean {
  return b >= 0x20 && b <= 0xfd;
}

export class RequestLexer {
  private state: State = 'start';
  /** Bytes of the current token from earlier chunks. */
  private parts: Buffer[] = [];
  private partBytes = 0;

  /** Bytes of the token being read (for size limits upstream). */
  get pendingBytes(): number {
    return this.partBytes;
  }

  /** Feeds bytes; `emit` is called for each finished token, in order. */
  push(chunk: Buffer, emit: (token: Token) => void): void {
    let start = 0; // where the current token began in this chunk
    let i = 0;
    const n = chunk.length;
    const finish = (type: TokenType, end: number): void => {
      emit({ type, bytes: this.take(chunk, start, end) });
    };
    while (i < n) {
      const b = chunk[i]!;
      switch (this.state) {
        case 'start': {
          start = i;
          const s = structural(b);
          if (s) {
            i++;
            emit(STRUCTURAL_TOKENS[s]!);
          } else if (b === 0x20 || b === TAB || b === 0x0a || b === 0x0d) {
            i++;
          } else if (b === QUOTE) {
            this.state = 'dq';
            i++;
          } else if (b === APOSTROPHE) {
            this.state = 'sq';
            i++;
          } else if (b === 0x30) {
            this.state = 'zero';
            i++;
          } else if (isDigit(b)) {
            this.state = 'int';
            i++;
          } else if (b === 0x2d) {
            this.state = 'sign';
            i++;
          } else if (isLower(b)) {
            this.state = 'word';
            i++;
          } else {
            i++;
            this.fail(finish, i);
          }
          break;
        }
        case 'recover':
          if (endsRecovery(b)) this.state = 'start';
          else i++;
          break;
        case 'dq':
        case 'sq': {
          // The hot loop for long strings (base64 file data): scan without a state switch.
          const close = this.state === 'dq' ? QUOTE : APOSTROPHE;
          while (i < n) {
            const c = chunk[i]!;
            if (c === close || c === BACKSLASH || !stringByte(c)) break;
            i++;
          }
          if (i === n) break;
          const c = chunk[i]!;
          i++;
          if (c === close) {
            this.state = 'start';
            finish('string', i);
          } else if (c === BACKSLASH) {
            this.state = this.state === 'dq' ? 'dq-escape' : 'sq-escape';
          } else {
            this.fail(finish, i);
          }
          break;
        }
        case 'dq-escape':
        case 'sq-escape':
          i++;
          if (stringByte(b)) this.state = this.state === 'dq-escape' ? 'dq' : 'sq';
          else this.fail(finish, i);
          break;
        case 'zero':
          if (b === 0x2e) {
            this.state = 'frac-start';
            i++;
          } else if (isDigit(b)) {
            i++;
            this.fail(finish, i);
          } else {
            this.state = 'start';
            finish('integer', i);
          }
          break;
        case 'sign':
          i++;
          if (b === 0x30) this.state = 'zero';
          else if (isDigit(b)) this.state = 'int';
          else this.fail(finish, i);
          break;
        case 'int':
          if (isDigit(b)) {
            i++;
          } else if (b === 0x2e) {
            this.state = 'frac-start';
            i++;
          } else if (b === 0x65 || b === 0x45) {
            this.state = 'exp-start';
            i++;
          } else {
            this.state = 'start';
            finish('integer', i);
          }
          break;
        case 'frac-start':
          i++;
          if (isDigit(b)) this.state = 'frac';
          else this.fail(finish, i);
          break;
        case 'frac':
          if (isDigit(b)) {
            i++;
          } else if (b === 0x65 || b === 0x45) {
            this.state = 'exp-start';
            i++;
          } else {
            this.state = 'start';
            finish('float', i);
          }
          break;
        case 'exp-start':
          i++;
          if (b === 0x2b || b === 0x2d) this.state = 'exp-sign';
          else if (isDigit(b)) this.state = 'exp';
          else this.fail(finish, i);
          break;
        case 'exp-sign':
          i++;
          if (isDigit(b)) this.state = 'exp';
          else this.fail(finish, i);
          break;
        case 'exp':
          if (isDigit(b)) {
            i++;
          } else {
            this.state = 'start';
            finish('float', i);
          }
          break;
        case 'word':
          if (isLower(b)) {
            i++;
          } else {
            this.state = 'start';
            finish('keyword', i);
          }
          break;
      }
    }
    // Keep the unfinished token's bytes for the next chunk.
    if (this.state !== 'start' && this.state !== 'recover' && start < n) {
      const rest = chunk.subarray(start);
      this.parts.push(rest);
      this.partBytes += rest.length;
    }
  }

  /** Drops an unfinished token (the client went away). */
  reset(): void {
    this.state = 'start';
    this.parts = [];
    this.partBytes = 0;
  }

  private fail(finish: (type: TokenType, end: number) => void, end: number): void {
    this.state = 'recover';
    finish('error', end);
  }

  private take(chunk: Buffer, start: number, end: number): Buffer {
    const here = chunk.subarray(start, end);
    if (this.parts.length === 0) return here;
    const bytes = Buffer.concat([...this.parts, here]);
    this.parts = [];
    this.partBytes = 0;
    return bytes;
  }
}
