// Documentation as lines for the history pane: one command's help (`:help CMD`, Ctrl+G),
// the list of all commands (`:commands`), and the key bindings (`:keys`).
import type { Capabilities } from '../../schema/capabilities.js';
import { changeOf, isSecretMember, mayChangeGuest } from '../../schema/annotations.js';
import type { SchemaLookup } from '../../schema/lookup.js';
import { formatType, type Member } from '../../schema/model.js';
import { choicesFor, membersOfType } from '../../completion/member-choices.js';
import { KEY_BINDINGS, keyLabel, type Layer } from '../keys/key-bindings.js';
import { seg, textLines, type Line } from '../text/styled-line.js';
import { padTo, textWidth, truncate } from '../text/width.js';
import { VERBS_LINE } from '../shell/verbs/verb-help.js';

export interface HelpContext {
  lookup: SchemaLookup;
  capabilities: Capabilities | undefined;
  width: number;
}

export function availabilityText(ctx: HelpContext, command: string): { text: string; role: 'ok' | 'warn' | 'muted' | 'disabled' } {
  const caps = ctx.capabilities;
  if (!caps) return { text: 'agent support not known yet', role: 'muted' };
  switch (caps.availability(command)) {
    case 'enabled':
      return { text: `enabled on this agent (${caps.version})`, role: 'ok' };
    case 'disabled':
      return { text: `disabled by this agent's policy (${caps.version})`, role: 'warn' };
    case 'unknown-to-agent':
      return { text: `not available on this agent (${caps.version})`, role: 'disabled' };
    case 'not-in-schema':
      return { text: 'known to the agent but not to this schema', role: 'muted' };
  }
}

export function helpLines(ctx: HelpContext, command: string): Line[] {
  const { lookup, width } = ctx;
  const def = lookup.command(command);
  if (!def) return textLines(`No help: ${command} is not in the schema (${lookup.schema.origin}).`, width, 'warn', '  ');
  const out: Line[] = [];
  const avail = availabilityText(ctx, command);
  out.push([seg('? ', 'prompt'), seg(def.name, 'accent'), seg(def.since ? `  since QEMU ${def.since}` : '', 'muted'), seg(`  ${avail.text}`, avail.role)]);
  if (def.doc.summary) out.push(...textLines(def.doc.summary, width, 'text', '  '));
  if (mayChangeGuest(command)) {
    const what = changeOf(command, {});
    const sentence = what && !what.includes('?') ? `Changes the guest: it ${what}.` : 'Can change the guest.';
    out.push(...textLines(`${sentence} The shell names what will happen and asks before sending it.`, width, 'warn', '  '));
  }
  if (def.doc.body) out.push([], ...textLines(def.doc.body, width, 'text', '  '));
  const members = lookup.commandArgs(def);
  out.push([], [seg('  Arguments', 'accent')]);
  if (members.length === 0) out.push([seg('    none', 'muted')]);
  out.push(...memberLines(ctx, command, members, def.doc.members, '    '));
  out.push([], [seg('  Returns ', 'accent'), seg(def.returns ? formatType(def.returns) : '{}', 'json-key')]);
  if (def.doc.returns) out.push(...textLines(def.doc.returns, width, 'text', '    '));
  if (!def.successResponse) out.push(...textLines('Sends no reply when it succeeds; the shell confirms it was read with a sync behind it.', width, 'muted', '    '));
  for (const note of def.doc.notes) out.push([], ...textLines(note, width, 'muted', '  Note: '));
  if (def.doc.examples.length > 0) {
    out.push([], [seg('  Example', 'accent')]);
    for (const ex of def.doc.examples) out.push(...textLines(ex, width, 'muted', '    '));
  }
  const required = members.filter((m) => !m.optional).map((m) => `${m.name}=…`);
  out.push([], [seg('  Try: ', 'muted'), seg([def.name, ...required].join(' '), 'accent'), seg(members.length ? '   (Ctrl+O opens a form)' : '', 'muted')]);
  return out;
}

function memberLines(ctx: HelpContext, command: string, members: readonly Member[], docs: Record<string, string>, indent: string, prefix = ''): Line[] {
  const out: Line[] = [];
  const nameWidth = Math.min(24, Math.max(0, ...members.map((m) => textWidth(prefix + m.name))) + 2);
  for (const m of members) {
    const type = `${formatType(m.type)}${m.optional ? '' : ', required'}`;
    out.push([seg(indent), seg(padTo(prefix + m.name, nameWidth), 'json-key'), seg(type, m.optional ? 'muted' : 'warn'), seg(isSecretMember(command, m.name) ? '  secret: never recorded' : '', 'secret')]);
    const doc = m.doc ?? docs[m.name];
    if (doc) out.push(...textLines(doc, ctx.width, 'text', `${indent}  `));
    const choices = choicesFor(ctx.lookup, m.type);
    if (choices.length > 0 && formatType(m.type) !== 'bool') {
      out.push(...textLines(`one of: ${choices.map((c) => c.value).join(', ')}`, ctx.width, 'muted', `${indent}  `));
    }
    const nested = membersOfType(ctx.lookup, m.type);
    if (nested.length > 0 && prefix.split('.').length < 3) {
      out.push(...memberLines(ctx, command, nested, {}, `${indent}  `, Array.isArray(m.type) ? `${m.name}[].` : `${m.name}.`));
    }
  }
  return out;
}

export function commandListLines(ctx: HelpContext): Line[] {
  const { lookup, width } = ctx;
  const commands = [...lookup.commands()].sort((a, b) => a.name.localeCompare(b.name));
  const nameWidth = Math.max(...commands.map((c) => c.name.length)) + 2;
  const out: Line[] = [[seg(`? ${commands.length} commands`, 'accent'), seg(`  (${lookup.schema.origin}${lookup.schema.qemuVersion ? `, QEMU ${lookup.schema.qemuVersion}` : ''})`, 'muted')]];
  for (const c of commands) {
    const avail = ctx.capabilities?.availability(c.name);
    const mark = avail === undefined ? ' ' : avail === 'enabled' ? '✓' : avail === 'disabled' ? '✗' : '–';
    const markRole = avail === 'enabled' ? 'ok' : avail === 'disabled' ? 'warn' : 'disabled';
    const danger = mayChangeGuest(c.name) ? '!' : ' ';
    const room = Math.max(0, width - nameWidth - 6);
    out.push([seg(`  ${mark}`, markRole), seg(danger, 'warn'), seg(' '), seg(padTo(c.name, nameWidth), avail === 'unknown-to-agent' ? 'disabled' : 'accent'), seg(truncate(c.doc.summary, room), 'text')]);
  }
  out.push([seg('  ✓ enabled  ✗ disabled by policy  – not on this agent  ! changes the guest (asks first)', 'muted')]);
  return out;
}

const LAYER_TITLES: Record<Layer, string> = {
  global: 'Anywhere',
  prompt: 'Prompt',
  completion: 'Completion list',
  edit: 'Editing',
  form: 'Argument form',
  search: 'History search (Ctrl+R)',
  confirm: 'Confirmation',
};

export function keyListLines(width: number): Line[] {
  const out: Line[] = [[seg('? Keys', 'accent')]];
  for (const layer of ['global', 'prompt', 'completion', 'edit', 'form', 'search', 'confirm'] as const) {
    out.push([seg(`  ${LAYER_TITLES[layer]}`, 'accent')]);
    for (const b of KEY_BINDINGS.filter((x) => x.layer === layer)) {
      const keys = b.keys.map(keyLabel).join(', ');
      out.push([seg('    '), seg(padTo(keys, 24), 'json-key'), seg(truncate(b.help, Math.max(0, width - 28)), 'text')]);
    }
  }
  out.push([seg('  Shell commands: :help CMD, :commands, :keys, :form CMD, :wire, :raw, :clear, :quit', 'muted')]);
  out.push(...textLines(VERBS_LINE, width, 'muted', '  '));
  return out;
}
