// How one request and its reply look in the history:
//
//   ❯ guest-file-open path=/etc/hostname                      ok · 0.4 ms · 10:52:03
//     → {"execute":"guest-file-open","arguments":{"path":"/etc/hostname"},"id":"qh-1"}
//     1000
//
// Large replies are folded to their first lines with a note saying how to expand them.
import { stringifyJson } from '../../protocol/json.js';
import { jsonLines, type JsonPath } from '../text/json-lines.js';
import { seg, textLines, wrapLine, type Line } from '../text/styled-line.js';
import { textWidth } from '../text/width.js';
import { keysFor } from '../keys/key-bindings.js';
import type { Role } from '../theme/theme.js';
import type { CallItem, CallOutcome } from './history-item.js';

export const FOLD_ABOVE = 24;
export const FOLDED_SHOWS = 16;
/** At most this many lines of one reply are laid out, even expanded. */
export const MAX_REPLY_LINES = 5000;

export interface ItemView {
  width: number;
  raw: boolean;
  expanded: boolean;
}

const STATUS: Record<CallOutcome, { text: string; role: Role }> = {
  pending: { text: 'waiting', role: 'busy' },
  ok: { text: 'ok', role: 'ok' },
  'agent-error': { text: 'agent error', role: 'error' },
  'no-reply': { text: 'sent, no reply expected', role: 'ok' },
  timeout: { text: 'timed out', role: 'error' },
  cancelled: { text: 'cancelled', role: 'warn' },
  failed: { text: 'failed', role: 'error' },
};

export function clock(ms: number): string {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

export function formatMs(ms: number): string {
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  if (ms < 10_000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

export function layoutCall(item: CallItem, view: ItemView): Line[] {
  const { width } = view;
  const status = STATUS[item.status];
  const right = [status.text, item.ms === undefined ? undefined : formatMs(item.ms), clock(item.startedAt)].filter(Boolean).join(' · ');
  const title = `❯ ${item.line}`;
  const out: Line[] = [];
  const gap = width - textWidth(title) - textWidth(right);
  if (gap >= 2) {
    out.push([seg('❯ ', 'prompt'), seg(item.line, 'accent'), seg(' '.repeat(gap)), seg(right, status.role)]);
  } else {
    out.push(...wrapLine([seg('❯ ', 'prompt'), seg(item.line, 'accent')], width, 2));
    out.push([seg('  '), seg(right, status.role)]);
  }

  if (item.origin === 'shell' && !view.expanded) {
    out.push([seg(`  sent by the shell to learn what this agent supports · ${keysFor('toggle-fold')[0]} shows it`, 'muted')]);
    return out;
  }

  out.push(...wrapLine([seg('  → ', 'muted'), seg(stringifyJson(item.request), 'muted')], width, 4));
  out.push(...bodyLines(item, view));
  return out;
}

function bodyLines(item: CallItem, view: ItemView): Line[] {
  const { width } = view;
  switch (item.status) {
    case 'pending':
      return [[seg('  … waiting for the reply · Ctrl+C cancels', 'busy')]];
    case 'ok': {
      const decode = new Set(item.base64Members);
      const isBase64 = (path: JsonPath): boolean => decode.size > 0 && typeof path[path.length - 1] === 'string' && decode.has(path[path.length - 1] as string);
      const logical = jsonLines(item.value ?? {}, { isBase64, raw: view.raw, maxLines: MAX_REPLY_LINES }, '  ');
      const lines: Line[] = [];
      for (const l of logical) {
        lines.push(...wrapLine(l, width, indentOf(l) + 2));
        if (lines.length > MAX_REPLY_LINES) break;
      }
      const cut = lines.length > MAX_REPLY_LINES;
      if (view.expanded) {
        if (!cut) return lines;
        return [...lines.slice(0, MAX_REPLY_LINES), [seg(`  … the reply goes on past ${MAX_REPLY_LINES.toLocaleString('en-US')} lines; save it whole with call --json (or get for files)`, 'muted')]];
      }
      if (lines.length <= FOLD_ABOVE) return lines;
      const more = cut ? `more than ${(MAX_REPLY_LINES - FOLDED_SHOWS).toLocaleString('en-US')}` : String(lines.length - FOLDED_SHOWS);
      return [...lines.slice(0, FOLDED_SHOWS), [seg(`  … ${more} more lines · ${keysFor('toggle-fold')[0]} expands`, 'muted')]];
    }
    case 'no-reply':
      return textLines(item.detail ?? 'sent; this command sends no reply on success', width, 'ok', '  ✓ ');
    default: {
      const head = item.errorClass && item.status === 'agent-error' ? `${item.errorClass}: ` : '';
      const lines = textLines(`${head}${item.message ?? STATUS[item.status].text}`, width, item.status === 'cancelled' ? 'warn' : 'error', '  ✗ ');
      if (item.hint) lines.push(...textLines(item.hint, width, 'muted', '    '));
      return lines;
    }
  }
}

function indentOf(line: Line): number {
  const text = line[0]?.text ?? '';
  return text.length - text.trimStart().length;
}
