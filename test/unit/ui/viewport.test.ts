import { describe, expect, it } from 'vitest';
import { computeWindow, FOLLOW, HOME, scrollBy, scrollToItem } from '../../../src/ui/history/viewport.js';

// Items of 1..5 lines: item i has (i % 5) + 1 lines.
const heights = Array.from({ length: 10_000 }, (_, i) => (i % 5) + 1);
function counting() {
  const measured = new Set<number>();
  return { measured, measure: (i: number) => (measured.add(i), heights[i]!) };
}

describe('computeWindow', () => {
  it('follows the end, measuring only the items it shows', () => {
    const { measured, measure } = counting();
    const w = computeWindow(heights.length, measure, 10, FOLLOW);
    // The last items have 5, 4, 3 lines: 10 lines are the last 2 items and 1 line of the third.
    expect(w.slices).toEqual([{ index: 9997, from: 2, to: 3 }, { index: 9998, from: 0, to: 4 }, { index: 9999, from: 0, to: 5 }]);
    expect(w).toMatchObject({ atEnd: true, atStart: false, top: { index: 9997, line: 2 } });
    expect([...measured].sort()).toEqual([9997, 9998, 9999]);
  });

  it('shows from an explicit top, and falls back to the end when the items below do not fill the window', () => {
    const { measured, measure } = counting();
    const w = computeWindow(heights.length, measure, 6, { follow: false, index: 5000, line: 0 });
    expect(w.slices).toEqual([{ index: 5000, from: 0, to: 1 }, { index: 5001, from: 0, to: 2 }, { index: 5002, from: 0, to: 3 }]);
    expect(w.atEnd).toBe(false);
    expect(measured.size).toBe(3);
    const nearEnd = computeWindow(heights.length, measure, 12, { follow: false, index: 9999, line: 0 });
    expect(nearEnd.atEnd).toBe(true);
    expect(nearEnd.slices.at(-1)).toEqual({ index: 9999, from: 0, to: 5 });
  });

  it('shows everything bottom-aligned when there is less than a window', () => {
    const w = computeWindow(2, (i) => [1, 2][i]!, 10, HOME);
    expect(w.slices).toEqual([{ index: 0, from: 0, to: 1 }, { index: 1, from: 0, to: 2 }]);
    expect(w).toMatchObject({ atStart: true, atEnd: true });
    expect(computeWindow(0, () => 1, 10, FOLLOW).slices).toEqual([]);
  });
});

describe('scrollBy', () => {
  const measure = (i: number) => heights[i]!;

  it('scrolls up line by line across items, stopping at the top', () => {
    const up = scrollBy(FOLLOW, -3, heights.length, measure, 10);
    expect(up).toEqual({ follow: false, index: 9996, line: 1 });
    expect(scrollBy({ follow: false, index: 1, line: 0 }, -100, heights.length, measure, 10)).toEqual(HOME);
  });

  it('scrolls down, and follows again once the end is in view', () => {
    expect(scrollBy({ follow: false, index: 0, line: 0 }, 4, heights.length, measure, 10)).toEqual({ follow: false, index: 2, line: 1 });
    const up = scrollBy(FOLLOW, -3, heights.length, measure, 10);
    expect(scrollBy(up, 3, heights.length, measure, 10)).toEqual(FOLLOW);
    expect(scrollBy(up, 50, heights.length, measure, 10)).toEqual(FOLLOW);
  });

  it('jumps to an item', () => {
    expect(scrollToItem(42)).toEqual({ follow: false, index: 42, line: 0 });
  });
});
