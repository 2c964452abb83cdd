// The body of a :get or :put entry: from and to, the live progress bar (rate, ETA), the
// checksum step, then the summary and the sha256 verdict.
import { formatBytes, formatDuration, formatRate, progressLine } from '../../../verbs/transfer/progress-text.js';
import { seg, textLines, type Line } from '../../text/styled-line.js';
import type { TransferBody, VerbItem } from './verb-item.js';

export function transferLines(item: VerbItem, body: TransferBody, width: number): Line[] {
  const handle = body.handle === undefined ? '' : ` · guest handle ${body.handle}`;
  const out: Line[] = textLines(`${body.from} → ${body.to}${handle}`, width, 'muted', '  ');
  const running = item.phase === 'running' || item.phase === 'stopping';
  if (body.progress) {
    const barWidth = Math.max(10, Math.min(40, width - 60));
    const line = progressLine(body.verb === 'get' ? 'reading' : 'writing', body.progress, barWidth);
    out.push([seg(`  ${line}`, running ? 'busy' : 'muted')]);
  } else if (running) {
    out.push([seg('  opening the guest file…', 'busy')]);
  }
  if (body.verifying && running) out.push([seg('  checking sha256 in the guest (sha256sum through guest-exec)…', 'busy')]);
  if (running) out.push([seg(item.phase === 'stopping' ? '  stopping after the chunk in flight: closing the guest handle…' : '  Ctrl+C stops it', 'muted')]);
  const r = body.result;
  if (!r) return out;
  const rate = r.ms > 0 ? formatRate((r.bytes * 1000) / r.ms) : 'instant';
  out.push(...textLines(`${r.direction === 'get' ? 'got' : 'put'} ${formatBytes(r.bytes)} in ${formatDuration(r.ms)} (${rate}) · guest handle ${r.handle} closed`, width, 'ok', '  ✓ '));
  const check = r.check;
  switch (check.result) {
    case 'match':
      out.push(...textLines(`sha256 ${check.sha256} matches the guest's copy`, width, 'ok', '  ✓ '));
      break;
    case 'skipped':
      out.push(...textLines(`sha256 check SKIPPED: ${check.reason} (host side: ${check.sha256})`, width, 'warn', '  ! '));
      break;
    case 'off':
      out.push(...textLines(`sha256 not compared (--no-verify); host side: ${check.sha256}`, width, 'muted', '  '));
      break;
    case 'mismatch':
      out.push(...textLines(`CHECKSUM MISMATCH: host ${check.sha256}, guest ${check.guestSha256}`, width, 'error', '  ✗ '));
      out.push(...textLines(r.direction === 'get'
        ? `Nothing was saved to ${r.local}. Did the guest file change during the copy? Try again.`
        : `The guest file differs from ${r.local}. Did either change during the copy? Try again.`, width, 'muted', '    '));
      break;
  }
  if (r.direction === 'get' && r.saved) out.push(...textLines(`saved to ${r.local}`, width, 'ok', '  ✓ '));
  return out;
}
