// The lab guest boots and its agent answers through our Session, both when we connect
// after it is ready and when we connect before qemu-ga has even started.
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isJsonObject } from '../../src/protocol/json.js';
import { bootVm, recordCalls, recordStates, repliesMatchRequests, type VmFixture } from '../helpers/vm.js';

describe('a booted lab guest', () => {
  let vm: VmFixture;
  beforeAll(async () => {
    vm = await bootVm();
  });
  afterAll(async () => {
    await vm?.stop();
  });

  it('answers guest-ping and guest-info through a Session over virtio-serial', async () => {
    const session = vm.session();
    const calls = recordCalls(session);
    try {
      await session.connect();
      expect(session.state).toBe('ready');
      const ping = await session.call('guest-ping');
      expect(ping).toMatchObject({ status: 'ok', value: {} });
      const info = await session.call('guest-info');
      expect(info.status).toBe('ok');
      const value = info.status === 'ok' ? info.value : undefined;
      expect(isJsonObject(value) && value.version).toBe('7.2.22');
      expect(JSON.stringify(value)).toContain('"name":"guest-ping"');
      const os = await session.call('guest-get-osinfo');
      expect(os).toMatchObject({ status: 'ok', value: { id: 'qemu-host-lab', 'kernel-release': vm.vm.image.manifest.kernelRelease } });
      expect(calls.map((c) => c.status)).toEqual(['ok', 'ok', 'ok']);
      expect(repliesMatchRequests(calls)).toBe(true);
    } finally {
      session.close();
    }
  });

  it('reports how long it took from starting QEMU to the first guest-ping reply', () => {
    expect(vm.vm.readyMs).toBeGreaterThan(0);
    expect(vm.vm.accel === 'tcg' || vm.vm.accel === 'kvm').toBe(true);
  });
});

describe('connecting before the agent is up', () => {
  let vm: VmFixture | undefined;
  afterEach(async () => {
    await vm?.stop();
    vm = undefined;
  });

  it('succeeds at once, and the first command waits for the agent and completes', async () => {
    vm = await bootVm({ waitReady: false });
    while (!existsSync(vm.socket)) await new Promise((r) => setTimeout(r, 5));
    const session = vm.session();
    const states = recordStates(session);
    const calls = recordCalls(session);
    let consoleAtConnect = '';
    session.on('state', (change) => {
      if (change.state === 'syncing' && change.previous === 'connecting') consoleAtConnect = readFileSync(vm!.vm.consoleLog, 'utf8');
    });
    try {
      const ping = await session.call('guest-ping', undefined, { timeoutMs: 120_000 });
      expect(ping).toMatchObject({ status: 'ok', value: {} });
      // The connect really happened before /init had started qemu-ga.
      expect(consoleAtConnect).not.toContain('qh-lab: agent on');
      expect(states.map((s) => s.state)).toEqual(expect.arrayContaining(['connecting', 'syncing', 'busy', 'ready']));
      expect(states.find((s) => s.state === 'connecting')).toBeDefined();
      // Syncs repeated while the guest booted. The agent answered every one of them, in
      // order, once it was up: all but the last were recognised as stale and dropped, and so
      // were its answers to the 0xFF flush bytes. Nothing else was dropped.
      const reasons = session.discards.recent().map((d) => d.reason);
      const lateSyncs = reasons.filter((r) => r === 'an answer to an earlier guest-sync-delimited').length;
      const flushes = reasons.filter((r) => r === "the agent's answer to the 0xFF flush byte").length;
      expect(session.stats.syncs).toBeGreaterThanOrEqual(1);
      expect(lateSyncs).toBe(session.stats.syncs - 1);
      expect(flushes).toBeLessThanOrEqual(session.stats.syncs);
      expect(lateSyncs + flushes).toBe(reasons.length);
      const second = await session.call('guest-info');
      expect(second.status).toBe('ok');
      expect(calls.map((c) => c.status)).toEqual(['ok', 'ok']);
      expect(repliesMatchRequests(calls)).toBe(true);
    } finally {
      session.close();
    }
  });
});
