import { describe, expect, it } from 'vitest';
import { layoutVerb } from '../../../src/ui/shell/verbs/verb-layout.js';
import type { ExecOutcome, VerbItem } from '../../../src/ui/shell/verbs/verb-item.js';
import { plain } from '../../../src/ui/text/styled-line.js';
import { SeriesTracker } from '../../../src/verbs/watch/series.js';
import { samplesOf } from '../../../src/verbs/watch/samples.js';

// Local time, so the clock on the title reads 10:52:03 in any time zone.
const start = new Date(2026, 0, 2, 10, 52, 3).getTime();
const base = { kind: 'verb' as const, id: 1, startedAt: start, elapsedMs: 5400 };
const lines = (item: VerbItem, width = 80, expanded = false): string[] => layoutVerb(item, { width, expanded }).map(plain);
const outcome = (o: Partial<ExecOutcome>): ExecOutcome => ({
  ended: 'exited', exited: true, exitCode: 0, stdout: '', stderr: '', stdoutBytes: 0, stderrBytes: 0,
  stdoutBinary: false, stderrBinary: false, stdoutTruncated: false, stderrTruncated: false, ...o,
});

describe(':exec entries', () => {
  it('while running: the pid and the time it has run, and how to stop it', () => {
    expect(lines({ ...base, verb: 'exec', line: ':exec sleep 30', phase: 'running', body: { verb: 'exec', command: 'sleep 30', pid: 4242 } })).toEqual([
      '❯ :exec sleep 30                                       running · 0:05 · 10:52:03',
      '  pid 4242 · running 0:05 · the output comes when it exits · Ctrl+C stops it',
    ]);
    expect(lines({ ...base, verb: 'exec', line: ':exec sleep 30', phase: 'stopping', body: { verb: 'exec', command: 'sleep 30', pid: 4242 } })).toEqual([
      '❯ :exec sleep 30                                      stopping · 0:05 · 10:52:03',
      '  pid 4242 · stopping: killing it and its children in the guest…',
    ]);
  });

  it('at the end: the exit code on the title, stdout and stderr apart, and the truncation flags', () => {
    const item: VerbItem = {
      ...base, verb: 'exec', line: ":exec --shell 'echo out; echo err >&2; exit 3'", phase: 'done', elapsedMs: 12.3,
      body: { verb: 'exec', command: 'sh -c …', pid: 7, outcome: outcome({ exitCode: 3, stdout: 'out\n', stderr: 'err\n', stdoutBytes: 4, stderrBytes: 4, stdoutTruncated: true }) },
    };
    expect(lines(item)).toEqual([
      "❯ :exec --shell 'echo out; echo err >&2; exit 3'     exit 3 · 12.3 ms · 10:52:03",
      '  stdout · 1 line · 4 B',
      '  │ out',
      '  stderr · 1 line · 4 B',
      '  │ err',
      '  ! stdout was TRUNCATED by the guest agent (it keeps 16 MiB): the rest is lost',
    ]);
  });

  it('a signal, a stop with Ctrl+C, no output, and output that is not UTF-8', () => {
    const killed: VerbItem = {
      ...base, verb: 'exec', line: ':exec sleep 30', phase: 'cancelled', elapsedMs: 2849,
      body: { verb: 'exec', command: 'sleep 30', pid: 42, outcome: outcome({ ended: 'interrupted', exitCode: undefined, signal: 9, end: 'interrupted: guest process 42 was stopped with signal 9 (SIGKILL)' }) },
    };
    expect(lines(killed)).toEqual([
      '❯ :exec sleep 30                                    stopped · 2849 ms · 10:52:03',
      '  ! interrupted: guest process 42 was stopped with signal 9 (SIGKILL)',
      '  pid 42 · no output',
    ]);
    const binary: VerbItem = { ...killed, phase: 'done', line: ':exec cat /bin/true', body: { verb: 'exec', command: 'cat', pid: 5, outcome: outcome({ ended: 'signalled', signal: 15, end: 'guest process 5 was killed by signal 15 (SIGTERM)', stdout: '\u007fELF\ufffd', stdoutBytes: 5, stdoutBinary: true }) } };
    expect(lines(binary)).toEqual([
      '❯ :exec cat /bin/true                     killed by SIGTERM · 2849 ms · 10:52:03',
      '  ! guest process 5 was killed by signal 15 (SIGTERM)',
      '  stdout · 1 line · 5 B',
      '  │ \\x7fELF\ufffd',
      '  stdout is not UTF-8 text: bytes that are not show as �',
    ]);
  });

  it('long output is folded to its first lines until Ctrl+X', () => {
    const stdout = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n');
    const item: VerbItem = { ...base, verb: 'exec', line: ':exec seq', phase: 'done', elapsedMs: 3, body: { verb: 'exec', command: 'seq', pid: 1, outcome: outcome({ stdout, stdoutBytes: stdout.length }) } };
    const folded = lines(item);
    expect(folded).toHaveLength(1 + 16 + 1);
    expect(folded.at(-2)).toBe('  │ line 15');
    expect(folded.at(-1)).toBe('  … 15 more lines · Ctrl+X expands');
    expect(lines(item, 80, true)).toHaveLength(1 + 1 + 30);
  });

  it('a refusal: the message and its hint', () => {
    const item: VerbItem = {
      ...base, verb: 'exec', line: ':exec ls', phase: 'failed', elapsedMs: 1, errorClass: 'CommandNotFound',
      message: "guest-exec is disabled by the guest agent's policy, so nothing can be run in the guest", hint: 'Remove it from -b.',
      body: { verb: 'exec', command: 'ls' },
    };
    expect(lines(item)).toEqual([
      '❯ :exec ls                                            failed · 1.0 ms · 10:52:03',
      "  ✗ CommandNotFound: guest-exec is disabled by the guest agent's policy, so",
      '    nothing can be run in the guest',
      '    Remove it from -b.',
    ]);
  });
});

describe(':get and :put entries', () => {
  const progress = { bytes: 3 * 1024 * 1024, total: 8 * 1024 * 1024, elapsedMs: 1000, rate: 3 * 1024 * 1024, etaMs: 1700, done: false };

  it('while copying: from and to, the bar with percent, bytes, rate and ETA', () => {
    expect(lines({ ...base, verb: 'get', line: ':get /var/log/big', phase: 'running', body: { verb: 'get', from: 'guest:/var/log/big', to: '/home/u/big', handle: 1000, verifying: false, progress } })).toEqual([
      '❯ :get /var/log/big                                    running · 0:05 · 10:52:03',
      '  guest:/var/log/big → /home/u/big · guest handle 1000',
      '  reading [########------------]  37%  3.0 MiB/8.0 MiB  3.0 MiB/s  ETA 0:02',
      '  Ctrl+C stops it',
    ]);
  });

  it('at the end: the summary, the checksum verdict and where it was saved', () => {
    const sha = 'a'.repeat(64);
    const done = { ...progress, bytes: 8 * 1024 * 1024, etaMs: 0, done: true };
    const result = { direction: 'get' as const, guestPath: '/var/log/big', local: '/home/u/big', bytes: 8 * 1024 * 1024, ms: 2000, handle: 1000, saved: true, check: { result: 'match' as const, sha256: sha } };
    expect(lines({ ...base, verb: 'get', line: ':get /var/log/big', phase: 'done', elapsedMs: 2100, body: { verb: 'get', from: 'guest:/var/log/big', to: '/home/u/big', handle: 1000, verifying: false, progress: done, result } }, 120)).toEqual([
      '❯ :get /var/log/big                                                                            done · 2100 ms · 10:52:03',
      '  guest:/var/log/big → /home/u/big · guest handle 1000',
      '  reading [########################################] 100%  8.0 MiB/8.0 MiB  3.0 MiB/s  ETA 0:00',
      '  ✓ got 8.0 MiB in 0:02 (4.0 MiB/s) · guest handle 1000 closed',
      `  ✓ sha256 ${sha} matches the guest's copy`,
      '  ✓ saved to /home/u/big',
    ]);
    const mismatch = { ...result, saved: false, check: { result: 'mismatch' as const, sha256: sha, guestSha256: 'b'.repeat(64) } };
    expect(lines({ ...base, verb: 'get', line: ':get /x', phase: 'failed', elapsedMs: 2100, body: { verb: 'get', from: 'guest:/x', to: '/h/x', verifying: false, result: mismatch } }, 200).slice(2)).toEqual([
      '  ✓ got 8.0 MiB in 0:02 (4.0 MiB/s) · guest handle 1000 closed',
      `  ✗ CHECKSUM MISMATCH: host ${sha}, guest ${'b'.repeat(64)}`,
      '    Nothing was saved to /home/u/big. Did the guest file change during the copy? Try again.',
    ]);
  });

  it('a stopped :put says how much of the guest file was written', () => {
    const item: VerbItem = {
      ...base, verb: 'put', line: ':put big /tmp/big', phase: 'cancelled', elapsedMs: 700,
      message: 'interrupted; /tmp/big in the guest is incomplete (1048576 bytes written of 8388608)',
      body: { verb: 'put', from: '/h/big', to: 'guest:/tmp/big', handle: 1003, verifying: false, progress: { ...progress, bytes: 1024 * 1024 } },
    };
    expect(lines(item)).toEqual([
      '❯ :put big /tmp/big                                  stopped · 700 ms · 10:52:03',
      '  /h/big → guest:/tmp/big · guest handle 1003',
      '  writing [###-----------------]  12%  1.0 MiB/8.0 MiB  3.0 MiB/s  ETA 0:02',
      '  ✗ interrupted; /tmp/big in the guest is incomplete (1048576 bytes written of',
      '    8388608)',
    ]);
  });
});

describe(':watch, :info and :freeze entries', () => {
  it(':watch shows the latest tick and a sparkline per series', () => {
    const tracker = new SeriesTracker();
    tracker.push(0, samplesOf('guest-get-load', { load1: 0.5, load5: 0.25, load15: 0.1 }));
    const series = tracker.push(1000, samplesOf('guest-get-load', { load1: 1.5, load5: 0.5, load15: 0.2 }));
    const item: VerbItem = { ...base, verb: 'watch', line: ':watch guest-get-load --every 1', phase: 'running', body: { verb: 'watch', command: 'guest-get-load --every 1', everyMs: 1000, tick: { n: 2, at: start + 2000, ms: 0.42, series } } };
    expect(lines(item)).toEqual([
      '❯ :watch guest-get-load --every 1                     watching · 0:05 · 10:52:03',
      '  #2 · every 1 s · 0.42 ms · 10:52:05 · Ctrl+C or Esc stops',
      `  load1   ${' '.repeat(52)}▃█  1.50`,
      `  load5   ${' '.repeat(52)}▅█  0.50`,
      `  load15  ${' '.repeat(52)}▅█  0.20`,
    ]);
    expect(lines({ ...item, phase: 'cancelled', elapsedMs: 2000 })[1]).toBe('  2 calls · every 1 s · last at 10:52:05');
  });

  it(':watch of a command without numbers shows its reply', () => {
    const item: VerbItem = { ...base, verb: 'watch', line: ':watch guest-get-host-name', phase: 'running', body: { verb: 'watch', command: 'guest-get-host-name', everyMs: 2000, tick: { n: 1, at: start, ms: 1, series: [], value: { 'host-name': 'lab' } } } };
    expect(lines(item).slice(1)).toEqual(['  #1 · every 2 s · 1.0 ms · 10:52:03 · Ctrl+C or Esc stops', '  {', '    "host-name": "lab"', '  }']);
  });

  it(':info asks step by step, then shows the overview with its sections', () => {
    expect(lines({ ...base, verb: 'info', line: ':info', phase: 'running', body: { verb: 'info', step: { command: 'guest-get-fsinfo', index: 10, count: 14 } } })[1]).toBe('  asking guest-get-fsinfo (11/14)…');
    const text = 'Host name    qh-lab\nAgent        qemu-ga 7.2.22, 42 commands, 2 disabled (by policy, or not for this OS): guest-shutdown, guest-set-time\n\nDisks\nNAME      TYPE\n/dev/vda  disk\n\nNot shown\n  guest-get-load: not in this agent\n';
    expect(lines({ ...base, verb: 'info', line: ':info', phase: 'done', elapsedMs: 30, body: { verb: 'info', text } })).toEqual([
      '❯ :info                                                done · 30.0 ms · 10:52:03',
      '  Host name    qh-lab',
      '  Agent        qemu-ga 7.2.22, 42 commands, 2 disabled (by policy, or not for',
      '               this OS): guest-shutdown, guest-set-time',
      '',
      '  Disks',
      '  NAME      TYPE',
      '  /dev/vda  disk',
      '',
      '  Not shown',
      '    guest-get-load: not in this agent',
    ]);
  });

  it(':freeze and :thaw say what happened and for how long', () => {
    expect(lines({ ...base, verb: 'freeze', line: ':freeze', phase: 'done', elapsedMs: 30, body: { verb: 'freeze', what: 'every guest filesystem', count: 1 } }).slice(0, 2)).toEqual([
      '❯ :freeze                                              done · 30.0 ms · 10:52:03',
      '  ✓ froze 1 filesystem · the status bar shows FROZEN until they are thawed',
    ]);
    expect(lines({ ...base, verb: 'thaw', line: ':thaw', phase: 'done', elapsedMs: 3, body: { verb: 'thaw', what: 'x', count: 2, frozenForMs: 12_340 } })[1]).toBe('  ✓ thawed 2 filesystems after 12.3 s frozen');
    expect(lines({ ...base, verb: 'thaw', line: ':thaw', phase: 'done', elapsedMs: 3, body: { verb: 'thaw', what: 'x', count: 0 } })[1]).toBe('  ✓ nothing was frozen');
  });
});
