// When to try the agent again after the connection is lost: exponential back-off, from
// `initialMs` (100 ms) doubling up to `maxMs` (5 s), starting over after a connect.
import type { SessionOptions } from './session-types.js';

export class Reconnector {
  private timer: NodeJS.Timeout | undefined;
  private delay = 0;

  private readonly policy: SessionOptions['reconnect'];

  constructor(policy: SessionOptions['reconnect']) {
    this.policy = policy;
  }

  get scheduled(): boolean {
    return this.timer !== undefined;
  }

  /** Arms one attempt after the next delay and returns that delay; undefined when off or already armed. */
  schedule(attempt: () => void): number | undefined {
    const policy = this.policy;
    if (!policy || this.timer) return undefined;
    const initial = typeof policy === 'object' ? policy.initialMs ?? 100 : 100;
    const max = typeof policy === 'object' ? policy.maxMs ?? 5_000 : 5_000;
    this.delay = this.delay === 0 ? initial : Math.min(this.delay * 2, max);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      attempt();
    }, this.delay);
    this.timer.unref?.();
    return this.delay;
  }

  /** Connected: the next loss starts from the initial delay again. */
  reset(): void {
    this.delay = 0;
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
