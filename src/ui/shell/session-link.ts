// The shell's side of the session: connecting, and turning what the session reports into
// the snapshot. Connection states and stats go to the status bar (a failure is noted in
// the history once), wire lines reach the wire view in batches, and on each new connection
// the agent's capabilities are learned with guest-info, the freeze state is checked and a
// broker's client count is followed. A thaw learns the capabilities again.
import { asQemuHostError } from '../../protocol/errors.js';
import { isJsonObject } from '../../protocol/json.js';
import { Capabilities, parseAgentInfo } from '../../schema/capabilities.js';
import type { SchemaLookup } from '../../schema/lookup.js';
import type { StateChange, WireEvent } from '../../session/events.js';
import { notice } from '../history/history-item.js';
import { wireReducer } from '../wire/use-wire-state.js';
import { BROKER_INFO_COMMAND, BrokerWatch } from './broker-watch.js';
import type { CallSender } from './call-sender.js';
import type { DerivedState } from './derived-state.js';
import type { ShellSession } from './shell-session.js';
import type { StateCell } from './state-cell.js';
import type { ShellVerbs } from './verbs/shell-verbs.js';

const WIRE_FLUSH_MS = 30;
/** How often a shared (brokered) shell asks how many clients are attached, when idle. */
const SHARED_REFRESH_MS = 15_000;

export interface SessionLinkParts {
  cell: StateCell;
  session: ShellSession;
  lookup: SchemaLookup;
  derived: DerivedState;
  sender: CallSender;
  verbs: ShellVerbs;
}

export class SessionLink {
  private readonly parts: SessionLinkParts;
  private readonly brokerWatch: BrokerWatch;
  private offs: (() => void)[] = [];
  private wireBuffer: WireEvent[] = [];
  private wireTimer: NodeJS.Timeout | undefined;
  private needInfo = true;
  private lastError: string | undefined;
  private stopped = false;
  private capsLearnedFrozen = false;
  private sharedTimer: NodeJS.Timeout | undefined;

  constructor(parts: SessionLinkParts) {
    this.parts = parts;
    this.brokerWatch = new BrokerWatch(parts.session, (shared) => parts.cell.status({ type: 'shared', shared }));
  }

  /** Subscribes to the session and connects. */
  start(options: { connect: boolean }): void {
    const { session: s, cell, lookup } = this.parts;
    this.offs.push(
      s.on('state', (change) => this.onState(change)),
      s.on('wire', (event) => this.onWire(event)),
      s.on('call-end', (call) => {
        this.refreshStats();
        if (call.execute !== BROKER_INFO_COMMAND) this.brokerWatch.refreshSoon();
      }),
      s.on('agent-info', (info) => cell.status({ type: 'agent', version: info.version })),
      this.parts.verbs.attach(),
    );
    if (!options.connect) return;
    cell.add(notice('info', `qemu-host shell · ${s.transport.description} · schema ${lookup.schema.qemuVersion ? `QEMU ${lookup.schema.qemuVersion}` : lookup.schema.origin}, ${lookup.commands().length} commands`,
      'Type a command, or words to look one up (read file): the list completes it, Tab accepts. Ctrl+O opens an argument form, Ctrl+G shows help, :keys lists the keys, Ctrl+D leaves.'));
    s.connect().catch((err: unknown) => {
      const e = asQemuHostError(err);
      if (!this.stopped && s.state !== 'disconnected') this.noteError(e.message, e.hint);
    });
  }

  /** Stops the running verb and everything that follows the session. */
  stop(): void {
    this.stopped = true;
    this.parts.verbs.stop();
    for (const off of this.offs.splice(0)) off();
    clearTimeout(this.wireTimer);
    clearInterval(this.sharedTimer);
    this.brokerWatch.stop();
  }

  /** The guest was thawed: capabilities learned while frozen mark nearly every command disabled, so ask again. */
  thawed(): void {
    if (this.capsLearnedFrozen && !this.stopped) void this.learnCapabilities('thawed');
  }

  private onState(change: StateChange): void {
    this.parts.cell.status({ type: 'state', state: change.state, detail: change.detail });
    this.refreshStats();
    if (change.state === 'connecting') {
      this.needInfo = true;
      this.brokerWatch.reset();
    }
    if (change.state === 'disconnected' && change.error) {
      // A command in flight reports the failure in its own entry; say it once.
      if (this.parts.sender.inFlight > 0 || this.parts.verbs.running) this.lastError = change.error.message;
      else this.noteError(change.error.message, change.error.hint);
    }
    if (change.state === 'ready' && this.needInfo) {
      this.needInfo = false;
      this.lastError = undefined;
      void this.learnCapabilities();
    }
  }

  /** An error notice, once: a reconnect loop failing the same way does not repeat it. */
  private noteError(message: string, hint: string | undefined): void {
    if (this.lastError === message) return;
    this.lastError = message;
    this.parts.cell.add(notice('error', message, hint));
  }

  private refreshStats(): void {
    const s = this.parts.session.stats;
    this.parts.cell.status({ type: 'stats', discardedBytes: s.discardedBytes, discardedMessages: s.discardedMessages, syncs: s.syncs, rttMs: s.lastRttMs });
  }

  private onWire(event: WireEvent): void {
    this.wireBuffer.push(event);
    if (event.direction === 'discard') this.refreshStats();
    this.wireTimer ??= setTimeout(() => {
      this.wireTimer = undefined;
      const events = this.wireBuffer;
      this.wireBuffer = [];
      const { cell } = this.parts;
      cell.update({ wire: wireReducer(cell.state.wire, { type: 'events', events }) });
    }, WIRE_FLUSH_MS);
  }

  private async learnCapabilities(why: 'connected' | 'thawed' = 'connected'): Promise<void> {
    const { cell, session, lookup, verbs } = this.parts;
    const done = await this.parts.sender.send({ command: 'guest-info', args: undefined, line: 'guest-info' }, 'shell');
    if (this.stopped || done.status !== 'ok' || !isJsonObject(done.value)) return;
    try {
      const info = parseAgentInfo(done.value);
      session.noteAgentInfo({ version: info.version, supported: done.value.supported_commands ?? [] });
      const caps = new Capabilities(lookup, info);
      this.parts.derived.useCapabilities(caps);
      cell.update({ capabilities: caps, epoch: cell.state.epoch + 1 });
      const enabled = caps.all().filter((v) => v.availability === 'enabled').length;
      cell.add(notice('ok', `${why === 'connected' ? 'Connected' : 'Thawed'}: qemu-ga ${info.version}, ${enabled} of ${info.commands.size} commands enabled.`));
      // Frozen filesystems make the agent refuse most commands: the banner must show it.
      if (why === 'connected' && caps.availability('guest-fsfreeze-status') === 'enabled') await verbs.checkFreeze();
      this.capsLearnedFrozen = cell.state.verbs.freeze.status === 'frozen';
      if (why === 'connected') await this.learnSharing();
    } catch (err) {
      cell.add(notice('warn', `guest-info answered something unexpected: ${asQemuHostError(err).message}`));
    }
  }

  /** Asks whether this is a broker's socket; while it is, keeps the client count fresh. */
  private async learnSharing(): Promise<void> {
    await this.brokerWatch.refresh(true);
    if (this.stopped || !this.brokerWatch.shared || this.sharedTimer) return;
    this.sharedTimer = setInterval(() => {
      if (this.parts.session.state === 'ready' && this.brokerWatch.shared) void this.brokerWatch.refresh();
    }, SHARED_REFRESH_MS);
    this.sharedTimer.unref?.();
  }
}
