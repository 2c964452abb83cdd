// The completion list laid out as lines: label, type, one-line help, and what the agent
// says about the command. A window of rows follows the highlight.
import type { Candidate, Completion } from '../../completion/types.js';
import { seg, type Line } from '../text/styled-line.js';
import { padTo, textWidth, truncate } from '../text/width.js';

export function availabilityNote(c: Candidate): { text: string; role: 'muted' | 'warn' | 'disabled' } | undefined {
  if (c.kind === 'value' || c.kind === 'meta' || c.kind === 'path') return undefined;
  if (c.availability === 'disabled') return { text: 'disabled on agent', role: 'warn' };
  if (c.availability === 'absent') return { text: 'not on agent', role: 'disabled' };
  return undefined;
}

/** The rows to draw: at most `maxRows`, the highlighted one always among them. */
export function completionRows(completion: Completion, selected: number, maxRows: number, width: number): Line[] {
  const list = completion.candidates;
  const rows: Line[] = [];
  if (list.length === 0) {
    if (completion.hint) rows.push([seg('  '), seg(truncate(completion.hint, width - 2), 'muted')]);
    return rows;
  }
  const shown = Math.min(list.length, Math.max(1, maxRows - (list.length > maxRows ? 1 : 0)));
  let start = Math.max(0, Math.min(selected - Math.floor(shown / 2), list.length - shown));
  if (selected < start) start = selected;
  const labelWidth = Math.min(30, Math.max(...list.map((c) => textWidth(c.label))) + 1);
  const detailWidth = Math.min(18, Math.max(0, ...list.map((c) => (c.detail ? textWidth(c.detail) + 2 : 0))));
  for (let i = start; i < start + shown; i++) {
    const c = list[i]!;
    const isSel = i === selected;
    const note = availabilityNote(c);
    const noteText = note ? ` ${note.text}` : '';
    const helpWidth = Math.max(0, width - 2 - labelWidth - detailWidth - textWidth(noteText) - 1);
    const labelRole = isSel ? 'selected' : c.availability === 'absent' || c.availability === 'disabled' ? 'disabled' : 'accent';
    const row: Line = [seg(isSel ? '› ' : '  ', isSel ? 'accent' : 'text'), seg(padTo(c.label, labelWidth), labelRole)];
    if (detailWidth > 0) row.push(seg(padTo(c.detail ?? '', detailWidth), 'muted'));
    row.push(seg(padTo(c.help, helpWidth), 'text'));
    if (note) row.push(seg(noteText, note.role));
    rows.push(row);
  }
  if (list.length > shown) {
    const above = start;
    const below = list.length - start - shown;
    rows.push([seg(`  ${above > 0 ? `↑${above} ` : ''}${below > 0 ? `↓${below} ` : ''}more · ↑↓ move · Tab accepts · Esc closes`, 'muted')]);
  }
  return rows;
}
