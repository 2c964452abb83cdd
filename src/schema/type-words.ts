// Types and values in words, for error messages and help: "an integer from 0 to 255",
// "one of set, cur, end", "the string \"ten\"". Validation and `describe` share these so
// that help and errors say the same thing.
import type { JsonValue } from '../protocol/json.js';
import type { SchemaLookup } from './lookup.js';
import { formatType, isList, type TypeRef } from './model.js';

/** Inclusive bounds of the QAPI integer types. */
export const INTEGER_RANGES: Readonly<Record<string, readonly [bigint, bigint]>> = {
  int: [-(2n ** 63n), 2n ** 63n - 1n],
  int8: [-128n, 127n],
  int16: [-32768n, 32767n],
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint8: [0n, 255n],
  uint16: [0n, 65535n],
  uint32: [0n, 2n ** 32n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
  size: [0n, 2n ** 64n - 1n],
};

export function isIntegerType(name: string): boolean {
  return Object.hasOwn(INTEGER_RANGES, name);
}

/** The values QAPI's built-in QType enum allows. */
export const QTYPE_VALUES = ['none', 'qnull', 'qnum', 'qstring', 'qdict', 'qlist', 'qbool'];

/** Which JSON kind a value is, in QAPI's terms (what an alternate dispatches on). */
export type JsonKind = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';

export function jsonKindOf(value: JsonValue): JsonKind {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'bigint') return 'number';
  return typeof value as 'string' | 'number' | 'boolean' | 'object';
}

/** The JSON kind a type accepts, or undefined for `any` and unknown names. */
export function jsonKindOfType(lookup: SchemaLookup, ref: TypeRef): JsonKind | undefined {
  if (isList(ref)) return 'array';
  if (ref === 'str' || ref === 'QType') return 'string';
  if (ref === 'bool') return 'boolean';
  if (ref === 'number' || isIntegerType(ref)) return 'number';
  if (ref === 'null') return 'null';
  const def = lookup.definition(ref);
  if (def?.kind === 'enum') return 'string';
  if (def?.kind === 'struct' || def?.kind === 'union') return 'object';
  return undefined;
}

/**
 * What a type accepts, without the type name: "a string", "an integer from 0 to 255",
 * "one of set, cur, end", "true/false or one of none, stdout (...)".
 */
export function expectedWords(lookup: SchemaLookup, ref: TypeRef): string {
  if (isList(ref)) return 'a list';
  const range = INTEGER_RANGES[ref];
  if (range) return ref === 'int' || ref === 'int64' ? 'an integer' : `an integer from ${range[0]} to ${range[1]}`;
  switch (ref) {
    case 'str':
      return 'a string';
    case 'bool':
      return 'true or false';
    case 'number':
      return 'a number';
    case 'null':
      return 'null';
    case 'any':
      return 'any JSON value';
    case 'QType':
      return `one of ${QTYPE_VALUES.join(', ')}`;
  }
  const def = lookup.definition(ref);
  switch (def?.kind) {
    case 'enum':
      return `one of ${def.values.map((v) => v.name).join(', ')}`;
    case 'struct':
    case 'union':
      return 'an object';
    case 'alternate':
      return def.branches.map((b) => (b.type === 'bool' ? 'true/false' : expectedWords(lookup, b.type))).join(' or ');
    default:
      return 'a value';
  }
}

/** "an integer (int)", "one of set, cur, end (QGASeek)", "a list ([str])". */
export function expectedText(lookup: SchemaLookup, ref: TypeRef): string {
  return `${expectedWords(lookup, ref)} (${formatType(ref)})`;
}

const MAX_SHOWN = 40;

/** Only the kind of a value: "a string", "a number", "true", "null", "a list", "an object". */
export function givenKind(value: JsonValue): string {
  switch (jsonKindOf(value)) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'null':
      return 'null';
    case 'array':
      return 'a list';
    case 'object':
      return 'an object';
  }
}

/** What the user gave, in words: `the string "ten"`, `the number 1.5`, `true`, `a list`. */
export function givenText(value: JsonValue): string {
  switch (jsonKindOf(value)) {
    case 'string': {
      const text = value as string;
      const shown = text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
      return `the string ${JSON.stringify(shown)}`;
    }
    case 'number':
      return `the number ${String(value)}`;
    case 'boolean':
      return String(value);
    case 'null':
      return 'null';
    case 'array':
      return (value as JsonValue[]).length === 0 ? 'an empty list' : 'a list';
    case 'object':
      return 'an object';
  }
}
