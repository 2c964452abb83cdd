// Virtual scrolling over items of known line counts. Only the items in the window are
// ever measured, so 10,000 entries cost what the visible dozen cost. The position is the
// top of the window (item index + line within it), or `follow`, which pins the window to
// the end so new output stays in view.
export interface ScrollPos {
  follow: boolean;
  index: number;
  line: number;
}

export interface Slice {
  index: number;
  /** First line of the item shown. */
  from: number;
  /** One past the last line shown. */
  to: number;
}

export interface Window {
  slices: Slice[];
  /** The top of the window, as an explicit position. */
  top: { index: number; line: number };
  atStart: boolean;
  atEnd: boolean;
}

export type Measure = (index: number) => number;

export const FOLLOW: ScrollPos = { follow: true, index: 0, line: 0 };

export function computeWindow(count: number, measure: Measure, height: number, pos: ScrollPos): Window {
  if (count === 0 || height <= 0) return { slices: [], top: { index: 0, line: 0 }, atStart: true, atEnd: true };
  if (!pos.follow) {
    const index = Math.min(Math.max(0, pos.index), count - 1);
    const line = Math.min(Math.max(0, pos.line), Math.max(0, measure(index) - 1));
    const slices: Slice[] = [];
    let room = height;
    for (let i = index; i < count && room > 0; i++) {
      const h = measure(i);
      const from = i === index ? line : 0;
      const take = Math.min(h - from, room);
      if (take > 0) slices.push({ index: i, from, to: from + take });
      room -= take;
    }
    if (room === 0) {
      const last = slices[slices.length - 1]!;
      const atEnd = last.index === count - 1 && last.to === measure(count - 1);
      return { slices, top: { index, line }, atStart: index === 0 && line === 0, atEnd };
    }
    // The items from here on do not fill the window: it cannot start this low.
  }
  return endWindow(count, measure, height);
}

function endWindow(count: number, measure: Measure, height: number): Window {
  const slices: Slice[] = [];
  let room = height;
  let i = count - 1;
  for (; i >= 0 && room > 0; i--) {
    const h = measure(i);
    const take = Math.min(h, room);
    if (take > 0) slices.unshift({ index: i, from: h - take, to: h });
    room -= take;
  }
  const first = slices[0] ?? { index: 0, from: 0, to: 0 };
  return { slices, top: { index: first.index, line: first.from }, atStart: first.index === 0 && first.from === 0, atEnd: true };
}

/** Moves the window by `delta` lines (negative: up). Scrolling down to the end follows again. */
export function scrollBy(pos: ScrollPos, delta: number, count: number, measure: Measure, height: number): ScrollPos {
  if (count === 0) return FOLLOW;
  let { index, line } = computeWindow(count, measure, height, pos).top;
  if (delta < 0) {
    let left = -delta;
    while (left > 0) {
      if (line >= left) {
        line -= left;
        left = 0;
      } else if (index === 0) {
        line = 0;
        left = 0;
      } else {
        left -= line + 1;
        index -= 1;
        line = measure(index) - 1;
      }
    }
    return { follow: false, index, line };
  }
  let left = delta;
  while (left > 0) {
    const h = measure(index);
    if (line + left < h) {
      line += left;
      left = 0;
    } else if (index === count - 1) {
      return FOLLOW;
    } else {
      left -= h - line;
      index += 1;
      line = 0;
    }
  }
  const next = { follow: false, index, line };
  return fillsFrom(next, count, measure, height) ? next : FOLLOW;
}

/** True when the items from `pos` on have more lines than the window holds. */
function fillsFrom(pos: ScrollPos, count: number, measure: Measure, height: number): boolean {
  let total = -pos.line;
  for (let i = pos.index; i < count; i++) {
    total += measure(i);
    if (total > height) return true;
  }
  return false;
}

export function scrollToItem(index: number): ScrollPos {
  return { follow: false, index, line: 0 };
}

export const HOME: ScrollPos = { follow: false, index: 0, line: 0 };
