// Shares one guest agent among many clients. The broker holds one Session to the agent
// (0xFF sync, deadlines, reconnect with back-off all come from it) and feeds it one
// request at a time, taking turns between clients: round-robin over the clients that
// have something queued, so a chatty client cannot starve a quiet one.
//
// Every forwarded request carries an id of the broker's own; the client's id (number,
// BigInt, string, object, or none at all) stays here and is put back on the reply, so
// replies reach only the client that asked. A reply for a client that has gone is read
// and dropped. guest-sync, guest-sync-delimited and qemu-host-broker-info are answered
// here without disturbing the agent; a sync only while the session is in step with the
// agent, so that a client probing for a live agent is never told yes when there is none.
import { randomBytes } from 'node:crypto';
import { AgentError, asQemuHostError, type QemuHostError } from '../protocol/errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../protocol/json.js';
import type { SessionState } from '../session/events.js';
import { Session, type SessionOptions } from '../session/session.js';
import { KNOWN_NO_REPLY_COMMANDS } from '../session/timeouts.js';
import type { Transport } from '../transport/transport.js';
import { errorReply, returnReply } from './agent-format.js';
import { AgentFacts } from './agent-facts.js';
import { Lane, type Delivery, type LaneOwner, type QueuedRequest } from './lane.js';
import { describeCommand, type BrokerLog } from './log.js';
import { relayedReplyLine } from './reply-line.js';
import { classify, withClientId, type ClientId, type Work } from './requests.js';

export interface BrokerOptions {
  /** Refuse commands that change the guest, for every client. */
  readOnly?: boolean;
  /** Per-command deadline; defaults to the session's (10 s, longer for fsfreeze/fstrim). */
  timeoutFor?: (command: string) => number;
  /** Where the one-line-per-event log goes; nothing is logged without it. */
  log?: BrokerLog;
  /** Reconnect back-off (defaults to 100 ms doubling to 5 s). */
  reconnect?: SessionOptions['reconnect'];
  /** Reported by qemu-host-broker-info. */
  version?: string;
}

/** What qemu-host-broker-info returns (and GET /health shows). */
export interface BrokerInfo {
  broker: string;
  version: string;
  /** Socket clients attached now, the asking one included. */
  clients: number;
  /** The agent's endpoint, e.g. unix:/run/qga.sock. */
  agent: string;
  'agent-version': string | null;
  state: SessionState;
  'read-only': boolean;
  /** Requests waiting for their turn. */
  queued: number;
}

export class Broker {
  readonly session: Session;
  readonly facts: AgentFacts;
  readonly readOnly: boolean;
  /** The broker's log (see log.ts); undefined when silent. */
  readonly log: BrokerLog | undefined;
  private readonly version: string;
  private readonly lanes = new Set<Lane>();
  /** Lanes whose head request waits for the agent, in turn order (a Set keeps insertion order). */
  private readonly ready = new Set<Lane>();
  private busy = false;
  private nextLane = 1;
  private nextSeq = 1;
  private socketClients = 0;
  private readonly idPrefix = `qhb-${randomBytes(3).toString('hex')}`;
  private closed = false;

  constructor(transport: Transport, options: BrokerOptions = {}) {
    this.readOnly = options.readOnly === true;
    this.log = options.log;
    this.version = options.version ?? '0.1.0';
    this.facts = new AgentFacts();
    this.session = new Session(transport, {
      reconnect: options.reconnect ?? true,
      timeoutFor: options.timeoutFor,
      isNoReply: (command) => this.facts.sendsNoReply(command) ?? KNOWN_NO_REPLY_COMMANDS.has(command),
    });
    this.facts.follow(this.session, (line) => this.log?.(line));
    this.followState();
  }

  /** Logs losing the agent, each retry while it stays away (at most every 5 s), and silence. */
  private followState(): void {
    const connected = new Set(['syncing', 'ready', 'busy', 'unresponsive']);
    let why = '';
    this.session.on('state', (change) => {
      if (change.state === 'disconnected' && change.error) {
        why = change.error.message;
        if (connected.has(change.previous)) this.log?.(`lost the agent: ${why}`);
      } else if (change.state === 'disconnected' && change.detail?.startsWith('reconnecting')) {
        this.log?.(`agent unreachable${why ? ` (${why})` : ''}: ${change.detail}`);
      } else if (change.state === 'unresponsive' && change.previous !== 'unresponsive') {
        this.log?.(`agent not answering${change.detail ? `: ${change.detail}` : ''}`);
      }
    });
  }

  /** Connects to the agent. A failure is logged and retried with back-off; it does not stop the broker. */
  async start(): Promise<void> {
    try {
      await this.session.connect();
    } catch {
      // Logged from the session's state changes, and retried with back-off.
    }
  }

  get clients(): number {
    return this.socketClients;
  }

  /** Requests waiting for the agent, over all lanes. */
  get queued(): number {
    let n = 0;
    for (const lane of this.lanes) n += lane.items.length;
    return n;
  }

  info(): BrokerInfo {
    return {
      broker: 'qemu-host',
      version: this.version,
      clients: this.socketClients,
      agent: this.session.transport.description,
      'agent-version': this.facts.version ?? null,
      state: this.session.state,
      'read-only': this.readOnly,
      queued: this.queued,
    };
  }

  /** A new lane; socket clients count as attached clients, HTTP requests do not. */
  openLane(label: (id: number) => string, owner: LaneOwner, options: { socketClient: boolean }): Lane {
    const id = this.nextLane++;
    const lane = new Lane(id, label(id), owner);
    this.lanes.add(lane);
    if (options.socketClient) this.socketClients++;
    return lane;
  }

  /** The client went away: drops what it queued; a reply in flight is read and dropped when it comes. */
  closeLane(lane: Lane, options: { socketClient: boolean }): number {
    if (lane.closed) return 0;
    lane.closed = true;
    const dropped = lane.items.length - (lane.inFlight ? 1 : 0);
    if (!lane.inFlight) lane.items.length = 0;
    else lane.items.length = 1;
    this.ready.delete(lane);
    this.lanes.delete(lane);
    if (options.socketClient) this.socketClients--;
    return dropped;
  }

  /** One parsed value from a client: queued behind that client's earlier requests. */
  submit(lane: Lane, value: JsonValue): void {
    if (lane.closed) return;
    const { execute, work } = classify(value, this.readOnly);
    lane.items.push({ execute, work, queuedAt: performance.now() });
    this.advance(lane);
  }

  /** A client's input that did not parse: answered as the agent answers it, in its turn. */
  submitParseError(lane: Lane, desc: string): void {
    if (lane.closed) return;
    lane.items.push({ execute: '(parse error)', work: { kind: 'reply', reply: errorReply('GenericError', desc), delimited: false }, queuedAt: performance.now() });
    this.advance(lane);
  }

  close(): void {
    this.closed = true;
    for (const lane of this.lanes) lane.closed = true;
    this.lanes.clear();
    this.ready.clear();
    this.session.close();
  }

  // ---- turns --------------------------------------------------------------------------

  /** The session is connected and synced: what the broker says for the agent is true. */
  private inStep(): boolean {
    const state = this.session.state;
    return state === 'ready' || state === 'busy';
  }

  /** Answers what the broker answers itself at the head of the lane; queues it for a turn otherwise. */
  private advance(lane: Lane): void {
    while (!lane.closed && !lane.inFlight) {
      const head = lane.items[0];
      if (!head) break;
      const work = head.work;
      if (work.kind === 'forward' || (work.kind === 'sync' && !this.inStep())) {
        this.ready.add(lane);
        break;
      }
      lane.items.shift();
      if (work.kind === 'broker-info') {
        this.finish(lane, head, { reply: returnReply(this.info() as unknown as JsonObject, work.id), delimited: false, from: 'broker' });
      } else {
        this.finish(lane, head, { reply: work.reply, delimited: work.delimited, from: 'broker' });
      }
    }
    this.pump();
  }

  /** Sends the next lane's head request to the agent, if none is there now. */
  private pump(): void {
    while (!this.busy && !this.closed) {
      const lane = this.ready.values().next().value;
      if (!lane) return;
      this.ready.delete(lane);
      const head = lane.items[0];
      const work = head?.work;
      if (lane.closed || !head || (work?.kind !== 'forward' && work?.kind !== 'sync')) continue;
      this.busy = true;
      lane.inFlight = true;
      head.sentAt = performance.now();
      const outcome = work.kind === 'forward' ? this.forward(lane, head, work.request, work.id) : this.syncWhenInStep(work);
      void outcome.then((delivery) => {
        this.busy = false;
        lane.inFlight = false;
        lane.items.shift();
        this.finish(lane, head, delivery);
        this.advance(lane);
        this.pump();
      });
    }
  }

  private async forward(lane: Lane, item: QueuedRequest, request: JsonObject, id: ClientId): Promise<Delivery> {
    // The request is the broker's own copy (see classify): it takes the broker's id.
    const ourId = `${this.idPrefix}-${this.nextSeq++}`;
    request.id = ourId;
    let line: Buffer | undefined;
    let written = false;
    const keepLine = (bytes: Buffer): void => {
      line = relayedReplyLine(bytes, ourId, id);
      // The reply goes to its client at once, while the session still hands it over;
      // logging and the next turn follow (see Delivery.written).
      if (line && !lane.closed && lane.owner.writeNow) written = lane.owner.writeNow(line);
    };
    try {
      const result = await this.session.call(item.execute, undefined, { raw: request, onReplyLine: keepLine });
      if (result.status === 'no-reply') return { reply: undefined, delimited: false, from: 'agent' };
      return { reply: withClientId(result.reply, id), line, written, delimited: false, from: 'agent' };
    } catch (thrown) {
      const err = asQemuHostError(thrown);
      if (err instanceof AgentError && isJsonObject(err.received)) {
        return { reply: withClientId(err.received, id), line, written, delimited: false, from: 'agent' };
      }
      return { reply: failureReply(err, id), delimited: false, from: 'broker', failure: err };
    }
  }

  /** A client's sync while the session is not in step: answered once the session has synced, or failed. */
  private async syncWhenInStep(work: Extract<Work, { kind: 'sync' }>): Promise<Delivery> {
    try {
      await this.session.connect();
      return { reply: work.reply, delimited: work.delimited, from: 'broker' };
    } catch (thrown) {
      const err = asQemuHostError(thrown);
      return { reply: failureReply(err, work.id), delimited: false, from: 'broker', failure: err };
    }
  }

  private finish(lane: Lane, item: QueuedRequest, delivery: Delivery): void {
    if (this.log) this.log(describeCommand(lane.label, item, delivery, lane.closed));
    if (!lane.closed) lane.owner.deliver(delivery, item);
  }
}

/**
 * The broker's answer when the agent could not: agent-shaped, so every client can read
 * it, with a description that says it comes from the broker and what happened.
 */
export function failureReply(err: QemuHostError, id: ClientId): JsonObject {
  const desc = `qemu-host broker: ${err.message}${err.hint ? `. ${err.hint}` : ''}`;
  return errorReply('GenericError', desc, id);
}
