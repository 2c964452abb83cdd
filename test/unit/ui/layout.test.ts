import { describe, expect, it } from 'vitest';
import { FOLD_ABOVE, FOLDED_SHOWS, layoutCall } from '../../../src/ui/history/call-layout.js';
import type { CallItem } from '../../../src/ui/history/history-item.js';
import { decodeBase64View } from '../../../src/ui/text/base64-view.js';
import { jsonLines } from '../../../src/ui/text/json-lines.js';
import { plain, seg, textLines, wrapLine, wrapWords } from '../../../src/ui/text/styled-line.js';
import { textWidth, truncate, visible } from '../../../src/ui/text/width.js';

const text = (lines: { text: string }[][]): string[] => lines.map((l) => l.map((s) => s.text).join(''));

function call(over: Partial<CallItem>): CallItem {
  return {
    kind: 'call', id: 1, command: 'guest-ping', line: 'guest-ping', request: { execute: 'guest-ping', id: 'qh-1' },
    origin: 'user', status: 'ok', value: {}, ms: 0.42, startedAt: new Date(2026, 0, 2, 3, 4, 5).getTime(), base64Members: [], ...over,
  };
}

describe('layoutCall', () => {
  const view = { width: 60, raw: false, expanded: false };

  it('shows the line, status, time, the request sent and the reply', () => {
    expect(text(layoutCall(call({}), view))).toEqual([
      '❯ guest-ping                         ok · 0.42 ms · 03:04:05',
      '  → {"execute":"guest-ping","id":"qh-1"}',
      '  {}',
    ]);
  });

  it('words every way a call can end', () => {
    const lines = (over: Partial<CallItem>) => text(layoutCall(call(over), view)).slice(2);
    expect(lines({ status: 'pending', ms: undefined })).toEqual(['  … waiting for the reply · Ctrl+C cancels']);
    expect(lines({ status: 'no-reply', detail: 'sent, no reply expected: the agent accepted it' })).toEqual(['  ✓ sent, no reply expected: the agent accepted it']);
    expect(lines({ status: 'agent-error', errorClass: 'GenericError', message: 'open failed', hint: 'Check the path.' })).toEqual(['  ✗ GenericError: open failed', '    Check the path.']);
    expect(lines({ status: 'timeout', message: 'no reply to guest-ping within 1000 ms' })).toEqual(['  ✗ no reply to guest-ping within 1000 ms']);
    expect(text(layoutCall(call({ status: 'timeout', message: 'x' }), view))[0]).toContain('timed out · 0.42 ms');
    expect(lines({ status: 'cancelled', message: 'guest-ping was cancelled; the agent may still run it' })).toEqual(['  ✗ guest-ping was cancelled; the agent may still run it']);
  });

  it('folds a large reply to its first lines and says how to expand it', () => {
    const big = call({ value: Array.from({ length: 40 }, (_, i) => i) });
    const folded = text(layoutCall(big, view));
    expect(folded.length).toBe(2 + FOLDED_SHOWS + 1);
    expect(folded.at(-1)).toBe(`  … ${42 - FOLDED_SHOWS} more lines · Ctrl+X expands`);
    expect(text(layoutCall(big, { ...view, expanded: true })).length).toBe(2 + 42);
    expect(42).toBeGreaterThan(FOLD_ABOVE);
  });

  it('lays out only the start of a huge reply, and says it goes on', () => {
    const text6m = 'a line of a big guest file\n'.repeat(240_000);
    const read = call({ command: 'guest-file-read', value: { count: text6m.length, 'buf-b64': Buffer.from(text6m).toString('base64'), eof: false }, base64Members: ['buf-b64'] });
    const folded = text(layoutCall(read, view));
    expect(folded[4]).toBe(`    "buf-b64": ‹${text6m.length} bytes, decoded text›,`);
    expect(folded.at(-1)).toBe('  … more than 4,984 more lines · Ctrl+X expands');
    const expanded = text(layoutCall(read, { ...view, expanded: true }));
    expect(expanded.length).toBe(2 + 5000 + 1);
    expect(expanded.at(-1)).toBe('  … the reply goes on past 5,000 lines; save it whole with call --json (or get for files)');
    const raw = text(layoutCall(read, { ...view, raw: true, expanded: true }));
    expect(raw.length).toBe(2 + 5000 + 1);
  });

  it('folds what the shell sent by itself to one line', () => {
    expect(text(layoutCall(call({ origin: 'shell', line: 'guest-info' }), view)).slice(1)).toEqual(['  sent by the shell to learn what this agent supports · Ctrl+X shows it']);
  });

  it('shows base64 members decoded, or raw on request', () => {
    const read = call({ command: 'guest-file-read', value: { count: 6, 'buf-b64': Buffer.from('hello\n').toString('base64'), eof: true }, base64Members: ['buf-b64'] });
    expect(text(layoutCall(read, view)).slice(2)).toEqual(['  {', '    "count": 6,', '    "buf-b64": ‹6 bytes, decoded text›,', '    │ hello', '    "eof": true', '  }']);
    expect(text(layoutCall(read, { ...view, raw: true }))[4]).toBe('    "buf-b64": "aGVsbG8K",');
  });
});

describe('jsonLines', () => {
  it('colours keys, strings, numbers and literals, keeping big integers exact', () => {
    const lines = jsonLines({ n: 18446744073709551615n, s: 'x', b: false, z: null, e: [], o: {} });
    expect(text(lines)).toEqual(['{', '  "n": 18446744073709551615,', '  "s": "x",', '  "b": false,', '  "z": null,', '  "e": [],', '  "o": {}', '}']);
    expect(lines[1]!.map((s) => s.role)).toEqual(['text', 'json-key', 'json-punct', 'json-number', 'json-punct']);
    expect(lines[3]!.find((s) => s.text === 'false')!.role).toBe('json-literal');
  });
});

describe('decodeBase64View', () => {
  it('shows text as text and binary as a hex dump', () => {
    expect(decodeBase64View(Buffer.from('a\nb\n').toString('base64'), '').summary).toBe('4 bytes, decoded text');
    const bin = decodeBase64View(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]).toString('base64'), '');
    expect(bin.summary).toBe('8 bytes, binary');
    expect(text(bin.lines)).toEqual([`│ 00000000  ${'7f 45 4c 46 00 01 02 03'.padEnd(47)}  .ELF....`]);
  });
});

describe('safe display of untrusted text', () => {
  it('never writes control characters: escape sequences from the guest are shown, not obeyed', () => {
    expect(visible('a\u001b[31mred\u0007\u009b')).toBe('a␛[31mred\\x07\\x9b');
    const [line] = wrapLine([seg('host: \u001b]0;pwned\u0007')], 80);
    expect(plain(line!)).toBe('host: ␛]0;pwned\\x07');
    expect(text(decodeBase64View(Buffer.from('ok \u001b[2J\n').toString('base64'), '').lines)).toEqual(['│ ok ␛[2J']);
  });

  it('measures wide characters and truncates to cells', () => {
    expect(textWidth('日本')).toBe(4);
    expect(truncate('guest-file-open', 8)).toBe('guest-f…');
    expect(truncate('日本語', 5)).toBe('日本…');
  });

  it('wraps prose at spaces and long words where it must', () => {
    expect(wrapWords('the quick brown fox', 10)).toEqual(['the quick', 'brown fox']);
    expect(wrapWords('abcdefghijkl', 5)).toEqual(['abcde', 'fghij', 'kl']);
    expect(text(textLines('one two three', 9, 'text', '- '))).toEqual(['- one two', '  three']);
  });
});
