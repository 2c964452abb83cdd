// Whether the shell talks to a qemu-host broker (qemu-host serve) rather than straight to
// an agent, and how many clients share it. Asked with qemu-host-broker-info once the
// connection is ready: a broker answers it itself without touching the agent; a real agent
// answers CommandNotFound, and then nothing more is asked until the next connection.
// While shared, the count is refreshed after the user's commands (at most every few
// seconds) and now and then when idle. The probes go to the session, not to the history.
import { AgentError, asQemuHostError } from '../../protocol/errors.js';
import { isJsonObject } from '../../protocol/json.js';
import type { ShellSession } from './shell-session.js';

export const BROKER_INFO_COMMAND = 'qemu-host-broker-info';

export interface SharedInfo {
  /** Clients attached to the broker now, this shell included. */
  clients: number;
  readOnly: boolean;
}

const PROBE_TIMEOUT_MS = 3000;

export class BrokerWatch {
  private readonly session: Pick<ShellSession, 'call'>;
  private readonly onInfo: (info: SharedInfo | undefined) => void;
  private readonly minGapMs: number;
  /** undefined: not known yet on this connection. */
  private isBroker: boolean | undefined;
  private lastAsked = 0;
  private asking = false;
  private soon: NodeJS.Timeout | undefined;

  constructor(session: Pick<ShellSession, 'call'>, onInfo: (info: SharedInfo | undefined) => void, minGapMs = 2000) {
    this.session = session;
    this.onInfo = onInfo;
    this.minGapMs = minGapMs;
  }

  get shared(): boolean {
    return this.isBroker === true;
  }

  /** A new connection: it may lead somewhere else now. */
  reset(): void {
    this.isBroker = undefined;
  }

  /** Asks once the gap since the last question has passed (at once when it has). */
  refreshSoon(): void {
    if (this.isBroker !== true || this.soon) return;
    const wait = Math.max(0, this.lastAsked + this.minGapMs - Date.now());
    this.soon = setTimeout(() => {
      this.soon = undefined;
      void this.refresh(true);
    }, wait);
    this.soon.unref?.();
  }

  stop(): void {
    clearTimeout(this.soon);
    this.soon = undefined;
  }

  /** Asks, unless this is known to be a plain agent or was asked moments ago. */
  async refresh(force = false): Promise<void> {
    if (this.isBroker === false || this.asking) return;
    if (!force && Date.now() - this.lastAsked < this.minGapMs) return;
    this.asking = true;
    this.lastAsked = Date.now();
    try {
      const result = await this.session.call(BROKER_INFO_COMMAND, undefined, { timeoutMs: PROBE_TIMEOUT_MS });
      const value = result.status === 'ok' ? result.value : undefined;
      if (isJsonObject(value) && typeof value.broker === 'string' && typeof value.clients === 'number') {
        this.isBroker = true;
        this.onInfo({ clients: value.clients, readOnly: value['read-only'] === true });
      } else {
        this.notBroker();
      }
    } catch (err) {
      // The agent itself does not know the command: a plain agent. Anything else (a timeout,
      // a lost connection) says nothing either way; the next connection asks again.
      if (asQemuHostError(err) instanceof AgentError) this.notBroker();
    } finally {
      this.asking = false;
    }
  }

  private notBroker(): void {
    const was = this.isBroker;
    this.isBroker = false;
    if (was !== false) this.onInfo(undefined);
  }
}
