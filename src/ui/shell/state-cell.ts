// The one place the shell's snapshot lives, and when React hears of a new one. Every part
// of the store reads `state` and replaces it through here, so each change applies to the
// latest snapshot. Keys draw at once; what the session and the verbs report draws at most
// once a frame.
import type { HistoryItem } from '../history/history-item.js';
import { historyReducer, type HistoryAction } from '../history/use-history-state.js';
import { promptReducer, type PromptAction } from '../prompt/use-prompt-state.js';
import { statusReducer, type StatusAction } from '../status-bar/use-status-state.js';
import type { ShellState } from './shell-state.js';

/** The shortest gap between two frames for updates that did not come from a key (60 Hz). */
const BACKGROUND_FRAME_MS = 16;
/** While a verb runs (hundreds of calls a second, each a state change): four frames a second show its progress. */
const VERB_FRAME_MS = 250;

export class StateCell {
  private current: ShellState;
  private readonly listeners = new Set<() => void>();
  private notifyQueued = false;
  private notifyTimer: NodeJS.Timeout | undefined;
  private lastNotify = 0;
  /** Handling a key press: its frame is drawn without waiting for the next frame slot. */
  private urgent = false;

  constructor(initial: ShellState) {
    this.current = initial;
  }

  get state(): ShellState {
    return this.current;
  }

  getSnapshot = (): ShellState => this.current;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Runs `apply` (a key's handling) so that the frame it leads to is drawn at once. */
  urgently(apply: () => void): void {
    this.urgent = true;
    try {
      apply();
    } finally {
      this.urgent = false;
    }
  }

  set(next: ShellState): void {
    if (next === this.current) return;
    this.current = next;
    if (this.notifyQueued) return;
    // Keys draw at once. What the session and the verbs report (state changes, stats, a
    // chunk copied) draws at most once a frame: a verb's hundreds of calls a second would
    // otherwise redraw the whole app for each one.
    const gap = this.current.verbs.running ? VERB_FRAME_MS : BACKGROUND_FRAME_MS;
    const wait = this.urgent ? 0 : this.lastNotify + gap - performance.now();
    if (wait > 0) {
      this.notifyTimer ??= setTimeout(() => this.notify(), wait);
      return;
    }
    this.notifyQueued = true;
    queueMicrotask(() => this.notify());
  }

  /** No more frames to wait for: the shell is stopping. */
  stop(): void {
    clearTimeout(this.notifyTimer);
  }

  private notify(): void {
    clearTimeout(this.notifyTimer);
    this.notifyTimer = undefined;
    this.notifyQueued = false;
    this.lastNotify = performance.now();
    for (const l of [...this.listeners]) l();
  }

  update(change: Partial<ShellState>): void {
    this.set({ ...this.current, ...change });
  }

  history(action: HistoryAction): void {
    this.update({ history: historyReducer(this.current.history, action) });
  }

  prompt(action: PromptAction): void {
    this.update({ prompt: promptReducer(this.current.prompt, action) });
  }

  status(action: StatusAction): void {
    this.update({ status: statusReducer(this.current.status, action) });
  }

  add(item: HistoryItem): void {
    this.history({ type: 'add', item });
  }
}
