// The scrolling history: only the items in the window are laid out and drawn.
import { Box } from 'ink';
import { StyledLine } from '../text/styled-text.js';
import type { Line } from '../text/styled-line.js';
import { computeWindow, type ScrollPos, type Window } from './viewport.js';

export interface VirtualListProps<T> {
  items: readonly T[];
  lines: (item: T) => Line[];
  scroll: ScrollPos;
  height: number;
  width: number;
}

export function visibleLines<T>(items: readonly T[], lines: (item: T) => Line[], scroll: ScrollPos, height: number): { window: Window; rows: Line[] } {
  const window = computeWindow(items.length, (i) => lines(items[i]!).length, height, scroll);
  const rows: Line[] = [];
  for (const s of window.slices) rows.push(...lines(items[s.index]!).slice(s.from, s.to));
  return { window, rows };
}

/** Draws the visible window of a list of items, `height` rows tall (padded when short). */
export function VirtualList<T>({ items, lines, scroll, height, width }: VirtualListProps<T>) {
  const { rows } = visibleLines(items, lines, scroll, height);
  return (
    <Box flexDirection="column" height={height} width={width} justifyContent="flex-end" overflow="hidden">
      {rows.map((line, i) => (
        <StyledLine key={i} line={line} />
      ))}
    </Box>
  );
}
