// Runs one verb at a time and keeps its history entry current: the body from the verb's
// own callbacks, the elapsed time once a second, and at the end the phase (done, failed,
// cancelled) with the error's message and hint. stop() aborts the verb's signal: each
// verb then cleans up in its own way (kills the guest process, closes the guest handle,
// removes the temp file) before its entry says it stopped.
import { AgentError, CancelledError, asQemuHostError } from '../../../protocol/errors.js';
import type { VerbSession } from '../../../verbs/verb-session.js';
import { itemId } from '../../history/history-item.js';
import type { VerbRun } from './verb-context.js';
import type { VerbBody, VerbItem, VerbName } from './verb-item.js';

export interface RunningVerb {
  id: number;
  verb: VerbName;
  line: string;
  startedAt: number;
  stopping: boolean;
}

export interface RunnerHost {
  session: VerbSession;
  callTimeoutMs(): number | undefined;
  add(item: VerbItem): void;
  update(id: number, change: (item: VerbItem) => VerbItem): void;
  /** The running verb changed (started, stopping, ended). */
  running(verb: RunningVerb | undefined): void;
}

const TICK_MS = 1000;

interface Slot {
  info: RunningVerb;
  controller: AbortController;
  item: VerbItem;
  done: Promise<void>;
  set(change: (item: VerbItem) => VerbItem): void;
}

export class VerbRunner {
  private readonly host: RunnerHost;
  private current: Slot | undefined;

  constructor(host: RunnerHost) {
    this.host = host;
  }

  get running(): RunningVerb | undefined {
    return this.current?.info;
  }

  /** Starts a verb; the caller has made sure none is running. */
  start(verb: VerbName, line: string, body: VerbBody, run: VerbRun): void {
    if (this.current) throw new Error(`a verb is already running (${this.current.info.line})`);
    const controller = new AbortController();
    const startedAt = Date.now();
    const item: VerbItem = { kind: 'verb', id: itemId(), verb, line, startedAt, elapsedMs: 0, phase: 'running', body };
    const info: RunningVerb = { id: item.id, verb, line, startedAt, stopping: false };
    const slot: Slot = {
      info, controller, item, done: Promise.resolve(),
      set: (change) => {
        slot.item = change(slot.item);
        const next = slot.item;
        this.host.update(item.id, () => next);
      },
    };
    const set = slot.set;
    this.current = slot;
    this.host.add(item);
    this.host.running(info);
    const timer = setInterval(() => set((i) => ({ ...i, elapsedMs: Date.now() - startedAt })), TICK_MS);
    const ctx = {
      session: this.host.session,
      signal: controller.signal,
      callTimeoutMs: this.host.callTimeoutMs(),
      show: (next: VerbBody) => set((i) => ({ ...i, body: next, elapsedMs: Date.now() - startedAt })),
      item: () => slot.item,
    };
    slot.done = run(ctx).then(
      (end) => set((i) => withoutUndefined({ ...i, body: end.body, phase: end.phase ?? 'done', message: end.message, hint: end.hint })),
      (thrown: unknown) => {
        const err = asQemuHostError(thrown);
        const stopped = err instanceof CancelledError && controller.signal.aborted;
        set((i) => withoutUndefined({
          ...i,
          phase: stopped ? 'cancelled' : 'failed',
          message: err.message,
          // The verbs' hints speak of the command line; here the verb is one word away.
          hint: err.hint?.replaceAll('qemu-host thaw', ':thaw'),
          errorClass: err instanceof AgentError ? err.errorClass : undefined,
        }));
      },
    ).finally(() => {
      clearInterval(timer);
      set((i) => ({ ...i, elapsedMs: Date.now() - startedAt }));
      this.current = undefined;
      this.host.running(undefined);
    });
  }

  /** Aborts the running verb; false when none runs. */
  stop(why = 'stopped (Ctrl+C)'): boolean {
    const slot = this.current;
    if (!slot) return false;
    if (!slot.info.stopping) {
      slot.info = { ...slot.info, stopping: true };
      slot.controller.abort(new CancelledError(why));
      slot.set((i) => (i.phase === 'running' ? { ...i, phase: 'stopping' } : i));
      this.host.running(slot.info);
    }
    return true;
  }

  /** Resolves once no verb runs. */
  idle(): Promise<void> {
    return this.current?.done ?? Promise.resolve();
  }
}

function withoutUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as Array<keyof T>) if (value[key] === undefined) delete value[key];
  return value;
}
