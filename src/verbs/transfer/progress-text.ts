// Transfer progress as text: sizes, rates, times and a bar, for a plain terminal.
import type { TransferProgress } from './progress.js';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value >= 100 ? 0 : 1)} ${UNITS[unit]}`;
}

export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(Math.round(bytesPerSecond))}/s`;
}

/** 0:07, 1:05:09. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** `[########------------]` for a fraction 0..1. */
export function bar(fraction: number, width: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

/** One status line: bar, percent, bytes, rate and ETA (or bytes and rate for an unknown size). */
export function progressLine(label: string, p: TransferProgress, barWidth = 24): string {
  const rate = formatRate(p.rate);
  if (p.total === undefined || p.total === 0) return `${label} ${formatBytes(p.bytes)}  ${rate}`;
  const fraction = p.bytes / p.total;
  const eta = p.etaMs === undefined ? '--:--' : formatDuration(p.etaMs);
  return `${label} ${bar(fraction, barWidth)} ${String(Math.floor(fraction * 100)).padStart(3)}%  ` +
    `${formatBytes(p.bytes)}/${formatBytes(p.total)}  ${rate}  ETA ${eta}`;
}
