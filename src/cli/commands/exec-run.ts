// What `qemu-host exec` does (declared in exec.ts, loaded when it runs): start the program
// in the guest, wait for it, print its output and exit with its status.
import { UsageError } from '../../protocol/errors.js';
import { stringifyJson } from '../../protocol/json.js';
import { endMessage, exitCodeOf } from '../../verbs/exec/exit-code.js';
import { describeSpec, shellSpec, type ExecSpec } from '../../verbs/exec/exec-request.js';
import { runExec, type ExecResult } from '../../verbs/exec/exec.js';
import { contextFrom, openSession, requireEndpoint, type GlobalOptions } from '../context.js';
import { printError } from '../output.js';
import { StatusLine, interruptOnSigint, parseDuration, readAll, readInputFile, writeFully } from './verb-cli.js';

export interface ExecOptions {
  shell?: string;
  env?: string[];
  input?: string;
  stdin?: boolean;
  timeout?: string;
}

/** Show "still running" on a terminal once the wait is longer than this. */
const WAITING_NOTICE_MS = 1_000;

export async function runExecCommand(globals: GlobalOptions, words: string[], opts: ExecOptions): Promise<number> {
  const ctx = contextFrom(globals);
  let spec: ExecSpec;
  let timeoutMs: number | undefined;
  try {
    spec = await specFrom(words, opts);
    timeoutMs = opts.timeout === undefined ? undefined : parseDuration(opts.timeout, '--timeout');
  } catch (err) {
    return printError(ctx, err);
  }
  const session = openSession(requireEndpoint(globals));
  const interrupt = interruptOnSigint();
  const status = new StatusLine(process.stderr, !ctx.json);
  try {
    const result = await runExec(session, spec, {
      timeoutMs,
      signal: interrupt.signal,
      callTimeoutMs: ctx.timeoutMs,
      onPoll: ({ pid, elapsedMs }) => {
        if (elapsedMs >= WAITING_NOTICE_MS) {
          status.show(`running in the guest: ${describeSpec(spec)} (pid ${pid}, ${Math.floor(elapsedMs / 1000)} s; output comes when it exits, Ctrl+C stops it)`);
        }
      },
      onKill: (pid, reason) => {
        status.clear();
        ctx.stderr.write(`qemu-host: ${reason === 'timed-out' ? 'time limit reached' : 'interrupted'}: killing guest process ${pid}\n`);
      },
    });
    status.clear();
    await report(ctx.json, result);
    return exitCodeOf(result);
  } catch (err) {
    status.clear();
    return printError(ctx, err);
  } finally {
    interrupt.dispose();
    session.close();
  }
}

async function specFrom(words: string[], opts: ExecOptions): Promise<ExecSpec> {
  let spec: ExecSpec;
  if (opts.shell !== undefined) {
    if (words.length > 0) throw new UsageError('give either --shell LINE or a command, not both', { hint: "For example: qemu-host exec --shell 'ls -l | wc -l'" });
    spec = shellSpec(opts.shell);
  } else {
    const [path, ...args] = words;
    if (path === undefined) throw new UsageError('exec needs a command', { hint: "For example: qemu-host exec -- uname -a, or qemu-host exec --shell 'echo $HOME'" });
    spec = { path, args };
  }
  if (opts.env && opts.env.length > 0) spec.env = opts.env;
  if (opts.input !== undefined) spec.input = await readInputFile(opts.input);
  else if (opts.stdin !== false && !process.stdin.isTTY) {
    const input = await readAll(process.stdin);
    if (input.length > 0) spec.input = input;
  }
  return spec;
}

async function report(json: boolean, result: ExecResult): Promise<void> {
  if (json) {
    await writeFully(process.stdout, `${stringifyJson(jsonOf(result))}\n`);
    return;
  }
  await writeFully(process.stdout, result.stdout);
  await writeFully(process.stderr, result.stderr);
  const warnings: string[] = [];
  if (result.stdoutTruncated) warnings.push('stdout was TRUNCATED by the guest agent (it keeps 16 MiB): the rest is lost');
  if (result.stderrTruncated) warnings.push('stderr was TRUNCATED by the guest agent (it keeps 16 MiB): the rest is lost');
  const end = endMessage(result);
  if (end) warnings.push(end);
  if (result.note && result.exited) warnings.push(result.note);
  for (const line of warnings) await writeFully(process.stderr, `qemu-host: ${line}\n`);
}

/** One JSON object: text output as strings, output that is not UTF-8 as base64. */
function jsonOf(result: ExecResult): Record<string, unknown> {
  const out: Record<string, unknown> = { pid: result.pid, ended: result.ended, exited: result.exited };
  if (result.exitCode !== undefined) out.exitcode = result.exitCode;
  if (result.signal !== undefined) out.signal = result.signal;
  Object.assign(out, textOrBase64('stdout', result.stdout), textOrBase64('stderr', result.stderr));
  out['stdout-truncated'] = result.stdoutTruncated;
  out['stderr-truncated'] = result.stderrTruncated;
  if (result.note) out.note = result.note;
  return out;
}

function textOrBase64(key: string, data: Buffer): Record<string, string> {
  const text = data.toString('utf8');
  return Buffer.from(text, 'utf8').equals(data) ? { [key]: text } : { [`${key}-b64`]: data.toString('base64') };
}
