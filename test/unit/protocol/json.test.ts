import { describe, expect, it } from 'vitest';
import { parseJson, stringifyJson } from '../../../src/protocol/json.js';

describe('lossless JSON', () => {
  it('keeps guest-get-time nanoseconds exact', () => {
    const text = '{"return": 1795603519181776123}';
    const value = parseJson(text) as { return: bigint };
    expect(value.return).toBe(1795603519181776123n);
    expect(stringifyJson(value)).toBe('{"return":1795603519181776123}');
  });

  it('keeps safe integers as numbers and floats as floats', () => {
    expect(parseJson('{"a": 9007199254740991, "b": 0.25, "c": -3}')).toEqual({ a: 9007199254740991, b: 0.25, c: -3 });
  });

  it('turns the first unsafe integer into BigInt, and negative ones too', () => {
    expect(parseJson('[9007199254740993, -9007199254740993, 18446744073709551615]')).toEqual([
      9007199254740993n, -9007199254740993n, 18446744073709551615n,
    ]);
  });

  it('does not mistake long digit runs inside strings for numbers', () => {
    expect(parseJson('{"s": "12345678901234567890", "n": 1}')).toEqual({ s: '12345678901234567890', n: 1 });
  });

  it('writes BigInt back digit for digit, also when pretty-printing', () => {
    expect(stringifyJson({ id: 18446744073709551615n, x: [1n] }, 2)).toBe('{\n  "id": 18446744073709551615,\n  "x": [\n    1\n  ]\n}');
  });

  it('rejects invalid JSON with a SyntaxError', () => {
    expect(() => parseJson('{"a": }')).toThrow(SyntaxError);
    expect(() => parseJson('{"a": 12345678901234567890,}')).toThrow();
  });
});
