// What a submitted line means, decided before anything is sent: a shell command, a call
// (with the sentence to confirm when it changes the guest), a form to fill because
// required arguments are missing, or a problem to show. Pure: no session, no React.
import { QemuHostError } from '../../protocol/errors.js';
import type { JsonObject } from '../../protocol/json.js';
import { changeOf } from '../../schema/annotations.js';
import { parseCallLine } from '../../schema/call-syntax.js';
import type { SchemaLookup } from '../../schema/lookup.js';
import { validateCall } from '../../schema/validate.js';
import { META_COMMANDS } from './meta-commands.js';
import type { VerbName } from './verbs/verb-item.js';

export type MetaName = 'help' | 'commands' | 'keys' | 'form' | 'wire' | 'raw' | 'clear' | 'settings' | 'set' | 'profile' | 'copy' | 'quit' | VerbName;

export type Plan =
  | { kind: 'empty' }
  | { kind: 'meta'; name: MetaName; arg: string | undefined }
  | { kind: 'problem'; message: string; hint?: string }
  | { kind: 'form'; command: string; args: JsonObject | undefined; missing: string[] }
  | {
      kind: 'call';
      command: string;
      args: JsonObject | undefined;
      /** A raw request to send exactly as written. */
      raw?: JsonObject;
      /** What it changes in the guest, when it does: the confirmation names it. */
      change: string | undefined;
    };

const META_ALIASES: Record<string, MetaName> = { ':q': 'quit', ':exit': 'quit', ':h': 'help', ':?': 'help' };

export function planLine(line: string, lookup: SchemaLookup): Plan {
  const text = line.trim();
  if (text === '' || text.startsWith('#')) return { kind: 'empty' };
  if (text.startsWith(':')) return planMeta(text);
  let parsed;
  try {
    parsed = parseCallLine(text);
  } catch (err) {
    return problem(err);
  }
  if (parsed.raw) {
    return { kind: 'call', command: parsed.command, args: parsed.args, raw: parsed.raw, change: changeOf(parsed.command, parsed.args) };
  }
  const def = lookup.command(parsed.command);
  if (def) {
    const given = parsed.args ?? {};
    const missing = lookup.commandArgs(def).filter((m) => !m.optional && !Object.hasOwn(given, m.name)).map((m) => m.name);
    if (missing.length > 0) return { kind: 'form', command: parsed.command, args: parsed.args, missing };
  }
  let args: JsonObject | undefined;
  try {
    args = validateCall(lookup, parsed);
  } catch (err) {
    return problem(err);
  }
  return { kind: 'call', command: parsed.command, args, change: changeOf(parsed.command, args) };
}

function planMeta(text: string): Plan {
  const [word = '', ...rest] = text.split(/\s+/);
  const arg = rest.join(' ') || undefined;
  const alias = META_ALIASES[word];
  if (alias) return { kind: 'meta', name: alias, arg };
  const meta = META_COMMANDS.find((m) => m.name === word);
  if (meta) return { kind: 'meta', name: meta.name.slice(1) as MetaName, arg };
  return { kind: 'problem', message: `unknown shell command ${word}`, hint: `Shell commands: ${META_COMMANDS.map((m) => m.name).join(', ')}.` };
}

function problem(err: unknown): Plan {
  if (err instanceof QemuHostError) {
    return err.hint ? { kind: 'problem', message: err.message, hint: err.hint } : { kind: 'problem', message: err.message };
  }
  throw err;
}
