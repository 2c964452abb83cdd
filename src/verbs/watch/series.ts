// Series over time from successive samples. Gauges are taken as they are; counters become
// rates (increase per second between two samples); ratios become the percentage of two
// counters' increases. The first sample of a counter gives no point yet (no interval), a
// counter that went down (reset, wrap, reboot) gives a gap and starts over, and so does an
// interval of zero length. Each series keeps the last `capacity` points.
import type { Sample } from './samples.js';

export type SeriesKind = Sample['kind'];

export interface Series {
  key: string;
  label: string;
  unit: string;
  kind: SeriesKind;
  /** Oldest first; null is a gap. */
  points: Array<number | null>;
  /** The newest point (null while there is none). */
  last: number | null;
}

type Previous = { at: number; a: number; b: number };

export class SeriesTracker {
  readonly capacity: number;
  private readonly series = new Map<string, Series>();
  private readonly previous = new Map<string, Previous>();

  constructor(capacity = 60) {
    this.capacity = capacity;
  }

  /** Adds one round of samples taken at `atMs`; series absent from it get a gap. */
  push(atMs: number, samples: readonly Sample[]): Series[] {
    const seen = new Set<string>();
    for (const sample of samples) {
      seen.add(sample.key);
      let s = this.series.get(sample.key);
      if (!s) {
        s = { key: sample.key, label: sample.label, unit: sample.unit, kind: sample.kind, points: [], last: null };
        this.series.set(sample.key, s);
      }
      this.add(s, this.pointOf(sample, atMs));
    }
    for (const s of this.series.values()) {
      if (!seen.has(s.key)) {
        this.previous.delete(s.key);
        this.add(s, null);
      }
    }
    return this.all();
  }

  all(): Series[] {
    return [...this.series.values()];
  }

  private pointOf(sample: Sample, at: number): number | null {
    if (sample.kind === 'gauge') return sample.value;
    const [a, b] = sample.kind === 'rate' ? [sample.counter, 0] : [sample.numerator, sample.denominator];
    const before = this.previous.get(sample.key);
    this.previous.set(sample.key, { at, a, b });
    if (!before) return null;
    const dt = (at - before.at) / 1000;
    const da = a - before.a;
    const db = b - before.b;
    if (dt <= 0 || da < 0 || db < 0) return null;
    if (sample.kind === 'rate') return da / dt;
    return db === 0 ? null : (da / db) * 100;
  }

  private add(s: Series, point: number | null): void {
    s.points.push(point);
    if (s.points.length > this.capacity) s.points.splice(0, s.points.length - this.capacity);
    s.last = point;
  }
}
