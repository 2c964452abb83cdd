// Replays a transcript's requests, one by one and in order, on a session to another (or the
// same) guest, and compares each reply with the recorded one. What is never sent: a request
// whose secret was not recorded (the placeholder would become the password), a call that
// got no outcome when recorded (cancelled, failed), and, when the caller says so, a call
// that changes the guest. Handles and pids are mapped from the recording to the replay.
import { AgentError, CancelledError, ConnectionError, SyncTimeoutError, TimeoutError, asQemuHostError } from '../../protocol/errors.js';
import { isJsonObject, type JsonObject } from '../../protocol/json.js';
import { withoutId } from '../../protocol/messages.js';
import { changeOf } from '../../schema/annotations.js';
import type { CallStatus } from '../../session/events.js';
import type { CallOptions } from '../../session/session.js';
import type { VerbSession } from '../verb-session.js';
import { ExecPolls } from './exec-polls.js';
import type { CallLine } from './format.js';
import { diffJson, type Difference } from './json-diff.js';
import { formatPath, patternCovers, type PathPattern, type PathSegment } from './json-path.js';
import type { TranscriptEntry } from './read-transcript.js';
import type { PathDifference, ReplayedCall, ReplaySummary } from './replay-types.js';
import { ValueMap } from './value-map.js';
import { volatilePatterns } from './volatile.js';

export interface ReplayOptions {
  /** --ignore patterns. */
  ignore?: PathPattern[];
  /** No built-in volatile paths and no timing rule: only --ignore applies. */
  strict?: boolean;
  /** Per-command deadline (--timeout). */
  timeoutMs?: number;
  /** Calls that change the guest: send them (the user confirmed) or skip them (--read-only). */
  changes: 'send' | 'skip';
  /** Told about each call as soon as it is compared. */
  onCall?: (call: ReplayedCall) => void;
}

/** What the replay got for one request. */
export interface Replayed {
  status: CallStatus;
  reply?: JsonObject;
  ms: number;
  detail?: string;
}

/** Reasons a recorded call is not sent at all, or undefined to send it. */
export function skipReason(line: CallLine): string | undefined {
  if (line.redacted && line.redacted.length > 0) {
    return `not sent: ${line.redacted.join(', ')} was not recorded (the transcript holds a placeholder, never the secret); ` +
      'replaying it would send the placeholder instead';
  }
  if (line.status === 'cancelled' || line.status === 'failed') {
    return `not sent: it was ${line.status === 'cancelled' ? 'cancelled' : 'left without an outcome'} when recorded, so there is no reply to compare`;
  }
  return undefined;
}

export class Replayer {
  readonly summary: ReplaySummary = { calls: 0, same: 0, volatile: 0, differs: 0, skipped: 0, failed: 0, notRun: 0 };
  /** Versions the recording names (header/agent lines) and the replay's guest-info saw. */
  readonly recordedAgents = new Set<string>();
  replayedAgent: string | undefined;
  private readonly session: VerbSession;
  private readonly options: ReplayOptions;
  private readonly patterns: { pattern: PathPattern; by: string }[];
  private readonly values = new ValueMap();
  private readonly polls: ExecPolls;

  constructor(session: VerbSession, options: ReplayOptions) {
    this.session = session;
    this.options = options;
    const user = (options.ignore ?? []).map((pattern) => ({ pattern, by: `--ignore ${pattern.text}` }));
    const builtIn = options.strict ? [] : volatilePatterns().map((pattern) => ({ pattern, by: `volatile: ${pattern.text}` }));
    this.patterns = [...user, ...builtIn];
    this.polls = new ExecPolls((args) => this.send('guest-exec-status', args, undefined));
  }

  /** Stops after the call in flight (Ctrl+C): the calls left are counted as not run. */
  stop(): void {
    this.summary.stoppedBy ??= { class: 'Cancelled', desc: 'interrupted (Ctrl+C)' };
  }

  /** Replays every call in `entries`. Resolves with the summary; never rejects on agent errors. */
  async replay(entries: AsyncIterable<TranscriptEntry>): Promise<ReplaySummary> {
    for await (const entry of entries) {
      if (entry.kind === 'agent') this.recordedAgents.add(entry.line.version);
      if (entry.kind === 'header' && entry.line.agent !== undefined) this.recordedAgents.add(entry.line.agent);
      if (entry.kind !== 'call') continue;
      this.summary.calls += 1;
      if (this.summary.stoppedBy) {
        this.summary.notRun += 1;
        continue;
      }
      const result = await this.replayCall(entry.lineNo, entry.line);
      this.summary[result.outcome] += 1;
      this.options.onCall?.(result);
    }
    return this.summary;
  }

  private async replayCall(lineNo: number, line: CallLine): Promise<ReplayedCall> {
    const result: ReplayedCall = {
      lineNo, seq: line.seq, execute: line.execute, outcome: 'same', recordedStatus: line.status,
      differences: [], ignored: [], mapped: [], notes: [], recordedMs: line.ms,
    };
    const skip = skipReason(line);
    const recordedArgs = isJsonObject(line.request.arguments) ? line.request.arguments : undefined;
    const change = changeOf(line.execute, recordedArgs);
    if (skip || (change !== undefined && this.options.changes === 'skip')) {
      result.outcome = 'skipped';
      result.notes.push(skip ?? `not sent: it ${change}, and --read-only refuses that`);
      this.values.skip(line.execute, line.reply, lineNo);
      return result;
    }
    const rewritten = this.values.rewrite(line.execute, recordedArgs);
    if (rewritten.orphan) {
      const { kind, value, lineNo: at } = rewritten.orphan;
      result.outcome = 'skipped';
      result.notes.push(`not sent: ${kind} ${String(value)} came from line ${at}, which was not replayed`);
      return result;
    }
    if (rewritten.mapped) result.mapped.push(rewritten.mapped);
    if (rewritten.unknown) {
      result.notes.push(`${rewritten.unknown.kind} ${String(rewritten.unknown.value)} was not handed out earlier in this transcript; sent unchanged`);
    }

    let replayed: Replayed;
    try {
      replayed = line.execute === 'guest-exec-status'
        ? await this.polls.status(line, rewritten.args, result.notes)
        : await this.send(line.execute, rewritten.args, line);
    } catch (err) {
      const error = asQemuHostError(err);
      this.summary.stoppedBy = { class: error.code, desc: error.message };
      result.outcome = 'failed';
      result.notes.push(`the replay stopped: ${error.message}`);
      return result;
    }
    result.replayedStatus = replayed.status;
    result.replayedMs = Math.round(replayed.ms * 1000) / 1000;
    if (replayed.detail) result.notes.push(replayed.detail);
    this.noteAgent(line.execute, replayed);

    const learned = this.values.learn(line.execute, line.reply, replayed.reply);
    if (learned) result.mapped.push(learned);
    this.compare(line, replayed, result, learned !== undefined);
    return result;
  }

  /** Sends one request; resolves with its outcome, rejects only when the agent is out of reach. */
  private async send(execute: string, args: JsonObject | undefined, line: CallLine | undefined): Promise<Replayed> {
    const options: CallOptions = {};
    if (this.options.timeoutMs !== undefined) options.timeoutMs = this.options.timeoutMs;
    const extra = line ? Object.keys(line.request).filter((k) => k !== 'execute' && k !== 'arguments' && k !== 'id') : [];
    if (line && extra.length > 0) {
      // Recorded as a raw request with members of its own: sent the same way, minus the old id.
      const { id: _id, ...raw } = line.request;
      options.raw = args === undefined ? raw : { ...raw, arguments: args };
    }
    const started = performance.now();
    try {
      const result = await this.session.call(execute, args, options);
      if (result.status === 'ok') return { status: 'ok', reply: result.reply, ms: result.ms };
      return { status: 'no-reply', ms: result.ms, detail: result.detail };
    } catch (err) {
      const error = asQemuHostError(err);
      const ms = performance.now() - started;
      if (error instanceof AgentError && isJsonObject(error.received)) return { status: 'agent-error', reply: error.received, ms };
      if (error instanceof ConnectionError || error instanceof SyncTimeoutError) throw error;
      if (error instanceof TimeoutError) return { status: 'timeout', ms, detail: error.message };
      if (error instanceof CancelledError) return { status: 'cancelled', ms, detail: error.message };
      return { status: 'failed', ms, detail: error.message };
    }
  }

  private compare(line: CallLine, replayed: Replayed, result: ReplayedCall, mappedReply: boolean): void {
    let diffs: Difference[];
    if (line.reply && replayed.reply) {
      diffs = diffJson(withoutId(line.reply), withoutId(replayed.reply));
    } else if (line.status !== replayed.status) {
      diffs = [{ path: [], change: 'changed', recorded: line.status, replayed: replayed.status }];
    } else {
      diffs = [];
    }
    const produced = mappedReply ? this.values.producedPath(line.execute) : undefined;
    const timing = !this.options.strict && line.execute === 'guest-exec-status' && recordedStillRunning(line);
    for (const d of diffs) {
      if (produced && startsWith(d.path, produced)) continue;
      const view = this.view(d, line.reply === undefined || replayed.reply === undefined);
      const rule = this.patterns.find(({ pattern }) => patternCovers(pattern, line.execute, d.path));
      if (rule) result.ignored.push({ ...view, by: rule.by });
      else if (timing && startsWith(d.path, ['return'])) result.ignored.push({ ...view, by: 'timing: a poll recorded while the process still ran' });
      else result.differences.push(view);
    }
    result.outcome = result.differences.length > 0 ? 'differs' : result.ignored.length > 0 ? 'volatile' : 'same';
  }

  private view(d: Difference, statusOnly: boolean): PathDifference {
    const path = statusOnly && d.path.length === 0 ? '(outcome)' : formatPath(d.path);
    const view: PathDifference = { path, change: d.change };
    if (d.recorded !== undefined) view.recorded = d.recorded;
    if (d.replayed !== undefined) view.replayed = d.replayed;
    return view;
  }

  private noteAgent(execute: string, replayed: Replayed): void {
    const value = replayed.reply?.return;
    if (execute === 'guest-info' && isJsonObject(value) && typeof value.version === 'string') this.replayedAgent = value.version;
  }
}

function startsWith(path: readonly PathSegment[], prefix: readonly PathSegment[]): boolean {
  return prefix.every((segment, i) => path[i] === segment);
}

function recordedStillRunning(line: CallLine): boolean {
  const value = line.reply?.return;
  return isJsonObject(value) && value.exited === false;
}
