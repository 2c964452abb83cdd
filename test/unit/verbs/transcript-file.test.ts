// The transcript file on disk: private, appended, never another file; and reading it back,
// including a last line cut short by a crash.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringifyJson } from '../../../src/protocol/json.js';
import type { CallLine, HeaderLine } from '../../../src/verbs/transcript/format.js';
import { TranscriptReader, type TranscriptEntry } from '../../../src/verbs/transcript/read-transcript.js';
import { TranscriptFile } from '../../../src/verbs/transcript/transcript-file.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'qh-transcript-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const header: HeaderLine = {
  type: 'header', format: 'qemu-host-transcript', version: 1, tool: 'qemu-host 0.1.0', mode: 'call',
  endpoint: 'unix:/tmp/qga.sock', startedAt: '2025-01-01T00:00:00.000Z', time: 1735689600000,
};
const call = (seq: number): CallLine => ({
  type: 'call', seq, execute: 'guest-get-time', startedAt: 1735689600001, ms: 0.25, status: 'ok',
  request: { execute: 'guest-get-time', id: `qh-1-${seq}` }, reply: { return: 1796298563446639000n, id: `qh-1-${seq}` },
});

async function readAll(file: string): Promise<{ entries: TranscriptEntry[]; notes: string[] }> {
  const reader = new TranscriptReader(file);
  const entries: TranscriptEntry[] = [];
  for await (const entry of reader.entries()) entries.push(entry);
  return { entries, notes: reader.notes };
}

describe('TranscriptFile', () => {
  it('creates the file private (0600) and appends one line per write, integers exact', async () => {
    const file = path.join(dir, 'run.jsonl');
    const t = TranscriptFile.open(file);
    t.write(header);
    t.write(call(1));
    t.close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')).toHaveLength(3);
    expect(text).toContain('"return":1796298563446639000,');
    // A second run is appended after the first, never over it.
    const again = TranscriptFile.open(file);
    again.write(header);
    again.write(call(1));
    again.close();
    const { entries } = await readAll(file);
    expect(entries.map((e) => e.kind)).toEqual(['header', 'call', 'header', 'call']);
    expect((entries[1]!.line as CallLine).reply).toEqual({ return: 1796298563446639000n, id: 'qh-1-1' });
  });

  it('makes an existing transcript that others could read private again, and says so', () => {
    const file = path.join(dir, 'shared.jsonl');
    writeFileSync(file, `${stringifyJson(header)}\n`);
    chmodSync(file, 0o644);
    const t = TranscriptFile.open(file);
    expect(t.notes).toEqual([`made ${file} private (mode 0600; it was 0644)`]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    t.close();
  });

  it('refuses a file that is not a transcript, a directory and a symbolic link, writing nothing', () => {
    const other = path.join(dir, 'notes.txt');
    writeFileSync(other, 'my notes\n');
    expect(() => TranscriptFile.open(other)).toThrow(/exists and is not a qemu-host transcript; nothing was written/);
    expect(readFileSync(other, 'utf8')).toBe('my notes\n');
    expect(() => TranscriptFile.open(dir)).toThrow(/--record .*: (cannot open it for writing|not a regular file)/);
    const link = path.join(dir, 'link.jsonl');
    symlinkSync(other, link);
    expect(() => TranscriptFile.open(link)).toThrow(/symbolic link, which --record does not follow/);
    expect(() => TranscriptFile.open(path.join(dir, 'missing', 'x.jsonl'))).toThrow(/cannot open it for writing: ENOENT/);
  });

  it('removes a file it created when nothing was recorded into it', () => {
    const file = path.join(dir, 'unused.jsonl');
    TranscriptFile.open(file).close();
    expect(existsSync(file)).toBe(false);
  });
});

describe('TranscriptReader', () => {
  it('skips a last line cut short by a crash, with a note', async () => {
    const file = path.join(dir, 'cut.jsonl');
    writeFileSync(file, `${stringifyJson(header)}\n${stringifyJson(call(1))}\n${stringifyJson(call(2)).slice(0, 40)}`);
    const { entries, notes } = await readAll(file);
    expect(entries.map((e) => e.kind)).toEqual(['header', 'call']);
    expect(notes).toEqual(['line 3 is cut short (the recording stopped while writing it); it was skipped']);
  });

  it('refuses a broken line in the middle, a file that is not a transcript, and a newer format', async () => {
    const broken = path.join(dir, 'broken.jsonl');
    writeFileSync(broken, `${stringifyJson(header)}\n{"type":"call",\n${stringifyJson(call(2))}\n`);
    await expect(readAll(broken)).rejects.toThrow(/line 2 is not a transcript line/);
    const plain = path.join(dir, 'plain.jsonl');
    writeFileSync(plain, '{"return": {}}\n');
    await expect(readAll(plain)).rejects.toThrow(/is not a qemu-host transcript: line 1 is not a header line/);
    const newer = path.join(dir, 'newer.jsonl');
    writeFileSync(newer, `${stringifyJson({ ...header, version: 2 })}\n`);
    await expect(readAll(newer)).rejects.toThrow(/format version 2; this qemu-host reads version 1/);
    const empty = path.join(dir, 'empty.jsonl');
    writeFileSync(empty, '');
    await expect(readAll(empty)).rejects.toThrow(/holds no transcript/);
    await expect(readAll(path.join(dir, 'absent.jsonl'))).rejects.toThrow(/cannot read .*absent\.jsonl/);
    const badCall = path.join(dir, 'bad-call.jsonl');
    writeFileSync(badCall, `${stringifyJson(header)}\n${stringifyJson({ ...call(1), status: 'maybe' })}\n`);
    await expect(readAll(badCall)).rejects.toThrow(/line 2 is not a transcript line \(a call line with status maybe\)/);
  });

  it('skips lines of types it does not know, saying so, and those replay has no use for, silently', async () => {
    const file = path.join(dir, 'future.jsonl');
    const lines = [header, { type: 'state', at: 1, state: 'synced' }, { type: 'hologram', at: 2 }, call(1), { type: 'end', at: 3, calls: 1 }];
    writeFileSync(file, lines.map((l) => stringifyJson(l)).join('\n') + '\n');
    const { entries, notes } = await readAll(file);
    expect(entries.map((e) => e.kind)).toEqual(['header', 'call']);
    expect(notes).toEqual(['lines of types this version does not know were skipped: hologram']);
  });
});
