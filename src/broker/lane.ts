// One client's queue of requests. Each client (a socket, or one HTTP request) has its
// own lane, so its replies come back in the order it asked, and the broker can take
// turns between lanes instead of serving whoever wrote most.
import type { QemuHostError } from '../protocol/errors.js';
import type { JsonObject } from '../protocol/json.js';
import type { Work } from './requests.js';

export interface QueuedRequest {
  execute: string;
  work: Work;
  /** performance.now() when it was read from the client. */
  queuedAt: number;
  /** performance.now() when it was sent to the agent (forwarded requests only). */
  sentAt?: number;
}

/** How a request ended, as handed to the lane's owner. */
export interface Delivery {
  /** The reply to send; undefined for a command that sends none (guest-shutdown). */
  reply: JsonObject | undefined;
  /**
   * The same reply as the bytes to write, newline included, when it is the agent's own
   * line relayed with the client's id (see reply-line.ts); written from `reply` otherwise.
   */
  line?: Buffer;
  /** The owner's writeNow already wrote `line`: deliver must not write it again. */
  written?: boolean;
  /** Prefix the reply with 0xFF (guest-sync-delimited). */
  delimited: boolean;
  /** Who answered: the agent, or the broker itself (sync, info, refusals, failures). */
  from: 'agent' | 'broker';
  /** When the broker answered for a failure (timeout, lost connection). */
  failure?: QemuHostError;
}

export interface LaneOwner {
  /** Called once per request, in order, unless the lane was closed first. */
  deliver(delivery: Delivery, request: QueuedRequest): void;
  /**
   * Writes a reply's bytes the moment they arrive from the agent, ahead of its delivery
   * (which then carries `written`). Returns whether it wrote them. Optional: owners
   * without it get the bytes in deliver.
   */
  writeNow?(line: Buffer): boolean;
}

export class Lane {
  readonly id: number;
  /** How logs name this client: "client 3", "http 127.0.0.1:5123". */
  readonly label: string;
  readonly owner: LaneOwner;
  readonly items: QueuedRequest[] = [];
  /** Its head request is with the agent now. */
  inFlight = false;
  closed = false;

  constructor(id: number, label: string, owner: LaneOwner) {
    this.id = id;
    this.label = label;
    this.owner = owner;
  }
}
