// qemu-ga killed inside the guest while it handles a command: the host sees nothing at
// all, the command it had read is lost, so the call times out cleanly; the restarted agent
// answers the next commands, after the session resyncs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TimeoutError } from '../../src/protocol/errors.js';
import { bootVm, recordCalls, recordStates, repliesMatchRequests, type VmFixture } from '../helpers/vm.js';

// guest-set-user-password runs chpasswd and waits for it. This guest has no chpasswd, so
// the test installs one that marks that it started and then never ends: the agent is then
// stuck inside that command, having read it, until we kill it.
const STUCK_MARK = '/tmp/qh-agent-stuck';
const HANGING_CHPASSWD = `printf '#!/bin/sh\\ntouch ${STUCK_MARK}\\nexec sleep 600\\n' >/usr/sbin/chpasswd && chmod 755 /usr/sbin/chpasswd`;

describe('the agent killed and restarted inside the guest', () => {
  let vm: VmFixture;
  beforeAll(async () => {
    vm = await bootVm();
  });
  afterAll(async () => {
    await vm?.stop();
  });

  it('the in-flight command times out cleanly and later commands succeed', async () => {
    expect((await vm.guestShell(HANGING_CHPASSWD)).status).toBe(0);
    const session = vm.session();
    const calls = recordCalls(session);
    const states = recordStates(session);
    try {
      await session.connect();
      const before = await vm.agentPid();

      const stuck = session.call('guest-set-user-password', { username: 'root', password: 'eA==', crypted: false }, { timeoutMs: 8000 });
      const outcome = stuck.then(() => 'replied', (err: unknown) => err);
      let started = false;
      for (let i = 0; i < 200 && !started; i++) {
        started = (await vm.guestShell(`test -e ${STUCK_MARK}`)).status === 0;
      }
      expect(started).toBe(true);
      const { killed, restarted } = await vm.killAgentInGuest();
      expect(killed).toBe(before);
      expect(restarted).not.toBe(before);

      const error = await outcome;
      expect(error).toBeInstanceOf(TimeoutError);
      expect((error as TimeoutError).message).toBe('no reply to guest-set-user-password within 8000 ms');
      expect(session.state).toBe('unresponsive');

      // The restarted agent answers; the session resynced first.
      const syncsBefore = session.stats.syncs;
      expect(await session.call('guest-ping')).toMatchObject({ status: 'ok', value: {} });
      expect(session.stats.syncs).toBe(syncsBefore + 1);
      expect(await session.call('guest-info')).toMatchObject({ status: 'ok', value: { version: '7.2.22' } });
      expect(session.state).toBe('ready');
      expect(calls.map((c) => [c.execute, c.status])).toEqual([
        ['guest-set-user-password', 'timeout'],
        ['guest-ping', 'ok'],
        ['guest-info', 'ok'],
      ]);
      expect(repliesMatchRequests(calls)).toBe(true);
      expect(states.some((s) => s.state === 'unresponsive' && s.detail === 'guest-set-user-password timed out')).toBe(true);
      // The connection itself never dropped.
      expect(states.some((s) => s.state === 'disconnected')).toBe(false);
    } finally {
      session.close();
    }
  });
});
