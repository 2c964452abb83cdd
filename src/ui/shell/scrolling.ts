// Moving through the pane in view, the history or the wire: to a position, by a number of
// rows (Page Up / Page Down), and Ctrl+X's folding of the reply in view.
import { computeWindow, scrollBy, scrollToItem, type ScrollPos } from '../history/viewport.js';
import { wireReducer } from '../wire/use-wire-state.js';
import type { DerivedState } from './derived-state.js';
import type { StateCell } from './state-cell.js';

export class Scroller {
  private readonly cell: StateCell;
  private readonly derived: DerivedState;

  constructor(cell: StateCell, derived: DerivedState) {
    this.cell = cell;
    this.derived = derived;
  }

  setScroll(to: ScrollPos): void {
    const state = this.cell.state;
    if (state.view === 'wire') this.cell.update({ wire: wireReducer(state.wire, { type: 'scroll', to }) });
    else this.cell.history({ type: 'scroll', to });
  }

  scroll(delta: number): void {
    const height = this.derived.layout().historyHeight;
    const state = this.cell.state;
    if (state.view === 'wire') {
      const { entries, scroll } = state.wire;
      return this.setScroll(scrollBy(scroll, delta, entries.length, (i) => this.derived.wireEntryLines(entries[i]!).length, height));
    }
    const { items, scroll } = state.history;
    this.setScroll(scrollBy(scroll, delta, items.length, (i) => this.derived.itemLines(items[i]!).length, height));
  }

  /** Expands or folds the call in view: the newest one whose first line is on screen. */
  toggleFold(): void {
    const { items, scroll } = this.cell.state.history;
    const height = this.derived.layout().historyHeight;
    const window = computeWindow(items.length, (i) => this.derived.itemLines(items[i]!).length, height, scroll);
    const calls = window.slices.filter((sl) => items[sl.index]?.kind === 'call' || items[sl.index]?.kind === 'verb');
    const target = [...calls].reverse().find((sl) => sl.from === 0) ?? calls[0];
    if (!target) return;
    const item = items[target.index]!;
    const expanding = !this.cell.state.history.expanded.has(item.id);
    this.cell.history({ type: 'toggle-expanded', id: item.id });
    if (expanding && this.derived.itemLines(item).length > height) this.setScroll(scrollToItem(target.index));
  }

  /** Shows the newest history item from its top. */
  toNewest(): void {
    this.setScroll(scrollToItem(this.cell.state.history.items.length - 1));
  }
}
