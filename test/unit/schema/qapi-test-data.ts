// Shared helpers for the QAPI reader tests: locating the real schema files (GPL test data
// that lives outside the repo and is only read, never copied), and small independent
// oracles used to cross-check what the reader produces.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect } from 'vitest';
import type { Condition, Definition, Doc, Member, Schema } from '../../../src/schema/model.js';

/** QEMU 10.2's qga schema, kept in the `shared/` checkout beside the repo. */
export const QGA_10_2 = path.resolve(import.meta.dirname, '../../../../shared/qapi/qga-qapi-schema.json');
/** QEMU 7.2's qga schema, installed by Debian's qemu-guest-agent package. */
export const QGA_7_2 = process.env['QEMU_HOST_QGA_7_2_SCHEMA'] ?? '/usr/share/doc/qemu-guest-agent/qapi-schema.json.gz';

/** Fails loudly (never skips) when a data file is absent. */
export function requireDataFile(file: string, howToGet: string): string {
  if (!existsSync(file)) {
    throw new Error(`QAPI test data file is missing: ${file}\n${howToGet}`);
  }
  return file;
}

export const HOW_TO_GET_10_2 = 'Clone the shared/ folder beside the repository (shared/qapi/qga-qapi-schema.json).';
export const HOW_TO_GET_7_2 = 'Install it with: apt-get install qemu-guest-agent (Debian 12 ships QEMU 7.2).';

export function rawText(file: string): string {
  const bytes = readFileSync(file);
  return (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
}

/**
 * A deliberately crude second reader: drop `#` comments, swap quotes, put commas between
 * top-level objects and hand the result to JSON.parse. It only works because the qga files
 * have no `#` or `"` inside strings, which is exactly why it makes a good independent check.
 */
export function crudeExpressions(text: string): Record<string, unknown>[] {
  const code = text.split('\n').map((line) => line.replace(/#.*$/, '')).join('\n');
  return JSON.parse(`[${code.replace(/'/g, '"').replace(/\}\s*\{/g, '},{')}]`) as Record<string, unknown>[];
}

export function byName(schema: Schema, name: string): Definition {
  const def = schema.definitions.find((d) => d.name === name);
  if (!def) throw new Error(`no definition named ${name}`);
  return def;
}

export function countKinds(schema: Schema): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const def of schema.definitions) counts[def.kind] = (counts[def.kind] ?? 0) + 1;
  return counts;
}

/** Members of a definition as the model holds them, by role. */
export function membersByRole(schema: Schema): { args: Member[]; structMembers: Member[]; unionBase: Member[] } {
  const args: Member[] = [];
  const structMembers: Member[] = [];
  const unionBase: Member[] = [];
  for (const def of schema.definitions) {
    if (def.kind === 'command' || def.kind === 'event') args.push(...def.args);
    if (def.kind === 'struct') structMembers.push(...def.members);
    if (def.kind === 'union' && typeof def.base !== 'string') unionBase.push(...def.base);
  }
  return { args, structMembers, unionBase };
}

/** Every `if` condition in the model, with where it sits. */
export function allConditions(schema: Schema): { place: string; cond: Condition }[] {
  const found: { place: string; cond: Condition }[] = [];
  const add = (place: string, cond: Condition | undefined): void => {
    if (cond !== undefined) found.push({ place, cond });
  };
  for (const def of schema.definitions) {
    add(def.kind, def.if);
    if (def.kind === 'command' || def.kind === 'event') def.args.forEach((m) => add('member', m.if));
    if (def.kind === 'struct') def.members.forEach((m) => add('member', m.if));
    if (def.kind === 'enum') def.values.forEach((v) => add('enum value', v.if));
    if (def.kind === 'union' || def.kind === 'alternate') def.branches.forEach((b) => add('branch', b.if));
  }
  return found;
}

/** Counts `'if'` keys anywhere in crude expressions. */
export function countIfKeys(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + countIfKeys(v), 0);
  if (value && typeof value === 'object') {
    return Object.entries(value).reduce((n, [k, v]) => n + (k === 'if' ? 1 : 0) + countIfKeys(v), 0);
  }
  return 0;
}

/** All text the reader kept for one doc, whitespace collapsed, for "nothing was lost" checks. */
export function docHaystack(doc: Doc): string {
  const parts = [
    doc.summary, doc.body, ...Object.values(doc.members), doc.returns ?? '', doc.errors ?? '',
    doc.since ?? '', ...doc.notes, ...doc.examples, ...Object.values(doc.features),
  ];
  return collapse(parts.join(' '));
}

export function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export interface RawDocBlock {
  /** Line texts after `# ` (or '' for `#`). */
  lines: string[];
  /** The `@name` of a definition block, if the first line is `@name:`. */
  symbol?: string;
}

/** Cuts raw schema text into its `##` blocks with a plain line scan. */
export function rawDocBlocks(text: string): RawDocBlock[] {
  const blocks: RawDocBlock[] = [];
  let current: string[] | undefined;
  for (const line of text.split('\n')) {
    if (line === '##') {
      if (current) {
        const symbol = /^@([^\s:]+):$/.exec(current[0] ?? '')?.[1];
        blocks.push(symbol === undefined ? { lines: current } : { lines: current, symbol });
        current = undefined;
      } else {
        current = [];
      }
    } else if (current && line.startsWith('#')) {
      current.push(line.slice(2));
    }
  }
  return blocks;
}

/** The crude-expression form of a model definition, to compare with crudeExpressions(). */
export function definitionAsExpression(def: Definition): Record<string, unknown> {
  const out: Record<string, unknown> = { [def.kind]: def.name };
  const members = (list: Member[]): Record<string, unknown> =>
    Object.fromEntries(list.map((m) => [
      (m.optional ? '*' : '') + m.name,
      m.if === undefined && m.features === undefined ? m.type : { type: m.type, if: m.if, features: m.features },
    ]));
  const branches = (list: { name: string; type: unknown; if?: Condition }[]): Record<string, unknown> =>
    Object.fromEntries(list.map((b) => [b.name, b.if === undefined ? b.type : { type: b.type, if: b.if }]));
  switch (def.kind) {
    case 'command':
    case 'event':
      if (def.argsType !== undefined) out.data = def.argsType;
      else if (def.args.length > 0) out.data = members(def.args);
      if (def.kind === 'command') {
        if (def.returns !== undefined) out.returns = def.returns;
        if (!def.successResponse) out['success-response'] = false;
      }
      break;
    case 'struct':
      out.data = members(def.members);
      if (def.base !== undefined) out.base = def.base;
      break;
    case 'enum':
      out.data = def.values.map((v) => (v.if === undefined ? v.name : { name: v.name, if: v.if }));
      break;
    case 'union':
      out.base = typeof def.base === 'string' ? def.base : members(def.base);
      out.discriminator = def.discriminator;
      out.data = branches(def.branches);
      break;
    case 'alternate':
      out.data = branches(def.branches);
      break;
  }
  if (def.if !== undefined) out.if = def.if;
  return out;
}

const MARKER_FIELDS: Record<string, (doc: Doc) => unknown> = {
  Returns: (doc) => doc.returns,
  Errors: (doc) => doc.errors,
  Since: (doc) => doc.since,
  TODO: (doc) => doc.notes.find((n) => n.startsWith('TODO: ')),
  Note: (doc) => doc.notes[0],
  Notes: (doc) => doc.notes[0],
  Example: (doc) => doc.examples[0],
  Examples: (doc) => doc.examples[0],
};

/**
 * Asserts that every line of every raw doc block reached the model: each `@name:` line is a
 * described member (or feature), each section tag filled its field, and the text of every
 * line appears in what the reader kept. Returns how many lines were checked.
 */
export function expectEveryDocLineKept(schema: Schema, text: string): number {
  let checked = 0;
  const freeTexts = schema.freeDocs.map((f) => collapse(f.text));
  for (const block of rawDocBlocks(text)) {
    if (block.symbol === undefined) {
      const whole = collapse(block.lines.join(' '));
      expect(freeTexts, `free-form block starting ${JSON.stringify(block.lines[0])}`).toContain(whole);
      checked += block.lines.length;
      continue;
    }
    const doc = byName(schema, block.symbol).doc;
    const haystack = docHaystack(doc);
    for (const line of block.lines.slice(1)) {
      let rest = line;
      const member = /^@([^\s:]+):/.exec(rest);
      if (member) {
        const name = member[1]!;
        expect(Object.hasOwn(doc.members, name) || Object.hasOwn(doc.features, name), `@${name} of ${block.symbol}`).toBe(true);
        rest = rest.slice(member[0].length);
      }
      const tag = /^(Returns|Errors|Since|TODO|Notes?|Examples?):(?!:)/.exec(rest);
      if (tag) {
        expect(MARKER_FIELDS[tag[1]!]!(doc), `${tag[1]}: of ${block.symbol}`).toBeDefined();
        rest = rest.slice(tag[0].length);
      }
      rest = rest.replace(/^\.\. [a-z-]+::/, '');
      const wanted = collapse(rest);
      if (wanted !== '') expect(haystack, `line ${JSON.stringify(line)} of ${block.symbol}`).toContain(wanted);
      checked++;
    }
  }
  return checked;
}
