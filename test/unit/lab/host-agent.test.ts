// Which RPCs a sandboxed host agent blocks, and how the lab finds its binaries (the env
// overrides that let tests, and users, make QEMU or qemu-ga look missing).
import { describe, expect, it } from 'vitest';
import { MACHINE_CHANGING_RPCS, READ_ONLY_RPCS, findQemuGa, sandboxBlockList } from '../../../src/lab/host-agent.js';
import { findQemu } from '../../../src/lab/vm.js';

describe('sandboxBlockList', () => {
  it('blocks everything but the readers, including RPCs it has never heard of', () => {
    const compiled = ['guest-ping', 'guest-info', 'guest-exec', 'guest-file-open', 'guest-file-write', 'guest-get-osinfo', 'guest-new-thing', ...MACHINE_CHANGING_RPCS];
    const blocked = sandboxBlockList(compiled);
    expect(blocked).toEqual(compiled.filter((rpc) => !['guest-ping', 'guest-info', 'guest-get-osinfo'].includes(rpc)));
    expect(blocked).toContain('guest-new-thing');
  });

  it('never keeps a machine-changing RPC, and keeps the sync commands a session needs', () => {
    for (const rpc of [...MACHINE_CHANGING_RPCS, 'guest-exec', 'guest-file-open', 'guest-file-write']) expect(READ_ONLY_RPCS).not.toContain(rpc);
    expect(sandboxBlockList(['guest-sync-delimited', 'guest-sync', 'guest-ping'])).toEqual([]);
  });
});

describe('finding QEMU and qemu-ga', () => {
  it('takes an override path when it is executable, and finds nothing when it is not', () => {
    expect(findQemu({ QEMU_HOST_QEMU: process.execPath, PATH: '' })).toBe(process.execPath);
    expect(findQemu({ QEMU_HOST_QEMU: '/nonexistent', PATH: '/usr/bin:/bin' })).toBeUndefined();
    expect(findQemuGa({ QEMU_HOST_QEMU_GA: process.execPath })).toBe(process.execPath);
    expect(findQemuGa({ QEMU_HOST_QEMU_GA: '/nonexistent', PATH: '/usr/sbin:/usr/bin' })).toBeUndefined();
  });

  it('looks on the PATH without an override', () => {
    expect(findQemu({ PATH: '/nonexistent-dir' })).toBeUndefined();
  });
});
