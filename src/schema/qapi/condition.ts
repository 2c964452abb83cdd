// Reads `if` conditions. The current form is a config symbol or nested {all}/{any}/{not}
// objects. QEMU 6.1 and older wrote C preprocessor text instead ('defined(CONFIG_X)',
// possibly joined with && and ||), and a list of such strings meaning "all of them".
// Both old forms are translated into the current one.
import type { Condition } from '../model.js';
import { describeNode, type QNode, type QString } from './ast.js';
import { errorAt, type QapiSyntaxError } from './errors.js';

const SYMBOL = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CONDITION_KEYS = ['all', 'any', 'not'];

export function readCondition(node: QNode): Condition {
  switch (node.type) {
    case 'string':
      return readConditionString(node);
    case 'list':
      // The pre-6.2 list form: every element must hold.
      if (node.items.length === 0) throw errorAt(node, "an 'if' list must not be empty");
      return combine('all', node.items.map(readCondition));
    case 'object':
      return readConditionObject(node);
    case 'bool':
      throw errorAt(node, `an 'if' condition must be a string, a list or an object, not ${describeNode(node)}`);
  }
}

function readConditionObject(node: QNode & { type: 'object' }): Condition {
  const [entry, extra] = node.entries;
  if (!entry) throw errorAt(node, "an 'if' object needs exactly one of 'all', 'any' or 'not'");
  if (!CONDITION_KEYS.includes(entry.key)) {
    throw errorAt(entry.keyPos, `unknown key '${entry.key}' in 'if' condition (expected 'all', 'any' or 'not')`);
  }
  if (extra) {
    throw errorAt(extra.keyPos, `an 'if' object needs exactly one of 'all', 'any' or 'not', but also has '${extra.key}'`);
  }
  if (entry.key === 'not') return { not: readCondition(entry.value) };
  const value = entry.value;
  if (value.type !== 'list') {
    throw errorAt(value, `'${entry.key}' in an 'if' condition needs a list, not ${describeNode(value)}`);
  }
  if (value.items.length === 0) throw errorAt(value, `'${entry.key}' in an 'if' condition needs at least one condition`);
  const parts = value.items.map(readCondition);
  return entry.key === 'all' ? { all: parts } : { any: parts };
}

function readConditionString(node: QString): Condition {
  const text = node.value;
  if (SYMBOL.test(text)) return text;
  if (/defined|[!&|()]/.test(text)) return new PreprocessorCondition(node).parse();
  throw errorAt(node, `invalid 'if' condition '${text}': expected a config symbol such as CONFIG_LINUX`);
}

/** Builds all/any, flattening nested ones of the same kind and unwrapping single items. */
function combine(op: 'all' | 'any', parts: Condition[]): Condition {
  const flat: Condition[] = [];
  for (const part of parts) {
    if (typeof part === 'object' && op in part) flat.push(...(part as Record<string, Condition[]>)[op]!);
    else flat.push(part);
  }
  if (flat.length === 1) return flat[0]!;
  return op === 'all' ? { all: flat } : { any: flat };
}

/** A tiny recursive-descent reader for `defined(X) && !defined(Y) || (...)`. */
class PreprocessorCondition {
  private readonly node: QString;
  private readonly tokens: { text: string; offset: number }[] = [];
  private index = 0;

  constructor(node: QString) {
    this.node = node;
    const pattern = /\s*(defined|[A-Za-z_][A-Za-z0-9_]*|&&|\|\||[!()]|\S)/gy;
    let match: RegExpExecArray | null;
    while ((match = pattern.exec(node.value)) !== null) {
      const text = match[1] ?? '';
      this.tokens.push({ text, offset: match.index + match[0].length - text.length });
    }
  }

  parse(): Condition {
    const result = this.parseOr();
    const extra = this.tokens[this.index];
    if (extra) throw this.fail(`unexpected '${extra.text}'`, extra.offset);
    return result;
  }

  private fail(detail: string, offset: number): QapiSyntaxError {
    // The column points into the string: one past the opening quote, plus the offset.
    const pos = { file: this.node.file, line: this.node.line, col: this.node.col + 1 + offset };
    return errorAt(pos, `cannot read the old-style 'if' condition '${this.node.value}': ${detail}`);
  }

  private peek(): string | undefined {
    return this.tokens[this.index]?.text;
  }

  private take(expected?: string): string {
    const token = this.tokens[this.index];
    if (!token) throw this.fail(expected ? `expected '${expected}' at the end` : 'unexpected end', this.node.value.length);
    if (expected !== undefined && token.text !== expected) {
      throw this.fail(`expected '${expected}', found '${token.text}'`, token.offset);
    }
    this.index++;
    return token.text;
  }

  private parseOr(): Condition {
    const parts = [this.parseAnd()];
    while (this.peek() === '||') {
      this.index++;
      parts.push(this.parseAnd());
    }
    return combine('any', parts);
  }

  private parseAnd(): Condition {
    const parts = [this.parseUnary()];
    while (this.peek() === '&&') {
      this.index++;
      parts.push(this.parseUnary());
    }
    return combine('all', parts);
  }

  private parseUnary(): Condition {
    if (this.peek() === '!') {
      this.index++;
      return { not: this.parseUnary() };
    }
    if (this.peek() === '(') {
      this.index++;
      const inner = this.parseOr();
      this.take(')');
      return inner;
    }
    const offset = this.tokens[this.index]?.offset ?? this.node.value.length;
    const word = this.take();
    if (word === 'defined') {
      const parenthesized = this.peek() === '(';
      if (parenthesized) this.index++;
      const symbolOffset = this.tokens[this.index]?.offset ?? this.node.value.length;
      const symbol = this.take();
      if (!SYMBOL.test(symbol) || symbol === 'defined') throw this.fail(`expected a config symbol, found '${symbol}'`, symbolOffset);
      if (parenthesized) this.take(')');
      return symbol;
    }
    if (!SYMBOL.test(word)) throw this.fail(`unexpected '${word}'`, offset);
    return word;
  }
}
