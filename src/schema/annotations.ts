// Safety facts about guest-agent commands that no QAPI schema records: which commands
// change the guest (and so need the user's confirmation, with a sentence saying what will
// happen), which members are secrets (never written to history, logs or transcripts), and
// which carry base64. They are keyed by command and member name, so they apply to any
// schema: the shipped one or a QAPI file given with --schema.
import { isJsonObject, parseJson, stringifyJson, type JsonObject, type JsonValue } from '../protocol/json.js';
import type { SchemaLookup } from './lookup.js';

/** What a secret is replaced with wherever it would be recorded. */
export const REDACTED = '<redacted>';

const SECRET_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  'guest-set-user-password': ['password'],
};

interface Base64Sides {
  args: readonly string[];
  returns: readonly string[];
}

/** Members whose value is base64 (the agent decodes or encodes it), by command. */
const BASE64_MEMBERS: Readonly<Record<string, Base64Sides>> = {
  'guest-file-write': { args: ['buf-b64'], returns: [] },
  'guest-file-read': { args: [], returns: ['buf-b64'] },
  'guest-exec': { args: ['input-data'], returns: [] },
  'guest-exec-status': { args: [], returns: ['out-data', 'err-data'] },
  // The password (or its crypt() hash) is sent base64-encoded.
  'guest-set-user-password': { args: ['password'], returns: [] },
};

type ChangeSentence = (args: JsonObject) => string | undefined;

/** Commands that change the guest, each with what it will do, worded from its arguments. */
const CHANGES: Readonly<Record<string, ChangeSentence>> = {
  'guest-shutdown': (a) => {
    const mode = str(a.mode);
    if (mode === undefined || mode === 'powerdown') return 'shuts the guest down';
    if (mode === 'halt') return 'halts the guest';
    if (mode === 'reboot') return 'reboots the guest';
    return `asks the guest to shut down (mode ${JSON.stringify(mode)})`;
  },
  'guest-suspend-disk': () => 'hibernates the guest (suspend to disk)',
  'guest-suspend-ram': () => 'suspends the guest to RAM (sleep)',
  'guest-suspend-hybrid': () => 'suspends the guest to RAM and disk (hybrid sleep)',
  'guest-fsfreeze-freeze': () => 'freezes every guest filesystem: writes in the guest block until they are thawed',
  'guest-fsfreeze-freeze-list': (a) => {
    const points = Array.isArray(a.mountpoints) ? a.mountpoints.map(String) : [];
    if (points.length === 0) return 'freezes every guest filesystem: writes in the guest block until they are thawed';
    return `freezes ${list(points)}: writes there block until thawed`;
  },
  'guest-fsfreeze-thaw': () => "thaws the guest's frozen filesystems",
  'guest-fstrim': () => 'discards unused blocks on every guest filesystem (TRIM)',
  'guest-set-time': (a) => {
    if (a.time === undefined) return "sets the guest's system clock from its hardware clock";
    return `sets the guest clock to ${nanosToIso(a.time) ?? String(a.time)}`;
  },
  'guest-set-user-password': (a) => `changes the password of guest user ${quoted(a.username)}`,
  'guest-set-vcpus': (a) => onlineChanges(a.vcpus, 'logical-id', 'vCPU'),
  'guest-set-memory-blocks': (a) => onlineChanges(a['mem-blks'], 'phys-index', 'memory block'),
  'guest-ssh-add-authorized-keys': (a) => {
    const n = count(a.keys, 'SSH key');
    return a.reset === true
      ? `replaces the SSH authorized keys of ${quoted(a.username)} with ${n}`
      : `adds ${n} to the SSH authorized keys of ${quoted(a.username)}`;
  },
  'guest-ssh-remove-authorized-keys': (a) => `removes ${count(a.keys, 'SSH key')} from the SSH authorized keys of ${quoted(a.username)}`,
  'guest-file-write': (a) => {
    const bytes = typeof a['buf-b64'] === 'string' ? Buffer.from(a['buf-b64'], 'base64').length : undefined;
    const n = typeof a.count === 'number' ? a.count : bytes;
    return `writes ${n === undefined ? 'data' : `${n} byte${n === 1 ? '' : 's'}`} to guest file handle ${String(a.handle)}`;
  },
  'guest-file-open': (a) => {
    const mode = str(a.mode) ?? 'r';
    const path = quoted(a.path);
    if (mode.startsWith('w')) return `creates or empties ${path} in the guest and opens it for writing`;
    if (mode.startsWith('a')) return `opens ${path} in the guest for appending (creating it if needed)`;
    if (mode.includes('+')) return `opens ${path} in the guest for reading and writing`;
    return undefined;
  },
  'guest-exec': (a) => {
    const argv = [str(a.path) ?? '?', ...(Array.isArray(a.arg) ? a.arg.map(String) : [])].join(' ');
    return `runs ${argv.length > 80 ? `${argv.slice(0, 80)}…` : argv} in the guest`;
  },
};

/**
 * What running `command` with `args` will change in the guest, as a short sentence for a
 * confirmation prompt ("shuts the guest down"), or undefined when it changes nothing.
 */
export function changeOf(command: string, args: JsonObject | undefined): string | undefined {
  return CHANGES[command]?.(args ?? {});
}

/** Whether the command can change the guest with some arguments (guest-file-open only in a write mode). */
export function mayChangeGuest(command: string): boolean {
  return Object.hasOwn(CHANGES, command);
}

/** Whether the member at `path` (dotted, e.g. `password`) of `command` holds a secret. */
export function isSecretMember(command: string, path: string): boolean {
  return SECRET_MEMBERS[command]?.includes(path) ?? false;
}

/** A copy of `args` with every secret replaced by REDACTED (the same object when there is none). */
export function redactSecrets(command: string, args: JsonObject): JsonObject;
export function redactSecrets(command: string, args: JsonObject | undefined): JsonObject | undefined;
export function redactSecrets(command: string, args: JsonObject | undefined): JsonObject | undefined {
  const secrets = SECRET_MEMBERS[command];
  if (!args || !secrets || !secrets.some((name) => Object.hasOwn(args, name))) return args;
  const copy: JsonObject = { ...args };
  for (const name of secrets) if (Object.hasOwn(copy, name)) copy[name] = REDACTED;
  return copy;
}

/** A request object (`{"execute", "arguments", "id"}`) with its secrets redacted. */
export function redactRequest<T extends object>(request: T): T {
  const req = request as unknown as JsonObject;
  const execute = req.execute;
  const args = req.arguments;
  if (typeof execute !== 'string' || !isJsonObject(args)) return request;
  const redacted = redactSecrets(execute, args);
  return redacted === args ? request : ({ ...req, arguments: redacted } as unknown as T);
}

/**
 * A request line as it goes over the wire, with its secrets redacted: for wire logs and
 * transcripts. A line that does not parse but names a command with secrets has every
 * secret member's string value blanked all the same.
 */
export function redactRequestText(text: string): string {
  // Most lines name no command with secrets: then there is nothing to hide, and a 1 MiB
  // guest-file-write need not be parsed again just to say so. A name spelled with \u
  // escapes cannot be seen that way, so such lines are always parsed.
  if (!text.includes('\\u') && !SECRET_COMMANDS.some((command) => text.includes(command))) return text;
  let value: JsonValue;
  try {
    value = parseJson(text);
  } catch {
    return redactUnparsed(text);
  }
  if (!isJsonObject(value)) return text;
  const redacted = redactRequest(value);
  return redacted === value ? text : stringifyJson(redacted);
}

const SECRET_COMMANDS = Object.keys(SECRET_MEMBERS);

function redactUnparsed(text: string): string {
  let out = text;
  for (const [command, members] of Object.entries(SECRET_MEMBERS)) {
    if (!out.includes(command)) continue;
    for (const name of members) {
      const pattern = new RegExp(`("${name}"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"?`, 'g');
      out = out.replace(pattern, `$1"${REDACTED}"`);
    }
  }
  return out;
}

/** The members of `command` that carry base64, on the arguments side or in the return value. */
export function base64Members(command: string, side: 'args' | 'returns' = 'args'): readonly string[] {
  return BASE64_MEMBERS[command]?.[side] ?? [];
}

/**
 * Whether the schema says `command` sends no reply on success (success-response: false).
 * Undefined when the schema does not have the command.
 */
export function sendsNoReply(lookup: SchemaLookup, command: string): boolean | undefined {
  const def = lookup.command(command);
  return def === undefined ? undefined : !def.successResponse;
}

// ---- wording helpers -----------------------------------------------------------------

function str(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function quoted(value: JsonValue | undefined): string {
  return typeof value === 'string' ? JSON.stringify(value) : '?';
}

function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function count(value: JsonValue | undefined, noun: string): string {
  const n = Array.isArray(value) ? value.length : 0;
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function nanosToIso(value: JsonValue | undefined): string | undefined {
  let nanos: bigint;
  if (typeof value === 'bigint') nanos = value;
  else if (typeof value === 'number' && Number.isInteger(value)) nanos = BigInt(value);
  else return undefined;
  const ms = Number(nanos / 1_000_000n);
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** "brings vCPU 1 online and takes vCPU 2 offline". */
function onlineChanges(value: JsonValue | undefined, key: string, noun: string): string {
  const entries = Array.isArray(value) ? value.filter(isJsonObject) : [];
  const on = entries.filter((e) => e.online === true).map((e) => String(e[key]));
  const off = entries.filter((e) => e.online === false).map((e) => String(e[key]));
  const parts: string[] = [];
  if (on.length) parts.push(`brings ${noun}${on.length === 1 ? '' : 's'} ${list(on)} online`);
  if (off.length) parts.push(`takes ${noun}${off.length === 1 ? '' : 's'} ${list(off)} offline`);
  return parts.length ? parts.join(' and ') : `changes which guest ${noun}s are online`;
}
