// Lossless JSON. The agent sends integers beyond 2^53 (guest-get-time's nanoseconds,
// disk sizes, counters) that JSON.parse would silently round. Integers that are not safe
// become BigInt on the way in and are written back digit for digit on the way out.
//
// Fast path: a text with no run of 16 or more digits cannot hold an unsafe integer
// (2^53 has 16 digits), so it goes through the native JSON.parse. Only texts that might
// hold one pay for lossless-json's parser.
import { isInteger, parse as losslessParse, stringify as losslessStringify } from 'lossless-json';

export type JsonValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };

export type JsonObject = { [key: string]: JsonValue };

const LONG_DIGIT_RUN = /\d{16,}/;

function parseNumber(text: string): number | bigint {
  if (isInteger(text)) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : BigInt(text);
  }
  return Number(text);
}

/** Parses JSON text, keeping integers beyond 2^53 exact as BigInt. Throws SyntaxError. */
export function parseJson(text: string): JsonValue {
  if (!LONG_DIGIT_RUN.test(text)) return JSON.parse(text) as JsonValue;
  return losslessParse(text, null, parseNumber) as JsonValue;
}

/** Serializes a value, writing BigInt as plain JSON integers. `space` as in JSON.stringify. */
export function stringifyJson(value: unknown, space?: number): string {
  try {
    return JSON.stringify(value, null, space);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    // A BigInt somewhere in the value: native JSON refuses it.
    return losslessStringify(value, null, space) ?? 'null';
  }
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
