// The pure parts of replay: differences between two replies, reply paths and --ignore
// patterns, and the readable report.
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../src/protocol/json.js';
import { diffJson } from '../../../src/verbs/transcript/json-diff.js';
import { formatPath, parsePattern, patternCovers } from '../../../src/verbs/transcript/json-path.js';
import { callReport, replayExitCode, summaryReport } from '../../../src/verbs/transcript/replay-report.js';
import type { ReplayedCall, ReplaySummary } from '../../../src/verbs/transcript/replay-types.js';
import { ValueMap } from '../../../src/verbs/transcript/value-map.js';

describe('diffJson', () => {
  it('finds nothing between equal replies, integers compared by value whatever their type', () => {
    expect(diffJson({ return: { a: [1, { b: 'x' }], t: 1796298563446639000n } }, { return: { a: [1, { b: 'x' }], t: 1796298563446639000n } })).toEqual([]);
    expect(diffJson({ return: 5 }, { return: 5n })).toEqual([]);
    expect(diffJson({ return: 1796298563446639000n }, { return: 1796298563446639001n })).toEqual([
      { path: ['return'], change: 'changed', recorded: 1796298563446639000n, replayed: 1796298563446639001n },
    ]);
  });

  it('reports the deepest path that differs, and members or items only one side has', () => {
    const recorded: JsonValue = { return: [{ name: 'eth0', mtu: 1500 }, { name: 'lo' }], extra: true };
    const replayed: JsonValue = { return: [{ name: 'eth0', mtu: 9000, up: true }] };
    expect(diffJson(recorded, replayed)).toEqual([
      { path: ['return', 0, 'mtu'], change: 'changed', recorded: 1500, replayed: 9000 },
      { path: ['return', 0, 'up'], change: 'added', replayed: true },
      { path: ['return', 1], change: 'removed', recorded: { name: 'lo' } },
      { path: ['extra'], change: 'removed', recorded: true },
    ]);
  });

  it('treats a change of shape as one change at that path', () => {
    expect(diffJson({ return: {} }, { error: { class: 'GenericError', desc: 'no' } })).toEqual([
      { path: ['return'], change: 'removed', recorded: {} },
      { path: ['error'], change: 'added', replayed: { class: 'GenericError', desc: 'no' } },
    ]);
    expect(diffJson({ return: [1] }, { return: { 0: 1 } })).toEqual([{ path: ['return'], change: 'changed', recorded: [1], replayed: { 0: 1 } }]);
    expect(diffJson({ return: null }, { return: null })).toEqual([]);
  });
});

describe('reply paths and --ignore patterns', () => {
  it('writes paths with dots and indexes, quoting keys that need it', () => {
    expect(formatPath(['return', 0, 'ip-addresses', 2, 'prefix'])).toBe('return[0].ip-addresses[2].prefix');
    expect(formatPath(['return', 'a.b'])).toBe('return["a.b"]');
    expect(formatPath([])).toBe('(the whole reply)');
  });

  it('matches a path and everything under it, for one command or all', () => {
    const stats = parsePattern('guest-network-get-interfaces:return[*].statistics');
    expect(stats.command).toBe('guest-network-get-interfaces');
    expect(patternCovers(stats, 'guest-network-get-interfaces', ['return', 3, 'statistics', 'rx-bytes'])).toBe(true);
    expect(patternCovers(stats, 'guest-network-get-interfaces', ['return', 3, 'name'])).toBe(false);
    expect(patternCovers(stats, 'guest-info', ['return', 3, 'statistics'])).toBe(false);
    const pid = parsePattern('return.pid');
    expect(pid.command).toBeUndefined();
    expect(patternCovers(pid, 'guest-exec', ['return', 'pid'])).toBe(true);
    expect(patternCovers(pid, 'guest-exec', ['return'])).toBe(false);
    expect(patternCovers(parsePattern('return.*.used-bytes'), 'x', ['return', 'sda', 'used-bytes'])).toBe(true);
    expect(patternCovers(parsePattern('return.*.used-bytes'), 'x', ['return', 0, 'used-bytes'])).toBe(false);
    expect(patternCovers(parsePattern('return[1]'), 'x', ['return', 1, 'a'])).toBe(true);
    expect(patternCovers(parsePattern('return["a.b"]'), 'x', ['return', 'a.b'])).toBe(true);
  });

  it('refuses patterns it cannot read, saying how to write one', () => {
    expect(() => parsePattern('return..pid')).toThrow(/--ignore return\.\.pid: cannot read the path at "\.\.pid"/);
    expect(() => parsePattern('guest-info:')).toThrow(/the path is empty/);
    expect(() => parsePattern('.return')).toThrow(/does not start with a dot/);
  });
});

describe('handles and pids', () => {
  it('pairs a recorded handle with the replayed one and rewrites the requests that name it', () => {
    const values = new ValueMap();
    expect(values.learn('guest-file-open', { return: 1000 }, { return: 1004 })).toEqual({ kind: 'handle', recorded: 1000, replayed: 1004 });
    expect(values.rewrite('guest-file-read', { handle: 1000, count: 10 })).toEqual({ args: { handle: 1004, count: 10 }, mapped: { kind: 'handle', recorded: 1000, replayed: 1004 } });
    expect(values.rewrite('guest-file-close', { handle: 999 })).toEqual({ args: { handle: 999 }, unknown: { kind: 'handle', value: 999 } });
    expect(values.learn('guest-exec', { return: { pid: 41 } }, { return: { pid: 77 } })).toEqual({ kind: 'pid', recorded: 41, replayed: 77 });
    expect(values.rewrite('guest-exec-status', { pid: 41 }).args).toEqual({ pid: 77 });
    // A handle is not a pid.
    expect(values.rewrite('guest-exec-status', { pid: 1000 }).unknown).toEqual({ kind: 'pid', value: 1000 });
    expect(values.rewrite('guest-info', undefined)).toEqual({ args: undefined });
    expect(values.learn('guest-file-open', { return: 1000 }, { error: { class: 'GenericError', desc: 'x' } })).toBeUndefined();
  });
});

describe('the replay report', () => {
  const base: ReplayedCall = {
    lineNo: 7, seq: 3, execute: 'guest-file-read', outcome: 'differs', recordedStatus: 'ok', replayedStatus: 'ok',
    differences: [], ignored: [], mapped: [], notes: [], recordedMs: 0.5, replayedMs: 0.4,
  };

  it('shows every differing path with both values, shortening long ones with where they part', () => {
    const long = 'A'.repeat(150);
    const lines = callReport({
      ...base,
      differences: [
        { path: 'return.buf-b64', change: 'changed', recorded: `${long}B`, replayed: `${long}C` },
        { path: 'return.eof', change: 'removed', recorded: true },
      ],
      ignored: [{ path: 'return.count', change: 'changed', recorded: 1, replayed: 2, by: '--ignore return.count' }],
      mapped: [{ kind: 'handle', recorded: 1000, replayed: 1003 }],
      notes: ['a note'],
    });
    expect(lines[0]).toBe('line 7  guest-file-read  DIFFERS  (handle 1000 → 1003)');
    expect(lines[1]).toBe(`    return.buf-b64: recorded "${'A'.repeat(99)}… (153 characters)`);
    expect(lines[2]).toMatch(/^ +replayed "A+… \(153 characters\)$/);
    expect(lines[3]).toMatch(/^ +\(they first differ at character 150\)$/);
    expect(lines[4]).toBe('    return.eof: only in the recording: true');
    expect(lines[5]).toBe('    ignored return.count: recorded 1 [--ignore return.count]');
    expect(lines[6]).toMatch(/^ +replayed 2$/);
    expect(lines[7]).toBe('    note: a note');
  });

  it('sums up, and exits 3 when the agent was lost, 1 when anything differs, 0 otherwise', () => {
    const summary: ReplaySummary = { calls: 5, same: 3, volatile: 1, differs: 0, skipped: 1, failed: 0, notRun: 0 };
    expect(summaryReport(summary)).toEqual(['5 calls: 3 same, 1 same but for volatile parts, 0 differ, 1 skipped']);
    expect(replayExitCode(summary)).toBe(0);
    expect(replayExitCode({ ...summary, differs: 1 })).toBe(1);
    const lost = { ...summary, failed: 1, notRun: 2, stoppedBy: { class: 'ConnectionLost', desc: 'the agent went away' } };
    expect(replayExitCode(lost)).toBe(3);
    expect(summaryReport(lost)).toEqual(['5 calls: 3 same, 1 same but for volatile parts, 0 differ, 1 skipped, 1 failed, 2 not run', 'stopped early: the agent went away']);
  });
});
