// info's pure parts: replies -> overview -> text, on fixed data shaped like a real agent's.
import { describe, expect, it } from 'vitest';
import { parseAgentInfo } from '../../../src/schema/capabilities.js';
import type { GatheredInfo } from '../../../src/verbs/info/gather.js';
import { overviewText } from '../../../src/verbs/info/info-text.js';
import { overviewOf } from '../../../src/verbs/info/overview.js';
import { formatTable } from '../../../src/verbs/info/table.js';

const NOW = Date.UTC(2025, 0, 2, 3, 4, 5);

const gathered: GatheredInfo = {
  agent: parseAgentInfo({
    version: '9.2.0',
    supported_commands: [
      { name: 'guest-ping', enabled: true, 'success-response': true },
      { name: 'guest-exec', enabled: false, 'success-response': true },
    ],
  }),
  replies: {
    'guest-get-osinfo': { name: 'Fedora Linux', version: '41', 'pretty-name': 'Fedora Linux 41', 'kernel-release': '6.11.4', machine: 'x86_64', id: 'fedora', 'version-id': '41' },
    'guest-get-host-name': { 'host-name': 'web1' },
    'guest-get-timezone': { zone: 'CET', offset: 3600 },
    'guest-get-time': BigInt(NOW + 2500) * 1_000_000n,
    'guest-fsfreeze-status': 'frozen',
    'guest-get-users': [{ user: 'root', 'login-time': 1700000000.5 }, { user: 'bob', domain: 'CORP', 'login-time': 1700000100 }],
    'guest-get-vcpus': [{ 'logical-id': 0, online: true }, { 'logical-id': 1, online: false }],
    'guest-get-memory-block-info': { size: 134217728 },
    'guest-get-memory-blocks': [{ 'phys-index': 0, online: true }, { 'phys-index': 1, online: true }, { 'phys-index': 2, online: false }],
    'guest-get-fsinfo': [
      { name: 'vda2', mountpoint: '/var', type: 'xfs', 'total-bytes': 1000, 'used-bytes': 250, disk: [] },
      { name: 'vda1', mountpoint: '/', type: 'ext4', 'total-bytes': 4 * 1024 ** 3, 'used-bytes': 1024 ** 3, disk: [] },
      { name: 'tmpfs', mountpoint: '/run', type: 'tmpfs', disk: [] },
    ],
    'guest-get-disks': [{ name: '/dev/vda', partition: false, dependencies: [], address: { 'bus-type': 'virtio', serial: 'S1' } }, { name: '/dev/vda1', partition: true, dependencies: ['/dev/vda'] }],
    'guest-network-get-interfaces': [{ name: 'eth0', 'hardware-address': '52:54:00:12:34:56', 'ip-addresses': [{ 'ip-address-type': 'ipv4', 'ip-address': '10.0.0.5', prefix: 24 }] }, { name: 'dummy0' }],
  },
  hostTimeMs: NOW,
  skipped: [{ command: 'guest-get-load', reason: 'not in this agent (qemu-ga 9.2.0)' }],
};

describe('info overview', () => {
  it('tidies the replies into one object', () => {
    const o = overviewOf(gathered);
    expect(o.agent).toEqual({ version: '9.2.0', commands: 2, disabled: ['guest-exec'] });
    expect(o.os).toEqual({ name: 'Fedora Linux 41', kernel: '6.11.4', machine: 'x86_64', id: 'fedora', version: '41' });
    expect(o.clock).toEqual({ time: new Date(NOW + 2500).toISOString(), skewMs: 2500 });
    expect(o.users).toEqual([
      { user: 'root', loginTime: '2023-11-14T22:13:20.500Z' },
      { user: 'bob', domain: 'CORP', loginTime: '2023-11-14T22:15:00.000Z' },
    ]);
    expect(o.vcpus).toEqual({ online: 1, total: 2 });
    expect(o.memory).toEqual({ blockBytes: 134217728, onlineBlocks: 2, totalBlocks: 3, onlineBytes: 268435456 });
    expect(o.filesystems!.map((f) => f.mountpoint)).toEqual(['/', '/run', '/var']);
    expect(o.filesystems![0]).toEqual({ mountpoint: '/', type: 'ext4', device: 'vda1', totalBytes: 4 * 1024 ** 3, usedBytes: 1024 ** 3, usedPercent: 25 });
    expect(o.filesystems![1]).toEqual({ mountpoint: '/run', type: 'tmpfs', device: 'tmpfs' });
    expect(o.network).toEqual([{ name: 'eth0', mac: '52:54:00:12:34:56', addresses: ['10.0.0.5/24'] }, { name: 'dummy0', addresses: [] }]);
    expect(o.skipped).toEqual(gathered.skipped);
    expect(Object.keys(o).at(-1)).toBe('skipped');
  });

  it('leaves out what the agent did not answer', () => {
    const o = overviewOf({ agent: undefined, replies: {}, skipped: [] });
    expect(o).toEqual({ skipped: [] });
    expect(overviewText(o)).toBe('\n');
  });

  it('renders a summary and aligned tables', () => {
    const text = overviewText(overviewOf(gathered));
    expect(text).toContain('Host name    web1\n');
    expect(text).toContain('OS           Fedora Linux 41 (kernel 6.11.4, x86_64)\n');
    expect(text).toContain('Time zone    CET (+01:00)\n');
    expect(text).toContain('(2.5 s ahead of this host)');
    expect(text).toContain('Filesystems  FROZEN (writes block; thaw with: qemu-host thaw)\n');
    expect(text).toContain('Memory       256 MiB online, 2 of 3 blocks of 128 MiB\n');
    expect(text).toContain('Users        root, CORP\\bob\n');
    expect(text).toContain('Agent        qemu-ga 9.2.0, 2 commands, most refused while frozen\n');
    const thawed = overviewText(overviewOf({ ...gathered, replies: { ...gathered.replies, 'guest-fsfreeze-status': 'thawed' } }));
    expect(thawed).toContain('Agent        qemu-ga 9.2.0, 2 commands, 1 disabled (by policy, or not for this OS): guest-exec\n');
    expect(text).toContain([
      'MOUNTPOINT  TYPE   DEVICE     SIZE     USED  USE%',
      '/           ext4   vda1    4.0 GiB  1.0 GiB   25%',
      '/run        tmpfs  tmpfs         -        -     -',
      '/var        xfs    vda2     1000 B    250 B   25%',
    ].join('\n'));
    expect(text).toContain('/dev/vda1  partition  -       -       /dev/vda');
    expect(text).toContain('eth0       52:54:00:12:34:56  10.0.0.5/24');
    expect(text).toContain('Not shown\n  guest-get-load: not in this agent (qemu-ga 9.2.0)\n');
  });
});

describe('tables', () => {
  it('pads columns, aligns right where asked and leaves no trailing blanks', () => {
    expect(formatTable([{ header: 'A' }, { header: 'NUM', align: 'right' }, { header: 'LAST' }], [['long', '5', ''], ['x', '1234', 'end']]))
      .toEqual(['A      NUM  LAST', 'long     5', 'x     1234  end']);
  });
});
