// Batch mode: one command per input line, one JSON line per command on stdout.
// Each output line is the agent's reply object as received, minus the id the tool added;
// a failure of the tool itself is {"error": {"class", "desc"}}; a command that sends no
// reply on success is {"no-reply": "..."}. The exit code is the worst of all lines.
//
// Lines are checked and handed to the session as soon as they are read; the session runs
// them one at a time, in order, so queuing ahead only removes the idle gap between a reply
// and the next request. Output is written in input order, gathered while more commands
// are in flight and written at once when none are, so a script that waits for each answer
// before writing the next line gets it at once.
import { AgentError, asQemuHostError } from '../protocol/errors.js';
import { isJsonObject, stringifyJson, type JsonObject } from '../protocol/json.js';
import { withoutId } from '../protocol/messages.js';
import { parseCallLine } from '../schema/call-syntax.js';
import type { CallResult, Session } from '../session/session.js';
import { requireConfirmed } from './confirm.js';
import type { CliContext } from './context.js';
import { LineSplitter } from './line-splitter.js';
import { errorObject } from './output.js';
import { plannerFor, type CallPlanner } from './prepare.js';

/**
 * Commands checked and handed to the session ahead of their turn. Lines beyond that wait
 * as text (and reading pauses), so a long input never holds thousands of promises.
 */
const WINDOW = 64;
/** Gathered output is written once it is this long, even with commands still in flight. */
const FLUSH_BYTES = 64 * 1024;

interface LineOutput {
  /** The output line, newline included. */
  text: string;
  exitCode: number;
}

export async function runBatch(ctx: CliContext, session: Session, input: NodeJS.ReadableStream): Promise<number> {
  // A bad --schema has been reported by now; loading it here keeps every line synchronous.
  const planner = await plannerFor(ctx);
  return new Promise<number>((resolve, reject) => {
    new BatchRun({ ctx, session, planner, input, resolve, reject }).start();
  });
}

interface BatchParts {
  ctx: CliContext;
  session: Session;
  planner: CallPlanner;
  input: NodeJS.ReadableStream;
  resolve(code: number): void;
  reject(err: unknown): void;
}

class BatchRun {
  /** Output slots in input order; a slot is filled when its command has finished. */
  private readonly slots: Array<{ output: LineOutput | undefined }> = [];
  private inFlight = 0;
  private worst = 0;
  private buffered = '';
  private paused = false;
  private ended = false;
  private readonly lines = new LineSplitter();
  /** Lines read but not started yet (the window is full). */
  private readonly waiting: string[] = [];
  private nextWaiting = 0;
  private refilling = false;

  private readonly ctx: CliContext;
  private readonly session: Session;
  private readonly planner: CallPlanner;
  private readonly input: NodeJS.ReadableStream;
  private readonly parts: BatchParts;

  constructor(parts: BatchParts) {
    this.parts = parts;
    this.ctx = parts.ctx;
    this.session = parts.session;
    this.planner = parts.planner;
    this.input = parts.input;
  }

  start(): void {
    const onLine = (line: string): void => this.line(line);
    this.input.on('data', (chunk: Buffer | string) => this.lines.push(chunk, onLine));
    this.input.once('end', () => {
      this.lines.end(onLine);
      this.ended = true;
      this.finishIfDone();
    });
    this.input.once('error', (err) => this.parts.reject(err));
  }

  private line(line: string): void {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    if (this.inFlight >= WINDOW || this.nextWaiting < this.waiting.length) {
      this.waiting.push(trimmed);
      if (!this.paused) {
        this.paused = true;
        this.input.pause();
      }
      return;
    }
    this.begin(trimmed);
  }

  private begin(line: string): void {
    const slot: { output: LineOutput | undefined } = { output: undefined };
    this.slots.push(slot);
    this.inFlight += 1;
    const outcome = this.run(line);
    if (outcome instanceof Promise) outcome.then((output) => this.done(slot, output));
    else this.done(slot, outcome);
  }

  /** Starts waiting lines while the window has room; reading resumes once none wait. */
  private refill(): void {
    // A line that fails at once finishes inside begin(); the loop here goes on with the next.
    if (this.refilling) return;
    this.refilling = true;
    while (this.inFlight < WINDOW && this.nextWaiting < this.waiting.length) this.begin(this.waiting[this.nextWaiting++]!);
    this.refilling = false;
    if (this.nextWaiting < this.waiting.length) return;
    this.waiting.length = 0;
    this.nextWaiting = 0;
    if (this.paused) {
      this.paused = false;
      this.input.resume();
    }
  }

  /** Checks and sends one line; a line that fails before anything is sent finishes at once. */
  private run(line: string): LineOutput | Promise<LineOutput> {
    let userGaveId = false;
    try {
      const parsed = parseCallLine(line);
      userGaveId = parsed.raw !== undefined && 'id' in parsed.raw;
      const prepared = this.planner.prepare(parsed);
      // stdin carries the commands, so nobody can be asked: changes need --yes.
      requireConfirmed(this.ctx.options, prepared.command, prepared.args ?? (parsed.raw?.arguments as JsonObject | undefined));
      return this.planner.send(this.session, prepared).then(
        (result) => outputOf(result, userGaveId),
        (err: unknown) => failureOf(err, userGaveId),
      );
    } catch (err) {
      return failureOf(err, userGaveId);
    }
  }

  private done(slot: { output: LineOutput | undefined }, output: LineOutput): void {
    slot.output = output;
    this.inFlight -= 1;
    if (output.exitCode > this.worst) this.worst = output.exitCode;
    while (this.slots.length > 0 && this.slots[0]!.output !== undefined) this.buffered += this.slots.shift()!.output!.text;
    if (this.inFlight === 0 || this.buffered.length >= FLUSH_BYTES) this.flush();
    this.refill();
    this.finishIfDone();
  }

  private flush(): void {
    if (this.buffered === '') return;
    this.ctx.stdout.write(this.buffered);
    this.buffered = '';
  }

  private finishIfDone(): void {
    if (!this.ended || this.inFlight > 0 || this.nextWaiting < this.waiting.length) return;
    this.flush();
    this.parts.resolve(this.worst);
  }
}

function outputOf(result: CallResult, userGaveId: boolean): LineOutput {
  if (result.status === 'no-reply') return { text: `${stringifyJson({ 'no-reply': result.detail })}\n`, exitCode: 0 };
  return { text: `${stringifyJson(userGaveId ? result.reply : withoutId(result.reply))}\n`, exitCode: 0 };
}

function failureOf(thrown: unknown, userGaveId: boolean): LineOutput {
  const err = asQemuHostError(thrown);
  if (err instanceof AgentError && isJsonObject(err.received)) {
    return { text: `${stringifyJson(userGaveId ? err.received : withoutId(err.received))}\n`, exitCode: err.exitCode };
  }
  return { text: `${stringifyJson(errorObject(err))}\n`, exitCode: err.exitCode };
}
