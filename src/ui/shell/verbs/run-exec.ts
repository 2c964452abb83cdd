// :exec: runs a program in the guest through the verb (guest-exec, then guest-exec-status
// polls); the entry shows the pid and the time it has run, then the decoded output, how it
// ended and the truncation flags. Aborting kills the guest process (and its children).
import { readFile } from 'node:fs/promises';
import { UsageError } from '../../../protocol/errors.js';
import { runExec, type ExecResult } from '../../../verbs/exec/exec.js';
import { endMessage } from '../../../verbs/exec/exit-code.js';
import { callTimeout, type VerbRun } from './verb-context.js';
import type { ExecBody, ExecOutcome } from './verb-item.js';
import { execCommandText, type VerbRequest } from './verb-plan.js';

export function execRun(request: Extract<VerbRequest, { verb: 'exec' }>): VerbRun {
  return async (ctx) => {
    const body: ExecBody = { verb: 'exec', command: execCommandText(request.spec) };
    ctx.show(body);
    const spec = { ...request.spec };
    if (request.inputFile !== undefined) {
      try {
        spec.input = await readFile(request.inputFile);
      } catch (err) {
        throw new UsageError(`cannot read --input ${request.inputFile}: ${(err as Error).message}`);
      }
    }
    const result = await runExec(ctx.session, spec, {
      ...callTimeout(ctx),
      signal: ctx.signal,
      ...(request.timeoutMs === undefined ? {} : { timeoutMs: request.timeoutMs }),
      onStarted: (pid) => ctx.show({ ...body, pid }),
    });
    const done: ExecBody = { ...body, pid: result.pid, outcome: outcomeOf(result) };
    // How it ended (and whether it could be stopped) is in the outcome the entry shows.
    if (result.ended === 'interrupted') return { body: done, phase: 'cancelled' };
    return { body: done };
  };
}

export function outcomeOf(result: ExecResult): ExecOutcome {
  const out = decode(result.stdout);
  const err = decode(result.stderr);
  const outcome: ExecOutcome = {
    ended: result.ended,
    exited: result.exited,
    stdout: out.text,
    stderr: err.text,
    stdoutBytes: result.stdout.length,
    stderrBytes: result.stderr.length,
    stdoutBinary: out.binary,
    stderrBinary: err.binary,
    stdoutTruncated: result.stdoutTruncated,
    stderrTruncated: result.stderrTruncated,
  };
  if (result.exitCode !== undefined) outcome.exitCode = result.exitCode;
  if (result.signal !== undefined) outcome.signal = result.signal;
  const end = endMessage(result);
  if (end) outcome.end = end;
  if (result.note && result.exited) outcome.note = result.note;
  return outcome;
}

function decode(data: Buffer): { text: string; binary: boolean } {
  const text = data.toString('utf8');
  return { text, binary: !Buffer.from(text, 'utf8').equals(data) };
}
