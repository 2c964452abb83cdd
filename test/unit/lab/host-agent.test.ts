// Which RPCs a sandboxed host agent blocks, and how the lab finds its binaries (the env
// overrides that let tests, and users, make QEMU or qemu-ga look missing).
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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

  it('never takes a directory for a program, though root may "execute" any directory', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'qh-exe-'));
    try {
      mkdirSync(path.join(dir, 'qemu-ga'));
      mkdirSync(path.join(dir, 'qemu-system-x86_64'));
      expect(findQemu({ QEMU_HOST_QEMU: dir })).toBeUndefined();
      expect(findQemuGa({ QEMU_HOST_QEMU_GA: dir })).toBeUndefined();
      expect(findQemu({ PATH: dir })).toBeUndefined();
      expect(findQemuGa({ PATH: dir }) ?? '').not.toContain(dir);
      const program = path.join(dir, 'bin');
      mkdirSync(program);
      writeFileSync(path.join(program, 'qemu-system-x86_64'), '#!/bin/sh\n', { mode: 0o755 });
      expect(findQemu({ PATH: `${dir}:${program}` })).toBe(path.join(program, 'qemu-system-x86_64'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('looks on the PATH without an override', () => {
    expect(findQemu({ PATH: '/nonexistent-dir' })).toBeUndefined();
  });
});
