// `qemu-host describe NAME [--json]`: the help for one command (or type) from the schema:
// summary, since, whether it replies, arguments with type/optional/doc (members of
// nested structs too), what it returns, errors, notes and examples. No agent needed.
import type { Command } from 'commander';
import { ArgumentError } from '../../protocol/errors.js';
import { stringifyJson } from '../../protocol/json.js';
import { base64Members, isSecretMember, mayChangeGuest } from '../../schema/annotations.js';
import { didYouMean } from '../../schema/did-you-mean.js';
import type { SchemaLookup } from '../../schema/lookup.js';
import { elementType, formatType, isBuiltin, type CommandDef, type Definition, type Member, type TypeRef } from '../../schema/model.js';
import { expectedWords } from '../../schema/type-words.js';
import { contextFrom, type GlobalOptions } from '../context.js';
import { plannerFor } from '../prepare.js';

export function registerDescribe(program: Command): void {
  program
    .command('describe')
    .description('show the help for one agent command (or schema type): arguments, return value, notes, examples')
    .argument('<name>', 'a command such as guest-exec, or a type such as GuestExecStatus')
    .option('--json', 'one JSON object for machines')
    .option('--schema <file>', "a guest-agent QAPI schema file (plain or .gz), or 'debian'")
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      process.exitCode = await runDescribe(cmd.optsWithGlobals<GlobalOptions>(), name);
    });
}

export async function runDescribe(options: GlobalOptions, name: string): Promise<number> {
  const ctx = contextFrom(options);
  const { lookup } = await plannerFor(ctx);
  const def = lookup.definition(name);
  if (!def) {
    const names = lookup.schema.definitions.map((d) => d.name);
    throw new ArgumentError(name, '', `unknown command "${name}"${didYouMean(name, names)}`, {
      hint: `Run qemu-host commands for the list (schema: ${lookup.schema.origin}).`,
    });
  }
  if (ctx.json) ctx.stdout.write(`${stringifyJson(def.kind === 'command' ? commandJson(lookup, def) : typeJson(lookup, def))}\n`);
  else ctx.stdout.write(describeText(lookup, def));
  return 0;
}

/** The `--json` shape for a command: exactly these keys. */
export function commandJson(lookup: SchemaLookup, def: CommandDef): object {
  return {
    name: def.name,
    summary: def.doc.summary,
    since: def.since ?? null,
    successResponse: def.successResponse,
    args: lookup.commandArgs(def).map((m) => ({ name: m.name, type: m.type, optional: m.optional, doc: memberDoc(def, m) ?? null })),
    returns: def.returns ?? null,
  };
}

function typeJson(lookup: SchemaLookup, def: Definition): object {
  const base = { name: def.name, kind: def.kind, summary: def.doc.summary, since: def.since ?? null };
  switch (def.kind) {
    case 'enum':
      return { ...base, values: def.values.map((v) => v.name) };
    case 'alternate':
      return { ...base, branches: def.branches.map((b) => ({ name: b.name, type: b.type, doc: b.doc ?? null })) };
    case 'union':
      return {
        ...base,
        discriminator: def.discriminator,
        members: lookup.structMembers(def.name).map((m) => memberJson(def, m)),
        branches: def.branches.map((b) => ({ name: b.name, type: b.type })),
      };
    case 'struct':
      return { ...base, members: lookup.structMembers(def.name).map((m) => memberJson(def, m)) };
    case 'event':
      return { ...base, args: def.args.map((m) => memberJson(def, m)) };
    case 'command':
      return commandJson(lookup, def);
  }
}

function memberJson(owner: Definition, m: Member): object {
  return { name: m.name, type: m.type, optional: m.optional, doc: memberDoc(owner, m) ?? null };
}

function memberDoc(owner: Definition, m: Member): string | undefined {
  return m.doc ?? owner.doc.members[m.name];
}

// ---- text ----------------------------------------------------------------------------

/** Indent levels; each nested struct takes two (its name, then its members). */
const NESTING_LIMIT = 9;

export function describeText(lookup: SchemaLookup, def: Definition): string {
  const out: string[] = [];
  const since = def.since ? ` (since ${def.since})` : '';
  out.push(`${def.name}${since}`);
  if (def.doc.summary) out.push(indent(def.doc.summary, 2));
  if (def.doc.body) out.push('', indent(def.doc.body, 2));

  if (def.kind === 'command') {
    out.push('', ...commandFacts(def));
    const args = lookup.commandArgs(def);
    out.push('', 'Arguments:');
    if (args.length === 0) out.push('  (none)');
    else out.push(...memberTable(lookup, def, args, def.name, 1, new Set()));
    out.push('', `Returns: ${def.returns ? formatType(def.returns) : 'nothing ({})'}`);
    if (def.doc.returns) out.push(indent(def.doc.returns, 2));
    if (def.returns) out.push(...typeDetail(lookup, def.returns, 1, new Set()));
    if (def.doc.errors) out.push('', 'Errors:', indent(def.doc.errors, 2));
  } else {
    out.push('', `Kind: ${def.kind}`);
    out.push(...typeDetail(lookup, def.name, 1, new Set(), true));
  }
  if (def.doc.notes.length) out.push('', 'Notes:', ...def.doc.notes.map((n) => bullet(n)));
  if (def.doc.examples.length) out.push('', 'Examples:', ...def.doc.examples.map((e) => indent(e, 2)).join('\n\n').split('\n'));
  out.push(`\n(schema: ${lookup.schema.origin})`);
  return `${out.join('\n')}\n`;
}

function commandFacts(def: CommandDef): string[] {
  const facts = [def.successResponse ? 'Replies: yes' : 'Replies: no reply on success (success-response: false); errors are still reported'];
  if (mayChangeGuest(def.name)) {
    facts.push(def.name === 'guest-file-open'
      ? 'Changes the guest: in a mode that writes (w, a, +); qemu-host asks before sending it'
      : 'Changes the guest: yes; qemu-host asks before sending it');
  }
  const b64in = base64Members(def.name, 'args');
  const b64out = base64Members(def.name, 'returns');
  if (b64in.length) facts.push(`Base64 arguments: ${b64in.join(', ')}`);
  if (b64out.length) facts.push(`Base64 in the reply: ${b64out.join(', ')}`);
  return facts;
}

/** One line per member, with the members of nested structs indented beneath. */
function memberTable(lookup: SchemaLookup, owner: Definition, members: readonly Member[], command: string, depth: number, seen: Set<string>): string[] {
  const pad = '  '.repeat(depth);
  const nameWidth = Math.max(...members.map((m) => m.name.length));
  const typeWidth = Math.max(...members.map((m) => formatType(m.type).length));
  const lines: string[] = [];
  for (const m of members) {
    const flags = [m.optional ? 'optional' : 'required'];
    if (isSecretMember(command, m.name)) flags.push('secret');
    const doc = memberDoc(owner, m) ?? '';
    const since = m.since && !doc.includes(m.since) ? ` (since ${m.since})` : '';
    lines.push(`${pad}${m.name.padEnd(nameWidth)}  ${formatType(m.type).padEnd(typeWidth)}  ${flags.join(', ').padEnd(8)}  ${oneLine(doc)}${since}`.trimEnd());
    lines.push(...typeDetail(lookup, m.type, depth + 1, seen));
  }
  return lines;
}

/** What a type looks like inside: struct members, enum values, alternate branches. */
function typeDetail(lookup: SchemaLookup, ref: TypeRef | string, depth: number, seen: Set<string>, self = false): string[] {
  const name = elementType(ref);
  if (isBuiltin(name) || depth > NESTING_LIMIT || seen.has(name)) return [];
  const def = lookup.definition(name);
  if (!def) return [];
  const pad = '  '.repeat(depth);
  const inner = new Set(seen).add(name);
  switch (def.kind) {
    case 'enum':
      return [`${pad}values: ${def.values.map((v) => v.name).join(', ')}`];
    case 'alternate':
      return [
        `${pad}${expectedWords(lookup, name)}`,
        ...(self ? def.branches.map((b) => `${pad}  ${b.name}: ${formatType(b.type)}${b.doc ? `  ${oneLine(b.doc)}` : ''}`) : []),
      ];
    case 'struct': {
      const members = lookup.structMembers(name);
      const head = self ? [] : [`${pad}${name}:`];
      return members.length ? [...head, ...memberTable(lookup, def, members, '', depth + (self ? 0 : 1), inner)] : [];
    }
    case 'union': {
      const lines = self ? [] : [`${pad}${name} (by ${def.discriminator}):`];
      const d = depth + (self ? 0 : 1);
      lines.push(...memberTable(lookup, def, lookup.structMembers(name), '', d, inner));
      for (const branch of def.branches) {
        lines.push(`${'  '.repeat(d)}when ${def.discriminator} is ${branch.name}: ${formatType(branch.type)}`);
        lines.push(...typeDetail(lookup, branch.type, d + 1, inner, true));
      }
      return lines;
    }
    default:
      return [];
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

function indent(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return text.split('\n').map((line) => (line ? pad + line : line)).join('\n');
}

function bullet(text: string): string {
  const [first = '', ...rest] = text.split('\n');
  return [`  - ${first}`, ...rest.map((line) => `    ${line}`)].join('\n');
}
