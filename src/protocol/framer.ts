// Splits the agent's byte stream into lines. The agent writes one JSON object per line,
// but the bytes arrive split or joined in any way, a line can be tens of MB, and 0xFF
// bytes mark a fresh start: the agent writes 0xFF right before its guest-sync-delimited
// reply. 0xFF never occurs in valid UTF-8, so it is a hard boundary: whatever partial
// line precedes it is abandoned (a tail of an older reply, tty echo) and reported.
//
// Frames are handed to a callback as they complete, and their bytes are valid only during
// that call: a line that fits in one chunk is a view of the chunk (which the transport may
// reuse for its next read), and a line that spans chunks is gathered in a buffer of the
// framer's own that the next line reuses. So a stream of large replies (file reads) costs
// no new memory per line or per read.

export type Frame =
  /** A complete line without its '\n' (and without a trailing '\r'). */
  | { kind: 'line'; bytes: Buffer; delimited: boolean }
  /** Bytes abandoned before a 0xFF, or left over at end of stream. */
  | { kind: 'fragment'; bytes: Buffer; reason: 'before-0xff' | 'end-of-stream' | 'too-long' };

const NEWLINE = 0x0a;
const DELIMITER = 0xff;
const CR = 0x0d;

export const DEFAULT_MAX_LINE_BYTES = 256 * 1024 * 1024;

const EMPTY = Buffer.alloc(0);
/** A held-line buffer larger than this is let go once its line is done. */
const KEEP_BUFFER_BYTES = 8 * 1024 * 1024;

export class LineFramer {
  /** The unfinished line from earlier chunks, copied (chunks may be reused by the transport). */
  private held = EMPTY;
  private heldLength = 0;
  private delimited = false;
  private overflowing = false;
  private readonly maxLineBytes: number;

  constructor(options: { maxLineBytes?: number } = {}) {
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  }

  /** Bytes of the current, unfinished line. */
  get pendingLength(): number {
    return this.heldLength;
  }

  /** Feeds a chunk; `onFrame` gets each frame it completes, in order (bytes valid during the call). */
  push(chunk: Buffer, onFrame: (frame: Frame) => void): void {
    let pos = 0;
    // Each byte is looked for again only once passed: a chunk is scanned once for each.
    let nl = -2;
    let ff = -2;
    while (pos < chunk.length) {
      if (nl !== -1 && nl < pos) nl = chunk.indexOf(NEWLINE, pos);
      if (ff !== -1 && ff < pos) ff = chunk.indexOf(DELIMITER, pos);
      const end = nl === -1 ? ff : ff === -1 ? nl : Math.min(nl, ff);
      if (end === -1) {
        this.hold(chunk, pos, chunk.length, onFrame);
        return;
      }
      if (chunk[end] === DELIMITER) {
        this.hold(chunk, pos, end, onFrame);
        this.abandon(onFrame, 'before-0xff');
        this.delimited = true;
      } else {
        this.finishLine(chunk, pos, end, onFrame);
      }
      pos = end + 1;
    }
  }

  /** Call at end of stream: reports any unfinished line. */
  end(onFrame: (frame: Frame) => void): void {
    this.abandon(onFrame, 'end-of-stream');
    this.delimited = false;
  }

  /** Keeps chunk[start, end) as part of the unfinished line. */
  private hold(chunk: Buffer, start: number, end: number, onFrame: (frame: Frame) => void): void {
    const length = end - start;
    if (length === 0 || this.overflowing) return;
    if (this.heldLength + length > this.maxLineBytes) {
      // Report what was held and a preview of the rest, then skip to the next line end.
      this.copyIn(chunk, start, start + Math.min(length, 4096));
      this.abandon(onFrame, 'too-long');
      this.overflowing = true;
      return;
    }
    this.copyIn(chunk, start, end);
  }

  private copyIn(chunk: Buffer, start: number, end: number): void {
    const needed = this.heldLength + (end - start);
    if (needed > this.held.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.held.length * 2, 64 * 1024));
      this.held.copy(grown, 0, 0, this.heldLength);
      this.held = grown;
    }
    chunk.copy(this.held, this.heldLength, start, end);
    this.heldLength = needed;
  }

  /** The held bytes as a view; the buffer is released after an unusually long line. */
  private take(): Buffer {
    const bytes = this.held.subarray(0, this.heldLength);
    this.heldLength = 0;
    if (this.held.length > KEEP_BUFFER_BYTES) this.held = EMPTY;
    return bytes;
  }

  private finishLine(chunk: Buffer, start: number, end: number, onFrame: (frame: Frame) => void): void {
    if (this.overflowing) {
      this.overflowing = false;
      this.delimited = false;
      return;
    }
    let bytes: Buffer;
    if (this.heldLength === 0) {
      if (end - start > this.maxLineBytes) {
        this.hold(chunk, start, end, onFrame);
        this.overflowing = false;
        this.delimited = false;
        return;
      }
      bytes = chunk.subarray(start, end);
    } else {
      this.hold(chunk, start, end, onFrame);
      if (this.overflowing) {
        this.overflowing = false;
        this.delimited = false;
        return;
      }
      bytes = this.take();
    }
    if (bytes.length > 0 && bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, bytes.length - 1);
    const delimited = this.delimited;
    this.delimited = false;
    if (bytes.length === 0 && !delimited) return;
    onFrame({ kind: 'line', bytes, delimited });
  }

  private abandon(onFrame: (frame: Frame) => void, reason: 'before-0xff' | 'end-of-stream' | 'too-long'): void {
    if (this.heldLength === 0 || this.overflowing) return;
    onFrame({ kind: 'fragment', bytes: this.take(), reason });
  }
}
