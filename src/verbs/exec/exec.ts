// `exec`: run a program in the guest and wait for it, without the poll-and-base64 dance.
//
// guest-exec starts the process and returns its pid; guest-exec-status says whether it has
// ended and, once it has, hands over the exit code or signal and the captured output. The
// agent forgets the process after the first status that reports the end, so that reply is
// the only copy: waitForExit keeps polling through timeouts (the session resyncs) and
// returns it whatever else happens.
import { AgentError, CancelledError, CommandDisabledError, ProtocolError, TimeoutError, asQemuHostError } from '../../protocol/errors.js';
import { isJsonObject, type JsonObject } from '../../protocol/json.js';
import { explainDisabled } from '../disabled.js';
import { callValue, sleep, type VerbSession } from '../verb-session.js';
import { pollDelays } from './backoff.js';
import { explainExecError } from './exec-errors.js';
import { execArguments, type ExecSpec } from './exec-request.js';
import { parseExecStatus, type ExecStatus } from './exec-status.js';
import { killGuestProcess } from './guest-kill.js';

export type ExecEnd =
  /** The process exited by itself (exitCode is set). */
  | 'exited'
  /** A signal ended it (signal is set). */
  | 'signalled'
  /** It ran past the process timeout; it was sent SIGKILL. */
  | 'timed-out'
  /** The wait was interrupted (Ctrl+C / abort); it was sent SIGKILL. */
  | 'interrupted';

export interface ExecResult extends Omit<ExecStatus, 'raw'> {
  pid: number;
  ended: ExecEnd;
  /** The last guest-exec-status answer (the final one when exited). */
  status: JsonObject | undefined;
  /** guest-exec-status calls made. */
  polls: number;
  /** From guest-exec to the final status, in milliseconds. */
  ms: number;
  /** Why a stop after timeout/interrupt failed, when it did. */
  note?: string;
}

export interface ExecProgress {
  pid: number;
  polls: number;
  elapsedMs: number;
}

export interface ExecOptions {
  /** The process's own deadline; past it, it is killed and `ended` is 'timed-out'. */
  timeoutMs?: number;
  /** Abort to stop waiting: the process is killed and `ended` is 'interrupted'. */
  signal?: AbortSignal;
  /** Deadline of each agent call (guest-exec, guest-exec-status). */
  callTimeoutMs?: number;
  /** Called once the guest has started the process. */
  onStarted?: (pid: number) => void;
  /** Called after each status poll that found it still running. */
  onPoll?: (progress: ExecProgress) => void;
  /** Called before the process is killed for a timeout or an interrupt. */
  onKill?: (pid: number, reason: 'timed-out' | 'interrupted') => void;
}

/** After a kill, how long to wait for the agent to report the end. */
const AFTER_KILL_WAIT_MS = 3_000;

/** Runs `spec` in the guest and waits for it to end. */
export async function runExec(session: VerbSession, spec: ExecSpec, options: ExecOptions = {}): Promise<ExecResult> {
  const started = performance.now();
  const pid = await startExec(session, spec, options);
  options.onStarted?.(pid);
  return waitForExit(session, pid, { ...options, startedAt: started });
}

/** Starts `spec` and returns the guest pid. */
export async function startExec(session: VerbSession, spec: ExecSpec, options: Pick<ExecOptions, 'callTimeoutMs'> = {}): Promise<number> {
  const args = execArguments(spec);
  let value;
  try {
    value = await callValue(session, 'guest-exec', args, callOptions(options.callTimeoutMs));
  } catch (err) {
    // Frozen filesystems first (the agent calls that "disabled" too), then everything else.
    const explained = await explainDisabled(session, err, 'guest-exec', (e) => explainExecError(e, 'guest-exec'), options.callTimeoutMs);
    throw explained instanceof CommandDisabledError ? explained : explainExecError(explained, 'guest-exec');
  }
  if (!isJsonObject(value) || typeof value.pid !== 'number') {
    throw new ProtocolError('guest-exec did not return {"pid": N}', { received: value });
  }
  return value.pid;
}

/** Polls guest-exec-status for `pid` until it ends, the timeout passes, or the signal aborts. */
export async function waitForExit(
  session: VerbSession,
  pid: number,
  options: ExecOptions & { startedAt?: number } = {},
): Promise<ExecResult> {
  const startedAt = options.startedAt ?? performance.now();
  const deadline = options.timeoutMs === undefined ? Infinity : startedAt + options.timeoutMs;
  const poller = new StatusPoller(session, pid, options.callTimeoutMs);
  for (const delay of pollDelays()) {
    const wait = Math.min(delay, Math.max(0, deadline - performance.now()));
    try {
      await sleep(wait, options.signal);
    } catch (err) {
      if (err instanceof CancelledError) return stopAndCollect(session, poller, 'interrupted', options, startedAt);
      throw err;
    }
    if (performance.now() >= deadline) return stopAndCollect(session, poller, 'timed-out', options, startedAt);
    // A poll in flight is never abandoned: its reply may be the only copy of the end.
    const status = await poller.poll();
    if (status?.exited) return resultOf(pid, status, poller.polls, startedAt);
    options.onPoll?.({ pid, polls: poller.polls, elapsedMs: performance.now() - startedAt });
  }
  throw new Error('unreachable');
}

async function stopAndCollect(
  session: VerbSession,
  poller: StatusPoller,
  reason: 'timed-out' | 'interrupted',
  options: ExecOptions,
  startedAt: number,
): Promise<ExecResult> {
  options.onKill?.(poller.pid, reason);
  const failed = await killGuestProcess(session, poller.pid, 'KILL', options.callTimeoutMs);
  const end = performance.now() + AFTER_KILL_WAIT_MS;
  let last: ExecStatus | undefined;
  for (const delay of pollDelays()) {
    last = (await poller.poll()) ?? last;
    if (last?.exited) return { ...resultOf(poller.pid, last, poller.polls, startedAt), ended: reason };
    if (performance.now() > end) break;
    await sleep(delay);
  }
  const note = failed ? `could not stop it (${failed})` : 'it is still running (a child process may hold its output open)';
  return {
    pid: poller.pid,
    ended: reason,
    exited: false,
    stdout: Buffer.alloc(0),
    stderr: Buffer.alloc(0),
    stdoutTruncated: false,
    stderrTruncated: false,
    status: last?.raw,
    polls: poller.polls,
    ms: performance.now() - startedAt,
    note: `${note}; ask later with: qemu-host call guest-exec-status pid=${poller.pid}`,
  };
}

function resultOf(pid: number, status: ExecStatus, polls: number, startedAt: number): ExecResult {
  const { raw, ...rest } = status;
  return {
    ...rest,
    pid,
    ended: status.signal !== undefined ? 'signalled' : 'exited',
    status: raw,
    polls,
    ms: performance.now() - startedAt,
  };
}

/** One guest-exec-status at a time, retrying after a timeout, noticing a lost final reply. */
class StatusPoller {
  readonly session: VerbSession;
  readonly pid: number;
  private readonly callTimeoutMs: number | undefined;
  polls = 0;
  private timedOut = false;

  constructor(session: VerbSession, pid: number, callTimeoutMs: number | undefined) {
    this.session = session;
    this.pid = pid;
    this.callTimeoutMs = callTimeoutMs;
  }

  /** The status, or undefined when this poll timed out (the next one retries). */
  async poll(): Promise<ExecStatus | undefined> {
    this.polls += 1;
    try {
      const value = await callValue(this.session, 'guest-exec-status', { pid: this.pid }, callOptions(this.callTimeoutMs));
      this.timedOut = false;
      return parseExecStatus(value);
    } catch (thrown) {
      const err = asQemuHostError(thrown);
      if (err instanceof TimeoutError) {
        this.timedOut = true;
        return undefined;
      }
      if (err instanceof AgentError && this.timedOut) {
        throw new ProtocolError(
          `guest process ${this.pid} ended, but the agent's report of it was lost with a status reply that timed out`,
          { sent: err.sent, received: err.received, cause: err, hint: 'Its exit code and output cannot be recovered; raise --timeout if the guest is slow.' },
        );
      }
      throw explainExecError(err, 'guest-exec-status');
    }
  }
}

function callOptions(timeoutMs: number | undefined): { timeoutMs?: number } {
  return timeoutMs === undefined ? {} : { timeoutMs };
}
