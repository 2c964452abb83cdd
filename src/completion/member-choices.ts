// What a member may hold, for completion and forms: the fixed choices of enum, bool and
// alternate types, and member lookups by dotted path (`capture-output`, `vcpus.online`).
import type { SchemaLookup } from '../schema/lookup.js';
import { elementType, formatType, isBuiltin, type Member, type TypeRef } from '../schema/model.js';

export interface Choice {
  value: string;
  /** The JSON value this choice stands for (`true` for the bool choice "true"). */
  json: string | boolean;
  help: string;
}

/** Fixed values a type allows; empty for free-form types (str, int, structs, lists). */
export function choicesFor(lookup: SchemaLookup, ref: TypeRef, seen = new Set<string>()): Choice[] {
  if (Array.isArray(ref)) return [];
  if (ref === 'bool') {
    return [
      { value: 'true', json: true, help: 'yes' },
      { value: 'false', json: false, help: 'no' },
    ];
  }
  if (isBuiltin(ref) || seen.has(ref)) return [];
  seen.add(ref);
  const def = lookup.definition(ref);
  if (def?.kind === 'enum') {
    return def.values.map((v) => ({ value: v.name, json: v.name, help: v.doc ?? def.doc.members[v.name] ?? '' }));
  }
  if (def?.kind === 'alternate') {
    return def.branches.flatMap((branch) => choicesFor(lookup, branch.type, seen));
  }
  return [];
}

/** The members of a struct-like type (struct, union base), or none. */
export function membersOfType(lookup: SchemaLookup, ref: TypeRef): Member[] {
  const name = elementType(ref);
  if (isBuiltin(name)) return [];
  return lookup.structMembers(name);
}

/** The member a dotted path names within a command's arguments. */
export function memberAt(lookup: SchemaLookup, command: string, path: string): Member | undefined {
  const cmd = lookup.command(command);
  if (!cmd) return undefined;
  let members = lookup.commandArgs(cmd);
  let found: Member | undefined;
  for (const part of path.split('.')) {
    found = members.find((m) => m.name === part);
    if (!found) return undefined;
    members = membersOfType(lookup, found.type);
  }
  return found;
}

/** `str, required` / `[str], optional` */
export function describeMember(member: Member): string {
  return `${formatType(member.type)}, ${member.optional ? 'optional' : 'required'}`;
}
