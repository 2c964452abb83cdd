// Joins a parsed doc block to the definition that follows it: the Doc goes on the
// definition, each `@name:` text goes on its member, enum value or branch, and inline
// versions such as "(since 2.4)" become Member.since.
import type { Definition, Member } from '../model.js';
import type { BuiltDefinition } from './definitions.js';
import type { ParsedDefinitionDoc } from './doc-parser.js';
import { errorAt } from './errors.js';

/** "(since 1.7)", "(since: 0.15)", "(Since 2.4)"; not "(since Linux 2.6.11)". */
const INLINE_SINCE = /\(\s*since:?\s*(\d+(?:\.\d+)*)\s*\)/i;
const LEADING_VERSION = /^\d+(?:\.\d+)*/;

export function attachDoc(built: BuiltDefinition, parsed: ParsedDefinitionDoc): void {
  const def = built.def;
  if (parsed.symbol !== def.name) {
    throw errorAt(parsed.pos, `documentation is for '${parsed.symbol}', but the definition that follows is ${def.kind} '${def.name}'`);
  }
  def.doc = parsed.doc;
  const since = parsed.doc.since?.trim();
  if (since) def.since = LEADING_VERSION.exec(since)?.[0] ?? since;
  checkDocumentedNames(def, parsed);
  const texts = parsed.doc.members;
  const describe = (target: { name: string; doc?: string }): void => {
    const text = texts[target.name];
    if (text !== undefined) target.doc = text;
  };
  for (const member of ownMembers(def)) {
    describe(member);
    const version = member.doc === undefined ? undefined : INLINE_SINCE.exec(member.doc)?.[1];
    if (version !== undefined) member.since = version;
  }
  if (def.kind === 'enum') def.values.forEach(describe);
  if (def.kind === 'union' || def.kind === 'alternate') def.branches.forEach(describe);
}

/** Members declared by this definition itself (not inherited from a named base). */
function ownMembers(def: Definition): Member[] {
  switch (def.kind) {
    case 'command':
    case 'event': return def.args;
    case 'struct': return def.members;
    case 'union': return typeof def.base === 'string' ? [] : def.base;
    default: return [];
  }
}

/** The names a doc block may describe, or undefined when they cannot be known here. */
function documentableNames(def: Definition): { names: string[]; noun: string } | undefined {
  switch (def.kind) {
    case 'command':
    case 'event':
      return def.argsType === undefined ? { names: def.args.map((m) => m.name), noun: 'argument' } : undefined;
    case 'struct':
      return { names: def.members.map((m) => m.name), noun: 'member' };
    case 'enum':
      return { names: def.values.map((v) => v.name), noun: 'value' };
    case 'union':
      if (typeof def.base === 'string') return undefined;
      return { names: [...def.base.map((m) => m.name), ...def.branches.map((b) => b.name)], noun: 'member or branch' };
    case 'alternate':
      return { names: def.branches.map((b) => b.name), noun: 'branch' };
  }
}

function checkDocumentedNames(def: Definition, parsed: ParsedDefinitionDoc): void {
  const known = documentableNames(def);
  if (known) {
    for (const [name, pos] of parsed.memberPos) {
      if (!known.names.includes(name)) {
        throw errorAt(pos, `documentation describes '@${name}', but ${def.kind} '${def.name}' has no ${known.noun} '${name}'`);
      }
    }
  }
  const features = def.features ?? [];
  for (const [name, pos] of parsed.featurePos) {
    if (!features.includes(name)) {
      throw errorAt(pos, `documentation describes feature '@${name}', but ${def.kind} '${def.name}' has no such feature`);
    }
  }
}
