// One timer for the deadline of whatever the session waits for, instead of a setTimeout
// and clearTimeout per command. Most commands answer within a millisecond against a
// deadline of seconds, so the timer is armed once and left alone while later deadlines
// come and go; when it fires it checks the current deadline and re-arms for what is left,
// or ends the wait. A deadline earlier than the armed time re-arms it at once. Times are
// performance.now() times: a change of the wall clock moves no deadline.
//
// The timer stays armed between waits; the session drops it (dispose) when its connection
// ends, so it never keeps a process alive that the connection would not have kept alive.
export class DeadlineTimer {
  private timer: NodeJS.Timeout | undefined;
  /** When the armed timer fires. */
  private firesAt = Infinity;
  /** The deadline of the current wait; undefined while nothing waits. */
  private deadline: number | undefined;
  private readonly onExpired: () => void;

  /** `onExpired` runs once the current deadline has passed. */
  constructor(onExpired: () => void) {
    this.onExpired = onExpired;
  }

  /** Starts waiting until `deadline`. */
  start(deadline: number): void {
    this.deadline = deadline;
    if (this.timer === undefined || deadline < this.firesAt) this.arm(deadline);
  }

  /** The wait ended in time. */
  stop(): void {
    this.deadline = undefined;
  }

  /** Drops the timer (the connection ended, or the session is closed). */
  dispose(): void {
    this.deadline = undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.firesAt = Infinity;
  }

  private arm(at: number): void {
    clearTimeout(this.timer);
    this.firesAt = at;
    this.timer = setTimeout(() => this.fired(), Math.max(0, at - performance.now()));
  }

  private fired(): void {
    this.timer = undefined;
    this.firesAt = Infinity;
    const deadline = this.deadline;
    if (deadline === undefined) return;
    if (performance.now() < deadline) {
      this.arm(deadline);
      return;
    }
    this.deadline = undefined;
    this.onExpired();
  }
}
