// What the store works out from the snapshot rather than keeps in it: the prompt's
// completion (remembered for the line and cursor it was made for, and ranked by what the
// agent supports once that is known), the screen layout, the command the user is looking
// at, and each history item's and wire entry's lines, cached for the current width.
import { Completer } from '../../completion/complete.js';
import type { AgentSupport, Completion } from '../../completion/types.js';
import { UNKNOWN_SUPPORT } from '../../completion/types.js';
import type { Capabilities } from '../../schema/capabilities.js';
import type { SchemaLookup } from '../../schema/lookup.js';
import type { HistoryItem } from '../history/history-item.js';
import { LayoutCache, type LayoutContext } from '../history/item-layout.js';
import type { Line } from '../text/styled-line.js';
import { wireLines, type WireEntry } from '../wire/wire-lines.js';
import { META_COMMANDS } from './meta-commands.js';
import { computeLayout, type ShellLayout } from './shell-layout.js';
import type { StateCell } from './state-cell.js';
import { isVerbName } from './verbs/verb-item.js';

export class DerivedState {
  readonly completer: Completer;
  private readonly cell: StateCell;
  private readonly lookup: SchemaLookup;
  private readonly layoutCache = new LayoutCache();
  private readonly wireCache = new WeakMap<WireEntry, { width: number; lines: Line[] }>();
  private completionMemo: { key: string; value: Completion } | undefined;
  private support: AgentSupport = UNKNOWN_SUPPORT;

  constructor(cell: StateCell, lookup: SchemaLookup) {
    this.cell = cell;
    this.lookup = lookup;
    this.completer = new Completer(lookup, META_COMMANDS);
  }

  /** The agent's capabilities are known (again): completions mark what it has. */
  useCapabilities(caps: Capabilities): void {
    this.support = { availability: (c) => mapAvailability(caps.availability(c)) };
    this.completionMemo = undefined;
  }

  completion(): Completion {
    const { line } = this.cell.state.prompt;
    const key = `${line.cursor}\u0000${line.value}`;
    if (this.completionMemo?.key !== key) this.completionMemo = { key, value: this.completer.complete(line.value, line.cursor, this.support) };
    return this.completionMemo.value;
  }

  layout(): ShellLayout {
    return computeLayout(this.cell.state, this.completion());
  }

  layoutContext(): LayoutContext {
    const s = this.cell.state;
    return { lookup: this.lookup, capabilities: s.capabilities, width: Math.max(20, s.size.columns), raw: s.history.raw, expanded: s.history.expanded, epoch: s.epoch };
  }

  /** Lines of a history item at the current width (cached). */
  itemLines = (item: HistoryItem): Line[] => this.layoutCache.lines(item, this.layoutContext());

  wireEntryLines = (entry: WireEntry): Line[] => {
    const width = Math.max(20, this.cell.state.size.columns);
    const hit = this.wireCache.get(entry);
    if (hit && hit.width === width) return hit.lines;
    const lines = wireLines(entry, width);
    this.wireCache.set(entry, { width, lines });
    return lines;
  };

  /** The command the user is looking at: the form's, the highlighted candidate, or the line's. */
  commandInFocus(): string | undefined {
    const s = this.cell.state;
    if (s.form) return s.form.command;
    const completion = this.completion();
    const candidate = completion.candidates[s.prompt.selected];
    if (s.prompt.listOpen && candidate?.kind === 'command') return candidate.label;
    const first = s.prompt.line.value.trim().split(/\s+/)[0];
    if (first && isVerbName(first.slice(1)) && first.startsWith(':')) return first;
    return first && !first.startsWith(':') ? first : completion.command;
  }
}

function mapAvailability(a: ReturnType<Capabilities['availability']>): ReturnType<AgentSupport['availability']> {
  if (a === 'unknown-to-agent') return 'absent';
  if (a === 'not-in-schema') return 'enabled';
  return a;
}
