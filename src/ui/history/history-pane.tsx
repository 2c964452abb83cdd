// The scrolling history: only the items in the window are laid out and drawn.
import { Box } from 'ink';
import { memo } from 'react';
import { StyledLine } from '../text/styled-text.js';
import type { Line } from '../text/styled-line.js';
import { computeWindow, type ScrollPos, type Window } from './viewport.js';

export interface VirtualListProps<T> {
  items: readonly T[];
  lines: (item: T) => Line[];
  scroll: ScrollPos;
  height: number;
  width: number;
  /**
   * What `lines` depends on besides the items (raw view, expanded items, capabilities).
   * The list redraws only when a prop changes, so a key typed at the prompt costs nothing here.
   */
  revision?: readonly unknown[];
}

export function visibleLines<T>(items: readonly T[], lines: (item: T) => Line[], scroll: ScrollPos, height: number): { window: Window; rows: Line[] } {
  const window = computeWindow(items.length, (i) => lines(items[i]!).length, height, scroll);
  const rows: Line[] = [];
  for (const s of window.slices) rows.push(...lines(items[s.index]!).slice(s.from, s.to));
  return { window, rows };
}

/** Draws the visible window of a list of items, `height` rows tall (padded when short). */
export const VirtualList = memo(VirtualListView, (a, b) =>
  a.items === b.items && a.lines === b.lines && a.scroll === b.scroll && a.height === b.height && a.width === b.width &&
  sameRevision(a.revision, b.revision)) as typeof VirtualListView;

function sameRevision(a: readonly unknown[] | undefined, b: readonly unknown[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  return a.every((x, i) => Object.is(x, b[i]));
}

function VirtualListView<T>({ items, lines, scroll, height, width }: VirtualListProps<T>) {
  const { rows } = visibleLines(items, lines, scroll, height);
  return (
    <Box flexDirection="column" height={height} width={width} justifyContent="flex-end">
      {rows.map((line, i) => (
        <StyledLine key={i} line={line} />
      ))}
    </Box>
  );
}
