// Completion for the shell prompt: given the line and the cursor, what could come next.
//
//   gu|                      -> commands (fuzzy, ranked)
//   guest-file-open |        -> members: path=, mode=   (required first, given ones left out)
//   guest-exec capture-o|    -> members matching the word
//   guest-file-seek whence=| -> the enum's values: set, cur, end
//   guest-exec path=|        -> no choices; `hint` carries the member's help
//   read file|               -> a search: commands whose name or summary has every word
//   :help guest-f|           -> the shell's own :commands, and command names after :help
//   :put src/ma|             -> names on this machine, for the arguments that are host paths
import type { SchemaLookup } from '../schema/lookup.js';
import { isList } from '../schema/model.js';
import { CommandIndex } from './command-index.js';
import { hostPathCandidates, pathArgumentIndex, type ListDir } from './host-paths.js';
import { splitForCompletion, type LineWord } from './line-words.js';
import { choicesFor, describeMember, memberAt, membersOfType } from './member-choices.js';
import { UNKNOWN_SUPPORT, type AgentSupport, type Candidate, type Completion } from './types.js';

/** A shell command such as `:help`; `takesCommand` completes a command name after it. */
export interface MetaCommand {
  name: string;
  help: string;
  takesCommand?: boolean;
  /** With takesCommand: only the commands this accepts are offered (`:watch`: read-only ones). */
  commands?: (name: string) => boolean;
  /** Accepting it leaves a space for the arguments that follow. */
  takesArgs?: boolean;
  /** The path arguments (0 = the first, options not counted) that name files on this machine. */
  hostPaths?: readonly number[];
}

export interface CompleterOptions {
  /** Where relative host paths start (the shell's working directory). */
  cwd?: () => string;
  listDir?: ListDir;
}

export class Completer {
  readonly lookup: SchemaLookup;
  readonly index: CommandIndex;
  private readonly meta: readonly MetaCommand[];
  private readonly options: CompleterOptions;

  constructor(lookup: SchemaLookup, meta: readonly MetaCommand[] = [], options: CompleterOptions = {}) {
    this.lookup = lookup;
    this.index = new CommandIndex(lookup);
    this.meta = meta;
    this.options = options;
  }

  complete(line: string, cursor: number = line.length, support: AgentSupport = UNKNOWN_SUPPORT): Completion {
    const before = line.slice(0, cursor);
    if (before.trimStart().startsWith('{')) return none(cursor);
    const { words, atNewWord } = splitForCompletion(before);
    const current: LineWord = atNewWord || words.length === 0 ? { text: '', start: cursor, end: cursor } : words[words.length - 1]!;
    const index = atNewWord ? words.length : Math.max(0, words.length - 1);
    const first = words[0]?.text ?? '';

    if (first.startsWith(':')) return this.completeMeta(words, index, current, support);
    if (index === 0) {
      return { context: 'command', from: current.start, to: current.end, query: current.text, candidates: this.index.search(current.text, support) };
    }
    const command = first;
    if (!this.lookup.command(command)) {
      // Words that name no command, none of them an argument: a search for one (`read file`).
      const from = words[0]!.start;
      const query = before.slice(from);
      const found = words.some((w) => w.text.includes('=')) ? [] : this.index.searchWords(query, support);
      if (found.length > 0) return { context: 'command', from, to: cursor, query, candidates: found };
      return { ...none(cursor), command };
    }
    const given = new Set(words.slice(1, atNewWord ? undefined : -1).map((w) => w.text.split('=')[0]!));
    const eq = current.text.indexOf('=');
    if (eq > 0) return this.completeValue(command, current, eq, support);
    return this.completeMember(command, current, given, support);
  }

  private completeMember(command: string, word: LineWord, given: Set<string>, support: AgentSupport): Completion {
    const dot = word.text.lastIndexOf('.');
    const parentPath = dot === -1 ? '' : word.text.slice(0, dot);
    const query = word.text.slice(dot + 1).toLowerCase();
    const cmd = this.lookup.command(command)!;
    let members = this.lookup.commandArgs(cmd);
    if (parentPath) {
      const parent = memberAt(this.lookup, command, parentPath);
      members = parent ? membersOfType(this.lookup, parent.type) : [];
    }
    const availability = support.availability(command);
    const prefix = parentPath ? `${parentPath}.` : '';
    const matches = members
      // A list member can be given again (arg=-l arg=/): it stays on offer.
      .filter((m) => !given.has(prefix + m.name) || isList(m.type))
      .filter((m) => m.name.startsWith(query) || (query.length > 1 && m.name.includes(query)))
      .sort((a, b) => Number(a.optional) - Number(b.optional));
    const candidates: Candidate[] = matches.map((m) => {
      const nested = membersOfType(this.lookup, m.type).length > 0 && !Array.isArray(m.type);
      return {
        kind: 'member',
        label: `${prefix}${m.name}${nested ? '.' : '='}`,
        insert: `${prefix}${m.name}${nested ? '.' : '='}`,
        help: m.doc ?? cmd.doc.members[m.name] ?? '',
        detail: describeMember(m),
        availability,
        continues: true,
      };
    });
    return { context: 'member', from: word.start, to: word.end, query: word.text, candidates, command };
  }

  private completeValue(command: string, word: LineWord, eq: number, support: AgentSupport): Completion {
    const path = word.text.slice(0, eq);
    const query = word.text.slice(eq + 1);
    const member = memberAt(this.lookup, command, path);
    const from = word.start;
    if (!member) return { context: 'value', from, to: word.end, query, candidates: [], command, hint: `${command} has no argument ${path}` };
    const availability = support.availability(command);
    const candidates: Candidate[] = choicesFor(this.lookup, member.type)
      .filter((c) => c.value.startsWith(query))
      .map((c) => ({
        kind: 'value',
        label: c.value,
        insert: `${path}=${c.value} `,
        help: c.help,
        availability,
        continues: false,
      }));
    const hint = `${path}: ${describeMember(member)}${member.doc ? ` — ${member.doc}` : ''}`;
    return { context: 'value', from, to: word.end, query, candidates, command, hint };
  }

  private completeMeta(words: LineWord[], index: number, word: LineWord, support: AgentSupport): Completion {
    if (index === 0) {
      const q = word.text.toLowerCase();
      const candidates: Candidate[] = this.meta
        .filter((m) => m.name.startsWith(q))
        .map((m) => {
          const more = m.takesCommand === true || m.takesArgs === true;
          return { kind: 'meta', label: m.name, insert: more ? `${m.name} ` : m.name, help: m.help, availability: 'enabled', continues: more };
        });
      return { context: 'meta', from: word.start, to: word.end, query: word.text, candidates };
    }
    const meta = this.meta.find((m) => m.name === words[0]!.text);
    if (meta?.takesCommand && index === 1) {
      const candidates = this.index.search(word.text, support)
        .filter((c) => meta.commands?.(c.label) ?? true)
        .map((c) => ({ ...c, insert: c.label, continues: false }));
      return { context: 'command', from: word.start, to: word.end, query: word.text, candidates };
    }
    const position = meta?.hostPaths ? pathArgumentIndex(words.map((w) => w.text).concat(index >= words.length ? [''] : []), index) : undefined;
    if (position !== undefined && meta?.hostPaths?.includes(position)) {
      const cwd = this.options.cwd?.() ?? process.cwd();
      const candidates = hostPathCandidates(word.text, cwd, this.options.listDir);
      return { context: 'path', from: word.start, to: word.end, query: word.text, candidates };
    }
    return none(word.end);
  }
}

function none(cursor: number): Completion {
  return { context: 'none', from: cursor, to: cursor, query: '', candidates: [] };
}
