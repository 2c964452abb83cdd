// What numbers a reply holds, per command: each sample is a gauge (shown as is), a
// counter (shown as a rate per second) or a ratio of two counters' increases (a percent,
// e.g. CPU busy time over all CPU time). Commands without numbers worth a series give none.
import { isJsonObject, type JsonObject, type JsonValue } from '../../protocol/json.js';

export type Sample =
  | { key: string; label: string; unit: string; kind: 'gauge'; value: number }
  | { key: string; label: string; unit: string; kind: 'rate'; counter: number }
  | { key: string; label: string; unit: string; kind: 'ratio'; numerator: number; denominator: number };

/** The CPU time fields of guest-get-cpustats (Linux); guest and guestnice are already inside user and nice. */
const CPU_BUSY = ['user', 'nice', 'system', 'irq', 'softirq', 'steal'] as const;
const CPU_IDLE = ['idle', 'iowait'] as const;
const SECTOR = 512;

export function samplesOf(command: string, value: JsonValue): Sample[] {
  switch (command) {
    case 'guest-get-cpustats':
      return cpuSamples(list(value));
    case 'guest-get-diskstats':
      return diskSamples(list(value));
    case 'guest-get-load':
      return loadSamples(value);
    case 'guest-get-fsinfo':
      return fsSamples(list(value));
    case 'guest-network-get-interfaces':
      return netSamples(list(value));
    default:
      return [];
  }
}

function cpuSamples(cpus: JsonObject[]): Sample[] {
  const out: Sample[] = [];
  let busyAll = 0;
  let totalAll = 0;
  for (const cpu of cpus) {
    const busy = sum(cpu, CPU_BUSY);
    const total = busy + sum(cpu, CPU_IDLE);
    busyAll += busy;
    totalAll += total;
    out.push({ key: `cpu${num(cpu.cpu)}`, label: `cpu${num(cpu.cpu)} busy`, unit: '%', kind: 'ratio', numerator: busy, denominator: total });
  }
  if (cpus.length > 1) out.unshift({ key: 'cpu', label: 'all cpus busy', unit: '%', kind: 'ratio', numerator: busyAll, denominator: totalAll });
  return out;
}

function diskSamples(disks: JsonObject[]): Sample[] {
  const out: Sample[] = [];
  for (const disk of disks) {
    const stats = isJsonObject(disk.stats) ? disk.stats : {};
    const ios = num(stats['read-ios']) + num(stats['write-ios']);
    // Devices that have never done any I/O (unused loop devices) are noise.
    if (ios === 0) continue;
    const name = typeof disk.name === 'string' ? disk.name : `${num(disk.major)}:${num(disk.minor)}`;
    out.push(
      { key: `${name}.read`, label: `${name} read`, unit: 'B/s', kind: 'rate', counter: num(stats['read-sectors']) * SECTOR },
      { key: `${name}.write`, label: `${name} write`, unit: 'B/s', kind: 'rate', counter: num(stats['write-sectors']) * SECTOR },
      { key: `${name}.iops`, label: `${name} I/O`, unit: 'ops/s', kind: 'rate', counter: ios },
    );
  }
  return out;
}

function loadSamples(value: JsonValue): Sample[] {
  if (!isJsonObject(value)) return [];
  return (['load1', 'load5', 'load15'] as const).map((k) => ({ key: k, label: k, unit: '', kind: 'gauge' as const, value: num(value[k]) }));
}

function fsSamples(filesystems: JsonObject[]): Sample[] {
  const out: Sample[] = [];
  for (const fs of filesystems) {
    const total = num(fs['total-bytes']);
    if (total <= 0 || typeof fs.mountpoint !== 'string') continue;
    out.push({ key: `fs:${fs.mountpoint}`, label: `${fs.mountpoint} used`, unit: '%', kind: 'gauge', value: (num(fs['used-bytes']) / total) * 100 });
  }
  return out.sort((a, b) => a.key.localeCompare(b.key));
}

function netSamples(nics: JsonObject[]): Sample[] {
  const out: Sample[] = [];
  for (const nic of nics) {
    if (!isJsonObject(nic.statistics) || typeof nic.name !== 'string') continue;
    out.push(
      { key: `${nic.name}.rx`, label: `${nic.name} rx`, unit: 'B/s', kind: 'rate', counter: num(nic.statistics['rx-bytes']) },
      { key: `${nic.name}.tx`, label: `${nic.name} tx`, unit: 'B/s', kind: 'rate', counter: num(nic.statistics['tx-bytes']) },
    );
  }
  return out;
}

function list(value: JsonValue): JsonObject[] {
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}

function num(value: JsonValue | undefined): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return 0;
}

function sum(obj: JsonObject, keys: readonly string[]): number {
  return keys.reduce((acc, k) => acc + num(obj[k]), 0);
}
