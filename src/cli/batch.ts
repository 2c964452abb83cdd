// Batch mode: one command per input line, one JSON line per command on stdout.
// Each output line is the agent's reply object as received, minus the id the tool added;
// a failure of the tool itself is {"error": {"class", "desc"}}; a command that sends no
// reply on success is {"no-reply": "..."}. The exit code is the worst of all lines.
import { createInterface } from 'node:readline';
import { AgentError, asQemuHostError } from '../protocol/errors.js';
import { isJsonObject, stringifyJson, type JsonObject, type JsonValue } from '../protocol/json.js';
import { confirmChange } from './confirm.js';
import { withoutId } from '../protocol/messages.js';
import { parseCallLine } from '../schema/call-syntax.js';
import type { Session } from '../session/session.js';
import type { CliContext } from './context.js';
import { errorObject } from './output.js';
import { plannerFor } from './prepare.js';

/** Commands parsed and queued ahead of the one in flight, so the agent never waits on stdin. */
const WINDOW = 64;
/** Output is gathered while more commands are in flight, and written at once when none are. */
const FLUSH_BYTES = 64 * 1024;

export async function runBatch(ctx: CliContext, session: Session, input: NodeJS.ReadableStream): Promise<number> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  const written: Array<Promise<void>> = [];
  let outstanding = 0;
  let worst = 0;
  let buffered = '';
  let tail: Promise<void> = Promise.resolve();
  const flush = (): void => {
    if (buffered === '') return;
    ctx.stdout.write(buffered);
    buffered = '';
  };
  for await (const line of lines) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    // The session runs one command at a time, in order; queuing ahead only removes the
    // idle gap between a reply and the next request. Output is written in input order,
    // and flushed whenever nothing else is in flight, so a script that waits for each
    // answer before writing the next line gets it at once.
    const result = runLine(ctx, session, trimmed);
    outstanding += 1;
    tail = tail.then(() => result).then(({ output, exitCode }) => {
      buffered += `${stringifyJson(output)}\n`;
      worst = Math.max(worst, exitCode);
      outstanding -= 1;
      if (outstanding === 0 || buffered.length >= FLUSH_BYTES) flush();
    });
    written.push(tail);
    if (written.length >= WINDOW) await written.shift();
  }
  await tail;
  flush();
  return worst;
}

interface LineResult {
  output: JsonValue;
  exitCode: number;
}

async function runLine(ctx: CliContext, session: Session, line: string): Promise<LineResult> {
  let userGaveId = false;
  try {
    const parsed = parseCallLine(line);
    userGaveId = parsed.raw !== undefined && 'id' in parsed.raw;
    const planner = await plannerFor(ctx);
    const prepared = planner.prepare(parsed);
    // stdin carries the commands, so nobody can be asked: changes need --yes.
    await confirmChange(ctx.options, prepared.command, prepared.args ?? (parsed.raw?.arguments as JsonObject | undefined), { mayAsk: false });
    const result = await planner.send(session, prepared);
    if (result.status === 'no-reply') return { output: { 'no-reply': result.detail }, exitCode: 0 };
    return { output: userGaveId ? result.reply : withoutId(result.reply), exitCode: 0 };
  } catch (thrown) {
    const err = asQemuHostError(thrown);
    if (err instanceof AgentError && isJsonObject(err.received)) {
      return { output: userGaveId ? err.received : withoutId(err.received), exitCode: err.exitCode };
    }
    return { output: errorObject(err), exitCode: err.exitCode };
  }
}
