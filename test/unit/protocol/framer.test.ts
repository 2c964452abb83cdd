import { describe, expect, it } from 'vitest';
import { LineFramer, type Frame } from '../../../src/protocol/framer.js';

function feed(chunks: Array<string | Buffer>, options?: { maxLineBytes?: number }): Frame[] {
  const framer = new LineFramer(options);
  const frames: Frame[] = [];
  // A frame's bytes are valid only while it is handed over: keep a copy.
  const keep = (frame: Frame): void => {
    frames.push({ ...frame, bytes: Buffer.from(frame.bytes) });
  };
  // Every chunk goes through one buffer that is overwritten afterwards, as a transport
  // reading into a reused buffer does.
  let reused = Buffer.alloc(0);
  for (const c of chunks) {
    const bytes = Buffer.isBuffer(c) ? c : Buffer.from(c, 'latin1');
    if (reused.length < bytes.length) reused = Buffer.alloc(bytes.length);
    bytes.copy(reused);
    framer.push(reused.subarray(0, bytes.length), keep);
    reused.fill(0x23);
  }
  framer.end(keep);
  return frames;
}

const lines = (frames: Frame[]) => frames.map((f) => `${f.kind}${f.kind === 'line' && f.delimited ? '+ff' : ''}:${f.bytes.toString('latin1')}`);

describe('LineFramer', () => {
  it('joins a line split across chunks, byte by byte', () => {
    const text = '{"return": {"version": "7.2.22"}}\n';
    expect(lines(feed([...text]))).toEqual(['line:{"return": {"version": "7.2.22"}}']);
  });

  it('splits lines joined in one chunk', () => {
    expect(lines(feed(['{"return": 1}\n{"return": 2}\n{"ret', 'urn": 3}\n']))).toEqual([
      'line:{"return": 1}', 'line:{"return": 2}', 'line:{"return": 3}',
    ]);
  });

  it('marks a line after 0xFF as delimited and abandons the partial line before it', () => {
    expect(lines(feed(['tail of an old reply"}', '\xff{"return": 5}\n']))).toEqual([
      'fragment:tail of an old reply"}', 'line+ff:{"return": 5}',
    ]);
  });

  it('handles 0xFF at chunk boundaries and runs of 0xFF', () => {
    expect(lines(feed(['abc\xff', '\xff\xff', '{"return": 9}', '\n']))).toEqual(['fragment:abc', 'line+ff:{"return": 9}']);
  });

  it('drops CR before LF (serial consoles) and skips empty lines', () => {
    expect(lines(feed(['{"return": {}}\r\n', '\n', '\r\n']))).toEqual(['line:{"return": {}}']);
  });

  it('reports an unfinished line at end of stream', () => {
    expect(lines(feed(['{"return": 1}\n{"ret']))).toEqual(['line:{"return": 1}', 'fragment:{"ret']);
  });

  it('carries a 10 MB line intact across 64 KiB chunks', () => {
    const payload = 'A'.repeat(10 * 1024 * 1024);
    const text = Buffer.from(`{"return": {"count": 1, "buf-b64": "${payload}"}}\n`);
    const chunks: Buffer[] = [];
    for (let i = 0; i < text.length; i += 65536) chunks.push(text.subarray(i, i + 65536));
    const frames = feed(chunks);
    expect(frames).toHaveLength(1);
    expect(frames[0]!.kind).toBe('line');
    expect(frames[0]!.bytes.equals(text.subarray(0, text.length - 1))).toBe(true);
  });

  it('abandons a line longer than the limit and recovers at the next newline', () => {
    const frames = feed(['x'.repeat(100), 'y'.repeat(100), '\n{"return": 1}\n'], { maxLineBytes: 150 });
    expect(frames.map((f) => f.kind === 'fragment' ? `fragment:${f.reason}` : 'line')).toEqual(['fragment:too-long', 'line']);
    expect(frames[1]!.bytes.toString()).toBe('{"return": 1}');
  });

  it('gives identical frames for any chunking of a recorded stream (randomized)', () => {
    const recorded = Buffer.concat([
      Buffer.from('ply": "old client"}}\n', 'latin1'),
      Buffer.from('{"error": {"class": "GenericError", "desc": "JSON parse error, stray \'\\ufffd\'"}}\n'),
      Buffer.from('\xff{"return": 123456789}\n', 'latin1'),
      Buffer.from('{"return": 1795603519181776000, "id": "qh-1"}\n'),
      Buffer.from(`{"return": {"buf-b64": "${'QUJD'.repeat(50000)}", "eof": true}, "id": "qh-2"}\n`),
      Buffer.from('garbage without newline then \xff{"return": 77}\n', 'latin1'),
      Buffer.from('{"return": {"name": "caf\u00e9 \u2603"}, "id": 3}\n'),
    ]);
    const reference = lines(feed([recorded]));
    expect(reference).toHaveLength(8);
    expect(reference[5]).toBe("fragment:garbage without newline then ");
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 300; round++) {
      const chunks: Buffer[] = [];
      for (let pos = 0; pos < recorded.length;) {
        const size = 1 + Math.floor(random() * (round % 3 === 0 ? 8 : 70000));
        chunks.push(recorded.subarray(pos, pos + size));
        pos += size;
      }
      expect(lines(feed(chunks))).toEqual(reference);
    }
  });
});
