// The pure parts of get/put: chunk limits, progress arithmetic and text, temp names,
// base64 decoded in pieces, cutting a stream into chunks, and how LOCAL / GUEST_PATH are read.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/protocol/errors.js';
import { checkChunk } from '../../../src/verbs/transfer/chunk-size.js';
import { decodeBase64Bytes } from '../../../src/verbs/transfer/base64.js';
import { tempNameFor } from '../../../src/verbs/transfer/local-target.js';
import { ProgressTracker } from '../../../src/verbs/transfer/progress.js';
import { bar, formatBytes, formatDuration, progressLine } from '../../../src/verbs/transfer/progress-text.js';
import { streamSource } from '../../../src/verbs/transfer/put.js';
import { compareChecksums } from '../../../src/verbs/transfer/guest-checksum.js';
import { localPathFor } from '../../../src/cli/commands/get.js';
import { guestPathFor } from '../../../src/cli/commands/put.js';
import { parseDuration, parseSize } from '../../../src/cli/commands/verb-cli.js';

describe('chunk size', () => {
  it('accepts 1K..32M and refuses the rest', () => {
    expect(checkChunk(1024)).toBe(1024);
    expect(checkChunk(32 * 1024 * 1024)).toBe(32 * 1024 * 1024);
    expect(() => checkChunk(1023)).toThrow(UsageError);
    expect(() => checkChunk(48 * 1024 * 1024)).toThrow(/between 1K and 32M/);
  });

  it('reads sizes and durations from the command line', () => {
    expect(parseSize('64K', '--chunk')).toBe(65536);
    expect(parseSize('1MiB', '--chunk')).toBe(1048576);
    expect(parseSize('4096', '--chunk')).toBe(4096);
    expect(() => parseSize('lots', '--chunk')).toThrow(UsageError);
    expect(parseDuration('30', '--timeout')).toBe(30_000);
    expect(parseDuration('500ms', '--timeout')).toBe(500);
    expect(parseDuration('2m', '--timeout')).toBe(120_000);
    expect(() => parseDuration('0', '--timeout')).toThrow(UsageError);
    expect(() => parseDuration('soon', '--timeout')).toThrow(UsageError);
  });
});

describe('progress', () => {
  it('computes the rate over the recent window and the time left', () => {
    let now = 0;
    const tracker = new ProgressTracker(10_000, () => now);
    now = 1000;
    let p = tracker.add(1000);
    expect(p).toMatchObject({ bytes: 1000, total: 10_000, rate: 1000, elapsedMs: 1000, done: false });
    expect(p.etaMs).toBe(9000);
    // Faster for a while: the rate follows the last 3 seconds, not the whole run.
    for (let i = 0; i < 4; i++) {
      now += 1000;
      p = tracker.add(2000);
    }
    expect(p.rate).toBe(2000);
    expect(p.etaMs).toBe(500);
    expect(tracker.snapshot(true).done).toBe(true);
  });

  it('has no ETA for an unknown size', () => {
    let now = 0;
    const tracker = new ProgressTracker(undefined, () => now);
    now = 500;
    expect(tracker.add(100)).toMatchObject({ total: undefined, etaMs: undefined, rate: 200 });
  });

  it('formats bytes, durations and a bar', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(100 * 1024 * 1024)).toBe('100 MiB');
    expect(formatDuration(7_400)).toBe('0:07');
    expect(formatDuration(3_909_000)).toBe('1:05:09');
    expect(bar(0.5, 10)).toBe('[#####-----]');
    const line = progressLine('f.bin', { bytes: 1024 * 1024, total: 4 * 1024 * 1024, elapsedMs: 1000, rate: 1024 * 1024, etaMs: 3000, done: false }, 8);
    expect(line).toBe('f.bin [##------]  25%  1.0 MiB/4.0 MiB  1.0 MiB/s  ETA 0:03');
    expect(progressLine('x', { bytes: 2048, total: undefined, elapsedMs: 1, rate: 2048, etaMs: undefined, done: false })).toBe('x 2.0 KiB  2.0 KiB/s');
  });
});

describe('checksums', () => {
  it('compares, or says why the guest side was skipped', () => {
    expect(compareChecksums('ab', { kind: 'ok', sha256: 'ab' })).toEqual({ result: 'match', sha256: 'ab' });
    expect(compareChecksums('ab', { kind: 'ok', sha256: 'cd' })).toEqual({ result: 'mismatch', sha256: 'ab', guestSha256: 'cd' });
    expect(compareChecksums('ab', { kind: 'skipped', reason: 'no exec' })).toEqual({ result: 'skipped', sha256: 'ab', reason: 'no exec' });
  });
});

describe('host side', () => {
  it('puts the temp file next to the destination, hidden and unique', () => {
    const a = tempNameFor('/data/out/file.bin');
    expect(a).toMatch(/^\/data\/out\/\.file\.bin\.qemu-host-[0-9a-f]{8}\.part$/);
    expect(tempNameFor('/data/out/file.bin')).not.toBe(a);
  });

  it('names LOCAL after the guest file unless given', () => {
    expect(localPathFor('/var/log/syslog', undefined)).toBe('syslog');
    expect(localPathFor('C:\\Windows\\win.ini', undefined)).toBe('win.ini');
    expect(localPathFor('/etc/hosts', '/tmp')).toBe('/tmp/hosts');
    expect(localPathFor('/etc/hosts', '/tmp/h.txt')).toBe('/tmp/h.txt');
    expect(() => localPathFor('/', undefined)).toThrow(UsageError);
  });

  it('reads a GUEST_PATH ending in / as a directory', () => {
    expect(guestPathFor('/home/me/a.txt', '/tmp/')).toBe('/tmp/a.txt');
    expect(guestPathFor('a.txt', '/tmp/b.txt')).toBe('/tmp/b.txt');
    expect(() => guestPathFor('-', '/tmp/')).toThrow(UsageError);
  });

  it('decodes base64 given as bytes, in pieces, into the buffer given or a new one', () => {
    for (const length of [0, 1, 2, 3, 49_151, 49_152, 49_153, 1_000_003]) {
      const data = Buffer.from(Array.from({ length }, (_, i) => (i * 7919 + length) % 256));
      const text = Buffer.from(data.toString('base64'), 'latin1');
      const into = Buffer.alloc(length + 16);
      const decoded = decodeBase64Bytes(text, into);
      expect(decoded.equals(data)).toBe(true);
      expect(decoded.buffer).toBe(into.buffer);
      expect(decodeBase64Bytes(text).equals(data)).toBe(true);
      // Too small a buffer: a new one.
      if (length > 3) expect(decodeBase64Bytes(text, Buffer.alloc(1)).equals(data)).toBe(true);
    }
  });

  it('cuts a stream into chunks of exactly the chunk size, the last one shorter', async () => {
    const pieces = [Buffer.alloc(3, 1), Buffer.alloc(10, 2), Buffer.alloc(1, 3)];
    const sizes: number[] = [];
    const joined: Buffer[] = [];
    for await (const chunk of streamSource(Readable.from(pieces)).chunks(4)) {
      sizes.push(chunk.length);
      joined.push(Buffer.from(chunk));
    }
    expect(sizes).toEqual([4, 4, 4, 2]);
    expect(Buffer.concat(joined)).toEqual(Buffer.concat(pieces));
  });
});
