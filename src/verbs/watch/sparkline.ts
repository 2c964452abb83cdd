// A series as a row of block characters, lowest to highest: ▁▂▃▄▅▆▇█. Gaps are blanks.
// Percentages use a fixed 0-100 scale so two CPUs can be compared by eye; other series
// scale from zero (or their minimum, when negative) to their maximum.
const BLOCKS = '▁▂▃▄▅▆▇█';

export function sparkline(points: ReadonlyArray<number | null>, options: { width?: number; min?: number; max?: number } = {}): string {
  const shown = options.width === undefined ? points : points.slice(-options.width);
  const values = shown.filter((p): p is number => p !== null);
  const min = options.min ?? Math.min(0, ...values);
  const max = options.max ?? Math.max(...values, min);
  const span = max - min;
  return shown
    .map((p) => {
      if (p === null) return ' ';
      if (span <= 0) return BLOCKS[0];
      const level = Math.round(((Math.min(max, Math.max(min, p)) - min) / span) * (BLOCKS.length - 1));
      return BLOCKS[level];
    })
    .join('');
}
