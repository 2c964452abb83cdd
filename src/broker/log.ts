// The broker's log: one line per client connect and disconnect and per command, with
// its latency. Only command names, outcomes and timings are written, never arguments or
// return values, so secrets (guest-set-user-password's password, file contents) cannot
// reach the log.
import type { Delivery, QueuedRequest } from './lane.js';

export type BrokerLog = (line: string) => void;

export interface StreamLog extends BrokerLog {
  /** Writes out what is buffered now (call before exiting). */
  flush(): void;
}

/** How long a log line may wait to be written with others: one write per burst, not per command. */
const FLUSH_AFTER_MS = 50;
const FLUSH_AT_BYTES = 32 * 1024;

/**
 * A log that prefixes each line with the time and writes to a stream. Lines are gathered
 * and written together within 50 ms: a write per command would cost the broker a system
 * call per command, about as much as relaying the command itself.
 */
export function streamLog(stream: NodeJS.WritableStream): StreamLog {
  let pending = '';
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (pending === '') return;
    stream.write(pending);
    pending = '';
  };
  // The time prefix is made once per millisecond: the broker logs every command, and
  // formatting a date costs about as much as the rest of the line.
  let stampedAt = -1;
  let stamp = '';
  const log = (line: string): void => {
    const now = Date.now();
    if (now !== stampedAt) {
      stampedAt = now;
      stamp = new Date(now).toISOString();
    }
    pending += `${stamp} ${line}\n`;
    if (pending.length >= FLUSH_AT_BYTES) flush();
    else if (!timer) {
      timer = setTimeout(flush, FLUSH_AFTER_MS);
      timer.unref();
    }
  };
  return Object.assign(log, { flush });
}

/** A command name as a client sent it, made safe for one log line. */
export function safeName(execute: string): string {
  const clipped = execute.length > 64 ? `${execute.slice(0, 64)}…` : execute;
  return /^[\w.:-]+$/.test(clipped) || clipped === '?' || clipped === '(parse error)' ? clipped : JSON.stringify(clipped);
}

export function describeCommand(label: string, item: QueuedRequest, delivery: Delivery, dropped: boolean): string {
  const now = performance.now();
  const ms = (now - (item.sentAt ?? item.queuedAt)).toFixed(2);
  const waited = item.sentAt !== undefined && item.sentAt - item.queuedAt >= 0.01
    ? ` (waited ${(item.sentAt - item.queuedAt).toFixed(2)} ms for its turn)`
    : '';
  let outcome: string;
  if (delivery.failure) outcome = `failed (${delivery.failure.code})`;
  else if (!delivery.reply) outcome = 'sent, no reply (as the agent does for this command)';
  else if ('error' in delivery.reply) {
    const error = delivery.reply.error as { class?: unknown };
    outcome = `error ${typeof error?.class === 'string' ? error.class : '?'}`;
  } else outcome = 'ok';
  const by = delivery.from === 'broker' && !delivery.failure ? ', answered by the broker' : '';
  const tail = dropped ? '; client gone, reply dropped' : '';
  return `${label}: ${safeName(item.execute)} ${outcome} in ${ms} ms${waited}${by}${tail}`;
}
