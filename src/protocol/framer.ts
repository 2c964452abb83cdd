// Splits the agent's byte stream into lines. The agent writes one JSON object per line,
// but the bytes arrive split or joined in any way, a line can be tens of MB, and 0xFF
// bytes mark a fresh start: the agent writes 0xFF right before its guest-sync-delimited
// reply. 0xFF never occurs in valid UTF-8, so it is a hard boundary: whatever partial
// line precedes it is abandoned (a tail of an older reply, tty echo) and reported.

export type Frame =
  /** A complete line without its '\n' (and without a trailing '\r'). */
  | { kind: 'line'; bytes: Buffer; delimited: boolean }
  /** Bytes abandoned before a 0xFF, or left over at end of stream. */
  | { kind: 'fragment'; bytes: Buffer; reason: 'before-0xff' | 'end-of-stream' | 'too-long' };

const NEWLINE = 0x0a;
const DELIMITER = 0xff;
const CR = 0x0d;

export const DEFAULT_MAX_LINE_BYTES = 256 * 1024 * 1024;

export class LineFramer {
  private parts: Buffer[] = [];
  private pendingBytes = 0;
  private delimited = false;
  private overflowing = false;
  private readonly maxLineBytes: number;

  constructor(options: { maxLineBytes?: number } = {}) {
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  }

  /** Bytes of the current, unfinished line. */
  get pendingLength(): number {
    return this.pendingBytes;
  }

  push(chunk: Buffer): Frame[] {
    const frames: Frame[] = [];
    let pos = 0;
    // Each byte is looked for again only once passed: a chunk is scanned once for each.
    let nl = -2;
    let ff = -2;
    while (pos < chunk.length) {
      if (nl !== -1 && nl < pos) nl = chunk.indexOf(NEWLINE, pos);
      if (ff !== -1 && ff < pos) ff = chunk.indexOf(DELIMITER, pos);
      const end = nl === -1 ? ff : ff === -1 ? nl : Math.min(nl, ff);
      if (end === -1) {
        this.append(chunk.subarray(pos), frames);
        break;
      }
      this.append(chunk.subarray(pos, end), frames);
      if (chunk[end] === DELIMITER) {
        this.abandon(frames, 'before-0xff');
        this.delimited = true;
      } else {
        this.finishLine(frames);
      }
      pos = end + 1;
    }
    return frames;
  }

  /** Call at end of stream: reports any unfinished line. */
  end(): Frame[] {
    const frames: Frame[] = [];
    this.abandon(frames, 'end-of-stream');
    this.delimited = false;
    return frames;
  }

  private append(bytes: Buffer, frames: Frame[]): void {
    if (bytes.length === 0) return;
    if (this.overflowing) return;
    if (this.pendingBytes + bytes.length > this.maxLineBytes) {
      this.parts.push(bytes.subarray(0, Math.min(bytes.length, 4096)));
      this.pendingBytes += bytes.length;
      this.abandon(frames, 'too-long');
      this.overflowing = true;
      return;
    }
    this.parts.push(bytes);
    this.pendingBytes += bytes.length;
  }

  private take(): Buffer {
    const bytes = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.pendingBytes);
    this.parts = [];
    this.pendingBytes = 0;
    return bytes;
  }

  private finishLine(frames: Frame[]): void {
    if (this.overflowing) {
      this.overflowing = false;
      this.delimited = false;
      return;
    }
    let bytes = this.take();
    if (bytes.length > 0 && bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, bytes.length - 1);
    const delimited = this.delimited;
    this.delimited = false;
    if (bytes.length === 0 && !delimited) return;
    frames.push({ kind: 'line', bytes, delimited });
  }

  private abandon(frames: Frame[], reason: 'before-0xff' | 'end-of-stream' | 'too-long'): void {
    if (this.pendingBytes === 0 || this.overflowing) return;
    frames.push({ kind: 'fragment', bytes: this.take(), reason });
  }
}
