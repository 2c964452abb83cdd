// --share: a session that holds the agent socket only while a command runs. Every call
// connects, syncs (0xFF + guest-sync-delimited), sends the one command, reads its reply
// and disconnects, so another client (libvirt, a script, a second qemu-host) can use the
// agent between two commands.
//
// The price is a connect and a sync per command. Over a real VM's chardev the first reply
// after a connect takes 20-60 ms, against ~0.25 ms for a command on a held connection.
// To keep that visible, a call's `ms` here is the whole wall time (connect + sync +
// command), `connectMs` is the connect-and-sync part and `exchangeMs` the command alone;
// stats.lastRttMs is the whole wall time too. A status line can tell this mode by
// `perCommand` and show `lastConnectMs`.
import type { JsonObject } from '../protocol/json.js';
import type { SessionStats } from './events.js';
import { Session, type CallOptions, type CallResult, type SessionOptions } from './session.js';
import type { Transport } from '../transport/transport.js';

export type SharedCallResult = CallResult & {
  /** Connecting and syncing before the command. */
  connectMs: number;
  /** The command itself, from writing it to its reply (what `ms` is on a held session). */
  exchangeMs: number;
};

export class PerCommandSession extends Session {
  /** Calls run strictly one after another, each on its own connection. */
  private chain: Promise<unknown> = Promise.resolve();
  private lastConnect: number | undefined;
  private lastTotal: number | undefined;

  constructor(transport: Transport, options: SessionOptions = {}) {
    // Reconnecting on its own would defeat the point: a connection opens only for a command.
    super(transport, { ...options, reconnect: false });
  }

  /** Always true: tells a status line to show "connects per command". */
  get perCommand(): boolean {
    return true;
  }

  /**
   * As on a held session, except that lastRttMs is what the last command cost in all,
   * connect and sync included: the figure a status line shows is the one the user waits.
   */
  override get stats(): Readonly<SessionStats> {
    const stats = super.stats;
    return this.lastTotal === undefined ? stats : { ...stats, lastRttMs: this.lastTotal };
  }

  /** What the last connect + sync cost, in milliseconds. */
  get lastConnectMs(): number | undefined {
    return this.lastConnect;
  }

  /** Checks that the agent answers (connect + sync), then lets the socket go again. */
  override connect(options: { timeoutMs?: number } = {}): Promise<void> {
    return this.serialize(async () => {
      const started = performance.now();
      try {
        await super.connect(options);
        this.lastConnect = performance.now() - started;
      } finally {
        await this.hangUp();
      }
    });
  }

  override call(execute: string, args?: JsonObject, options: CallOptions = {}): Promise<SharedCallResult> {
    return this.serialize(async () => {
      const started = performance.now();
      try {
        // The session connects and syncs first, within the call's own deadline.
        const result = await super.call(execute, args, options);
        const ms = performance.now() - started;
        const connectMs = Math.max(0, ms - result.ms);
        this.lastConnect = connectMs;
        this.lastTotal = ms;
        return { ...result, ms, connectMs, exchangeMs: result.ms };
      } finally {
        await this.hangUp();
      }
    });
  }

  private serialize<T>(job: () => Promise<T>): Promise<T> {
    const run = this.chain.then(job, job);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /**
   * Disconnects and waits until the session has seen the connection close, so that the
   * next call opens a new one. Every state but these two has a connection open (a call
   * that failed to connect leaves 'disconnected').
   */
  private hangUp(): Promise<void> {
    if (this.state === 'disconnected' || this.state === 'closed') return Promise.resolve();
    return new Promise((resolve) => {
      const unsubscribe = this.on('state', (change) => {
        if (change.state !== 'disconnected' && change.state !== 'closed') return;
        unsubscribe();
        resolve();
      });
      this.disconnect();
    });
  }
}
