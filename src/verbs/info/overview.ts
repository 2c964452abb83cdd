// The gathered replies, turned into one tidy overview: what `info --json` prints and what
// the text tables (and the shell) show. Pure: no agent needed to test it.
import { isJsonObject, type JsonObject, type JsonValue } from '../../protocol/json.js';
import type { GatheredInfo, Skipped } from './gather.js';

export interface FilesystemRow {
  mountpoint: string;
  type: string;
  device: string;
  totalBytes?: number;
  usedBytes?: number;
  usedPercent?: number;
}

export interface DiskRow {
  name: string;
  partition: boolean;
  bus?: string;
  serial?: string;
  dependencies: string[];
}

export interface InterfaceRow {
  name: string;
  mac?: string;
  /** `address/prefix` */
  addresses: string[];
}

export interface UserRow {
  user: string;
  domain?: string;
  /** ISO 8601. */
  loginTime?: string;
}

export interface Overview {
  agent?: { version: string; commands: number; disabled: string[] };
  os?: { name: string; kernel?: string; machine?: string; id?: string; version?: string };
  hostname?: string;
  timezone?: { zone: string; offsetSeconds: number };
  /** The guest's clock (ISO) and how far it is from this host's, in ms (guest minus host). */
  clock?: { time: string; skewMs: number };
  fsfreeze?: string;
  users?: UserRow[];
  vcpus?: { online: number; total: number };
  memory?: { blockBytes?: number; onlineBlocks?: number; totalBlocks?: number; onlineBytes?: number };
  load?: { load1: number; load5: number; load15: number };
  filesystems?: FilesystemRow[];
  disks?: DiskRow[];
  network?: InterfaceRow[];
  skipped: Skipped[];
}

export function overviewOf(info: GatheredInfo): Overview {
  const r = info.replies;
  const out = {} as Overview;
  if (info.agent) {
    const disabled = [...info.agent.commands.values()].filter((c) => !c.enabled).map((c) => c.name);
    out.agent = { version: info.agent.version, commands: info.agent.commands.size, disabled };
  }
  const os = obj(r['guest-get-osinfo']);
  if (os) {
    out.os = defined({
      name: str(os['pretty-name']) ?? [str(os.name), str(os.version)].filter(Boolean).join(' ') ?? '?',
      kernel: str(os['kernel-release']),
      machine: str(os.machine),
      id: str(os.id),
      version: str(os['version-id']),
    });
  }
  const host = str(obj(r['guest-get-host-name'])?.['host-name']);
  if (host !== undefined) out.hostname = host;
  const tz = obj(r['guest-get-timezone']);
  if (tz) out.timezone = { zone: str(tz.zone) ?? '', offsetSeconds: num(tz.offset) ?? 0 };
  const nanos = r['guest-get-time'];
  if ((typeof nanos === 'bigint' || typeof nanos === 'number') && info.hostTimeMs !== undefined) {
    const ms = Number(BigInt(nanos) / 1_000_000n);
    out.clock = { time: new Date(ms).toISOString(), skewMs: Math.round(ms - info.hostTimeMs) };
  }
  const frozen = r['guest-fsfreeze-status'];
  if (typeof frozen === 'string') out.fsfreeze = frozen;
  const users = arr(r['guest-get-users']);
  if (users) {
    out.users = users.map((u) => defined({
      user: str(u.user) ?? '?',
      domain: str(u.domain),
      loginTime: typeof u['login-time'] === 'number' ? new Date(u['login-time'] * 1000).toISOString() : undefined,
    }));
  }
  const vcpus = arr(r['guest-get-vcpus']);
  if (vcpus) out.vcpus = { online: vcpus.filter((v) => v.online === true).length, total: vcpus.length };
  const blockBytes = num(obj(r['guest-get-memory-block-info'])?.size);
  const blocks = arr(r['guest-get-memory-blocks']);
  if (blockBytes !== undefined || blocks) {
    const online = blocks?.filter((b) => b.online === true).length;
    out.memory = defined({
      blockBytes,
      onlineBlocks: online,
      totalBlocks: blocks?.length,
      onlineBytes: online !== undefined && blockBytes !== undefined ? online * blockBytes : undefined,
    });
  }
  const load = obj(r['guest-get-load']);
  if (load) out.load = { load1: num(load.load1) ?? 0, load5: num(load.load5) ?? 0, load15: num(load.load15) ?? 0 };
  const fs = arr(r['guest-get-fsinfo']);
  if (fs) out.filesystems = fs.map(filesystemRow).sort((a, b) => a.mountpoint.localeCompare(b.mountpoint));
  const disks = arr(r['guest-get-disks']);
  if (disks) out.disks = disks.map(diskRow);
  const nics = arr(r['guest-network-get-interfaces']);
  if (nics) out.network = nics.map(interfaceRow);
  out.skipped = info.skipped;
  return out;
}

function filesystemRow(f: JsonObject): FilesystemRow {
  const total = num(f['total-bytes']);
  const used = num(f['used-bytes']);
  return defined({
    mountpoint: str(f.mountpoint) ?? '?',
    type: str(f.type) ?? '?',
    device: str(f.name) ?? '?',
    totalBytes: total,
    usedBytes: used,
    usedPercent: total && used !== undefined ? Math.round((used / total) * 1000) / 10 : undefined,
  });
}

function diskRow(d: JsonObject): DiskRow {
  const address = obj(d.address);
  return defined({
    name: str(d.name) ?? '?',
    partition: d.partition === true,
    bus: str(address?.['bus-type']),
    serial: str(address?.serial),
    dependencies: Array.isArray(d.dependencies) ? d.dependencies.map(String) : [],
  });
}

function interfaceRow(n: JsonObject): InterfaceRow {
  const addresses = (Array.isArray(n['ip-addresses']) ? n['ip-addresses'] : [])
    .filter(isJsonObject)
    .map((a) => `${str(a['ip-address']) ?? '?'}/${num(a.prefix) ?? '?'}`);
  return defined({ name: str(n.name) ?? '?', mac: str(n['hardware-address']), addresses });
}

// ---- small readers --------------------------------------------------------------------

function obj(value: JsonValue | undefined): JsonObject | undefined {
  return isJsonObject(value) ? value : undefined;
}

function arr(value: JsonValue | undefined): JsonObject[] | undefined {
  return Array.isArray(value) ? value.filter(isJsonObject) : undefined;
}

function str(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A number, with BigInt (beyond 2^53) rounded: sizes that large are shown, not computed on. */
function num(value: JsonValue | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return undefined;
}

/** Drops keys whose value is undefined, so JSON output has no `"x": undefined` holes. */
function defined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as Array<keyof T>) if (value[key] === undefined) delete value[key];
  return value;
}
