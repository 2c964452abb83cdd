// The overview as readable text: a summary block, then one table per list.
import { formatBytes } from '../transfer/progress-text.js';
import type { Overview } from './overview.js';
import { formatTable } from './table.js';

export function overviewText(o: Overview): string {
  const lines: string[] = [];
  const field = (label: string, value: string | undefined): void => {
    if (value !== undefined) lines.push(`${label.padEnd(12)} ${value}`);
  };
  field('Host name', o.hostname);
  if (o.os) {
    const extra = [o.os.kernel && `kernel ${o.os.kernel}`, o.os.machine].filter(Boolean).join(', ');
    field('OS', extra ? `${o.os.name} (${extra})` : o.os.name);
  }
  if (o.timezone) field('Time zone', `${o.timezone.zone} (${offset(o.timezone.offsetSeconds)})`);
  if (o.clock) field('Clock', `${o.clock.time} (${skew(o.clock.skewMs)})`);
  if (o.fsfreeze) field('Filesystems', o.fsfreeze === 'frozen' ? 'FROZEN (writes block; thaw with: qemu-host thaw)' : o.fsfreeze);
  if (o.vcpus) field('vCPUs', `${o.vcpus.online} online of ${o.vcpus.total}`);
  if (o.memory) field('Memory', memoryText(o.memory));
  if (o.load) field('Load', `${o.load.load1.toFixed(2)} ${o.load.load5.toFixed(2)} ${o.load.load15.toFixed(2)}`);
  if (o.users) {
    field('Users', o.users.length === 0 ? 'nobody logged in' : o.users.map((u) => (u.domain ? `${u.domain}\\${u.user}` : u.user)).join(', '));
  }
  if (o.agent && o.fsfreeze === 'frozen') {
    field('Agent', `qemu-ga ${o.agent.version}, ${o.agent.commands} commands, most refused while frozen`);
  } else if (o.agent) {
    const disabled = o.agent.disabled.length === 0 ? 'none disabled' : `${o.agent.disabled.length} disabled (by policy, or not for this OS): ${o.agent.disabled.join(', ')}`;
    field('Agent', `qemu-ga ${o.agent.version}, ${o.agent.commands} commands, ${disabled}`);
  }
  if (o.filesystems?.length) {
    lines.push('', 'Filesystems');
    lines.push(...formatTable(
      [{ header: 'MOUNTPOINT' }, { header: 'TYPE' }, { header: 'DEVICE' }, { header: 'SIZE', align: 'right' }, { header: 'USED', align: 'right' }, { header: 'USE%', align: 'right' }],
      o.filesystems.map((f) => [
        f.mountpoint, f.type, f.device,
        f.totalBytes === undefined ? '-' : formatBytes(f.totalBytes),
        f.usedBytes === undefined ? '-' : formatBytes(f.usedBytes),
        f.usedPercent === undefined ? '-' : `${f.usedPercent.toFixed(0)}%`,
      ]),
    ));
  }
  if (o.disks?.length) {
    lines.push('', 'Disks');
    lines.push(...formatTable(
      [{ header: 'NAME' }, { header: 'TYPE' }, { header: 'BUS' }, { header: 'SERIAL' }, { header: 'ON' }],
      o.disks.map((d) => [d.name, d.partition ? 'partition' : 'disk', d.bus ?? '-', d.serial ?? '-', d.dependencies.join(', ') || '-']),
    ));
  }
  if (o.network?.length) {
    lines.push('', 'Network');
    lines.push(...formatTable(
      [{ header: 'INTERFACE' }, { header: 'MAC' }, { header: 'ADDRESSES' }],
      o.network.map((n) => [n.name, n.mac ?? '-', n.addresses.join(', ') || '-']),
    ));
  }
  if (o.skipped.length) {
    lines.push('', 'Not shown');
    for (const s of o.skipped) lines.push(`  ${s.command}: ${s.reason}`);
  }
  return `${lines.join('\n')}\n`;
}

function offset(seconds: number): string {
  const sign = seconds < 0 ? '-' : '+';
  const abs = Math.abs(seconds);
  return `${sign}${String(Math.floor(abs / 3600)).padStart(2, '0')}:${String(Math.floor((abs % 3600) / 60)).padStart(2, '0')}`;
}

function skew(ms: number): string {
  if (Math.abs(ms) < 1000) return 'in step with this host';
  const s = (Math.abs(ms) / 1000).toFixed(1);
  return ms > 0 ? `${s} s ahead of this host` : `${s} s behind this host`;
}

function memoryText(m: NonNullable<Overview['memory']>): string {
  const parts: string[] = [];
  if (m.onlineBytes !== undefined) parts.push(`${formatBytes(m.onlineBytes)} online`);
  if (m.onlineBlocks !== undefined && m.totalBlocks !== undefined) {
    parts.push(`${m.onlineBlocks} of ${m.totalBlocks} blocks${m.blockBytes === undefined ? '' : ` of ${formatBytes(m.blockBytes)}`}`);
  } else if (m.blockBytes !== undefined) {
    parts.push(`blocks of ${formatBytes(m.blockBytes)}`);
  }
  return parts.join(', ');
}
