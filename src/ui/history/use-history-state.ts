// The history pane's state as a pure reducer: the items, the scroll position, which
// items are expanded, and whether base64 members show raw.
import { FOLLOW, type ScrollPos } from './viewport.js';
import type { HistoryItem } from './history-item.js';

export interface HistoryState {
  items: readonly HistoryItem[];
  scroll: ScrollPos;
  expanded: ReadonlySet<number>;
  raw: boolean;
}

export const INITIAL_HISTORY: HistoryState = { items: [], scroll: FOLLOW, expanded: new Set(), raw: false };

export type HistoryAction =
  | { type: 'add'; item: HistoryItem }
  | { type: 'update'; id: number; update: (item: HistoryItem) => HistoryItem }
  | { type: 'scroll'; to: ScrollPos }
  | { type: 'toggle-expanded'; id: number }
  | { type: 'toggle-raw' }
  | { type: 'clear' };

/** How many of the newest items to search for one to update (updates hit recent items). */
const UPDATE_SEARCH = 64;

export function historyReducer(state: HistoryState, action: HistoryAction): HistoryState {
  switch (action.type) {
    case 'add':
      return { ...state, items: [...state.items, action.item] };
    case 'update': {
      const items = state.items;
      for (let i = items.length - 1; i >= Math.max(0, items.length - UPDATE_SEARCH); i--) {
        if (items[i]!.id !== action.id) continue;
        const next = items.slice();
        next[i] = action.update(items[i]!);
        return { ...state, items: next };
      }
      return state;
    }
    case 'scroll':
      return { ...state, scroll: action.to };
    case 'toggle-expanded': {
      const expanded = new Set(state.expanded);
      if (expanded.has(action.id)) expanded.delete(action.id);
      else expanded.add(action.id);
      return { ...state, expanded };
    }
    case 'toggle-raw':
      return { ...state, raw: !state.raw };
    case 'clear':
      return { ...INITIAL_HISTORY };
  }
}
