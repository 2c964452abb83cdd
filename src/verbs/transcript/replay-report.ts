// The readable replay report: one line per recorded call with its outcome, and under it
// every path that differs (both values), every difference that was ignored and why,
// handles and pids mapped, and notes. Nothing is left out silently: a long value is
// shortened with its length and where the two sides first part.
import { stringifyJson, type JsonValue } from '../../protocol/json.js';
import type { PathDifference, ReplayedCall, ReplaySummary } from './replay-types.js';

const VALUE_CHARS = 100;
const OUTCOME_WORD = { same: 'same', volatile: 'same (volatile parts differ)', differs: 'DIFFERS', skipped: 'skipped', failed: 'FAILED' } as const;

export function callReport(call: ReplayedCall): string[] {
  const mapped = call.mapped.map((m) => `${m.kind} ${String(m.recorded)} → ${String(m.replayed)}`);
  const head = `line ${call.lineNo}  ${call.execute}  ${OUTCOME_WORD[call.outcome]}${mapped.length > 0 ? `  (${mapped.join(', ')})` : ''}`;
  const lines = [head];
  for (const d of call.differences) lines.push(...differenceLines(d, '    '));
  for (const d of call.ignored) lines.push(...differenceLines(d, '    ignored ', ` [${d.by}]`));
  for (const note of call.notes) lines.push(`    note: ${note}`);
  return lines;
}

function differenceLines(d: PathDifference, indent: string, suffix = ''): string[] {
  if (d.change === 'removed') return [`${indent}${d.path}: only in the recording: ${shown(d.recorded)}${suffix}`];
  if (d.change === 'added') return [`${indent}${d.path}: only in the replay: ${shown(d.replayed)}${suffix}`];
  const lines = [`${indent}${d.path}: recorded ${shown(d.recorded)}${suffix}`, `${' '.repeat(indent.length + d.path.length + 2)}replayed ${shown(d.replayed)}`];
  if (typeof d.recorded === 'string' && typeof d.replayed === 'string' && Math.max(d.recorded.length, d.replayed.length) > VALUE_CHARS) {
    lines.push(`${' '.repeat(indent.length + d.path.length + 2)}(they first differ at character ${firstDifference(d.recorded, d.replayed)})`);
  }
  return lines;
}

function shown(value: JsonValue | undefined): string {
  if (value === undefined) return '(absent)';
  const text = stringifyJson(value);
  return text.length > VALUE_CHARS ? `${text.slice(0, VALUE_CHARS)}… (${text.length} characters)` : text;
}

function firstDifference(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

export function summaryReport(summary: ReplaySummary): string[] {
  const parts = [`${summary.same} same`, `${summary.volatile} same but for volatile parts`, `${summary.differs} differ`, `${summary.skipped} skipped`];
  if (summary.failed > 0) parts.push(`${summary.failed} failed`);
  if (summary.notRun > 0) parts.push(`${summary.notRun} not run`);
  const lines = [`${summary.calls} call${summary.calls === 1 ? '' : 's'}: ${parts.join(', ')}`];
  if (summary.stoppedBy) lines.push(`stopped early: ${summary.stoppedBy.desc}`);
  return lines;
}

/** The replay's exit status: 3 when it lost the agent, 1 when anything differs, else 0. */
export function replayExitCode(summary: ReplaySummary): 0 | 1 | 3 {
  if (summary.stoppedBy || summary.failed > 0) return 3;
  return summary.differs > 0 ? 1 : 0;
}
