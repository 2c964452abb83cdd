// The shell's verbs, between the store and the verb runner: planning a verb line, the
// read-only and confirmation rules, one verb at a time (anything else that would talk to
// the agent meanwhile is refused, with the reason, and its line stays on the prompt), the
// freeze state learned from the session's call-end events, and explaining a command the
// agent refused as "frozen" when that is why.
import { CommandDisabledError, asQemuHostError, type QemuHostError } from '../../../protocol/errors.js';
import type { CallRecord } from '../../../session/events.js';
import type { SchemaLookup } from '../../../schema/lookup.js';
import { explainDisabled } from '../../../verbs/disabled.js';
import { FROZEN_REMINDER, freezeStatus } from '../../../verbs/freeze/freeze.js';
import { notice, type HistoryItem } from '../../history/history-item.js';
import type { ShellSession } from '../shell-session.js';
import { freezeBanner, freezeReducer } from './freeze-state.js';
import { startVerb } from './start-verb.js';
import { chunkRules, type ChunkRules } from './transfer-chunks.js';
import type { VerbName } from './verb-item.js';
import { planVerb, type VerbRequest } from './verb-plan.js';
import { VerbRunner } from './verb-runner.js';
import { runningText, type VerbsState } from './verbs-state.js';

export interface ShellVerbsHost {
  session: ShellSession;
  lookup: SchemaLookup;
  readOnly: boolean;
  callTimeoutMs(): number | undefined;
  add(item: HistoryItem): void;
  updateItem(id: number, change: (item: HistoryItem) => HistoryItem): void;
  state(): VerbsState;
  setState(next: VerbsState): void;
  /** Ask before running: `change` says what it does to the guest. */
  confirm(request: VerbRequest, line: string, change: string): void;
  /** The guest was thawed (the shell may want to learn its capabilities again). */
  thawed(): void;
}

const CLOCK_MS = 1000;

export class ShellVerbs {
  private readonly host: ShellVerbsHost;
  private readonly runner: VerbRunner;
  private clock: NodeJS.Timeout | undefined;
  private quitWarned = false;
  private readonly chunks: ChunkRules;

  constructor(host: ShellVerbsHost) {
    this.host = host;
    this.chunks = chunkRules(host.session.transport);
    this.runner = new VerbRunner({
      session: host.session,
      callTimeoutMs: () => host.callTimeoutMs(),
      add: (item) => host.add(item),
      update: (id, change) => host.updateItem(id, (i) => (i.kind === 'verb' ? change(i) : i)),
      running: (running) => host.setState({ ...host.state(), running }),
    });
  }

  /** Follows the session's finished calls for the freeze state; returns the unsubscribe. */
  attach(): () => void {
    const off = this.host.session.on('call-end', (record) => this.onCallEnd(record));
    return () => {
      off();
      clearInterval(this.clock);
      this.clock = undefined;
    };
  }

  /** A `:exec`, `:get`, ... line. */
  submit(verb: VerbName, arg: string | undefined, line: string): void {
    const plan = planVerb(verb, arg, { lookup: this.host.lookup, cwd: process.cwd(), chunks: this.chunks });
    if (plan.kind === 'problem') return this.host.add(notice('error', plan.message, plan.hint));
    if (plan.kind === 'stop-watch') {
      if (this.stopWatch()) return;
      return this.host.add(notice('info', 'No watch is running. Start one with :watch COMMAND, e.g. :watch guest-get-load --every 1'));
    }
    const busy = this.busyReason(line);
    if (busy) return this.host.add(notice('warn', busy));
    if (plan.change !== undefined) {
      if (this.host.readOnly) {
        return this.host.add(notice('warn', `Refused: :${verb} ${plan.change}, and the shell is read-only (--read-only). Nothing was run.`));
      }
      return this.host.confirm(plan.request, line, plan.change);
    }
    this.start(plan.request, line);
  }

  /** The user said yes to a verb's confirmation. */
  confirmed(request: VerbRequest, line: string): void {
    const busy = this.busyReason(line);
    if (busy) return this.host.add(notice('warn', busy));
    this.start(request, line);
  }

  private start(request: VerbRequest, line: string): void {
    startVerb(this.runner, request, line, () => this.host.state().freeze);
  }

  /** Why `line` cannot run now, or undefined when it can. */
  busyReason(line: string): string | undefined {
    const running = this.runner.running;
    if (!running) return undefined;
    const stop = running.verb === 'watch' ? 'Ctrl+C, Esc or :watch stops it' : 'Ctrl+C stops it';
    return `Not run: ${running.line} is still running (${stop}). One thing at a time while a verb runs: ` +
      `${line.length > 40 ? `${line.slice(0, 39)}…` : line} stays on the prompt; press Enter again when it is done.`;
  }

  get running(): boolean {
    return this.runner.running !== undefined;
  }

  /** Ctrl+C: stops the running verb; false when none runs. */
  stop(): boolean {
    return this.runner.stop();
  }

  /** Esc and `:watch`: stops a running watch; false when no watch runs. */
  stopWatch(): boolean {
    return this.runner.running?.verb === 'watch' ? this.runner.stop('stopped') : false;
  }

  /** What the prompt shows while a verb runs. */
  promptBusy(): string | undefined {
    const running = this.host.state().running;
    return running ? runningText(running) : undefined;
  }

  banner(): string | undefined {
    const s = this.host.state();
    return freezeBanner(s.freeze, s.now);
  }

  /** At connect: is the guest frozen? Learned through the call-end event; failures are ignored. */
  async checkFreeze(): Promise<void> {
    const t = this.host.callTimeoutMs();
    await freezeStatus(this.host.session, t === undefined ? {} : { callTimeoutMs: t }).catch(() => undefined);
  }

  /** A command the agent refused: explained as "frozen" when the guest is. */
  async explain(thrown: unknown, command: string): Promise<QemuHostError> {
    const err = asQemuHostError(thrown);
    if (!(err instanceof CommandDisabledError)) return err;
    const better = await explainDisabled(this.host.session, err, command, undefined, this.host.callTimeoutMs());
    if (better === err) return err;
    const inShell = new CommandDisabledError(err.errorClass, err.desc, {
      sent: err.sent,
      received: err.received,
      cause: err,
      hint: 'While frozen the agent refuses all but a few commands: :thaw thaws the guest (or wait for whoever froze it).',
    });
    inShell.message = better.message;
    return inShell;
  }

  /**
   * Before leaving: a running verb is stopped first (its cleanup runs) and `leave` called
   * once it has ended; a frozen guest is named once, and the second try leaves.
   */
  beforeQuit(leave: () => void): void {
    if (this.runner.running) {
      this.host.add(notice('info', `Stopping ${this.runner.running.line} before leaving…`));
      this.runner.stop('stopped: the shell is leaving');
      void this.runner.idle().then(leave);
      return;
    }
    const banner = this.banner();
    if (banner && !this.quitWarned) {
      this.quitWarned = true;
      this.host.add(notice('warn', `The guest's filesystems are still frozen (${banner.replace(/ {2}.*$/, '')}): writes there block until they are thawed.`,
        ':thaw thaws them; Ctrl+D (or :quit) again leaves them frozen.'));
      return;
    }
    leave();
  }

  private onCallEnd(record: CallRecord): void {
    const before = this.host.state();
    const freeze = freezeReducer(before.freeze, record);
    if (freeze === before.freeze) return;
    this.host.setState({ ...before, freeze, now: Date.now() });
    const mine = this.runner.running?.verb === 'freeze' || this.runner.running?.verb === 'thaw';
    if (freeze.status === 'frozen' && before.freeze.status !== 'frozen') {
      this.quitWarned = false;
      this.runClock();
      if (freeze.how === 'found') {
        this.host.add(notice('warn', "The guest's filesystems are FROZEN (guest-fsfreeze-status says so): the agent refuses most commands until they are thawed.", ':thaw thaws them.'));
      } else if (!mine) {
        this.host.add(notice('warn', `The guest's filesystems are FROZEN. ${FROZEN_REMINDER.replace('qemu-host thaw', ':thaw')}`));
      }
    }
    if (freeze.status !== 'frozen' && before.freeze.status === 'frozen') {
      clearInterval(this.clock);
      this.clock = undefined;
      if (!mine) this.host.add(notice('ok', "The guest's filesystems are thawed."));
      this.host.thawed();
    }
  }

  private runClock(): void {
    clearInterval(this.clock);
    this.clock = setInterval(() => this.host.setState({ ...this.host.state(), now: Date.now() }), CLOCK_MS);
  }
}
