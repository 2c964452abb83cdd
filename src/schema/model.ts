// The in-memory model of a guest-agent schema. Both sources produce it: QEMU's QAPI files
// (read by src/schema/qapi/) and our shipped schema (schemas/qga.json, loaded by shipped.ts).
// Everything above this layer (validation, completion, help, the shell) reads only this.

/** A type reference as QAPI writes it: a type name, or a one-element array for a list. */
export type TypeRef = string | [string];

/** An `if` condition: a config symbol, or all/any/not of conditions. */
export type Condition =
  | string
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

/** Structured help for one definition, from a QAPI doc block or written by us. */
export interface Doc {
  /** First paragraph, one line where possible. */
  summary: string;
  /** Further overview paragraphs (may be empty). */
  body: string;
  /** Per-member (or per-enum-value, per-branch) text, keyed by member name without `*`. */
  members: Record<string, string>;
  returns?: string;
  errors?: string;
  since?: string;
  /** Notes: `.. note::` bodies, legacy `Note:`/`Notes:` sections, `TODO:`, our own tips. */
  notes: string[];
  /** Examples: `.. qmp-example::` bodies and legacy `Example:` sections, verbatim. */
  examples: string[];
  /** `Features:` section entries. */
  features: Record<string, string>;
}

export interface Member {
  /** Name without the leading `*`. */
  name: string;
  type: TypeRef;
  optional: boolean;
  if?: Condition;
  features?: string[];
  /** Version that added this member, where known (e.g. from "(since 2.3)"). */
  since?: string;
  /** Help text for this member. */
  doc?: string;
}

export interface EnumValue {
  name: string;
  if?: Condition;
  doc?: string;
}

export interface Branch {
  /** Discriminator value (union) or branch name (alternate). */
  name: string;
  type: TypeRef;
  if?: Condition;
  doc?: string;
}

interface DefinitionBase {
  name: string;
  if?: Condition;
  features?: string[];
  /** Version that added the definition (the `Since:` section). */
  since?: string;
  doc: Doc;
  /** Where it was defined: `file:line`. */
  source?: string;
}

export interface CommandDef extends DefinitionBase {
  kind: 'command';
  /** Inline argument members (empty when the command takes none). */
  args: Member[];
  /** When `data` names a type instead of listing members inline. */
  argsType?: string;
  boxed?: boolean;
  /** Absent means the agent answers `{}`. */
  returns?: TypeRef;
  /** False for commands that send no reply on success (guest-shutdown, guest-suspend-*). */
  successResponse: boolean;
  allowOob?: boolean;
}

export interface StructDef extends DefinitionBase {
  kind: 'struct';
  base?: string;
  members: Member[];
}

export interface EnumDef extends DefinitionBase {
  kind: 'enum';
  values: EnumValue[];
  prefix?: string;
}

export interface UnionDef extends DefinitionBase {
  kind: 'union';
  /** Inline base members, or the name of a struct used as base. */
  base: Member[] | string;
  discriminator: string;
  branches: Branch[];
}

export interface AlternateDef extends DefinitionBase {
  kind: 'alternate';
  branches: Branch[];
}

export interface EventDef extends DefinitionBase {
  kind: 'event';
  args: Member[];
  argsType?: string;
  boxed?: boolean;
}

export type Definition = CommandDef | StructDef | EnumDef | UnionDef | AlternateDef | EventDef;

/** A free-form doc block (headings, introductions) kept in file order. */
export interface FreeDoc {
  text: string;
  source?: string;
}

export interface Schema {
  /** Human-readable origin: a file path, or "shipped (QEMU 10.2)". */
  origin: string;
  /** QEMU version the schema describes, when known. */
  qemuVersion?: string;
  /** Definitions in file order. */
  definitions: Definition[];
  /** Pragmas as written (`doc-required`, `command-returns-exceptions`, ...). */
  pragmas: Record<string, unknown>;
  freeDocs: FreeDoc[];
}

/** The QAPI built-in types. */
export const BUILTIN_TYPES = [
  'str', 'number', 'int', 'int8', 'int16', 'int32', 'int64',
  'uint8', 'uint16', 'uint32', 'uint64', 'size', 'bool', 'null', 'any', 'QType',
] as const;

export function isBuiltin(name: string): boolean {
  return (BUILTIN_TYPES as readonly string[]).includes(name);
}

export function emptyDoc(): Doc {
  return { summary: '', body: '', members: {}, notes: [], examples: [], features: {} };
}

/** `['T']` -> 'T', 'T' -> 'T'. */
export function elementType(ref: TypeRef): string {
  return Array.isArray(ref) ? ref[0] : ref;
}

export function isList(ref: TypeRef): ref is [string] {
  return Array.isArray(ref);
}

export function formatType(ref: TypeRef): string {
  return Array.isArray(ref) ? `[${ref[0]}]` : ref;
}
