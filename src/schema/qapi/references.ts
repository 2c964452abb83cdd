// Checks that need the whole schema: every type name used must exist (and be a type, not a
// command), bases must be structs without cycles, and a union's discriminator must be an
// enum member of its base whose values name the branches.
import { elementType, isBuiltin, type Definition, type EnumDef, type Member, type StructDef, type UnionDef } from '../model.js';
import type { BuiltDefinition } from './definitions.js';
import { errorAt, type SourcePos } from './errors.js';

type Registry = ReadonlyMap<string, BuiltDefinition>;

export function checkReferences(all: readonly BuiltDefinition[], registry: Registry): void {
  for (const built of all) {
    for (const use of built.uses) {
      if (isBuiltin(use.name)) continue;
      const target = registry.get(use.name)?.def;
      if (!target) throw errorAt(use, `unknown type '${use.name}' in ${use.usedBy}`);
      if (target.kind === 'command' || target.kind === 'event') {
        throw errorAt(use, `'${use.name}' is ${target.kind === 'command' ? 'a command' : 'an event'}, not a type (in ${use.usedBy})`);
      }
    }
  }
  for (const built of all) {
    const def = built.def;
    if (def.kind === 'struct' && def.base !== undefined) checkStructBase(built, def, registry);
    if (def.kind === 'union') checkUnion(built, def, registry);
    if ((def.kind === 'command' || def.kind === 'event') && def.argsType !== undefined) {
      const target = registry.get(def.argsType)?.def;
      const allowed = def.boxed ? ['struct', 'union'] : ['struct'];
      if (target && !allowed.includes(target.kind)) {
        throw errorAt(built.argsTypePos!, `'data' of ${def.kind} '${def.name}' must name a struct${def.boxed ? ' or union' : ''}, but '${def.argsType}' is ${article(target)}`);
      }
    }
  }
}

function article(def: Definition): string {
  return `${/^[aeiou]/.test(def.kind) ? 'an' : 'a'} ${def.kind}`;
}

function checkStructBase(built: BuiltDefinition, def: StructDef, registry: Registry): void {
  const seen = new Set<string>([def.name]);
  let current: Definition | undefined = def;
  while (current?.kind === 'struct' && current.base !== undefined) {
    const base: Definition | undefined = registry.get(current.base)?.def;
    if (!base) return; // already reported as an unknown type
    if (base.kind !== 'struct') {
      if (current === def) throw errorAt(built.basePos!, `the base of struct '${def.name}' must be a struct, but '${base.name}' is ${article(base)}`);
      return;
    }
    if (seen.has(base.name)) throw errorAt(built.basePos!, `struct '${def.name}' has a cycle in its chain of bases`);
    seen.add(base.name);
    current = base;
  }
}

/** All members of a struct, its bases' first. Assumes cycles were rejected. */
function structMembers(name: string, registry: Registry): Member[] {
  const def = registry.get(name)?.def;
  if (def?.kind !== 'struct') return [];
  return [...(def.base !== undefined ? structMembers(def.base, registry) : []), ...def.members];
}

function checkUnion(built: BuiltDefinition, def: UnionDef, registry: Registry): void {
  let baseMembers: Member[];
  if (typeof def.base === 'string') {
    const base = registry.get(def.base)?.def;
    if (base && base.kind !== 'struct') {
      throw errorAt(built.basePos!, `the base of union '${def.name}' must be a struct, but '${base.name}' is ${article(base)}`);
    }
    baseMembers = structMembers(def.base, registry);
  } else {
    baseMembers = def.base;
  }
  const discriminatorPos: SourcePos = built.discriminatorPos!;
  const tag = baseMembers.find((m) => m.name === def.discriminator);
  if (!tag) throw errorAt(discriminatorPos, `discriminator '${def.discriminator}' is not a member of the base of union '${def.name}'`);
  if (tag.optional) throw errorAt(discriminatorPos, `discriminator '${def.discriminator}' of union '${def.name}' must not be optional`);
  const tagType = registry.get(elementType(tag.type))?.def;
  if (Array.isArray(tag.type) || tagType?.kind !== 'enum') {
    throw errorAt(discriminatorPos, `discriminator '${def.discriminator}' of union '${def.name}' must have an enum type`);
  }
  checkBranches(built, def, tagType, registry);
}

function checkBranches(built: BuiltDefinition, def: UnionDef, tagType: EnumDef, registry: Registry): void {
  for (const branch of def.branches) {
    if (!tagType.values.some((v) => v.name === branch.name)) {
      throw errorAt(built.branchPos.get(branch.name)!, `branch '${branch.name}' of union '${def.name}' is not a value of enum '${tagType.name}'`);
    }
    const target = registry.get(elementType(branch.type))?.def;
    if (target?.kind !== 'struct') {
      const what = target ? `'${target.name}' is ${article(target)}` : `'${elementType(branch.type)}' is a built-in type`;
      throw errorAt(built.branchTypePos.get(branch.name)!, `branch '${branch.name}' of union '${def.name}' must be a struct, but ${what}`);
    }
  }
}
