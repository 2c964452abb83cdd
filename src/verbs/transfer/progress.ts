// Progress of a transfer: bytes so far, the rate over the last few seconds, and the time
// left when the size is known. Pure arithmetic over (time, bytes) samples, so the CLI's
// bar and the shell's panel show the same numbers.
export interface TransferProgress {
  bytes: number;
  /** Total size when known. */
  total: number | undefined;
  elapsedMs: number;
  /** Bytes per second over the recent window (over the whole run at first). */
  rate: number;
  /** Milliseconds left at the current rate, when the total is known. */
  etaMs: number | undefined;
  done: boolean;
}

const WINDOW_MS = 3_000;

export class ProgressTracker {
  readonly total: number | undefined;
  private readonly startedAt: number;
  private bytes = 0;
  private readonly samples: Array<{ at: number; bytes: number }> = [];
  private readonly now: () => number;

  constructor(total: number | undefined, now: () => number = () => performance.now()) {
    this.total = total;
    this.now = now;
    this.startedAt = now();
    this.samples.push({ at: this.startedAt, bytes: 0 });
  }

  add(count: number): TransferProgress {
    this.bytes += count;
    const at = this.now();
    this.samples.push({ at, bytes: this.bytes });
    while (this.samples.length > 2 && at - this.samples[1]!.at > WINDOW_MS) this.samples.shift();
    return this.snapshot(false);
  }

  snapshot(done: boolean): TransferProgress {
    const at = this.now();
    const first = this.samples[0]!;
    const span = at - first.at;
    const rate = span > 0 ? ((this.bytes - first.bytes) * 1000) / span : 0;
    const left = this.total === undefined ? undefined : Math.max(0, this.total - this.bytes);
    return {
      bytes: this.bytes,
      total: this.total,
      elapsedMs: at - this.startedAt,
      rate,
      etaMs: left === undefined || rate <= 0 ? undefined : (left * 1000) / rate,
      done,
    };
  }
}
