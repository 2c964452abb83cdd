// A watch tick as plain text: one row per series (label, sparkline, latest value), or the
// reply itself for commands without numbers. Used by the CLI on a plain terminal.
import { stringifyJson } from '../../protocol/json.js';
import { formatBytes } from '../transfer/progress-text.js';
import type { Series } from './series.js';
import { sparkline } from './sparkline.js';
import type { WatchTick } from './watch.js';

export function formatValue(value: number | null, unit: string): string {
  if (value === null) return '-';
  if (unit === 'B/s') return `${formatBytes(Math.round(value))}/s`;
  if (unit === '%') return `${value.toFixed(1)}%`;
  const text = Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2);
  return unit ? `${text} ${unit}` : text;
}

export function seriesRows(series: readonly Series[], width = 40): string[] {
  const labelWidth = Math.max(0, ...series.map((s) => s.label.length));
  return series.map((s) => {
    const scale = s.unit === '%' ? { min: 0, max: 100 } : {};
    const line = sparkline(s.points, { width, ...scale }).padStart(width);
    return `${s.label.padEnd(labelWidth)}  ${line}  ${formatValue(s.last, s.unit)}`;
  });
}

/** The lines for one tick: a header, then series rows or the reply. */
export function tickLines(command: string, tick: WatchTick, width = 40): string[] {
  const time = new Date(tick.at).toISOString().slice(11, 19);
  const header = `${time}  ${command}  #${tick.n}  (${tick.ms.toFixed(1)} ms)`;
  if (tick.error) return [header, `  agent error: ${tick.error.desc}`, ...seriesRows(tick.series, width)];
  if (tick.series.length > 0) return [header, ...seriesRows(tick.series, width)];
  return [header, stringifyJson(tick.value ?? null, 2)];
}
