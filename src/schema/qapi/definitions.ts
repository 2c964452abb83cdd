// Builds one model definition from one top-level expression, checking the keys each kind
// allows and the shape of every value. Cross-definition checks (type references, union
// discriminators) happen later in references.ts, using the positions recorded here.
import {
  emptyDoc,
  type AlternateDef, type Branch, type CommandDef, type Definition, type EnumDef, type EnumValue,
  type EventDef, type Member, type StructDef, type UnionDef,
} from '../model.js';
import { findEntry, posOf, type QEntry, type QObject } from './ast.js';
import { errorAt, type SourcePos } from './errors.js';
import {
  checkKeys, checkName, expectBool, expectList, expectObject, expectString, optionalCondition,
  readFeatures, readMembers, readTypeRef, type TypeUse,
} from './node-readers.js';

export type DefinitionKind = Definition['kind'];

/** Keys each kind accepts. `type` is the pre-2.4 spelling of `struct`. */
const KIND_KEYS: Record<DefinitionKind | 'type', readonly string[]> = {
  command: ['command', 'data', 'returns', 'if', 'success-response', 'boxed', 'allow-oob',
    'allow-preconfig', 'coroutine', 'gen', 'features'],
  event: ['event', 'data', 'boxed', 'if', 'features'],
  struct: ['struct', 'data', 'base', 'if', 'features'],
  type: ['type', 'data', 'base', 'if', 'features'],
  enum: ['enum', 'data', 'prefix', 'if', 'features'],
  union: ['union', 'base', 'discriminator', 'data', 'if', 'features'],
  alternate: ['alternate', 'data', 'if', 'features'],
};

export const DIRECTIVES = ['include', 'pragma'] as const;
export type Directive = (typeof DIRECTIVES)[number];
const ALL_KINDS: readonly string[] = [...DIRECTIVES, ...Object.keys(KIND_KEYS)];

/** Positions and type uses gathered while a definition is built. */
interface BuildRecord {
  pos: SourcePos;
  namePos: SourcePos;
  uses: TypeUse[];
  /** Position of a named base (struct or union). */
  basePos?: SourcePos;
  /** Position of `data` when a command or event names a type instead of listing members. */
  argsTypePos?: SourcePos;
  /** Position of the union discriminator value. */
  discriminatorPos?: SourcePos;
  /** Position of each branch name, and of each branch's type (union and alternate). */
  branchPos: Map<string, SourcePos>;
  branchTypePos: Map<string, SourcePos>;
}

/** What the reference checker needs to know about a definition besides the model. */
export interface BuiltDefinition extends BuildRecord {
  def: Definition;
}

const BUILDERS: Record<DefinitionKind, (ctx: BuildContext) => Definition> = {
  command: (ctx) => buildCommand(ctx),
  event: (ctx) => buildEvent(ctx),
  struct: (ctx) => buildStruct(ctx),
  enum: (ctx) => buildEnum(ctx),
  union: (ctx) => buildUnion(ctx),
  alternate: (ctx) => buildAlternate(ctx),
};

/** Finds the single kind key of an expression ("struct", "pragma", ...). */
export function expressionKind(expr: QObject): DefinitionKind | Directive | 'type' {
  const kinds = expr.entries.filter((e) => ALL_KINDS.includes(e.key));
  const [first, second] = kinds;
  if (!first) {
    const key = expr.entries[0];
    if (!key) throw errorAt(expr, 'empty expression: expected a kind key such as \'struct\' or \'command\'');
    throw errorAt(key.keyPos, `unknown expression kind '${key.key}' (expected one of ${ALL_KINDS.filter((k) => k !== 'type').join(', ')})`);
  }
  if (second) throw errorAt(second.keyPos, `expression has both '${first.key}' and '${second.key}'; only one kind key is allowed`);
  return first.key as DefinitionKind | Directive | 'type';
}

export function buildDefinition(expr: QObject, kind: DefinitionKind | 'type'): BuiltDefinition {
  const nameEntry = findEntry(expr, kind)!;
  const nameNode = expectString(nameEntry.value, `the name in a '${kind}' expression`);
  const name = nameNode.value;
  const modelKind: DefinitionKind = kind === 'type' ? 'struct' : kind;
  const label = `${modelKind} '${name}'`;
  checkName(name, 'definition', nameNode, `a ${modelKind}`);
  checkKeys(expr, KIND_KEYS[kind], label);
  const record: BuildRecord = {
    pos: posOf(expr),
    namePos: posOf(nameNode),
    uses: [],
    branchPos: new Map(),
    branchTypePos: new Map(),
  };
  const def = BUILDERS[modelKind]({ expr, name, label, built: record });
  const condition = optionalCondition(expr);
  if (condition !== undefined) def.if = condition;
  const features = findEntry(expr, 'features');
  if (features) def.features = readFeatures(features.value, label);
  def.source = `${expr.file}:${expr.line}`;
  return { ...record, def };
}

interface BuildContext {
  expr: QObject;
  name: string;
  label: string;
  built: BuildRecord;
}

function required(ctx: BuildContext, key: string): QEntry {
  const entry = findEntry(ctx.expr, key);
  if (!entry) throw errorAt(ctx.expr, `${ctx.label} is missing required key '${key}'`);
  return entry;
}

function optionalBool(ctx: BuildContext, key: string): boolean | undefined {
  const entry = findEntry(ctx.expr, key);
  return entry ? expectBool(entry.value, `'${key}' of ${ctx.label}`) : undefined;
}

/** `data` of a command or event: absent, inline members, or the name of a struct. */
function readArguments(ctx: BuildContext): { args: Member[]; argsType?: string } {
  const entry = findEntry(ctx.expr, 'data');
  if (!entry) return { args: [] };
  if (entry.value.type === 'string') {
    readTypeRef(entry.value, `the arguments of ${ctx.label}`, ctx.built.uses);
    ctx.built.argsTypePos = posOf(entry.value);
    return { args: [], argsType: entry.value.value };
  }
  const obj = expectObject(entry.value, `'data' of ${ctx.label} (members or a type name)`);
  return { args: readMembers(obj, ctx.label, ctx.built.uses) };
}

function checkBoxed(ctx: BuildContext, boxed: boolean | undefined, argsType: string | undefined): void {
  if (boxed && argsType === undefined) {
    throw errorAt(findEntry(ctx.expr, 'boxed')!.value, `'boxed': true in ${ctx.label} needs 'data' to be a type name`);
  }
}

/** `success-response` is a boolean; schemas from the 1.x era wrote 'no'. */
function readSuccessResponse(ctx: BuildContext): boolean {
  const entry = findEntry(ctx.expr, 'success-response');
  if (!entry) return true;
  const value = entry.value;
  if (value.type === 'string' && (value.value === 'no' || value.value === 'yes')) return value.value === 'yes';
  return expectBool(value, `'success-response' of ${ctx.label}`);
}

function buildCommand(ctx: BuildContext): CommandDef {
  const { args, argsType } = readArguments(ctx);
  const def: CommandDef = { kind: 'command', name: ctx.name, doc: emptyDoc(), args, successResponse: true };
  if (argsType !== undefined) def.argsType = argsType;
  const returns = findEntry(ctx.expr, 'returns');
  if (returns) def.returns = readTypeRef(returns.value, `the return value of ${ctx.label}`, ctx.built.uses);
  def.successResponse = readSuccessResponse(ctx);
  const boxed = optionalBool(ctx, 'boxed');
  checkBoxed(ctx, boxed, argsType);
  if (boxed !== undefined) def.boxed = boxed;
  const allowOob = optionalBool(ctx, 'allow-oob');
  if (allowOob !== undefined) def.allowOob = allowOob;
  for (const key of ['allow-preconfig', 'coroutine', 'gen']) optionalBool(ctx, key);
  return def;
}

function buildEvent(ctx: BuildContext): EventDef {
  const { args, argsType } = readArguments(ctx);
  const def: EventDef = { kind: 'event', name: ctx.name, doc: emptyDoc(), args };
  if (argsType !== undefined) def.argsType = argsType;
  const boxed = optionalBool(ctx, 'boxed');
  checkBoxed(ctx, boxed, argsType);
  if (boxed !== undefined) def.boxed = boxed;
  return def;
}

function buildStruct(ctx: BuildContext): StructDef {
  const data = expectObject(required(ctx, 'data').value, `'data' of ${ctx.label}`);
  const def: StructDef = {
    kind: 'struct', name: ctx.name, doc: emptyDoc(),
    members: readMembers(data, ctx.label, ctx.built.uses),
  };
  const base = findEntry(ctx.expr, 'base');
  if (base) {
    const baseName = expectString(base.value, `'base' of ${ctx.label}`);
    readTypeRef(baseName, `the base of ${ctx.label}`, ctx.built.uses);
    ctx.built.basePos = posOf(baseName);
    def.base = baseName.value;
  }
  return def;
}

function buildEnum(ctx: BuildContext): EnumDef {
  const data = expectList(required(ctx, 'data').value, `'data' of ${ctx.label}`);
  const values: EnumValue[] = [];
  for (const item of data.items) {
    const value = readEnumValue(item, ctx.label);
    if (values.some((v) => v.name === value.name)) throw errorAt(item, `duplicate value '${value.name}' in ${ctx.label}`);
    values.push(value);
  }
  const def: EnumDef = { kind: 'enum', name: ctx.name, doc: emptyDoc(), values };
  const prefix = findEntry(ctx.expr, 'prefix');
  if (prefix) def.prefix = expectString(prefix.value, `'prefix' of ${ctx.label}`).value;
  return def;
}

function readEnumValue(item: QEntry['value'], label: string): EnumValue {
  if (item.type === 'string') {
    checkName(item.value, 'enum-value', item, `a value of ${label}`);
    return { name: item.value };
  }
  const obj = expectObject(item, `a value of ${label}`);
  checkKeys(obj, ['name', 'if', 'features'], `a value of ${label}`);
  const nameEntry = findEntry(obj, 'name');
  if (!nameEntry) throw errorAt(obj, `a value of ${label} is missing 'name'`);
  const name = expectString(nameEntry.value, `the name of a value of ${label}`);
  checkName(name.value, 'enum-value', name, `a value of ${label}`);
  const value: EnumValue = { name: name.value };
  const condition = optionalCondition(obj);
  if (condition !== undefined) value.if = condition;
  const features = findEntry(obj, 'features');
  if (features) readFeatures(features.value, `value '${name.value}' of ${label}`);
  return value;
}

/** Branches of a union or alternate: name to type, or name to {type, if}. */
function readBranches(ctx: BuildContext, allowArrays: boolean): Branch[] {
  const data = expectObject(required(ctx, 'data').value, `'data' of ${ctx.label}`);
  if (data.entries.length === 0) throw errorAt(data, `${ctx.label} needs at least one branch`);
  return data.entries.map((entry) => {
    const what = `branch '${entry.key}' of ${ctx.label}`;
    checkName(entry.key, 'enum-value', entry.keyPos, `a branch of ${ctx.label}`);
    ctx.built.branchPos.set(entry.key, entry.keyPos);
    let typeNode = entry.value;
    let condition;
    if (typeNode.type === 'object') {
      const obj = typeNode;
      checkKeys(obj, ['type', 'if'], what);
      const typeEntry = findEntry(obj, 'type');
      if (!typeEntry) throw errorAt(obj, `${what} is missing 'type'`);
      typeNode = typeEntry.value;
      condition = optionalCondition(obj);
    }
    if (typeNode.type === 'list' && !allowArrays) throw errorAt(typeNode, `${what} must name a struct type, not an array`);
    ctx.built.branchTypePos.set(entry.key, posOf(typeNode));
    const branch: Branch = { name: entry.key, type: readTypeRef(typeNode, what, ctx.built.uses) };
    if (condition !== undefined) branch.if = condition;
    return branch;
  });
}

function buildUnion(ctx: BuildContext): UnionDef {
  const baseNode = required(ctx, 'base').value;
  let base: Member[] | string;
  if (baseNode.type === 'string') {
    readTypeRef(baseNode, `the base of ${ctx.label}`, ctx.built.uses);
    ctx.built.basePos = posOf(baseNode);
    base = baseNode.value;
  } else {
    base = readMembers(expectObject(baseNode, `'base' of ${ctx.label} (members or a struct name)`),
      `the base of ${ctx.label}`, ctx.built.uses);
  }
  const discriminator = expectString(required(ctx, 'discriminator').value, `'discriminator' of ${ctx.label}`);
  ctx.built.discriminatorPos = posOf(discriminator);
  const branches = readBranches(ctx, false);
  return { kind: 'union', name: ctx.name, doc: emptyDoc(), base, discriminator: discriminator.value, branches };
}

function buildAlternate(ctx: BuildContext): AlternateDef {
  return { kind: 'alternate', name: ctx.name, doc: emptyDoc(), branches: readBranches(ctx, true) };
}
