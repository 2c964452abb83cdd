// The argument form's model, generated from the schema: one field per member, nested
// for structs, one item field per list element. Pure functions: fields from a schema and
// list lengths; the arguments object from what was typed; the one-line key=value form back.
import { choicesFor, type Choice } from '../../completion/member-choices.js';
import { isSecretMember } from '../../schema/annotations.js';
import type { SchemaLookup } from '../../schema/lookup.js';
import { formatType, isBuiltin, isList, type Member, type TypeRef } from '../../schema/model.js';
import { INTEGER_RANGES } from '../../schema/type-words.js';
import { isJsonObject, parseJson, stringifyJson, type JsonObject, type JsonValue } from '../../protocol/json.js';

export type FieldKind = 'text' | 'choice' | 'list' | 'group';

export interface FormField {
  /** `path`, `arg[0]`, `vcpus[1].online`. */
  path: string;
  label: string;
  depth: number;
  kind: FieldKind;
  /** The member's type; for list items, the element type. */
  type: TypeRef;
  optional: boolean;
  help: string;
  secret: boolean;
  choices: readonly Choice[];
  /** A list element (removable). */
  item: boolean;
}

export interface FormValues {
  texts: Readonly<Record<string, string>>;
  /** Index into the field's choices; absent = unset. */
  picks: Readonly<Record<string, number>>;
  lists: Readonly<Record<string, number>>;
}

export const EMPTY_VALUES: FormValues = { texts: {}, picks: {}, lists: {} };

const MAX_DEPTH = 6;

/** The fields of a command's form for the given list lengths. */
export function buildFields(lookup: SchemaLookup, command: string, lists: Readonly<Record<string, number>>): FormField[] {
  const def = lookup.command(command);
  if (!def) return [];
  const out: FormField[] = [];
  addMembers(lookup, command, lookup.commandArgs(def), def.doc.members, '', 0, lists, out);
  return out;
}

function addMembers(lookup: SchemaLookup, command: string, members: readonly Member[], docs: Record<string, string>, prefix: string, depth: number, lists: Readonly<Record<string, number>>, out: FormField[]): void {
  for (const m of members) {
    const path = `${prefix}${m.name}`;
    addField(lookup, command, { path, label: m.name, type: m.type, optional: m.optional, help: m.doc ?? docs[m.name] ?? '', item: false, depth, secret: isSecretMember(command, path) }, lists, out);
  }
}

interface FieldSeed {
  path: string;
  label: string;
  type: TypeRef;
  optional: boolean;
  help: string;
  item: boolean;
  depth: number;
  secret: boolean;
}

function addField(lookup: SchemaLookup, command: string, seed: FieldSeed, lists: Readonly<Record<string, number>>, out: FormField[]): void {
  const base = { ...seed, choices: [] as Choice[] };
  if (isList(seed.type)) {
    out.push({ ...base, kind: 'list' });
    const n = lists[seed.path] ?? 0;
    for (let i = 0; i < n; i++) {
      addField(lookup, command, { path: `${seed.path}[${i}]`, label: `[${i}]`, type: seed.type[0], optional: false, help: '', item: true, depth: seed.depth + 1, secret: seed.secret }, lists, out);
    }
    return;
  }
  const choices = choicesFor(lookup, seed.type);
  const def = isBuiltin(seed.type) ? undefined : lookup.definition(seed.type);
  const alternateWithText = def?.kind === 'alternate' && def.branches.some((b) => choicesFor(lookup, b.type).length === 0);
  if (choices.length > 0 && !alternateWithText) {
    out.push({ ...base, kind: 'choice', choices });
    return;
  }
  if ((def?.kind === 'struct' || def?.kind === 'union') && seed.depth < MAX_DEPTH) {
    out.push({ ...base, kind: 'group' });
    addMembers(lookup, command, lookup.structMembers(seed.type), def.doc.members, `${seed.path}.`, seed.depth + 1, lists, out);
    return;
  }
  out.push({ ...base, kind: 'text' });
}

/** The type as the form shows it: `str`, `[str]`, `int`. */
export function fieldType(field: FormField): string {
  return formatType(field.type);
}

export interface FormResult {
  /** Undefined when no member has a value. */
  args: JsonObject | undefined;
  /** Problems by field path: bad values now, missing required ones too when `requireAll`. */
  errors: Record<string, string>;
}

/** Builds the arguments object from the form's values, and says what is wrong with them. */
export function formArgs(fields: readonly FormField[], values: FormValues, requireAll: boolean): FormResult {
  const errors: Record<string, string> = {};
  const roots = childrenOf(fields, '');
  const obj = buildObject(fields, roots, values, errors, requireAll);
  return { args: Object.keys(obj).length > 0 ? obj : undefined, errors };
}

/** Fields directly under `parentPath` ('' for the top level). */
function childrenOf(fields: readonly FormField[], parentPath: string): FormField[] {
  return fields.filter((f) => parentOf(f.path) === parentPath);
}

export function parentOf(path: string): string {
  const m = /^(.*)(?:\.[^.[\]]+|\[\d+\])$/.exec(path);
  return m ? m[1]! : '';
}

function buildObject(fields: readonly FormField[], members: FormField[], values: FormValues, errors: Record<string, string>, requireAll: boolean): JsonObject {
  const obj: JsonObject = {};
  for (const f of members) {
    const value = fieldValue(fields, f, values, errors, requireAll);
    if (value !== undefined) obj[f.label] = value;
    else if (!f.optional && requireAll && errors[f.path] === undefined) errors[f.path] = 'required';
  }
  return obj;
}

function fieldValue(fields: readonly FormField[], f: FormField, values: FormValues, errors: Record<string, string>, requireAll: boolean): JsonValue | undefined {
  switch (f.kind) {
    case 'text': {
      const text = values.texts[f.path] ?? '';
      if (text === '') {
        if (f.item && requireAll) errors[f.path] = 'empty item: fill it in or remove it (Ctrl+X)';
        return undefined;
      }
      const parsed = parseText(f.type, text);
      if ('error' in parsed) {
        errors[f.path] = parsed.error;
        return undefined;
      }
      return parsed.value;
    }
    case 'choice': {
      const pick = values.picks[f.path];
      return pick === undefined ? undefined : f.choices[pick]?.json;
    }
    case 'list': {
      const n = values.lists[f.path] ?? 0;
      if (n === 0) return undefined;
      const items = childrenOf(fields, f.path);
      const out: JsonValue[] = [];
      for (const item of items) {
        const v = fieldValue(fields, item, values, errors, requireAll);
        if (v !== undefined) out.push(v);
      }
      return out;
    }
    case 'group': {
      const obj = buildObject(fields, childrenOf(fields, f.path), values, errors, requireAll && (!f.optional || hasAnyValue(fields, f.path, values)));
      if (Object.keys(obj).length === 0) return f.item ? {} : undefined;
      return obj;
    }
  }
}

function hasAnyValue(fields: readonly FormField[], path: string, values: FormValues): boolean {
  return fields.some((f) => f.path.startsWith(`${path}.`) && ((values.texts[f.path] ?? '') !== '' || values.picks[f.path] !== undefined || (values.lists[f.path] ?? 0) > 0));
}

/** A typed text as the member's type: integers exact (BigInt past 2^53), strings as typed. */
export function parseText(type: TypeRef, text: string): { value: JsonValue } | { error: string } {
  if (Array.isArray(type)) return { error: 'a list' };
  const range = INTEGER_RANGES[type];
  if (range) {
    if (!/^-?\d+$/.test(text.trim())) return { error: 'not a whole number' };
    const n = BigInt(text.trim());
    if (n < range[0] || n > range[1]) return { error: `out of range for ${type} (${range[0]} to ${range[1]})` };
    const num = Number(n);
    return { value: Number.isSafeInteger(num) ? num : n };
  }
  if (type === 'number') {
    const n = Number(text);
    return Number.isFinite(n) && text.trim() !== '' ? { value: n } : { error: 'not a number' };
  }
  if (type === 'str' || type === 'QType') return { value: text };
  // any, alternates with free-form branches, unknown types: JSON when it parses, else the text.
  try {
    return { value: parseJson(text) };
  } catch {
    return { value: text };
  }
}

/** Form values that reproduce `args` (for opening a form from a typed line). */
export function valuesFromArgs(lookup: SchemaLookup, command: string, args: JsonObject | undefined): FormValues {
  const texts: Record<string, string> = {};
  const picks: Record<string, number> = {};
  const lists: Record<string, number> = {};
  const visit = (value: JsonValue, path: string): void => {
    if (Array.isArray(value)) {
      lists[path] = value.length;
      value.forEach((v, i) => visit(v, `${path}[${i}]`));
    } else if (isJsonObject(value)) {
      for (const [k, v] of Object.entries(value)) visit(v, `${path}.${k}`);
    } else {
      texts[path] = typeof value === 'string' ? value : stringifyJson(value);
    }
  };
  for (const [k, v] of Object.entries(args ?? {})) visit(v, k);
  // Choice fields: translate the text into a pick.
  for (const field of buildFields(lookup, command, lists)) {
    if (field.kind !== 'choice' || texts[field.path] === undefined) continue;
    const i = field.choices.findIndex((c) => String(c.json) === texts[field.path]);
    if (i >= 0) picks[field.path] = i;
    delete texts[field.path];
  }
  return { texts, picks, lists };
}

/** The one-line key=value form of a call, secrets left out. */
export function callLine(command: string, args: JsonObject | undefined): string {
  const words = [command];
  for (const [key, value] of Object.entries(args ?? {})) {
    if (isSecretMember(command, key)) continue;
    words.push(`${key}=${quoteValue(value)}`);
  }
  return words.join(' ');
}

function quoteValue(value: JsonValue): string {
  const text = typeof value === 'string' ? value : stringifyJson(value);
  if (text !== '' && /^[A-Za-z0-9_@%+,./:=-]+$/.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
