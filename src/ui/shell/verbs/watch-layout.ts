// The body of a :watch entry: the latest tick (number, round trip, time), then one row per
// series with its sparkline and latest value, or the reply itself for commands without
// numbers worth a series.
import { formatValue } from '../../../verbs/watch/watch-text.js';
import { sparkline } from '../../../verbs/watch/sparkline.js';
import { clock, formatMs } from '../../history/call-layout.js';
import { jsonBlock } from '../../text/json-lines.js';
import { seg, textLines, type Line } from '../../text/styled-line.js';
import { padTo } from '../../text/width.js';
import type { VerbItem, WatchBody } from './verb-item.js';

/** Lines of a reply shown for a command without series. */
const MAX_VALUE_LINES = 20;

export function watchLines(item: VerbItem, body: WatchBody, width: number): Line[] {
  const tick = body.tick;
  const running = item.phase === 'running' || item.phase === 'stopping';
  const every = `every ${body.everyMs / 1000} s`;
  if (!tick) return running ? [[seg(`  first call of ${body.command}…`, 'busy')]] : [];
  const head = running
    ? `  #${tick.n} · ${every} · ${formatMs(tick.ms)} · ${clock(tick.at)} · Ctrl+C or Esc stops`
    : `  ${tick.n} call${tick.n === 1 ? '' : 's'} · ${every} · last at ${clock(tick.at)}`;
  const out: Line[] = [[seg(head, running ? 'busy' : 'muted')]];
  if (tick.error) out.push(...textLines(`agent error this time: ${tick.error}`, width, 'warn', '  ! '));
  if (tick.series.length > 0) {
    const labelWidth = Math.max(...tick.series.map((s) => s.label.length));
    const sparkWidth = Math.max(8, Math.min(60, width - labelWidth - 20));
    for (const s of tick.series) {
      const scale = s.unit === '%' ? { min: 0, max: 100 } : {};
      const line = sparkline(s.points, { width: sparkWidth, ...scale }).padStart(sparkWidth);
      out.push([seg(`  ${padTo(s.label, labelWidth)}  `, 'json-key'), seg(line, 'accent'), seg(`  ${formatValue(s.last, s.unit)}`, 'text')]);
    }
  } else if (tick.value !== undefined) {
    const lines = jsonBlock(tick.value, width, { maxLines: MAX_VALUE_LINES }, '  ');
    out.push(...lines.slice(0, MAX_VALUE_LINES));
    if (lines.length > MAX_VALUE_LINES) out.push([seg('  … (the rest of the reply is not shown)', 'muted')]);
  }
  return out;
}
