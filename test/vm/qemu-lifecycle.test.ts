// What a client sees when the VM goes away: QEMU quitting, QEMU killed, and the guest
// shutting down at the agent's request. Each ends in a clear state and a clear error.
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectError, ConnectionLostError } from '../../src/protocol/errors.js';
import { bootVm, nextState, recordCalls, type VmFixture } from '../helpers/vm.js';

describe('when the VM goes away', () => {
  let vm: VmFixture | undefined;
  afterEach(async () => {
    await vm?.stop();
    vm = undefined;
  });

  it('QEMU quitting gives EOF, then a connect fails with ENOENT and says the VM is not running', async () => {
    vm = await bootVm();
    const session = vm.session();
    await session.connect();
    const gone = nextState(session, 'disconnected');
    await vm.quit();
    const change = await gone;
    expect(change.error).toBeInstanceOf(ConnectionLostError);
    expect(change.error?.message).toBe(`the connection to ${vm.socket} closed (EOF)`);
    expect(existsSync(vm.socket)).toBe(false);

    const fresh = vm.session();
    const failure = await fresh.connect().catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ConnectError);
    expect((failure as ConnectError).errno).toBe('ENOENT');
    expect((failure as ConnectError).message).toBe(`no socket at ${vm.socket}`);
    expect((failure as ConnectError).hint).toContain('Is the VM running?');
    expect(fresh.state).toBe('disconnected');
    session.close();
    fresh.close();
  });

  it('QEMU killed gives EOF, then a connect is refused and says the socket is left over', async () => {
    vm = await bootVm();
    const session = vm.session();
    await session.connect();
    const gone = nextState(session, 'disconnected');
    await vm.kill('SIGKILL');
    const change = await gone;
    expect(change.error).toBeInstanceOf(ConnectionLostError);
    expect(change.error?.message).toBe(`the connection to ${vm.socket} closed (EOF)`);
    expect(existsSync(vm.socket)).toBe(true);

    const fresh = vm.session();
    const failure = await fresh.connect().catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ConnectError);
    expect((failure as ConnectError).errno).toBe('ECONNREFUSED');
    expect((failure as ConnectError).message).toBe(`nothing is listening on ${vm.socket}`);
    expect((failure as ConnectError).hint).toContain('left over');
    session.close();
    fresh.close();
  });

  it('guest-shutdown returns "no reply expected", then the connection ends with EOF and QEMU exits', async () => {
    vm = await bootVm();
    const session = vm.session();
    const calls = recordCalls(session);
    await session.connect();
    const gone = nextState(session, 'disconnected');
    const result = await session.call('guest-shutdown');
    expect(result.status).toBe('no-reply');
    expect(result.status === 'no-reply' && result.detail).toMatch(/^sent, no reply expected/);
    const change = await gone;
    expect(change.error).toBeInstanceOf(ConnectionLostError);
    expect(change.error?.message).toBe(`the connection to ${vm.socket} closed (EOF)`);
    expect(await vm.vm.exited).toEqual({ code: 0, signal: null });
    expect(calls.map((c) => [c.execute, c.status])).toEqual([['guest-shutdown', 'no-reply']]);
    session.close();
  });
});
