// The status bar as one line: connection state, where, agent version, last round trip,
// discarded stale bytes, read-only mode, and the key for help.
import type { SessionState } from '../../session/events.js';
import { formatMs } from '../history/call-layout.js';
import { seg, type Line } from '../text/styled-line.js';
import { textWidth, truncate } from '../text/width.js';
import type { Role } from '../theme/theme.js';
import type { StatusState } from './use-status-state.js';

const STATE_VIEW: Record<SessionState, { label: string; role: Role }> = {
  disconnected: { label: 'disconnected', role: 'error' },
  connecting: { label: 'connecting', role: 'busy' },
  syncing: { label: 'syncing', role: 'busy' },
  ready: { label: 'ready', role: 'ok' },
  busy: { label: 'busy', role: 'busy' },
  unresponsive: { label: 'unresponsive', role: 'error' },
  closed: { label: 'closed', role: 'muted' },
};

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export interface StatusLineInput {
  status: StatusState;
  endpoint: string;
  readOnly: boolean;
  view: 'history' | 'wire';
  width: number;
  /** "FROZEN 1:05  1 filesystem  :thaw thaws" while the guest's filesystems are frozen. */
  banner?: string;
  /** What the running verb is doing; shown in place of the session's busy/ready. */
  activity?: string;
}

export function statusLine({ status, endpoint, readOnly, view, width, banner, activity }: StatusLineInput): Line {
  const state = STATE_VIEW[status.state];
  const detail = status.state === 'busy' && status.busy ? ` ${status.busy}` : status.state === 'unresponsive' ? ' (agent not answering)' : '';
  // A verb's many calls would flicker busy/ready: while one runs, say what it does instead.
  const steady = status.state === 'busy' || status.state === 'ready';
  const left: Line = activity && steady
    ? [seg(' ● ', 'busy'), seg(activity, 'busy')]
    : [seg(' ● ', state.role), seg(`${state.label}${detail}`, state.role)];
  if (banner) left.push(seg(' │ ', 'muted'), seg(` ${banner} `, 'selected'));
  // In order of importance: what does not fit on a narrow terminal is left out from the end.
  const parts: Line = [];
  if (readOnly) parts.push(seg(' │ ', 'muted'), seg('read-only', 'warn'));
  if (view === 'wire') parts.push(seg(' │ ', 'muted'), seg('wire view', 'accent'));
  if (status.shared) {
    const others = status.shared.clients - 1;
    const who = others === 0 ? 'no other clients' : `${others} other client${others === 1 ? '' : 's'}`;
    parts.push(seg(' │ ', 'muted'), seg(`shared (broker, ${who}${status.shared.readOnly ? ', read-only' : ''})`, 'accent'));
  }
  parts.push(seg(` │ ${endpoint}`, 'muted'));
  if (status.version) parts.push(seg(` │ qemu-ga ${status.version}`, 'muted'));
  if (status.rttMs !== undefined) parts.push(seg(` │ rtt ${formatMs(status.rttMs)}`, 'muted'));
  // Every sync throws away the agent's answer to the 0xFF flush byte: only more than that is news.
  const unexpected = status.discardedMessages > status.syncs;
  parts.push(seg(` │ stale ${formatBytes(status.discardedBytes)}`, unexpected ? 'warn' : 'muted'));
  const right = ' Ctrl+G help · :keys ';
  const out: Line = [...left];
  let used = textWidth(left.map((s) => s.text).join(''));
  for (const part of parts) {
    const w = textWidth(part.text);
    if (used + w > width) break;
    out.push(part);
    used += w;
  }
  const gap = width - used - textWidth(right);
  if (gap > 0) out.push(seg(' '.repeat(gap)), seg(right, 'muted'));
  return out.map((s) => ({ ...s, text: truncate(s.text, width) }));
}
