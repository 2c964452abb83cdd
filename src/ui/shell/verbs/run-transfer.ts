// :get and :put through the transfer verbs: the entry carries the live progress (bytes,
// rate, ETA), then the summary and the sha256 check. Aborting stops after the chunk in
// flight: the guest handle is closed, and :get leaves no partial file on the host (the
// data goes to a temp file that is renamed into place only when whole and checked).
import { CancelledError, UsageError } from '../../../protocol/errors.js';
import { getFile } from '../../../verbs/transfer/get.js';
import { FileSink } from '../../../verbs/transfer/local-target.js';
import type { TransferProgress } from '../../../verbs/transfer/progress.js';
import { fileSource, putFile } from '../../../verbs/transfer/put.js';
import type { TransferOptions } from '../../../verbs/transfer/transfer-types.js';
import { callTimeout, type VerbContext, type VerbEnd, type VerbRun } from './verb-context.js';
import type { TransferBody } from './verb-item.js';
import type { VerbRequest } from './verb-plan.js';

/** Progress is drawn at most this often (the last update always is). */
const PROGRESS_EVERY_MS = 250;

export function getRun(request: Extract<VerbRequest, { verb: 'get' }>): VerbRun {
  return async (ctx) => {
    const body: TransferBody = { verb: 'get', from: `guest:${request.guestPath}`, to: request.local, verifying: false };
    ctx.show(body);
    const sink = await FileSink.create(request.local).catch((err: Error) => {
      throw new UsageError(`cannot write ${request.local}: ${err.message}`);
    });
    return settle(ctx, () => getFile(ctx.session, request.guestPath, sink, optionsFor(ctx, request, body)));
  };
}

export function putRun(request: Extract<VerbRequest, { verb: 'put' }>): VerbRun {
  return async (ctx) => {
    const body: TransferBody = { verb: 'put', from: request.local, to: `guest:${request.guestPath}`, verifying: false };
    ctx.show(body);
    const source = await fileSource(request.local).catch((err: Error) => {
      throw new UsageError(`cannot read ${request.local}: ${err.message}`);
    });
    return settle(ctx, () => putFile(ctx.session, source, request.guestPath, optionsFor(ctx, request, body)));
  };
}

function optionsFor(ctx: VerbContext, request: { chunk: number; verify: boolean }, body: TransferBody): TransferOptions {
  let current = body;
  let shownAt = 0;
  const show = (next: TransferBody): void => {
    current = next;
    ctx.show(next);
  };
  return {
    ...callTimeout(ctx),
    chunk: request.chunk,
    verify: request.verify,
    signal: ctx.signal,
    onOpened: (handle, total) => show({ ...current, handle, progress: { bytes: 0, total, elapsedMs: 0, rate: 0, etaMs: undefined, done: false } }),
    onProgress: (progress: TransferProgress) => {
      const now = performance.now();
      if (!progress.done && now - shownAt < PROGRESS_EVERY_MS) {
        current = { ...current, progress };
        return;
      }
      shownAt = now;
      show({ ...current, progress });
    },
    onVerifying: () => show({ ...current, verifying: true }),
  };
}

async function settle(ctx: VerbContext, transfer: () => ReturnType<typeof getFile>): Promise<VerbEnd> {
  try {
    const result = await transfer();
    const body = { ...(ctx.item().body as TransferBody), verifying: false, result };
    // The entry's body names both checksums and what was (not) kept.
    if (result.check.result === 'mismatch') return { body, phase: 'failed' };
    return { body };
  } catch (err) {
    // The verbs say what was kept and what was closed; Ctrl+C is a stop, not a failure.
    if (err instanceof CancelledError && ctx.signal.aborted) {
      return { body: { ...(ctx.item().body as TransferBody), verifying: false }, phase: 'cancelled', message: err.message };
    }
    throw err;
  }
}
