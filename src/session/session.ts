// A persistent session with one guest agent.
//
// The agent is serial and has no greeting, so the session:
// - runs one job at a time from a FIFO queue (connect, or a call);
// - on every connect and after every timeout, writes 0xFF + guest-sync-delimited with a
//   fresh random id and throws away everything until the reply carrying that id;
// - tags each request with a generated id and matches replies by id (FIFO for replies
//   without one), dropping and reporting stale ones;
// - gives every call a deadline, and completes no-reply commands (guest-shutdown,
//   guest-suspend-*) once the agent has answered a guest-sync-delimited written behind
//   them, or on EOF, or after a short grace period: it never hangs.
// Subscribers see states, wire traffic and finished calls as typed events.
//
// A call on a connection that is in step with the agent is the hot path (batch mode runs
// thousands): it is written and waited for without any await or timer of its own (one
// DeadlineTimer serves every wait), and the next queued job starts as soon as the reply
// has been handed over. Connecting and syncing are the slow path, written with await.
import {
  CancelledError,
  NotConnectedError,
  QemuHostError,
  asQemuHostError,
  type ConnectionError,
} from '../protocol/errors.js';
import { LineFramer, type Frame } from '../protocol/framer.js';
import { stringifyJson, type JsonObject, type JsonValue } from '../protocol/json.js';
import { classifyFrame, type Incoming, type Request } from '../protocol/messages.js';
import type { Transport } from '../transport/transport.js';
import { bulkRequestBytes, bulkRequestText, reportedRequest, type Base64Argument } from './bulk-argument.js';
import { DiscardLog } from './discard-log.js';
import { TypedEmitter } from './emitter.js';
import type { CallRecord, CallStatus, SessionEvents, SessionState, SessionStats } from './events.js';
import { DeadlineTimer } from './deadline-timer.js';
import { PendingTable } from './pending-table.js';
import { freshIdTag, freshSyncId } from './random-ids.js';
import { Reconnector } from './reconnector.js';
import { closedError, discardReason, outcomeFor, syncTimeoutError } from './reply-routing.js';
import { requestFor, settleCall } from './call-settlement.js';
import type { CallInFlight, CallJob, CallOptions, CallResult, ConnectJob, Job, Outcome, SessionOptions, Waiter } from './session-types.js';
import {
  KNOWN_NO_REPLY_COMMANDS,
  NO_REPLY_GRACE_MS,
  SYNC_ATTEMPT_MS,
  defaultTimeoutFor,
} from './timeouts.js';

export type { CallOptions, CallResult, SessionOptions } from './session-types.js';

const FLUSH_BYTE = Buffer.from([0xff]);

/** Deadlines are kept on the monotonic clock, so a change of the wall clock cannot move them. */
const now = (): number => performance.now();

export class Session extends TypedEmitter<SessionEvents> {
  readonly transport: Transport;
  private stateValue: SessionState = 'disconnected';
  private framer: LineFramer;
  private readonly queue: Job[] = [];
  /** A job is running: only one at a time. */
  private running = false;
  private pumpScheduled = false;
  /** How many want replies reported whole (keepRepliesWhole). */
  private wholeReplyKeepers = 0;
  /** onData is routing a chunk: a job that ends meanwhile has its successor started after it. */
  private routing = false;
  private waiter: Waiter | undefined;
  private readonly deadlines = new DeadlineTimer(() => this.settleWaiter({ kind: 'timeout' }));
  private readonly pending = new PendingTable<true>();
  private needsSync = true;
  private closedForGood = false;
  private connected = false;
  private readonly reconnector: Reconnector;
  private readonly idPrefix = `qh-${freshIdTag()}`;
  private nextSeq = 1;
  readonly discards = new DiscardLog();
  private readonly statsValue: SessionStats = {
    sentMessages: 0,
    receivedMessages: 0,
    discardedMessages: 0,
    discardedBytes: 0,
    syncs: 0,
    lastRttMs: undefined,
  };
  private readonly options: SessionOptions;
  private agentInfoValue: { version: string; supported: JsonValue } | undefined;

  constructor(transport: Transport, options: SessionOptions = {}) {
    super();
    this.transport = transport;
    this.options = options;
    this.reconnector = new Reconnector(options.reconnect);
    this.framer = new LineFramer({ maxLineBytes: options.maxLineBytes });
  }

  get state(): SessionState {
    return this.stateValue;
  }

  get stats(): Readonly<SessionStats> {
    return { ...this.statsValue, discardedMessages: this.discards.count, discardedBytes: this.discards.bytes };
  }

  /** Jobs waiting behind the one in flight. */
  get queued(): number {
    return this.queue.length;
  }

  /** Connects and syncs. Resolves once the agent has answered the sync. */
  connect(options: { timeoutMs?: number } = {}): Promise<void> {
    return new Promise((resolve, reject) => {
      this.enqueue({ kind: 'connect', timeoutMs: options.timeoutMs ?? 10_000, resolve, reject });
    });
  }

  /**
   * Sends one command and waits for its outcome. Resolves with the return value, or with
   * status 'no-reply' for commands that send none; rejects with AgentError when the agent
   * answers with an error, and with TimeoutError, ConnectionError or CancelledError.
   */
  call(execute: string, args?: JsonObject, options: CallOptions = {}): Promise<CallResult> {
    return new Promise((resolve, reject) => {
      this.enqueue({ kind: 'call', execute, args, options, resolve, reject });
    });
  }

  /** What guest-info last reported, as noted by whoever asked (see noteAgentInfo). */
  get agentInfo(): { version: string; supported: JsonValue } | undefined {
    return this.agentInfoValue;
  }

  /**
   * Records what guest-info reported (version and supported_commands) and tells
   * subscribers with an 'agent-info' event. The session never asks by itself; whoever
   * calls guest-info passes the answer on here.
   */
  noteAgentInfo(info: { version: string; supported: JsonValue }): void {
    this.agentInfoValue = info;
    this.emit('agent-info', info);
  }

  /**
   * For whoever records calls whole (a transcript): until the returned function is called,
   * no call leaves data out of what 'call-end' reports (CallOptions.largeStrings and
   * base64Argument normally do, to keep file data out of megabyte strings).
   */
  keepRepliesWhole(): () => void {
    this.wholeReplyKeepers += 1;
    let kept = true;
    return () => {
      if (kept) this.wholeReplyKeepers -= 1;
      kept = false;
    };
  }

  /** Cancels the call in flight, if any. The session resyncs before the next command. */
  cancel(): boolean {
    if (!this.waiter) return false;
    this.settleWaiter({ kind: 'cancelled' });
    return true;
  }

  /**
   * Drops the connection but keeps the session: the next call connects (and syncs) again.
   * A call in flight fails as if the connection had been lost.
   */
  disconnect(): void {
    if (!this.connected) return;
    this.transport.close();
  }

  /** Closes for good: queued calls fail, no reconnect. */
  close(): void {
    if (this.closedForGood) return;
    this.closedForGood = true;
    this.reconnector.cancel();
    this.deadlines.dispose();
    const error = new NotConnectedError('the session was closed');
    for (const job of this.queue.splice(0)) job.reject(error);
    this.settleWaiter({ kind: 'closed', error: undefined });
    this.transport.close();
    this.connected = false;
    this.setState('closed');
  }

  // ---- the job pump -------------------------------------------------------------------

  private enqueue(job: Job): void {
    if (this.closedForGood) {
      job.reject(new NotConnectedError('the session is closed'));
      return;
    }
    this.queue.push(job);
    this.pump();
  }

  /** Starts the next job unless one is running. */
  private pump(): void {
    if (this.running) return;
    const job = this.queue.shift();
    if (!job) return;
    this.running = true;
    if (job.kind === 'call' && this.connected && !this.needsSync) {
      const timeoutMs = this.timeoutOf(job);
      this.startCall(job, now() + timeoutMs, timeoutMs);
    } else if (job.kind === 'call') {
      void this.prepareCall(job);
    } else {
      void this.runConnect(job);
    }
  }

  /**
   * The job has finished: the next one starts once the rest of the bytes that carried the
   * reply have been routed (they are never taken for the next command's answer), and
   * before the continuations of whoever awaited this one: at the end of onData, or in a
   * microtask when the job ended some other way (timeout, close, a write that failed).
   */
  private jobDone(): void {
    this.running = false;
    if (this.pumpScheduled || this.queue.length === 0) return;
    this.pumpScheduled = true;
    // Within onData, the next job starts as soon as the chunk is routed (see onData).
    if (this.routing) return;
    // A resolved promise rather than queueMicrotask, which wraps every callback in an
    // AsyncResource (a few microseconds per command while the JIT is cold).
    void Promise.resolve().then(this.pumpLater);
  }

  private readonly pumpLater = (): void => {
    this.pumpScheduled = false;
    this.pump();
  };

  private timeoutOf(job: CallJob): number {
    return job.options.timeoutMs ?? this.options.timeoutFor?.(job.execute) ?? defaultTimeoutFor(job.execute);
  }

  private async runConnect(job: ConnectJob): Promise<void> {
    const deadline = now() + job.timeoutMs;
    try {
      await this.ensureConnected();
      if (this.needsSync) await this.sync(deadline);
      job.resolve();
    } catch (err) {
      job.reject(asQemuHostError(err));
    }
    this.jobDone();
  }

  /** The slow path: connect and sync within the call's own deadline, then the call itself. */
  private async prepareCall(job: CallJob): Promise<void> {
    const timeoutMs = this.timeoutOf(job);
    const deadline = now() + timeoutMs;
    try {
      await this.ensureConnected();
      if (this.needsSync) await this.sync(deadline);
    } catch (err) {
      job.reject(asQemuHostError(err));
      this.jobDone();
      return;
    }
    this.startCall(job, deadline, timeoutMs);
  }

  // ---- connection ---------------------------------------------------------------------

  private async ensureConnected(): Promise<void> {
    if (this.connected) return;
    if (this.closedForGood) throw new NotConnectedError('the session is closed');
    this.reconnector.cancel();
    this.framer = new LineFramer({ maxLineBytes: this.options.maxLineBytes });
    this.setState('connecting', this.transport.description);
    try {
      await this.transport.connect({
        onData: (chunk) => this.onData(chunk),
        onClose: (error) => this.onClose(error),
      });
    } catch (err) {
      const error = asQemuHostError(err);
      this.setState('disconnected', error.message, error);
      this.scheduleReconnect();
      throw error;
    }
    this.connected = true;
    this.reconnector.reset();
    this.needsSync = this.transport.needsSync;
    this.setState(this.needsSync ? 'syncing' : 'ready');
  }

  private onClose(error: ConnectionError | undefined): void {
    this.connected = false;
    this.needsSync = true;
    this.framer.end(this.onFrame);
    this.pending.drain();
    this.settleWaiter({ kind: 'closed', error });
    this.deadlines.dispose();
    if (this.closedForGood) return;
    this.setState('disconnected', error?.describe() ?? 'closed', error);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closedForGood) return;
    // A failed attempt schedules the next one itself (ensureConnected). Nothing is armed
    // when reconnecting is off or an attempt is already waiting.
    const delay = this.reconnector.schedule(() => this.connect().catch(() => undefined));
    if (delay !== undefined) this.setState('disconnected', `reconnecting in ${(delay / 1000).toFixed(1)} s`);
  }

  // ---- sync -----------------------------------------------------------------------------

  private async sync(deadline: number): Promise<void> {
    const attemptMs = this.options.syncAttemptMs ?? SYNC_ATTEMPT_MS;
    for (let attempt = 1; ; attempt++) {
      this.setState('syncing', attempt === 1 ? undefined : `agent not answering (attempt ${attempt})`);
      this.statsValue.syncs += 1;
      const syncId = freshSyncId();
      const request = { execute: 'guest-sync-delimited', arguments: { id: syncId } };
      const attemptEnd = Math.min(deadline, now() + attemptMs * Math.min(attempt, 4));
      const outcome = await this.writeAndWait(request, true, { syncId }, attemptEnd);
      if (outcome.kind === 'sync-reply') {
        this.needsSync = false;
        this.setState('ready');
        return;
      }
      if (outcome.kind === 'closed') throw closedError(outcome.error, request, 'while syncing; no command was sent');
      if (outcome.kind === 'cancelled') throw new CancelledError('cancelled while syncing with the agent', { sent: request });
      if (now() >= deadline) {
        this.setState('unresponsive', 'the agent did not answer guest-sync-delimited');
        throw syncTimeoutError(this.transport.description, attemptMs, request);
      }
    }
  }

  // ---- one request and its reply -----------------------------------------------------

  /** Writes the call and waits for its outcome, which finishCall() hands over. */
  private startCall(job: CallJob, deadline: number, timeoutMs: number): void {
    try {
      this.writeCall(job, deadline, timeoutMs);
    } catch (err) {
      // A bug, not a protocol event; the job still ends and the queue moves on.
      if (this.waiter) this.endWait();
      job.reject(asQemuHostError(err));
      this.jobDone();
    }
  }

  private writeCall(job: CallJob, deadline: number, timeoutMs: number): void {
    const seq = this.nextSeq++;
    const { id, request, bulk } = requestFor(job, `${this.idPrefix}-${seq}`);
    const noReply = job.options.noReply ?? (this.options.isNoReply ?? ((c) => KNOWN_NO_REPLY_COMMANDS.has(c)))(job.execute);
    // A request transport (libvirt) takes the whole request and answers it; it syncs itself.
    const whole = this.transport.request !== undefined;
    // What the session reports: the request with any secret hidden.
    const reported = bulk ? reportedRequest(request, bulk, this.wholeReplyKeepers > 0 || this.listening('wire')) : request;
    const shown = this.options.redact ? this.options.redact.request(reported) : reported;
    const call: CallInFlight = { job, id, shown, seq, noReply, timeoutMs, startedAt: Date.now(), started: performance.now() };

    if (id !== undefined) this.pending.add(id, true);
    this.setState('busy', job.execute);
    if (this.listening('call-start')) this.emit('call-start', { seq, execute: job.execute, request: shown, startedAt: call.startedAt });
    let syncId: number | undefined;
    let until = deadline;
    if (noReply && !whole) {
      // Ask for a sync right behind it: the agent is serial, so its answer proves the
      // command was read and not refused.
      syncId = freshSyncId();
      until = Math.min(deadline, now() + (this.options.noReplyGraceMs ?? NO_REPLY_GRACE_MS));
    }
    if (!this.connected) {
      this.finishCall(call, { kind: 'closed', error: undefined });
      return;
    }
    // The waiter first, then the write: a reply can never slip past between the two.
    // Someone records replies whole (a transcript): long strings are parsed as usual then.
    const largeStringBytes = this.wholeReplyKeepers > 0 ? undefined : job.options.largeStrings?.minBytes;
    if (whole) {
      this.requestWhole(call, request, bulk, until, largeStringBytes);
      return;
    }
    this.waitFor({ awaitingReply: true, requestId: id, syncId, until, largeStringBytes, settle: (outcome) => this.finishCall(call, outcome) });
    try {
      if (bulk) this.writeWithBulk(request, bulk);
      else this.write(request, false);
      if (syncId !== undefined) this.write({ execute: 'guest-sync-delimited', arguments: { id: syncId } }, false);
    } catch (err) {
      this.endWait();
      if (id !== undefined) this.pending.take(id);
      const error = asQemuHostError(err);
      this.recordEnd(call, 'failed', { error });
      this.settleJob(call, error);
    }
  }

  /** Turns how the wait ended into the call's result or error. */
  private finishCall(call: CallInFlight, outcome: Outcome): void {
    if (call.id !== undefined) this.pending.take(call.id);
    // After a no-reply command the stream is known clean only when our trailing sync came back.
    if (call.noReply && outcome.kind !== 'sync-reply') this.markUnsynced();
    let result: CallResult | QemuHostError;
    try {
      result = this.outcomeOf(call, outcome);
    } catch (err) {
      result = asQemuHostError(err);
    }
    this.settleJob(call, result);
  }

  private settleJob(call: CallInFlight, result: CallResult | QemuHostError): void {
    // The next queued command is written first, then whoever awaited this one goes on:
    // the agent starts on the next while the answer to this one is being used.
    this.jobDone();
    if (result instanceof QemuHostError) call.job.reject(result);
    else call.job.resolve(result);
  }

  /** Applies what the outcome means (call-settlement.ts) and gives the caller its result. */
  private outcomeOf(call: CallInFlight, outcome: Outcome): CallResult | QemuHostError {
    const ms = performance.now() - call.started;
    if (outcome.kind === 'reply') {
      // The reply's bytes are valid only now, before the call settles.
      const { reply } = outcome;
      call.job.options.onReplyLine?.(reply.line);
      if (reply.elided) for (const { key, bytes } of reply.elided) call.job.options.largeStrings?.take(key, bytes);
    }
    const settled = settleCall(call, outcome, ms);
    if (settled.answered) this.statsValue.lastRttMs = ms;
    if (settled.unsynced) this.markUnsynced();
    if (settled.state && (this.connected || settled.state.always)) this.setState(settled.state.state, settled.state.detail);
    this.recordEnd(call, settled.status, settled.record);
    return settled.result;
  }

  /** Tells 'call-end' subscribers how a call ended. */
  private recordEnd(call: CallInFlight, status: CallStatus, extra: Partial<CallRecord> = {}): void {
    if (!this.listening('call-end')) return;
    const { seq, job, shown, startedAt, started } = call;
    this.emit('call-end', { seq, execute: job.execute, request: shown, status, startedAt, ms: performance.now() - started, ...extra });
  }

  /** The stream may hold a late reply: resync before the next command, where this transport needs it. */
  private markUnsynced(): void {
    this.needsSync = this.transport.needsSync;
  }

  /**
   * Hands the whole request to a request transport (libvirt) and waits for what it says,
   * or for the deadline, cancel() or a close. A reply goes through the router like any
   * line read from a socket, so the wire view and id matching work the same; giving up
   * aborts the transport's request. A no-reply command gets only the short grace period
   * from the transport's side (libvirt's own sync, up to 5 s, still fits in the deadline).
   */
  private requestWhole(call: CallInFlight, request: Request, bulk: Base64Argument | undefined, until: number, largeStringBytes: number | undefined): void {
    const controller = new AbortController();
    const waiter: Waiter = {
      awaitingReply: true,
      requestId: call.id,
      until,
      largeStringBytes,
      settle: (outcome) => {
        if (outcome.kind === 'timeout' || outcome.kind === 'cancelled') controller.abort();
        this.finishCall(call, outcome);
      },
    };
    this.waitFor(waiter);
    const text = bulk ? bulkRequestText(request, bulk) : stringifyJson(request);
    this.noteWritten(text, false);
    const remaining = Math.max(1, until - now());
    const timeoutMs = call.noReply ? Math.min(remaining, this.options.noReplyGraceMs ?? NO_REPLY_GRACE_MS) : remaining;
    this.transport.request!(text, { timeoutMs, noReply: call.noReply, execute: call.job.execute, shown: call.shown, signal: controller.signal }).then(
      (result) => {
        if (result.kind === 'reply') this.onData(Buffer.from(`${result.line}\n`, 'utf8'));
        else if (this.waiter === waiter) this.settleWaiter({ kind: 'no-reply', detail: result.detail });
      },
      (err: unknown) => {
        if (this.waiter === waiter) this.settleWaiter({ kind: 'failed', error: asQemuHostError(err) });
      },
    );
  }

  /**
   * Registers the waiter, then writes: a reply can never slip past between the two.
   * A failed write withdraws the waiter and throws. For syncs (the slow path).
   */
  private writeAndWait(message: object, flush: boolean, spec: Omit<Waiter, 'settle' | 'until'>, until: number): Promise<Outcome> {
    if (!this.connected) return Promise.resolve({ kind: 'closed', error: undefined });
    const waiting = new Promise<Outcome>((resolve) => this.waitFor({ ...spec, until, settle: resolve }));
    try {
      this.write(message, flush);
    } catch (err) {
      this.settleWaiter({ kind: 'cancelled' });
      throw err;
    }
    return waiting;
  }

  /** Makes `waiter` the one the router, a close, cancel() or the deadline settles. */
  private waitFor(waiter: Waiter): void {
    this.waiter = waiter;
    this.deadlines.start(waiter.until);
  }

  /** Ends the current wait, if any, with `outcome`; the waiter is forgotten first. */
  private settleWaiter(outcome: Outcome): void {
    const waiter = this.waiter;
    if (!waiter) return;
    this.endWait();
    waiter.settle(outcome);
  }

  private endWait(): void {
    this.waiter = undefined;
    this.deadlines.stop();
  }

  // ---- bytes in and out ---------------------------------------------------------------

  private write(message: object, flush: boolean): void {
    const text = stringifyJson(message);
    // Strings go to the socket without an intermediate Buffer; only the 0xFF byte, which
    // is not valid UTF-8, needs one.
    if (flush) this.transport.write(Buffer.concat([FLUSH_BYTE, Buffer.from(`${text}\n`, 'utf8')]));
    else this.transport.write(`${text}\n`);
    this.noteWritten(text, flush);
  }

  /** Counts a message sent and tells the wire view (with secrets hidden). */
  private noteWritten(text: string, flush: boolean): void {
    this.statsValue.sentMessages += 1;
    if (this.listening('wire')) {
      const shownText = this.options.redact ? this.options.redact.text(text) : text;
      this.emit('wire', { direction: 'out', at: Date.now(), text: shownText, bytes: Buffer.byteLength(text) + 1 + (flush ? 1 : 0), delimited: flush });
    }
  }

  /** A request with a base64Argument: its JSON, the base64 in pieces, the rest of its JSON. */
  private writeWithBulk(request: Request, bulk: Base64Argument): void {
    this.transport.write(bulkRequestBytes(request, bulk));
    // The whole text is made only for someone watching the wire.
    this.noteWritten(this.listening('wire') ? bulkRequestText(request, bulk) : '', false);
  }

  private onData(chunk: Buffer): void {
    this.routing = true;
    try {
      this.framer.push(chunk, this.onFrame);
    } finally {
      this.routing = false;
    }
    // A reply in this chunk ended a job: the next one is written now, before anyone
    // awaiting the reply goes on (the agent works on it meanwhile).
    if (this.pumpScheduled) this.pumpLater();
  }

  /** Each frame is classified and routed at once: its bytes are valid only now. */
  private readonly onFrame = (frame: Frame): void => {
    this.route(classifyFrame(frame, this.waiter?.largeStringBytes));
  };

  private route(incoming: Incoming): void {
    if (incoming.kind === 'garbage') {
      this.discard(incoming.text, incoming.bytes, incoming.reason, false);
      return;
    }
    this.statsValue.receivedMessages += 1;
    const outcome = outcomeFor(incoming, this.waiter);
    if (!outcome) {
      this.discard(incoming.text, incoming.bytes, discardReason(incoming, this.waiter !== undefined), incoming.delimited);
      return;
    }
    if (this.listening('wire')) this.emit('wire', { direction: 'in', at: Date.now(), text: incoming.text, bytes: incoming.bytes, delimited: incoming.delimited });
    this.settleWaiter(outcome);
  }

  private discard(raw: string, bytes: number, reason: string, delimited: boolean): void {
    const at = Date.now();
    // A request can come back as tty echo (isa-serial): hide its secret like an outgoing one.
    const text = this.options.redact ? this.options.redact.text(raw) : raw;
    this.discards.add({ at, text, bytes, reason });
    this.emit('wire', { direction: 'discard', at, text, bytes, delimited, reason });
  }

  private setState(state: SessionState, detail?: string, error?: QemuHostError): void {
    const previous = this.stateValue;
    if (previous === 'closed') return;
    this.stateValue = state;
    if (previous === state && detail === undefined) return;
    if (this.listening('state')) this.emit('state', { state, previous, detail, error });
  }
}
