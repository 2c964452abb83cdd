// How a verb's entry looks in the history: a title line like a call's (what was typed on
// the left; how it stands, how long it took and when on the right), then the verb's body.
//
//   ❯ :exec uname -a                                        exit 0 · 12 ms · 10:52:03
//     stdout · 1 line · 92 B
//     │ Linux lab 6.1.0-30-cloud-amd64 #1 SMP ... x86_64 GNU/Linux
import { formatDuration } from '../../../verbs/transfer/progress-text.js';
import { clock, formatMs } from '../../history/call-layout.js';
import { seg, textLines, wrapLine, type Line } from '../../text/styled-line.js';
import { textWidth } from '../../text/width.js';
import type { Role } from '../../theme/theme.js';
import { execLines, execStatus } from './exec-layout.js';
import { infoLines } from './info-layout.js';
import { transferLines } from './transfer-layout.js';
import type { FreezeBody, VerbItem } from './verb-item.js';
import { watchLines } from './watch-layout.js';

export interface VerbView {
  width: number;
  expanded: boolean;
}

export function layoutVerb(item: VerbItem, view: VerbView): Line[] {
  const status = statusOf(item);
  const time = item.phase === 'running' || item.phase === 'stopping' ? formatDuration(item.elapsedMs) : formatMs(item.elapsedMs);
  const right = `${status.text} · ${time} · ${clock(item.startedAt)}`;
  const out: Line[] = [];
  const gap = view.width - textWidth(`❯ ${item.line}`) - textWidth(right);
  if (gap >= 2) {
    out.push([seg('❯ ', 'prompt'), seg(item.line, 'accent'), seg(' '.repeat(gap)), seg(right, status.role)]);
  } else {
    out.push(...wrapLine([seg('❯ ', 'prompt'), seg(item.line, 'accent')], view.width, 2));
    out.push([seg('  '), seg(right, status.role)]);
  }
  out.push(...bodyLines(item, view));
  if (item.message && (item.phase === 'failed' || item.phase === 'cancelled')) {
    const head = item.phase === 'failed' && item.errorClass ? `${item.errorClass}: ` : '';
    out.push(...textLines(`${head}${item.message}`, view.width, item.phase === 'cancelled' ? 'warn' : 'error', '  ✗ '));
    if (item.hint) out.push(...textLines(item.hint, view.width, 'muted', '    '));
  }
  return out;
}

function statusOf(item: VerbItem): { text: string; role: Role } {
  switch (item.phase) {
    case 'running':
      return { text: item.body.verb === 'watch' ? 'watching' : 'running', role: 'busy' };
    case 'stopping':
      return { text: 'stopping', role: 'warn' };
    case 'failed':
      return { text: 'failed', role: 'error' };
    case 'cancelled':
      return item.body.verb === 'exec' && item.body.outcome ? execStatus(item.body.outcome) : { text: 'stopped', role: 'warn' };
    case 'done':
      return item.body.verb === 'exec' && item.body.outcome ? execStatus(item.body.outcome) : { text: 'done', role: 'ok' };
  }
}

function bodyLines(item: VerbItem, view: VerbView): Line[] {
  const body = item.body;
  switch (body.verb) {
    case 'exec':
      return execLines(item, body, view);
    case 'get':
    case 'put':
      return transferLines(item, body, view.width);
    case 'info':
      return infoLines(item, body, view.width);
    case 'watch':
      return watchLines(item, body, view.width);
    case 'freeze':
    case 'thaw':
      return freezeLines(item, body, view.width);
  }
}

function freezeLines(item: VerbItem, body: FreezeBody, width: number): Line[] {
  const n = (count: number): string => `${count} filesystem${count === 1 ? '' : 's'}`;
  if (item.phase === 'running' || item.phase === 'stopping') {
    const text = body.verb === 'freeze' ? `freezing ${body.what}… (the agent answers once every one is frozen)` : 'thawing…';
    return textLines(text, width, 'busy', '  ');
  }
  if (item.phase !== 'done' || body.count === undefined) return [];
  if (body.verb === 'freeze') {
    return [
      ...textLines(`froze ${n(body.count)} · the status bar shows FROZEN until they are thawed`, width, 'ok', '  ✓ '),
      ...textLines('While frozen, writes in the guest block and the agent refuses most commands (guest-ping, guest-info, guest-sync, guest-fsfreeze-status and guest-fsfreeze-thaw still run). :thaw thaws.', width, 'muted', '    '),
    ];
  }
  if (body.count === 0) return textLines('nothing was frozen', width, 'ok', '  ✓ ');
  const after = body.frozenForMs === undefined ? '' : ` after ${(body.frozenForMs / 1000).toFixed(1)} s frozen`;
  return textLines(`thawed ${n(body.count)}${after}`, width, 'ok', '  ✓ ');
}
