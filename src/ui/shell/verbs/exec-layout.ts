// The body of an :exec entry: while it runs, the pid and how long; then how it ended, its
// stdout and stderr (decoded, folded when long), and the agent's truncation flags.
import { signalName } from '../../../verbs/exec/exit-code.js';
import { formatBytes, formatDuration } from '../../../verbs/transfer/progress-text.js';
import { FOLD_ABOVE, FOLDED_SHOWS, MAX_REPLY_LINES } from '../../history/call-layout.js';
import { keysFor } from '../../keys/key-bindings.js';
import { seg, textLines, wrapLine, type Line } from '../../text/styled-line.js';
import type { Role } from '../../theme/theme.js';
import type { ExecBody, ExecOutcome, VerbItem } from './verb-item.js';
import type { VerbView } from './verb-layout.js';

export function execStatus(o: ExecOutcome): { text: string; role: Role } {
  if (o.ended === 'interrupted') return { text: o.exited ? 'stopped' : 'could not stop', role: 'warn' };
  if (o.ended === 'timed-out') return { text: 'timed out', role: 'error' };
  if (o.signal !== undefined) return { text: `killed by ${signalName(o.signal) ?? `signal ${o.signal}`}`, role: 'error' };
  return { text: `exit ${o.exitCode ?? 0}`, role: o.exitCode === 0 || o.exitCode === undefined ? 'ok' : 'warn' };
}

export function execLines(item: VerbItem, body: ExecBody, view: VerbView): Line[] {
  const { width } = view;
  const pid = body.pid === undefined ? '' : `pid ${body.pid} · `;
  if (item.phase === 'running') {
    const text = body.pid === undefined
      ? `starting ${body.command} in the guest…`
      : `${pid}running ${formatDuration(item.elapsedMs)} · the output comes when it exits · Ctrl+C stops it`;
    return textLines(text, width, 'busy', '  ');
  }
  if (item.phase === 'stopping') return textLines(`${pid}stopping: killing it and its children in the guest…`, width, 'warn', '  ');
  const o = body.outcome;
  if (!o) return body.pid === undefined ? [] : textLines(`guest ${pid.slice(0, -3)}`, width, 'muted', '  ');
  const out: Line[] = [];
  if (o.end) out.push(...textLines(o.end, width, o.ended === 'interrupted' ? 'warn' : 'error', '  ! '));
  const output = [...section('stdout', o.stdout, o.stdoutBytes, 'text', width), ...section('stderr', o.stderr, o.stderrBytes, 'warn', width)];
  if (output.length === 0) out.push([seg(`  ${pid}no output`, 'muted')]);
  else out.push(...fold(output, view.expanded));
  if (o.stdoutTruncated) out.push(...textLines('stdout was TRUNCATED by the guest agent (it keeps 16 MiB): the rest is lost', width, 'warn', '  ! '));
  if (o.stderrTruncated) out.push(...textLines('stderr was TRUNCATED by the guest agent (it keeps 16 MiB): the rest is lost', width, 'warn', '  ! '));
  if (o.stdoutBinary) out.push(...textLines('stdout is not UTF-8 text: bytes that are not show as �', width, 'muted', '  '));
  if (o.stderrBinary) out.push(...textLines('stderr is not UTF-8 text: bytes that are not show as �', width, 'muted', '  '));
  if (o.note) out.push(...textLines(o.note, width, 'muted', '  '));
  return out;
}

function section(name: string, text: string, bytes: number, role: Role, width: number): Line[] {
  if (bytes === 0) return [];
  const rows = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  const shown = rows.length > MAX_REPLY_LINES ? rows.slice(0, MAX_REPLY_LINES) : rows;
  const head: Line = [seg(`  ${name} · ${rows.length} line${rows.length === 1 ? '' : 's'} · ${formatBytes(bytes)}`, 'muted')];
  const lines = shown.flatMap((row) => wrapLine([seg('  │ ', 'border'), seg(row, role)], width, 4));
  if (rows.length > shown.length) lines.push([seg(`  … ${rows.length - shown.length} more lines not shown; run it with qemu-host exec to keep them all`, 'muted')]);
  return [head, ...lines];
}

function fold(lines: Line[], expanded: boolean): Line[] {
  if (expanded || lines.length <= FOLD_ABOVE) return lines;
  return [...lines.slice(0, FOLDED_SHOWS), [seg(`  … ${lines.length - FOLDED_SHOWS} more lines · ${keysFor('toggle-fold')[0]} expands`, 'muted')]];
}
