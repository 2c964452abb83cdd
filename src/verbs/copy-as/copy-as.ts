// "Copy as": a request as a line to paste elsewhere, either `virsh qemu-agent-command` for
// a libvirt host or a socat one-liner against the agent socket itself.
//
// The socat line, and why it looks the way it does:
//   printf '\377%s\n' '{"execute":"guest-info","id":"qh-copy-1a2b3c"}' \
//     | socat -T 3 -,ignoreeof UNIX-CONNECT:/run/qga.sock | grep -a -F qh-copy-1a2b3c
// - The 0xFF byte first makes the agent drop half a request an earlier client may have
//   left in its parser; the agent answers it with a parse error (no id), which grep drops.
//   No guest-sync is needed: the reply is picked out by its id instead, which also drops
//   stale replies meant for an earlier client.
// - `-,ignoreeof`: socat must not pass printf's end of input on to the socket. Through a
//   VM's chardev, QEMU drops the connection at once when the client half-closes, before
//   the agent has answered (measured: a plain `printf | socat` prints nothing there).
// - `-T N` ends the line after N seconds of silence: the reply must begin within N
//   seconds, and the line returns N seconds after it. 3 s for most commands; the command's
//   own default timeout for slow ones (freeze, trim), or --timeout when given.
// - `grep -a`: the stream holds a 0xFF byte, which would make grep call it binary.
//
// Secrets: guest-set-user-password's password never appears in a copied line. It becomes
// "$QGA_PASSWORD", which the shell fills in when the line is pasted, so the line can go
// into notes, tickets and shell history without the password.
import { randomBytes } from 'node:crypto';
import { isJsonObject, stringifyJson, type JsonObject } from '../../protocol/json.js';
import { isSecretMember } from '../../schema/annotations.js';
import { DEFAULT_TIMEOUT_MS, KNOWN_NO_REPLY_COMMANDS, defaultTimeoutFor } from '../../session/timeouts.js';
import type { Endpoint, SocketEndpoint } from '../../transport/transport.js';
import { shellQuote, shellWord } from './shell-quote.js';

/** Seconds of silence after which the socat line gives up, for commands with the usual timeout. */
export const SOCAT_IDLE_SECONDS = 3;

export interface CopiedLine {
  line: string;
  /** Shell variables the line expects (one per secret member). */
  variables: string[];
  /** What the user should know before pasting it. */
  notes: string[];
}

export interface CopyOptions {
  /** --timeout, when given: replaces the command's default. */
  timeoutMs?: number;
  /** Whether the command sends no reply on success (from the schema); guessed from the name otherwise. */
  noReply?: boolean;
}

const MARKER_PREFIX = '@@qemu-host-secret:';

/** The variable a secret member is read from: password -> QGA_PASSWORD. */
export function secretVariable(member: string): string {
  return `QGA_${member.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** `virsh [-c URI] qemu-agent-command DOMAIN '{...}'`. DOMAIN stays a placeholder unless given. */
export function virshLine(request: JsonObject, options: CopyOptions & { domain?: string; uri?: string } = {}): CopiedLine {
  const { id: _id, ...body } = request;
  const json = requestWord(body);
  const words = ['virsh', ...(options.uri === undefined ? [] : ['-c', shellQuote(options.uri)])];
  words.push('qemu-agent-command', options.domain === undefined ? 'DOMAIN' : shellQuote(options.domain));
  const seconds = timeoutSeconds(String(request.execute), options.timeoutMs);
  if (seconds !== undefined) words.push('--timeout', String(seconds));
  words.push(json.word);
  const notes = [...json.notes];
  if (options.domain === undefined) notes.push('DOMAIN stands for the libvirt domain (virsh list shows the names).');
  if (noReply(request, options)) notes.push(`${String(request.execute)} sends no reply when it succeeds: virsh reports an error after its timeout even then.`);
  return { line: words.join(' '), variables: json.variables, notes };
}

/** The socat one-liner against the agent's own socket (see the top of this file). */
export function socatLine(request: JsonObject, endpoint: SocketEndpoint, options: CopyOptions & { id?: string } = {}): CopiedLine {
  const id = options.id ?? `qh-copy-${randomBytes(3).toString('hex')}`;
  const { id: _old, ...body } = request;
  const json = requestWord({ ...body, id });
  const idle = timeoutSeconds(String(request.execute), options.timeoutMs) ?? SOCAT_IDLE_SECONDS;
  const line = `printf '\\377%s\\n' ${json.word} | socat -T ${idle} -,ignoreeof ${shellQuote(socatAddress(endpoint))} | grep -a -F ${shellQuote(id)}`;
  const notes = [...json.notes];
  notes.push(`It prints the reply line, and returns ${idle} s after the agent goes quiet.`);
  if (noReply(request, options)) notes.push(`${String(request.execute)} sends no reply when it succeeds: the line prints nothing then, and the agent's error if it refuses.`);
  return { line, variables: json.variables, notes };
}

/** socat's address for an endpoint; its own special characters escaped with a backslash. */
export function socatAddress(endpoint: SocketEndpoint): string {
  const escape = (text: string): string => text.replace(/[\\:,!"'()[\]{}]/g, (ch) => `\\${ch}`);
  if (endpoint.kind === 'unix') return `UNIX-CONNECT:${escape(endpoint.path)}`;
  const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : escape(endpoint.host);
  return `TCP:${host}:${endpoint.port}`;
}

/** The endpoint a transport description names (`unix:PATH`, `tcp:HOST:PORT`, `libvirt:[URI ]DOMAIN`). */
export function endpointOfDescription(description: string): Endpoint | undefined {
  if (description.startsWith('unix:')) return { kind: 'unix', path: description.slice('unix:'.length) };
  if (description.startsWith('libvirt:')) {
    const rest = description.slice('libvirt:'.length);
    const withUri = /^(\S+:\/\/\S*) (.+)$/.exec(rest);
    return withUri ? { kind: 'libvirt', uri: withUri[1]!, domain: withUri[2]! } : { kind: 'libvirt', domain: rest };
  }
  const tcp = /^tcp:(.+):(\d+)$/.exec(description);
  if (tcp) return { kind: 'tcp', host: tcp[1]!.replace(/^\[(.*)\]$/, '$1'), port: Number(tcp[2]) };
  return undefined;
}

/** The request's JSON as one shell word, each secret replaced by its variable. */
function requestWord(request: JsonObject): { word: string; variables: string[]; notes: string[] } {
  const execute = String(request.execute);
  const args = request.arguments;
  const variables: string[] = [];
  let body = request;
  if (isJsonObject(args)) {
    const masked: JsonObject = { ...args };
    for (const member of Object.keys(args)) {
      if (!isSecretMember(execute, member)) continue;
      masked[member] = `${MARKER_PREFIX}${member}@@`;
      variables.push(secretVariable(member));
    }
    if (variables.length > 0) body = { ...request, arguments: masked };
  }
  const text = stringifyJson(body);
  const parts: Array<{ text: string } | { variable: string }> = [];
  const marker = new RegExp(`"${MARKER_PREFIX}([^@"]+)@@"`, 'g');
  let last = 0;
  for (const match of text.matchAll(marker)) {
    parts.push({ text: `${text.slice(last, match.index)}"` }, { variable: secretVariable(match[1]!) }, { text: '"' });
    last = match.index + match[0].length;
  }
  parts.push({ text: text.slice(last) });
  const merged = mergeText(parts);
  const notes = variables.map((v) =>
    `The secret is not in the line: it reads $${v}. Set it where you paste the line, to the same base64 text the agent expects (e.g. in bash: read -rs ${v}).`);
  return { word: variables.length > 0 ? shellWord(merged) : shellQuote(text), variables, notes };
}

function mergeText(parts: Array<{ text: string } | { variable: string }>): Array<{ text: string } | { variable: string }> {
  const out: Array<{ text: string } | { variable: string }> = [];
  for (const part of parts) {
    const prev = out.at(-1);
    if ('text' in part && prev && 'text' in prev) prev.text += part.text;
    else out.push({ ...part });
  }
  return out;
}

/** Seconds to pass on: --timeout when given, else the command's own default when it is longer than usual. */
function timeoutSeconds(execute: string, timeoutMs: number | undefined): number | undefined {
  if (timeoutMs !== undefined) return Math.max(1, Math.ceil(timeoutMs / 1000));
  const ms = defaultTimeoutFor(execute);
  return ms > DEFAULT_TIMEOUT_MS ? Math.ceil(ms / 1000) : undefined;
}

function noReply(request: JsonObject, options: CopyOptions): boolean {
  return options.noReply ?? KNOWN_NO_REPLY_COMMANDS.has(String(request.execute));
}
