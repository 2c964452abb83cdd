// Pretty, coloured JSON as styled lines: keys, strings, numbers (BigInt digit for digit),
// literals and punctuation each with their role. Members the schema marks as base64 can be
// shown decoded, with the raw string one toggle away.
import type { JsonValue } from '../../protocol/json.js';
import { decodeBase64View } from './base64-view.js';
import { seg, wrapLine, type Line, type Segment } from './styled-line.js';

export type JsonPath = readonly (string | number)[];

export interface JsonLinesOptions {
  /** True for string members to show decoded from base64. */
  isBase64?: (path: JsonPath) => boolean;
  /** Show base64 members raw instead of decoded. */
  raw?: boolean;
  /**
   * Stop after this many lines (plus one, so the caller can tell there is more), and cut
   * strings longer than `maxLines * 256` characters: a 48 MiB file read must not be laid
   * out whole to show its first screen.
   */
  maxLines?: number;
}

/** Logical (unwrapped) lines of a value, indented two spaces per level from `indent`. */
export function jsonLines(value: JsonValue, options: JsonLinesOptions = {}, indent = ''): Line[] {
  const out: Line[] = [];
  emit(value, [], indent, [], '', out, options);
  return out;
}

/** jsonLines wrapped to `width`, continuation lines indented under their line. */
export function jsonBlock(value: JsonValue, width: number, options: JsonLinesOptions = {}, indent = ''): Line[] {
  return jsonLines(value, options, indent).flatMap((line) => wrapLine(line, width, leadingSpaces(line) + 2));
}

function full(out: Line[], options: JsonLinesOptions): boolean {
  return options.maxLines !== undefined && out.length > options.maxLines;
}

function emit(value: JsonValue, path: (string | number)[], indent: string, head: Segment[], tail: string, out: Line[], options: JsonLinesOptions): void {
  if (full(out, options)) return;
  const comma: Segment[] = tail ? [seg(tail, 'json-punct')] : [];
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push([seg(indent), ...head, seg('[]', 'json-punct'), ...comma]);
      return;
    }
    out.push([seg(indent), ...head, seg('[', 'json-punct')]);
    value.forEach((item, i) => emit(item, [...path, i], `${indent}  `, [], i < value.length - 1 ? ',' : '', out, options));
    out.push([seg(indent), seg(']', 'json-punct'), ...comma]);
    return;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) {
      out.push([seg(indent), ...head, seg('{}', 'json-punct'), ...comma]);
      return;
    }
    out.push([seg(indent), ...head, seg('{', 'json-punct')]);
    entries.forEach(([key, item], i) => {
      const keyHead = [seg(JSON.stringify(key), 'json-key'), seg(': ', 'json-punct')];
      emit(item, [...path, key], `${indent}  `, keyHead, i < entries.length - 1 ? ',' : '', out, options);
    });
    out.push([seg(indent), seg('}', 'json-punct'), ...comma]);
    return;
  }
  if (typeof value === 'string' && !options.raw && options.isBase64?.(path)) {
    const view = decodeBase64View(value, indent, options.maxLines);
    out.push([seg(indent), ...head, seg(`‹${view.summary}›`, 'decoded'), ...comma]);
    for (const line of view.lines) {
      if (full(out, options)) return;
      out.push(line);
    }
    return;
  }
  out.push([seg(indent), ...head, scalar(value, options), ...comma]);
}

function scalar(value: JsonValue, options: JsonLinesOptions): Segment {
  if (typeof value === 'string') {
    const limit = options.maxLines === undefined ? Infinity : options.maxLines * 256;
    if (value.length > limit) return seg(`${JSON.stringify(value.slice(0, limit)).slice(0, -1)}… (${value.length - limit} more characters)"`, 'json-string');
    return seg(JSON.stringify(value), 'json-string');
  }
  if (typeof value === 'number' || typeof value === 'bigint') return seg(String(value), 'json-number');
  return seg(String(value), 'json-literal');
}

function leadingSpaces(line: Line): number {
  const text = line[0]?.text ?? '';
  return text.length - text.trimStart().length;
}
