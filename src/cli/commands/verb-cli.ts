// Small pieces the verb subcommands (exec, get, put, info, watch, freeze, ...) share:
// Ctrl+C handling, sizes and durations on the command line, writing binary output fully,
// and a one-line status display on a terminal.
import { CancelledError, UsageError } from '../../protocol/errors.js';

/** Exit status after Ctrl+C, as a shell reports it. */
export const EXIT_INTERRUPTED = 130;

export interface Interrupt {
  signal: AbortSignal;
  dispose(): void;
}

/**
 * The first Ctrl+C (SIGINT) aborts `signal`, so the verb can clean up (close guest
 * handles, remove temp files, stop the guest process); a second one exits at once, after
 * `beforeForcedExit` (synchronous cleanup such as removing a temp file).
 */
export function interruptOnSigint(what = 'interrupted', beforeForcedExit?: () => void): Interrupt {
  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) {
      beforeForcedExit?.();
      process.exit(EXIT_INTERRUPTED);
    }
    controller.abort(new CancelledError(what));
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
}

const SIZE_UNITS: Record<string, number> = {
  '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3,
};

/** "1M", "64KiB", "4096" -> bytes (binary units). Throws UsageError. */
export function parseSize(text: string, option: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = match ? SIZE_UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined) {
    throw new UsageError(`${option} takes a size such as 64K, 1M or 4MiB, not "${text}"`);
  }
  return Math.round(Number(match[1]) * unit);
}

const DURATION_UNITS: Record<string, number> = { ms: 1, '': 1000, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/** "30", "30s", "500ms", "2m" -> milliseconds; a bare number is seconds. Throws UsageError. */
export function parseDuration(text: string, option: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = match ? DURATION_UNITS[match[2]!.toLowerCase()] : undefined;
  const ms = match && unit !== undefined ? Number(match[1]) * unit : NaN;
  if (!(ms > 0)) {
    throw new UsageError(`${option} takes a duration such as 30 (seconds), 500ms or 2m, not "${text}"`);
  }
  return ms;
}

/** Reads a stream to its end. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

/** --input FILE, or `-` for stdin. */
export async function readInputFile(file: string): Promise<Buffer> {
  if (file === '-') return readAll(process.stdin);
  try {
    // node:fs/promises is loaded here, not at start: exec loads with every command line.
    const { readFile } = await import('node:fs/promises');
    return await readFile(file);
  } catch (err) {
    throw new UsageError(`cannot read --input ${file}: ${(err as Error).message}`);
  }
}

/** Writes `data` and resolves once the stream has taken it (so exiting does not cut it off). */
export function writeFully(stream: NodeJS.WritableStream, data: Buffer | string): Promise<void> {
  if (data.length === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    stream.write(data, (err) => (err ? reject(err) : resolve()));
  });
}

/** A line that rewrites itself on a terminal (progress, waiting); nothing elsewhere. */
export class StatusLine {
  private readonly stream: NodeJS.WriteStream;
  private shown = false;
  readonly active: boolean;

  constructor(stream: NodeJS.WriteStream = process.stderr, enabled = true) {
    this.stream = stream;
    this.active = enabled && stream.isTTY === true;
  }

  show(text: string): void {
    if (!this.active) return;
    const width = this.stream.columns || 80;
    this.stream.write(`\r${text.length >= width ? text.slice(0, width - 1) : text}\x1b[K`);
    this.shown = true;
  }

  clear(): void {
    if (!this.shown) return;
    this.stream.write('\r\x1b[K');
    this.shown = false;
  }
}
