// watch's arithmetic: samples per command, counters to rates, ratios to percentages, resets
// and gaps, capacity, sparklines, the read-only rule and the text rows.
import { describe, expect, it } from 'vitest';
import { AgentError, UsageError } from '../../../src/protocol/errors.js';
import { checkWatchable, isReadOnly } from '../../../src/verbs/watch/read-only.js';
import { samplesOf } from '../../../src/verbs/watch/samples.js';
import { SeriesTracker } from '../../../src/verbs/watch/series.js';
import { sparkline } from '../../../src/verbs/watch/sparkline.js';
import { formatValue, seriesRows, tickLines } from '../../../src/verbs/watch/watch-text.js';

const cpu = (n: number, user: number, idle: number, extra: Record<string, number> = {}) => ({
  type: 'linux', cpu: n, user, nice: 0, system: 0, idle, iowait: 0, irq: 0, softirq: 0, steal: 0, guest: 0, guestnice: 0, ...extra,
});

describe('samples', () => {
  it('cpustats: busy over total per CPU, and over all CPUs; guest time is not counted twice', () => {
    const s = samplesOf('guest-get-cpustats', [cpu(0, 10, 90, { guest: 5, iowait: 3 }), cpu(1, 20, 80)]);
    expect(s).toEqual([
      { key: 'cpu', label: 'all cpus busy', unit: '%', kind: 'ratio', numerator: 30, denominator: 203 },
      { key: 'cpu0', label: 'cpu0 busy', unit: '%', kind: 'ratio', numerator: 10, denominator: 103 },
      { key: 'cpu1', label: 'cpu1 busy', unit: '%', kind: 'ratio', numerator: 20, denominator: 100 },
    ]);
  });

  it('diskstats: bytes from 512-byte sectors and I/O counts; idle devices left out', () => {
    const s = samplesOf('guest-get-diskstats', [
      { name: 'loop0', major: 7, minor: 0, stats: { 'read-ios': 0, 'write-ios': 0, 'read-sectors': 0, 'write-sectors': 0 } },
      { name: 'vda', major: 252, minor: 0, stats: { 'read-ios': 4, 'write-ios': 6, 'read-sectors': 8, 'write-sectors': 2 } },
    ]);
    expect(s).toEqual([
      { key: 'vda.read', label: 'vda read', unit: 'B/s', kind: 'rate', counter: 4096 },
      { key: 'vda.write', label: 'vda write', unit: 'B/s', kind: 'rate', counter: 1024 },
      { key: 'vda.iops', label: 'vda I/O', unit: 'ops/s', kind: 'rate', counter: 10 },
    ]);
  });

  it('load, filesystem use and network counters', () => {
    expect(samplesOf('guest-get-load', { load1: 0.5, load5: 0.25, load15: 0.125 }).map((s) => s.kind === 'gauge' && s.value)).toEqual([0.5, 0.25, 0.125]);
    expect(samplesOf('guest-get-fsinfo', [
      { mountpoint: '/var', 'total-bytes': 200, 'used-bytes': 50 },
      { mountpoint: '/', 'total-bytes': 1000, 'used-bytes': 900 },
      { mountpoint: '/proc' },
    ])).toEqual([
      { key: 'fs:/', label: '/ used', unit: '%', kind: 'gauge', value: 90 },
      { key: 'fs:/var', label: '/var used', unit: '%', kind: 'gauge', value: 25 },
    ]);
    expect(samplesOf('guest-network-get-interfaces', [{ name: 'eth0', statistics: { 'rx-bytes': 5, 'tx-bytes': 7 } }, { name: 'ifb0' }]))
      .toEqual([
        { key: 'eth0.rx', label: 'eth0 rx', unit: 'B/s', kind: 'rate', counter: 5 },
        { key: 'eth0.tx', label: 'eth0 tx', unit: 'B/s', kind: 'rate', counter: 7 },
      ]);
    expect(samplesOf('guest-get-host-name', { 'host-name': 'x' })).toEqual([]);
  });

  it('reads counters past 2^53 (BigInt) as numbers', () => {
    const s = samplesOf('guest-network-get-interfaces', [{ name: 'e', statistics: { 'rx-bytes': 2n ** 60n, 'tx-bytes': 0 } }]);
    expect(s[0]).toMatchObject({ counter: 2 ** 60 });
  });
});

describe('series', () => {
  it('turns counters into per-second rates between samples', () => {
    const t = new SeriesTracker();
    t.push(0, [{ key: 'r', label: 'r', unit: 'B/s', kind: 'rate', counter: 1000 }]);
    t.push(2000, [{ key: 'r', label: 'r', unit: 'B/s', kind: 'rate', counter: 5000 }]);
    const [s] = t.push(3000, [{ key: 'r', label: 'r', unit: 'B/s', kind: 'rate', counter: 5500 }]);
    expect(s!.points).toEqual([null, 2000, 500]);
    expect(s!.last).toBe(500);
  });

  it('turns two counters into the percentage of their increases', () => {
    const t = new SeriesTracker();
    const ratio = (numerator: number, denominator: number) => [{ key: 'c', label: 'c', unit: '%', kind: 'ratio' as const, numerator, denominator }];
    t.push(0, ratio(100, 1000));
    t.push(1000, ratio(150, 1100));
    const [s] = t.push(2000, ratio(150, 1100));
    expect(s!.points).toEqual([null, 50, null]);
  });

  it('leaves a gap and starts over when a counter goes down or a series is missing', () => {
    const t = new SeriesTracker();
    const rate = (counter: number) => [{ key: 'r', label: 'r', unit: '', kind: 'rate' as const, counter }];
    t.push(0, rate(100));
    t.push(1000, rate(200));
    t.push(2000, rate(50)); // reset
    t.push(3000, rate(80));
    t.push(4000, []); // device gone
    t.push(5000, rate(100));
    const [s] = t.push(6000, rate(110));
    expect(s!.points).toEqual([null, 100, null, 30, null, null, 10]);
  });

  it('takes gauges as they are and keeps only the last `capacity` points', () => {
    const t = new SeriesTracker(3);
    for (let i = 1; i <= 5; i++) t.push(i * 1000, [{ key: 'g', label: 'g', unit: '', kind: 'gauge', value: i }]);
    expect(t.all()[0]!.points).toEqual([3, 4, 5]);
  });

  it('ignores a zero-length interval', () => {
    const t = new SeriesTracker();
    t.push(1000, [{ key: 'r', label: 'r', unit: '', kind: 'rate', counter: 1 }]);
    expect(t.push(1000, [{ key: 'r', label: 'r', unit: '', kind: 'rate', counter: 5 }])[0]!.last).toBeNull();
  });
});

describe('sparklines', () => {
  it('scales from zero to the maximum, blanks for gaps, fixed scale when given', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([null, 7, 0])).toBe(' █▁');
    expect(sparkline([50, 100], { min: 0, max: 100 })).toBe('▅█');
    expect(sparkline([3, 3, 3], { min: 3, max: 3 })).toBe('▁▁▁');
    expect(sparkline([1, 2, 3, 4], { width: 2 })).toBe('▆█');
    expect(sparkline([])).toBe('');
  });
});

describe('read-only rule', () => {
  it('allows readings and refuses commands with effects, saying why', () => {
    for (const c of ['guest-get-cpustats', 'guest-get-fsinfo', 'guest-ping', 'guest-info', 'guest-fsfreeze-status', 'guest-network-get-interfaces']) {
      expect(isReadOnly(c), c).toBe(true);
    }
    for (const c of ['guest-exec-status', 'guest-file-read', 'guest-shutdown', 'guest-fsfreeze-freeze', 'guest-exec', 'guest-set-time', 'guest-file-open', 'guest-sync']) {
      expect(isReadOnly(c), c).toBe(false);
    }
    expect(() => checkWatchable('guest-exec-status')).toThrow(/reaps a finished process/);
    expect(() => checkWatchable('guest-shutdown')).toThrow(/changes the guest/);
    expect(() => checkWatchable('guest-file-read')).toThrow(UsageError);
  });
});

describe('watch text', () => {
  it('formats values by unit', () => {
    expect(formatValue(1536, 'B/s')).toBe('1.5 KiB/s');
    expect(formatValue(12.345, '%')).toBe('12.3%');
    expect(formatValue(0.5, '')).toBe('0.50');
    expect(formatValue(250, 'ops/s')).toBe('250 ops/s');
    expect(formatValue(null, '%')).toBe('-');
  });

  it('lays out one row per series, and the reply for other commands', () => {
    const series = [
      { key: 'cpu0', label: 'cpu0 busy', unit: '%', kind: 'ratio' as const, points: [null, 0, 100], last: 100 },
      { key: 'l', label: 'load1', unit: '', kind: 'gauge' as const, points: [1], last: 1 },
    ];
    expect(seriesRows(series, 4)).toEqual(['cpu0 busy    ▁█  100.0%', 'load1         █  1.00']);
    const at = Date.UTC(2025, 0, 1, 12, 30, 45);
    expect(tickLines('guest-get-host-name', { n: 2, at, ms: 1.25, value: { 'host-name': 'x' }, series: [] }))
      .toEqual(['12:30:45  guest-get-host-name  #2  (1.3 ms)', '{\n  "host-name": "x"\n}']);
    const error = new AgentError('GenericError', 'boom');
    expect(tickLines('guest-get-fsinfo', { n: 3, at, ms: 1, error, series: [] })[1]).toBe('  agent error: boom');
  });
});
