// What get and put share on the command line: the chunk size, the progress bar on a
// terminal, Ctrl+C, the final summary, and the exit status a transfer's result deserves.
import path from 'node:path';
import { CancelledError } from '../../protocol/errors.js';
import { stringifyJson } from '../../protocol/json.js';
import type { Session } from '../../session/session.js';
import type { TransferProgress } from '../../verbs/transfer/progress.js';
import { formatBytes, formatDuration, formatRate, progressLine } from '../../verbs/transfer/progress-text.js';
import type { TransferOptions, TransferResult } from '../../verbs/transfer/transfer-types.js';
import { LIBVIRT_DEFAULT_WRITE_CHUNK, LIBVIRT_MAX_READ_CHUNK, LIBVIRT_MAX_WRITE_CHUNK } from '../../transport/libvirt/libvirt-transport.js';
import { DEFAULT_CHUNK, checkChunk } from '../../verbs/transfer/chunk-size.js';
import type { Endpoint } from '../../transport/transport.js';
import { openSession, requireEndpoint, type CliContext } from '../context.js';
import { printError } from '../output.js';
import { EXIT_INTERRUPTED, StatusLine, interruptOnSigint, parseSize } from './verb-cli.js';

/** --chunk as given (or the endpoint's default), checked against the endpoint's ceiling. */
export function chunkFrom(ctx: CliContext, given: string | undefined, direction: 'read' | 'write'): number {
  const endpoint = requireEndpoint(ctx.options);
  return checkChunk(given === undefined ? defaultChunkFor(endpoint, direction) : parseSize(given, '--chunk'), chunkLimitFor(endpoint, direction));
}

export interface TransferRun {
  /** The file named on the progress line. */
  file: string;
  chunk: number;
  verify: boolean;
  /** Where the summary goes in --json (stderr when the data itself goes to stdout). */
  out: NodeJS.WritableStream;
  /** Called before a second Ctrl+C ends the process (get drops its partial file). */
  beforeForcedExit?: () => void;
  transfer(session: Session, options: TransferOptions): Promise<TransferResult>;
}

/** Runs one transfer on a fresh session: progress on stderr, Ctrl+C, the summary and exit status. */
export async function runTransfer(ctx: CliContext, run: TransferRun): Promise<number> {
  const status = new StatusLine(process.stderr, true);
  const interrupt = interruptOnSigint('interrupted', run.beforeForcedExit);
  const session = openSession(requireEndpoint(ctx.options));
  try {
    const result = await run.transfer(session, {
      chunk: run.chunk,
      verify: run.verify,
      signal: interrupt.signal,
      callTimeoutMs: ctx.timeoutMs,
      ...progressDisplay(path.basename(run.file), status),
    });
    status.clear();
    return reportTransfer(result, ctx.json, run.out, process.stderr);
  } catch (err) {
    status.clear();
    const code = printError(ctx, err);
    return err instanceof CancelledError && interrupt.signal.aborted ? EXIT_INTERRUPTED : code;
  } finally {
    interrupt.dispose();
    session.close();
  }
}

/** The ceiling on --chunk that the endpoint's transport imposes on reads or writes, if any. */
export function chunkLimitFor(endpoint: Endpoint, direction: 'read' | 'write'): { max: number; why: string } | undefined {
  if (endpoint.kind !== 'libvirt') return undefined;
  if (direction === 'read') {
    return {
      max: LIBVIRT_MAX_READ_CHUNK,
      why: 'libvirt carries at most 4 MiB per reply, and a chunk travels base64-encoded (4/3 bigger).',
    };
  }
  return {
    max: LIBVIRT_MAX_WRITE_CHUNK,
    why: 'Through libvirt, bigger guest-file-write requests were seen to reach the agent garbled; 64K (the default there) is safe.',
  };
}

/** The default --chunk for the endpoint: smaller for writes through libvirt. */
export function defaultChunkFor(endpoint: Endpoint, direction: 'read' | 'write'): number {
  return endpoint.kind === 'libvirt' && direction === 'write' ? LIBVIRT_DEFAULT_WRITE_CHUNK : DEFAULT_CHUNK;
}

/** Redraws at most this often. */
const REDRAW_MS = 100;

/** Progress callbacks that draw a bar on stderr when it is a terminal, nothing otherwise. */
export function progressDisplay(label: string, status: StatusLine): Pick<TransferOptions, 'onProgress' | 'onVerifying'> {
  let last = 0;
  return {
    onProgress: (p: TransferProgress) => {
      const now = performance.now();
      if (!p.done && now - last < REDRAW_MS) return;
      last = now;
      status.show(progressLine(label, p));
    },
    onVerifying: () => status.show(`${label} checking sha256 in the guest…`),
  };
}

/** Prints the summary and returns the exit status: 1 on a checksum mismatch, else 0. */
export function reportTransfer(result: TransferResult, json: boolean, out: NodeJS.WritableStream, err: NodeJS.WritableStream): number {
  const failed = result.check.result === 'mismatch';
  if (json) {
    out.write(`${stringifyJson(result)}\n`);
    return failed ? 1 : 0;
  }
  const [from, to] = result.direction === 'get' ? [`guest:${result.guestPath}`, result.local] : [result.local, `guest:${result.guestPath}`];
  const rate = result.ms > 0 ? formatRate((result.bytes * 1000) / result.ms) : 'instant';
  err.write(`qemu-host: ${result.direction === 'get' ? 'got' : 'put'} ${from} -> ${to}: ${formatBytes(result.bytes)} in ${formatDuration(result.ms)} (${rate})\n`);
  const check = result.check;
  switch (check.result) {
    case 'match':
      err.write(`qemu-host: sha256 ${check.sha256} matches the guest's copy\n`);
      break;
    case 'skipped':
      err.write(`qemu-host: sha256 check SKIPPED: ${check.reason} (host side: ${check.sha256})\n`);
      break;
    case 'off':
      err.write(`qemu-host: sha256 not compared (--no-verify); host side: ${check.sha256}\n`);
      break;
    case 'mismatch':
      err.write(`qemu-host: CHECKSUM MISMATCH: host ${check.sha256}, guest ${check.guestSha256}\n`);
      err.write(result.direction === 'get'
        ? `  Nothing was saved to ${result.local}. Did the guest file change during the copy? Try again.\n`
        : `  The guest file differs from ${result.local}. Did either change during the copy? Try again.\n`);
      break;
  }
  return failed ? 1 : 0;
}
