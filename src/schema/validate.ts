// Checks a parsed call against the command's schema before anything is sent, and builds
// the arguments to send. Every failure is an ArgumentError that names the command, the
// member (a path like `capture-output` or `vcpus[2].online`), what the schema expects
// and what was given.
//
// One liberty is taken with what the user typed: when `name=123` was written and the
// schema wants a string, the string "123" is sent; the key=value form cannot say
// otherwise, and the typed text is what was meant. Likewise a list member given as one
// key=value (`arg=/tmp`) is a list of that one value, and one given several times
// (`arg=-l arg=/tmp`) the list of them. Integers beyond 2^53 stay BigInt, so their digits
// go out exactly as they came in.
import { ArgumentError } from '../protocol/errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../protocol/json.js';
import type { ParsedCall } from './call-syntax.js';
import { isSecretMember } from './annotations.js';
import { didYouMean } from './did-you-mean.js';
import type { SchemaLookup } from './lookup.js';
import { formatType, isList, type Branch, type Member, type TypeRef } from './model.js';
import {
  INTEGER_RANGES,
  QTYPE_VALUES,
  expectedText,
  expectedWords,
  givenKind,
  givenText,
  jsonKindOf,
  jsonKindOfType,
} from './type-words.js';

/**
 * Checks `parsed` against its command's schema and returns the arguments to send
 * (undefined when there are none). Raw calls are returned untouched. Throws ArgumentError.
 */
export function validateCall(lookup: SchemaLookup, parsed: ParsedCall): JsonObject | undefined {
  if (parsed.raw) return parsed.args;
  const command = lookup.command(parsed.command);
  if (!command) {
    throw new ArgumentError(
      parsed.command,
      '',
      `unknown command "${parsed.command}"${didYouMean(parsed.command, lookup.commands().map((c) => c.name))}`,
      {
        hint: `Run qemu-host commands for the list (schema: ${lookup.schema.origin}). ` +
          'To send it anyway, use call --raw or a raw JSON request.',
      },
    );
  }
  const checker = new Checker(lookup, parsed.command, parsed.typed, parsed.repeated);
  const members = lookup.commandArgs(command);
  const owner = command.argsType ?? command.name;
  if (parsed.args === undefined) {
    checker.requireNone(members, owner);
    return undefined;
  }
  return command.argsType && lookup.definition(command.argsType)?.kind === 'union'
    ? checker.union(command.argsType, parsed.args, ROOT)
    : checker.members(members, owner, parsed.args, ROOT);
}

/** Where in the arguments a value sits: the path shown, and the key=value key it was typed as. */
interface Where {
  /** `capture-output`, `vcpus[2].online`; '' for the argument object itself. */
  path: string;
  /** The dotted key=value key, while the path has no list index in it. */
  typedKey: string | undefined;
}

const ROOT: Where = { path: '', typedKey: '' };

function child(where: Where, name: string): Where {
  return {
    path: where.path === '' ? name : `${where.path}.${name}`,
    typedKey: where.typedKey === undefined ? undefined : where.typedKey === '' ? name : `${where.typedKey}.${name}`,
  };
}

function element(where: Where, index: number): Where {
  return { path: `${where.path}[${index}]`, typedKey: undefined };
}

class Checker {
  private readonly lookup: SchemaLookup;
  private readonly command: string;
  private readonly typed: ReadonlyMap<string, string>;
  private readonly repeated: ReadonlySet<string> | undefined;

  constructor(lookup: SchemaLookup, command: string, typed: ReadonlyMap<string, string>, repeated: ReadonlySet<string> | undefined) {
    this.lookup = lookup;
    this.command = command;
    this.typed = typed;
    this.repeated = repeated;
  }

  /** No arguments were given: fine unless something is required. */
  requireNone(members: readonly Member[], owner: string): void {
    const missing = members.find((m) => !m.optional);
    if (missing) throw this.missing(missing, ROOT, owner);
  }

  /** Checks an object against a member list; returns the object to send, in the user's key order. */
  members(members: readonly Member[], owner: string, value: JsonObject, where: Where): JsonObject {
    const byName = new Map(members.map((m) => [m.name, m]));
    const out: JsonObject = {};
    for (const [key, given] of Object.entries(value)) {
      const member = byName.get(key);
      if (!member) throw this.unknownMember(key, members, owner, where);
      out[key] = this.value(member.type, given, child(where, key));
    }
    for (const member of members) {
      if (!member.optional && !Object.hasOwn(value, member.name)) throw this.missing(member, where, owner);
    }
    return out;
  }

  value(ref: TypeRef, given: JsonValue, where: Where): JsonValue {
    const key = where.typedKey;
    const repeated = key !== undefined && this.repeated !== undefined && this.repeated.has(key);
    if (isList(ref)) {
      if (repeated && Array.isArray(given)) return given.map((item, i) => this.value(ref[0], item, { path: `${where.path}[${i}]`, typedKey: `${key}[${i}]` }));
      // One key=value for a list: a list of that one value (its text kept for strings).
      if (!Array.isArray(given) && key !== undefined && key !== '' && this.typed.has(key)) return [this.value(ref[0], given, { path: `${where.path}[0]`, typedKey: key })];
      if (!Array.isArray(given)) throw this.wrongType(ref, given, where);
      return given.map((item, i) => this.value(ref[0], item, element(where, i)));
    }
    if (repeated) {
      throw this.fail(where, `is given ${(given as JsonValue[]).length} times, but takes one value: ${expectedText(this.lookup, ref)}`, 'Only list members can be given more than once.');
    }
    switch (ref) {
      case 'any':
        return given;
      case 'str':
        return this.text(ref, given, where);
      case 'QType':
        return this.oneOf(ref, QTYPE_VALUES, this.text(ref, given, where), where);
      case 'bool':
        if (typeof given !== 'boolean') throw this.wrongType(ref, given, where);
        return given;
      case 'number':
        if (typeof given !== 'number' && typeof given !== 'bigint') throw this.wrongType(ref, given, where);
        return given;
      case 'null':
        if (given !== null) throw this.wrongType(ref, given, where);
        return given;
    }
    if (INTEGER_RANGES[ref]) return this.integer(ref, given, where);
    const def = this.lookup.definition(ref);
    switch (def?.kind) {
      case 'enum':
        return this.oneOf(ref, def.values.map((v) => v.name), this.text(ref, given, where), where);
      case 'struct':
        if (!isJsonObject(given)) throw this.wrongType(ref, given, where);
        return this.members(this.lookup.structMembers(ref), ref, given, where);
      case 'union':
        return this.union(ref, given, where);
      case 'alternate':
        return this.alternate(ref, def.branches, given, where);
      default:
        // A name this schema does not define (or an event): nothing to check against.
        return given;
    }
  }

  /** A string; a value the user typed as key=value counts as the text they typed. */
  private text(ref: TypeRef, given: JsonValue, where: Where): string {
    if (typeof given === 'string') return given;
    const typed = this.typedText(where);
    if (typed !== undefined) return typed;
    throw this.wrongType(ref, given, where);
  }

  private typedText(where: Where): string | undefined {
    return where.typedKey ? this.typed.get(where.typedKey) : undefined;
  }

  private oneOf(ref: string, allowed: readonly string[], given: string, where: Where): string {
    if (allowed.includes(given)) return given;
    const suggestion = this.isSecret(where) ? '' : didYouMean(given, allowed);
    throw this.fail(where, `must be ${expectedText(this.lookup, ref)}, got ${this.shown(given, where)}${suggestion}`);
  }

  private integer(ref: string, given: JsonValue, where: Where): number | bigint {
    const [min, max] = INTEGER_RANGES[ref]!;
    let exact: bigint;
    if (typeof given === 'bigint') exact = given;
    else if (typeof given === 'number' && Number.isInteger(given)) exact = BigInt(given);
    else throw this.fail(where, `must be an integer (${ref}), got ${this.shown(given, where)}`);
    if (exact < min || exact > max) {
      throw this.fail(where, `must be an integer from ${min} to ${max} (${ref}), got ${this.shown(given, where, String(exact))}`);
    }
    // Keep small integers as numbers; anything beyond 2^53 goes out as its exact digits.
    return typeof given === 'number' && Number.isSafeInteger(given) ? given : exact;
  }

  union(ref: string, given: JsonValue, where: Where): JsonObject {
    const def = this.lookup.definition(ref);
    if (def?.kind !== 'union') throw new Error(`${ref} is not a union`);
    if (!isJsonObject(given)) throw this.wrongType(ref, given, where);
    const base = typeof def.base === 'string' ? this.lookup.structMembers(def.base) : def.base;
    const tag = base.find((m) => m.name === def.discriminator);
    if (!tag) return this.members(base, ref, given, where);
    if (!Object.hasOwn(given, tag.name)) throw this.missing(tag, where, ref);
    const tagValue = this.value(tag.type, given[tag.name]!, child(where, tag.name));
    const branch = def.branches.find((b) => b.name === tagValue);
    const branchMembers = branch && !isList(branch.type) ? this.lookup.structMembers(branch.type) : [];
    return this.members([...base, ...branchMembers], ref, { ...given, [tag.name]: tagValue }, where);
  }

  /**
   * An alternate takes whichever branch matches the JSON kind of the value, as the agent
   * decides it. A typed key=value that fits no branch as parsed is tried as its text.
   */
  private alternate(ref: string, branches: readonly Branch[], given: JsonValue, where: Where): JsonValue {
    const kind = jsonKindOf(given);
    const matching = branches.find((b) => jsonKindOfType(this.lookup, b.type) === kind);
    let nested: ArgumentError | undefined;
    if (matching) {
      try {
        return this.value(matching.type, given, where);
      } catch (err) {
        if (!(err instanceof ArgumentError)) throw err;
        // Errors inside an object branch say more than "must be X or Y".
        if (kind === 'object') nested = err;
      }
    }
    const typed = this.typedText(where);
    const textual = branches.find((b) => jsonKindOfType(this.lookup, b.type) === 'string');
    if (typed !== undefined && typeof given !== 'string' && textual) {
      try {
        return this.value(textual.type, typed, { path: where.path, typedKey: undefined });
      } catch (err) {
        if (!(err instanceof ArgumentError)) throw err;
      }
    }
    if (nested) throw nested;
    throw this.fail(where, `must be ${expectedWords(this.lookup, ref)} (${ref}), got ${this.shown(given, where)}`);
  }

  // ---- errors ------------------------------------------------------------------------

  private fail(where: Where, text: string, hint?: string): ArgumentError {
    const subject = where.path === '' ? 'the arguments' : `member "${where.path}"`;
    return new ArgumentError(this.command, where.path, `${this.command}: ${subject} ${text}`, hint ? { hint } : {});
  }

  private wrongType(ref: TypeRef, given: JsonValue, where: Where): ArgumentError {
    const hint = isList(ref) && !Array.isArray(given)
      ? `Give a JSON list, e.g. ${where.path || 'name'}='["a","b"]', or the key once per item.`
      : undefined;
    return this.fail(where, `must be ${expectedText(this.lookup, ref)}, got ${this.shown(given, where)}`, hint);
  }

  private isSecret(where: Where): boolean {
    return isSecretMember(this.command, where.path);
  }

  /** What was given, in words; for a secret member only its kind, never the value. */
  private shown(given: JsonValue, where: Where, plain?: string): string {
    if (this.isSecret(where)) return `${givenKind(given)} (not shown: it is a secret)`;
    return plain ?? givenText(given);
  }

  private missing(member: Member, where: Where, owner: string): ArgumentError {
    const path = child(where, member.name).path;
    const doc = member.doc ? ` ${member.name}: ${member.doc}` : '';
    return new ArgumentError(
      this.command,
      path,
      `${this.command}: missing required member "${path}" (${formatType(member.type)})`,
      { hint: `${owner === this.command ? this.command : owner} needs ${member.name}.${doc}` },
    );
  }

  private unknownMember(key: string, members: readonly Member[], owner: string, where: Where): ArgumentError {
    const path = child(where, key).path;
    const names = members.map((m) => m.name);
    const what = owner === this.command ? this.command : owner;
    const takes = names.length === 0 ? `${what} takes no arguments.` : `${what} takes ${names.join(', ')}.`;
    return new ArgumentError(
      this.command,
      path,
      `${this.command}: unknown member "${path}"${didYouMean(key, names)}`,
      { hint: takes },
    );
  }
}
