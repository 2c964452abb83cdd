// The one-line call syntax shared by `qemu-host call`, batch mode and the shell prompt:
//
//   guest-file-open path=/etc/hostname mode=r      key=value pairs (qmp-shell style)
//   guest-exec path=/bin/ls arg='["-l","/"]'       values are JSON when they parse, else strings
//   guest-exec path=/bin/ls arg=-l arg=/           a key given again adds to a list
//   guest-exec path=/bin/sh capture-output.x=1     dotted keys nest objects
//   guest-file-open {"path": "/etc/hostname"}      or one JSON object of arguments
//   {"execute": "guest-ping", "id": 7}             a raw request, sent exactly as written
import { UsageError } from '../protocol/errors.js';
import { isJsonObject, parseJson, type JsonObject, type JsonValue } from '../protocol/json.js';
import { tokenize } from './tokenize.js';

export interface ParsedCall {
  command: string;
  /** Undefined when no arguments were given. */
  args: JsonObject | undefined;
  /** Set for a raw request line: the object to send verbatim. */
  raw?: JsonObject;
  /**
   * The text the user typed for each key=value, by dotted path. Lets validation turn
   * `name=123` into the string "123" when the schema wants a string.
   */
  typed: Map<string, string>;
  /**
   * Keys given more than once: their value is the list of what was given, in order, and
   * `typed` holds each one's text as `key[0]`, `key[1]`, ... Validation accepts this only
   * where the schema wants a list.
   */
  repeated?: Set<string>;
}

const KEY_PATTERN = /^[A-Za-z0-9_*-][A-Za-z0-9_.*-]*$/;
/** A line that is one plain word (a command without arguments): nothing to split or unquote. */
const PLAIN_WORD = /^[A-Za-z0-9_.:-]+$/;

/** Parses a whole line: a raw JSON request, or a command followed by arguments. */
export function parseCallLine(line: string): ParsedCall {
  const trimmed = line.trim();
  if (trimmed.startsWith('{')) return parseRawRequest(trimmed);
  if (PLAIN_WORD.test(trimmed)) return parseCallWords(trimmed, []);
  // `COMMAND {json}`: the JSON is taken verbatim, not split into shell words (which would
  // eat its double quotes).
  const json = /^(\S+)\s+(\{[\s\S]*)$/.exec(trimmed);
  if (json && !json[1]!.includes('=')) return parseCallWords(json[1]!, [json[2]!]);
  const words = tokenize(trimmed);
  const [command, ...rest] = words;
  if (!command) throw new UsageError('empty command line', { hint: 'Type a command, e.g. guest-ping.' });
  return parseCallWords(command, rest);
}

/** Parses a command and its argument words (as given on the command line). */
export function parseCallWords(command: string, words: string[]): ParsedCall {
  const typed = new Map<string, string>();
  if (words.length === 0) return { command, args: undefined, typed };
  if (words.length === 1 && words[0]!.trimStart().startsWith('{')) {
    return { command, args: parseJsonObject(words[0]!, `arguments of ${command}`), typed };
  }
  const args: JsonObject = {};
  let repeated: Set<string> | undefined;
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq <= 0) {
      throw new UsageError(`argument "${word}" of ${command} is not key=value`, {
        hint: `Write arguments as key=value, e.g. ${command} path=/etc/hostname, or give one JSON object.`,
      });
    }
    const key = word.slice(0, eq);
    const text = word.slice(eq + 1);
    if (!KEY_PATTERN.test(key) || key.split('.').some((part) => part === '')) {
      throw new UsageError(`"${key}" is not a valid argument name`, { hint: 'Names are like path or capture-output; dots nest (a.b=1).' });
    }
    if (typed.has(key) || repeated?.has(key)) {
      repeated ??= new Set();
      addRepeat(args, key, valueOf(text), typed, repeated, text);
      continue;
    }
    setPath(args, key, valueOf(text), command);
    typed.set(key, text);
  }
  return repeated ? { command, args, typed, repeated } : { command, args, typed };
}

/** The object holding the member a dotted key already given names, and that member's name. */
function holderOf(args: JsonObject, key: string): { node: JsonObject; leaf: string } {
  const parts = key.split('.');
  let node = args;
  for (const part of parts.slice(0, -1)) node = node[part] as JsonObject;
  return { node, leaf: parts.at(-1)! };
}

/**
 * Replaces what was given for `key` (a key=value of `parsed`, given once) with `text`, taken
 * as the user's text: a secret read from the terminal in place of `password=-`.
 */
export function replaceTypedValue(parsed: ParsedCall, key: string, text: string): void {
  if (!parsed.args || !parsed.typed.has(key)) throw new Error(`${key} was not given as key=value`);
  const { node, leaf } = holderOf(parsed.args, key);
  node[leaf] = text;
  parsed.typed.set(key, text);
}

/** `key` given again: its value becomes (or grows) the list of every value given for it. */
function addRepeat(args: JsonObject, key: string, value: JsonValue, typed: Map<string, string>, repeated: Set<string>, text: string): void {
  const { node, leaf } = holderOf(args, key);
  if (!repeated.has(key)) {
    const first = typed.get(key)!;
    typed.delete(key);
    typed.set(`${key}[0]`, first);
    node[leaf] = [node[leaf]!];
    repeated.add(key);
  }
  const list = node[leaf] as JsonValue[];
  typed.set(`${key}[${list.length}]`, text);
  list.push(value);
}

/** A value is JSON when it parses as JSON, and the text itself otherwise. */
function valueOf(text: string): JsonValue {
  if (text === '') return '';
  try {
    return parseJson(text);
  } catch {
    return text;
  }
}

function setPath(target: JsonObject, dotted: string, value: JsonValue, command: string): void {
  const parts = dotted.split('.');
  let node = target;
  for (const [i, part] of parts.entries()) {
    const last = i === parts.length - 1;
    const existing = node[part];
    if (last) {
      if (existing !== undefined) throw new UsageError(`argument ${dotted} of ${command} is given twice`);
      node[part] = value;
      return;
    }
    if (existing === undefined) {
      const child: JsonObject = {};
      node[part] = child;
      node = child;
    } else if (isJsonObject(existing)) {
      node = existing;
    } else {
      throw new UsageError(`argument ${parts.slice(0, i + 1).join('.')} of ${command} is both a value and an object`);
    }
  }
}

function parseJsonObject(text: string, what: string): JsonObject {
  let value: JsonValue;
  try {
    value = parseJson(text);
  } catch (err) {
    throw new UsageError(`${what} is not valid JSON: ${(err as Error).message}`, {
      hint: 'Check quotes and commas; in a shell, wrap the JSON in single quotes.',
    });
  }
  if (!isJsonObject(value)) throw new UsageError(`${what} must be a JSON object, not ${Array.isArray(value) ? 'an array' : typeof value}`);
  return value;
}

function parseRawRequest(text: string): ParsedCall {
  const raw = parseJsonObject(text, 'the request');
  const execute = raw.execute;
  if (typeof execute !== 'string' || execute === '') {
    throw new UsageError('a raw JSON request needs an "execute" key naming the command', {
      hint: 'For example {"execute": "guest-ping"}.',
    });
  }
  const args = raw.arguments;
  return { command: execute, args: isJsonObject(args) ? args : undefined, raw, typed: new Map() };
}
