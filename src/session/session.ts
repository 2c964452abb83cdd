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
import { randomBytes, randomInt } from 'node:crypto';
import {
  CancelledError,
  ConnectionLostError,
  NotConnectedError,
  QemuHostError,
  SyncTimeoutError,
  TimeoutError,
  asQemuHostError,
  type ConnectionError,
} from '../protocol/errors.js';
import { LineFramer } from '../protocol/framer.js';
import { stringifyJson, type JsonObject, type JsonValue } from '../protocol/json.js';
import { classifyFrame, sameId, type Incoming, type Reply, type Request } from '../protocol/messages.js';
import type { Transport } from '../transport/transport.js';
import { agentErrorFrom } from './agent-errors.js';
import { DiscardLog } from './discard-log.js';
import { TypedEmitter } from './emitter.js';
import type { CallRecord, CallStatus, SessionEvents, SessionState, SessionStats } from './events.js';
import { PendingTable } from './pending-table.js';
import {
  KNOWN_NO_REPLY_COMMANDS,
  NO_REPLY_GRACE_MS,
  SYNC_ATTEMPT_MS,
  defaultTimeoutFor,
} from './timeouts.js';

export interface SessionOptions {
  /** Commands that send no reply on success. Defaults to guest-shutdown and guest-suspend-*. */
  isNoReply?: (command: string) => boolean;
  /** Default deadline per command. */
  timeoutFor?: (command: string) => number;
  /** Reconnect with exponential back-off after the connection drops. */
  reconnect?: boolean | { initialMs?: number; maxMs?: number };
  syncAttemptMs?: number;
  noReplyGraceMs?: number;
  maxLineBytes?: number;
  /**
   * Hides secrets (a guest-set-user-password password) in everything the session reports:
   * wire events, call records, errors. What is sent is never changed.
   */
  redact?: { request<T extends object>(request: T): T; text(line: string): string };
}

export interface CallOptions {
  timeoutMs?: number;
  /** Override the schema's idea of whether this command replies. */
  noReply?: boolean;
  /**
   * Send this object exactly as written instead of building a request (the raw form, for
   * debugging an agent with odd input). Its own `id`, if any, is used to match the reply;
   * without one the reply is matched first in, first out.
   */
  raw?: JsonObject;
}

export type CallResult =
  | { status: 'ok'; value: JsonValue; reply: JsonObject; ms: number; request: Request }
  | { status: 'no-reply'; detail: string; ms: number; request: Request };

type Outcome =
  | { kind: 'reply'; reply: Reply }
  | { kind: 'sync-reply' }
  /** A request transport says the command went out and none is expected (libvirt). */
  | { kind: 'no-reply'; detail: string }
  /** A request transport failed this request with its own error (libvirt). */
  | { kind: 'failed'; error: QemuHostError }
  | { kind: 'closed'; error: ConnectionError | undefined }
  | { kind: 'timeout' }
  | { kind: 'cancelled' };

interface Waiter {
  /** Waiting for a call's reply (rather than only a sync). */
  awaitingReply?: boolean;
  /** The id of the request we wait for; undefined for a raw request without one. */
  requestId?: JsonValue;
  /** The guest-sync-delimited id whose reply ends the wait, if any. */
  syncId?: number;
  settle(outcome: Outcome): void;
}

interface CallJob {
  kind: 'call';
  execute: string;
  args: JsonObject | undefined;
  options: CallOptions;
  resolve(result: CallResult): void;
  reject(error: QemuHostError): void;
}

interface ConnectJob {
  kind: 'connect';
  timeoutMs: number;
  resolve(): void;
  reject(error: QemuHostError): void;
}

type Job = CallJob | ConnectJob;

const FLUSH_BYTE = Buffer.from([0xff]);
const SYNC_ID_LIMIT = 2 ** 47;

export class Session extends TypedEmitter<SessionEvents> {
  readonly transport: Transport;
  private stateValue: SessionState = 'disconnected';
  private framer: LineFramer;
  private readonly queue: Job[] = [];
  private pumping = false;
  private waiter: Waiter | undefined;
  private readonly pending = new PendingTable<true>();
  private needsSync = true;
  private closedForGood = false;
  private connected = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectDelay = 0;
  private readonly idPrefix = `qh-${randomBytes(3).toString('hex')}`;
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

  /** Cancels the call in flight, if any. The session resyncs before the next command. */
  cancel(): boolean {
    if (!this.waiter) return false;
    this.waiter.settle({ kind: 'cancelled' });
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
    clearTimeout(this.reconnectTimer);
    const error = new NotConnectedError('the session was closed');
    for (const job of this.queue.splice(0)) job.reject(error);
    this.waiter?.settle({ kind: 'closed', error: undefined });
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
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let job = this.queue.shift(); job; job = this.queue.shift()) {
        if (job.kind === 'connect') await this.runConnect(job);
        else await this.runCall(job);
      }
    } finally {
      this.pumping = false;
    }
  }

  private async runConnect(job: ConnectJob): Promise<void> {
    const deadline = Date.now() + job.timeoutMs;
    try {
      await this.ensureConnected();
      if (this.needsSync) await this.sync(deadline);
      job.resolve();
    } catch (err) {
      job.reject(asQemuHostError(err));
    }
  }

  private async runCall(job: CallJob): Promise<void> {
    const timeoutMs = job.options.timeoutMs ?? this.options.timeoutFor?.(job.execute) ?? defaultTimeoutFor(job.execute);
    const deadline = Date.now() + timeoutMs;
    try {
      await this.ensureConnected();
      if (this.needsSync) await this.sync(deadline);
      job.resolve(await this.exchange(job, deadline, timeoutMs));
    } catch (err) {
      job.reject(asQemuHostError(err));
    }
  }

  // ---- connection ---------------------------------------------------------------------

  private async ensureConnected(): Promise<void> {
    if (this.connected) return;
    if (this.closedForGood) throw new NotConnectedError('the session is closed');
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
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
    this.reconnectDelay = 0;
    this.needsSync = this.transport.needsSync;
    this.setState(this.needsSync ? 'syncing' : 'ready');
  }

  private onClose(error: ConnectionError | undefined): void {
    this.connected = false;
    this.needsSync = true;
    for (const frame of this.framer.end()) this.route(classifyFrame(frame));
    this.pending.drain();
    this.waiter?.settle({ kind: 'closed', error });
    if (this.closedForGood) return;
    this.setState('disconnected', error?.describe() ?? 'closed', error);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const policy = this.options.reconnect;
    if (!policy || this.closedForGood || this.reconnectTimer) return;
    const initial = typeof policy === 'object' ? policy.initialMs ?? 100 : 100;
    const max = typeof policy === 'object' ? policy.maxMs ?? 5_000 : 5_000;
    this.reconnectDelay = this.reconnectDelay === 0 ? initial : Math.min(this.reconnectDelay * 2, max);
    this.setState('disconnected', `reconnecting in ${(this.reconnectDelay / 1000).toFixed(1)} s`);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      // A failed attempt schedules the next one itself (ensureConnected).
      this.connect().catch(() => undefined);
    }, this.reconnectDelay);
    this.reconnectTimer.unref?.();
  }

  // ---- sync -----------------------------------------------------------------------------

  private async sync(deadline: number): Promise<void> {
    const attemptMs = this.options.syncAttemptMs ?? SYNC_ATTEMPT_MS;
    for (let attempt = 1; ; attempt++) {
      this.setState('syncing', attempt === 1 ? undefined : `agent not answering (attempt ${attempt})`);
      this.statsValue.syncs += 1;
      const syncId = randomInt(1, SYNC_ID_LIMIT);
      const request = { execute: 'guest-sync-delimited', arguments: { id: syncId } };
      const attemptEnd = Math.min(deadline, Date.now() + attemptMs * Math.min(attempt, 4));
      const outcome = await this.writeAndWait(request, true, { syncId }, attemptEnd);
      if (outcome.kind === 'sync-reply') {
        this.needsSync = false;
        this.setState('ready');
        return;
      }
      if (outcome.kind === 'closed') throw this.closedError(outcome.error, request, 'while syncing; no command was sent');
      if (outcome.kind === 'cancelled') throw new CancelledError('cancelled while syncing with the agent', { sent: request });
      if (Date.now() >= deadline) {
        this.setState('unresponsive', 'the agent did not answer guest-sync-delimited');
        throw new SyncTimeoutError(
          `connected to ${this.transport.description}, but the agent does not answer`,
          attemptMs,
          {
            sent: request,
            hint: 'The guest may still be booting, qemu-ga may not be running inside it, another client may ' +
              'hold the socket (the agent serves one at a time: see qemu-host serve), or it is busy or stopped ' +
              '(a frozen filesystem, a paused VM). Check the guest and try again.',
          },
        );
      }
    }
  }

  // ---- one request and its reply -----------------------------------------------------

  private async exchange(job: CallJob, deadline: number, timeoutMs: number): Promise<CallResult> {
    const raw = job.options.raw;
    const id: JsonValue | undefined = raw ? raw.id : `${this.idPrefix}-${this.nextSeq}`;
    const request: Request = raw ? (raw as unknown as Request) : { execute: job.execute };
    if (!raw) {
      if (job.args !== undefined) request.arguments = job.args;
      request.id = id;
    }
    const noReply = job.options.noReply ?? (this.options.isNoReply ?? ((c) => KNOWN_NO_REPLY_COMMANDS.has(c)))(job.execute);
    // A request transport (libvirt) takes the whole request and answers it; it syncs itself.
    const whole = this.transport.request !== undefined;
    // What the session reports: the request with any secret hidden.
    const shown = this.options.redact ? this.options.redact.request(request) : request;
    const seq = this.nextSeq++;
    const startedAt = Date.now();
    const started = performance.now();
    const record = (status: CallStatus, extra: Partial<CallRecord> = {}): void => {
      if (!this.listening('call-end')) return;
      this.emit('call-end', { seq, execute: job.execute, request: shown, status, startedAt, ms: performance.now() - started, ...extra });
    };

    if (id !== undefined) this.pending.add(id, true);
    this.setState('busy', job.execute);
    if (this.listening('call-start')) this.emit('call-start', { seq, execute: job.execute, request: shown, startedAt });
    let syncId: number | undefined;
    let waitUntil = deadline;
    const messages: object[] = [request];
    if (noReply && !whole) {
      // Ask for a sync right behind it: the agent is serial, so its answer proves the
      // command was read and not refused.
      syncId = randomInt(1, SYNC_ID_LIMIT);
      messages.push({ execute: 'guest-sync-delimited', arguments: { id: syncId } });
      waitUntil = Math.min(deadline, Date.now() + (this.options.noReplyGraceMs ?? NO_REPLY_GRACE_MS));
    }

    let outcome: Outcome;
    try {
      outcome = whole
        ? await this.requestAndWait(request, job.execute, shown, noReply, id, deadline)
        : await this.writeAndWait(messages, false, { awaitingReply: true, requestId: id, syncId }, waitUntil);
    } catch (err) {
      if (id !== undefined) this.pending.take(id);
      const error = asQemuHostError(err);
      record('failed', { error });
      throw error;
    }
    if (id !== undefined) this.pending.take(id);
    const ms = performance.now() - started;
    // After a no-reply command the stream is known clean only when our trailing sync came back.
    if (noReply && outcome.kind !== 'sync-reply') this.markUnsynced();

    switch (outcome.kind) {
      case 'reply': {
        this.statsValue.lastRttMs = ms;
        const { reply } = outcome;
        if (this.connected) this.setState('ready');
        if (reply.error) {
          const error = agentErrorFrom(reply.error, shown, reply.message);
          record('agent-error', { reply: reply.message, error });
          throw error;
        }
        const value = reply.message.return ?? {};
        record('ok', { reply: reply.message, value });
        return { status: 'ok', value, reply: reply.message, ms, request: shown };
      }
      case 'sync-reply':
        this.statsValue.lastRttMs = ms;
        if (this.connected) this.setState('ready');
        record('no-reply');
        return { status: 'no-reply', detail: 'sent, no reply expected: the agent accepted it', ms, request: shown };
      case 'closed':
        if (noReply && outcome.error !== undefined) {
          record('no-reply');
          return { status: 'no-reply', detail: 'sent, no reply expected: the connection closed afterwards', ms, request: shown };
        }
        {
          const error = this.closedError(outcome.error, shown, 'the command may or may not have run');
          record('failed', { error });
          throw error;
        }
      case 'no-reply':
        this.statsValue.lastRttMs = ms;
        if (this.connected) this.setState('ready');
        record('no-reply');
        return { status: 'no-reply', detail: outcome.detail, ms, request: shown };
      case 'failed': {
        const { error } = outcome;
        if (this.connected) this.setState(error instanceof TimeoutError ? 'unresponsive' : 'ready', error.message);
        record(error instanceof TimeoutError ? 'timeout' : 'failed', { error });
        throw error;
      }
      case 'cancelled': {
        this.markUnsynced();
        if (this.connected) this.setState('ready', 'cancelled; will resync');
        const error = new CancelledError(`${job.execute} was cancelled; the agent may still run it`, { sent: shown });
        record('cancelled', { error });
        throw error;
      }
      case 'timeout': {
        this.markUnsynced();
        if (noReply) {
          if (this.connected) this.setState('ready');
          record('no-reply');
          return { status: 'no-reply', detail: 'sent, no reply expected: the agent has not answered since', ms, request: shown };
        }
        this.setState('unresponsive', `${job.execute} timed out`);
        const error = new TimeoutError(`no reply to ${job.execute} within ${timeoutMs} ms`, timeoutMs, {
          sent: shown,
          hint: 'The agent may be busy with a slow command, stuck, or gone. Raise --timeout for slow commands; ' +
            'the session resyncs before the next command.',
        });
        record('timeout', { error });
        throw error;
      }
    }
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
  private requestAndWait(request: Request, execute: string, shown: unknown, noReply: boolean, id: JsonValue | undefined, until: number): Promise<Outcome> {
    if (!this.connected) return Promise.resolve({ kind: 'closed', error: undefined });
    const controller = new AbortController();
    const waiting = this.wait({ awaitingReply: true, requestId: id }, until);
    const waiter = this.waiter;
    const text = stringifyJson(request);
    this.noteWritten(text, false);
    const remaining = Math.max(1, until - Date.now());
    const timeoutMs = noReply ? Math.min(remaining, this.options.noReplyGraceMs ?? NO_REPLY_GRACE_MS) : remaining;
    this.transport.request!(text, { timeoutMs, noReply, execute, shown, signal: controller.signal }).then(
      (result) => {
        if (result.kind === 'reply') this.onData(Buffer.from(`${result.line}\n`, 'utf8'));
        else if (this.waiter === waiter) waiter?.settle({ kind: 'no-reply', detail: result.detail });
      },
      (err: unknown) => {
        if (this.waiter === waiter) waiter?.settle({ kind: 'failed', error: asQemuHostError(err) });
      },
    );
    return waiting.then((outcome) => {
      if (outcome.kind === 'timeout' || outcome.kind === 'cancelled') controller.abort();
      return outcome;
    });
  }

  /** The error for a connection that ended while `sent` was waiting, carrying the request. */
  private closedError(error: ConnectionError | undefined, sent: unknown, consequence: string): QemuHostError {
    if (!error) return new NotConnectedError('the session was closed', { sent });
    return new ConnectionLostError(`${error.message}; ${consequence}`, {
      sent,
      hint: error.hint,
      cause: error,
    });
  }

  /**
   * Registers the waiter, then writes: a reply can never slip past between the two.
   * A failed write withdraws the waiter and throws.
   */
  private writeAndWait(
    messages: object | object[],
    flush: boolean,
    spec: Omit<Waiter, 'settle'>,
    until: number,
  ): Promise<Outcome> {
    const waiting = this.wait(spec, until);
    try {
      for (const message of Array.isArray(messages) ? messages : [messages]) this.write(message, flush);
    } catch (err) {
      this.waiter?.settle({ kind: 'cancelled' });
      throw err;
    }
    return waiting;
  }

  /** Waits until the router, a close, cancel() or the deadline settles the waiter. */
  private wait(spec: Omit<Waiter, 'settle'>, until: number): Promise<Outcome> {
    if (!this.connected) return Promise.resolve({ kind: 'closed', error: undefined });
    return new Promise((resolve) => {
      const timer = setTimeout(() => waiter.settle({ kind: 'timeout' }), Math.max(0, until - Date.now()));
      const waiter: Waiter = {
        ...spec,
        settle: (outcome) => {
          if (this.waiter !== waiter) return;
          this.waiter = undefined;
          clearTimeout(timer);
          resolve(outcome);
        },
      };
      this.waiter = waiter;
    });
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

  private onData(chunk: Buffer): void {
    for (const frame of this.framer.push(chunk)) this.route(classifyFrame(frame));
  }

  private route(incoming: Incoming): void {
    const at = this.listening('wire') ? Date.now() : 0;
    if (incoming.kind === 'garbage') {
      this.discard(incoming.text, incoming.bytes, incoming.reason, false);
      return;
    }
    this.statsValue.receivedMessages += 1;
    const preview = incoming.text;
    const waiter = this.waiter;

    const tellWire = (): void => {
      if (this.listening('wire')) this.emit('wire', { direction: 'in', at, text: preview, bytes: incoming.bytes, delimited: incoming.delimited });
    };
    if (waiter?.syncId !== undefined && this.isSyncReply(incoming, waiter.syncId)) {
      tellWire();
      waiter.settle({ kind: 'sync-reply' });
      return;
    }
    if (waiter?.awaitingReply) {
      const matches = incoming.hasId
        ? waiter.requestId !== undefined && sameId(incoming.id, waiter.requestId)
        : !incoming.delimited;
      if (matches) {
        tellWire();
        waiter.settle({ kind: 'reply', reply: incoming });
        return;
      }
    }
    this.discard(preview, incoming.bytes, this.discardReason(incoming), incoming.delimited);
  }

  private isSyncReply(reply: Reply, syncId: number): boolean {
    const value = reply.message.return;
    return !reply.error && (value === syncId || (typeof value === 'bigint' && value === BigInt(syncId)));
  }

  private discardReason(reply: Reply): string {
    if (reply.error && !reply.hasId && /parse error/i.test(reply.error.desc)) {
      // qemu-ga answers the 0xFF byte with a parse error about a stray U+FFFD; other parse
      // errors come from garbage such as half a request left by an earlier client.
      if (/stray '(\uFFFD|\\ufffd)'/i.test(reply.error.desc)) return "the agent's answer to the 0xFF flush byte";
      return 'a parse error for garbage sent earlier (half a request left by another client?)';
    }
    if (reply.delimited) return 'an answer to an earlier guest-sync-delimited';
    if (reply.hasId) return `stale reply (id ${stringifyJson(reply.id)} is not the one awaited)`;
    return this.waiter ? 'stale data before the sync' : 'unsolicited reply';
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
