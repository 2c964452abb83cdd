// `qemu-host call --copy-as virsh|virsh:DOMAIN|socat COMMAND ARGS`: print the request as
// a line to paste elsewhere, checked against the schema like `call`, and send nothing.
// The line goes to stdout alone (so `$(...)` captures it); notes go to stderr.
import { resolve } from 'node:path';
import { UsageError } from '../protocol/errors.js';
import { stringifyJson, type JsonObject } from '../protocol/json.js';
import { socatLine, virshLine, type CopiedLine } from '../verbs/copy-as/copy-as.js';
import { endpointFrom, type CliContext } from './context.js';
import type { PreparedCall } from './prepare.js';

export function copyAsLine(ctx: CliContext, kind: string, prepared: PreparedCall, noReply: boolean): CopiedLine {
  const request: JsonObject = prepared.options.raw
    ?? (prepared.args === undefined ? { execute: prepared.command } : { execute: prepared.command, arguments: prepared.args });
  const options = { timeoutMs: ctx.timeoutMs, noReply };
  const endpoint = endpointFrom(ctx.options);
  // --domain (and --connect) name the libvirt guest the virsh line is for.
  const libvirt = endpoint?.kind === 'libvirt' ? { domain: endpoint.domain, ...(endpoint.uri === undefined ? {} : { uri: endpoint.uri }) } : {};
  if (kind === 'virsh') return virshLine(request, { ...options, ...libvirt });
  if (kind.startsWith('virsh:') && kind.length > 'virsh:'.length) return virshLine(request, { ...options, ...libvirt, domain: kind.slice('virsh:'.length) });
  if (kind === 'socat') {
    if (endpoint?.kind === 'libvirt') {
      throw new UsageError('--copy-as socat needs the agent socket, and with --domain libvirt owns it', { hint: 'Use --copy-as virsh for a libvirt guest.' });
    }
    if (!endpoint) {
      throw new UsageError('--copy-as socat needs the agent socket to put in the line', {
        hint: 'Give -s /path/to/qga.sock or --tcp HOST:PORT (nothing is sent to it).',
      });
    }
    // The line is pasted elsewhere: a relative socket path would point somewhere else there.
    return socatLine(request, endpoint.kind === 'unix' ? { kind: 'unix', path: resolve(endpoint.path) } : endpoint, options);
  }
  throw new UsageError(`--copy-as takes virsh, virsh:DOMAIN or socat, not "${kind}"`);
}

export function printCopied(ctx: CliContext, copied: CopiedLine): void {
  if (ctx.json) {
    ctx.stdout.write(`${stringifyJson(copied)}\n`);
    return;
  }
  ctx.stdout.write(`${copied.line}\n`);
  for (const note of copied.notes) ctx.stderr.write(`qemu-host: ${note}\n`);
}
