// The wire view: every raw line in and out with its time, and what sync threw away and
// why. Request lines pass through secret redaction before they are kept at all.
import type { WireEvent } from '../../session/events.js';
import { redactRequestText } from '../../schema/annotations.js';
import { seg, wrapLine, type Line } from '../text/styled-line.js';

export interface WireEntry {
  id: number;
  event: WireEvent;
}

/** A wire event safe to keep: outgoing lines have their secrets redacted. */
export function safeWireEvent(event: WireEvent): WireEvent {
  return event.direction === 'out' ? { ...event, text: redactRequestText(event.text) } : event;
}

function stamp(at: number): string {
  const d = new Date(at);
  const hms = [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
  return `${hms}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

export function wireLines(entry: WireEntry, width: number): Line[] {
  const e = entry.event;
  const ff = e.delimited ? '0xFF ' : '';
  if (e.direction === 'discard') {
    return [
      ...wrapLine([seg(`${stamp(e.at)} `, 'muted'), seg('✗ discarded ', 'wire-discard'), seg(`${e.bytes} B: ${e.reason ?? 'stale'}`, 'wire-discard')], width, 15),
      ...wrapLine([seg('               '), seg(ff, 'muted'), seg(e.text, 'muted')], width, 15),
    ];
  }
  const arrow = e.direction === 'out' ? '→ ' : '← ';
  const role = e.direction === 'out' ? 'wire-out' : 'wire-in';
  return wrapLine([seg(`${stamp(e.at)} `, 'muted'), seg(arrow, role), seg(ff, 'muted'), seg(e.text, role)], width, 15);
}
