// `:copy` and Alt+C: the request on the prompt (or given to :copy, or else the last one
// sent) as a virsh line and a socat one-liner, shown as a history notice; one of them also
// goes to the clipboard when the terminal takes one (clipboard.ts). A secret is never
// shown or copied: the lines read it from $QGA_PASSWORD instead (see verbs/copy-as).
import type { JsonObject } from '../../protocol/json.js';
import type { SchemaLookup } from '../../schema/lookup.js';
import { endpointOfDescription, socatLine, virshLine } from '../../verbs/copy-as/copy-as.js';
import { notice, type NoticeItem } from '../history/history-item.js';
import { planLine } from './plan.js';

export interface CopySource {
  /** The line to copy; empty to copy `last`. */
  line: string;
  lookup: SchemaLookup;
  /** The last request the user sent (secrets already replaced), if any. */
  last: JsonObject | undefined;
  /** The session's transport description (`unix:/path`, `tcp:host:port`, ...). */
  endpoint: string;
  timeoutMs: number | undefined;
  /** Puts a line on the clipboard; undefined when the terminal cannot take one. */
  clipboard?: ((text: string) => void) | undefined;
}

export function copyNotice(source: CopySource): NoticeItem {
  const found = requestOf(source);
  if ('problem' in found) return notice('warn', found.problem, found.hint);
  const request = found.request;
  const noReply = source.lookup.command(String(request.execute))?.successResponse === false;
  const options = { timeoutMs: source.timeoutMs, noReply };
  const endpoint = endpointOfDescription(source.endpoint);
  const virsh = virshLine(request, endpoint?.kind === 'libvirt' ? { ...options, domain: endpoint.domain, uri: endpoint.uri } : options);
  const socat = endpoint && endpoint.kind !== 'libvirt' ? socatLine(request, endpoint, options) : undefined;
  const text = socat ? `${String(request.execute)} as a virsh line, and as a socat line for ${source.endpoint}:` : `${String(request.execute)} as a virsh line:`;
  const notes = [...new Set([...virsh.notes, ...(socat?.notes ?? [])])];
  if (!socat) notes.push(endpoint?.kind === 'libvirt' ? 'No socat line: libvirt owns the socket of this guest.' : `No socat line: ${source.endpoint} is not a unix or TCP socket.`);
  // The socat line runs as it is (once nothing else holds the socket); the virsh one needs a
  // domain name unless the shell talks through libvirt.
  const clip = socat?.line ?? virsh.line;
  if (source.clipboard) {
    source.clipboard(clip);
    notes.push(`Copied the ${socat ? 'socat' : 'virsh'} line to the clipboard (OSC 52; in tmux: set -g set-clipboard on).`);
  } else {
    notes.push('Long lines wrap on screen; qemu-host call --copy-as virsh|socat COMMAND ARGS prints one on a single line.');
  }
  return { ...notice('info', text, notes.join(' ')), verbatim: socat ? [virsh.line, socat.line] : [virsh.line] };
}

type Found = { request: JsonObject } | { problem: string; hint?: string };

function requestOf(source: CopySource): Found {
  const line = source.line.trim();
  if (line === '') {
    if (!source.last) return { problem: 'Nothing to copy: type a command first (or send one), then :copy or Alt+C.' };
    const { id: _id, ...request } = source.last;
    return { request };
  }
  const plan = planLine(line, source.lookup);
  switch (plan.kind) {
    case 'call':
      return { request: plan.raw ?? (plan.args === undefined ? { execute: plan.command } : { execute: plan.command, arguments: plan.args }) };
    case 'form':
      return { problem: `Nothing to copy yet: ${plan.command} needs ${plan.missing.join(', ')}.` };
    case 'problem':
      return plan.hint === undefined ? { problem: plan.message } : { problem: plan.message, hint: plan.hint };
    case 'meta':
      return { problem: 'Only agent commands can be copied, not shell commands.' };
    case 'empty':
      return { problem: 'Nothing to copy.' };
  }
}
