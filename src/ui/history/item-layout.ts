// Lays any history item out into lines for a width, with a cache keyed by the item object
// and the view settings, so scrolling and re-rendering never lay out an item twice.
import { commandListLines, helpLines, keyListLines, type HelpContext } from '../help/help-lines.js';
import { textLines, type Line } from '../text/styled-line.js';
import type { Role } from '../theme/theme.js';
import { layoutCall } from './call-layout.js';
import { verbHelpLines } from '../shell/verbs/verb-help.js';
import { isVerbName } from '../shell/verbs/verb-item.js';
import { layoutVerb } from '../shell/verbs/verb-layout.js';
import type { HistoryItem, NoticeItem } from './history-item.js';

export interface LayoutContext extends HelpContext {
  raw: boolean;
  expanded: ReadonlySet<number>;
  /** Changes whenever something that layouts depend on changes (capabilities learned). */
  epoch: number;
}

const NOTICE_ROLE: Record<NoticeItem['level'], Role> = { info: 'info', ok: 'ok', warn: 'warn', error: 'error' };
const NOTICE_MARK: Record<NoticeItem['level'], string> = { info: '• ', ok: '✓ ', warn: '! ', error: '✗ ' };

export function layoutItem(item: HistoryItem, ctx: LayoutContext): Line[] {
  switch (item.kind) {
    case 'call':
      return layoutCall(item, { width: ctx.width, raw: ctx.raw, expanded: ctx.expanded.has(item.id) });
    case 'notice': {
      const lines = textLines(item.text, ctx.width, NOTICE_ROLE[item.level], NOTICE_MARK[item.level]);
      for (const line of item.verbatim ?? []) lines.push(...textLines(line, ctx.width, 'text', '  '));
      if (item.hint) lines.push(...textLines(item.hint, ctx.width, 'muted', '  '));
      return lines;
    }
    case 'help': {
      const verb = item.command.slice(1);
      return item.command.startsWith(':') && isVerbName(verb) ? verbHelpLines(verb, ctx.width) : helpLines(ctx, item.command);
    }
    case 'verb':
      return layoutVerb(item, { width: ctx.width, expanded: ctx.expanded.has(item.id) });
    case 'commands':
      return commandListLines(ctx);
    case 'keys':
      return keyListLines(ctx.width);
  }
}

interface Cached {
  key: string;
  lines: Line[];
}

/** A layout function with a per-item cache; make a new one when the context changes. */
export class LayoutCache {
  private readonly cache = new WeakMap<HistoryItem, Cached>();

  lines(item: HistoryItem, ctx: LayoutContext): Line[] {
    const key = `${ctx.width}|${ctx.raw ? 1 : 0}|${ctx.expanded.has(item.id) ? 1 : 0}|${ctx.epoch}`;
    const hit = this.cache.get(item);
    if (hit && hit.key === key) return hit.lines;
    const lines = layoutItem(item, ctx);
    if (lines.length === 0) lines.push([]);
    this.cache.set(item, { key, lines });
    return lines;
  }
}
