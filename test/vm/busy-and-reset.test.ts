// Two cases from the agent's wire behaviour that only QEMU's chardev shows:
// - the socket held by another client: a connect inside QEMU's backlog succeeds but gets
//   no answer, and one past it fails at once with EAGAIN; both must say another client
//   may hold the agent, and exit 3 without hanging;
// - QEMU dying while bytes we wrote are still unread: the connection is reset
//   (ECONNRESET), and the command in flight fails saying so.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AGENT_PID_FILE } from '../../src/lab/index.js';
import { ConnectionLostError } from '../../src/protocol/errors.js';
import { runCli } from '../helpers/cli.js';
import { bootVm, nextState, type VmFixture } from '../helpers/vm.js';

/** Opens raw connections until the kernel refuses one with EAGAIN; returns the open ones. */
async function fillBacklog(socketPath: string): Promise<net.Socket[]> {
  const held: net.Socket[] = [];
  for (let i = 0; i < 64; i++) {
    const outcome = await new Promise<net.Socket | 'EAGAIN'>((resolve, reject) => {
      const socket = net.createConnection({ path: socketPath });
      socket.once('connect', () => resolve(socket));
      socket.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EAGAIN' ? resolve('EAGAIN') : reject(err)));
    });
    if (outcome === 'EAGAIN') return held;
    held.push(outcome);
  }
  throw new Error('64 connections were all accepted: the chardev backlog did not fill');
}

describe('the socket held by another client', () => {
  let vm: VmFixture | undefined;
  const held: net.Socket[] = [];
  afterEach(async () => {
    for (const socket of held.splice(0)) socket.destroy();
    await vm?.stop();
    vm = undefined;
  });

  it('a waiting connect times out saying another client may hold it; past the backlog it is "busy" at once', async () => {
    vm = await bootVm();
    const first = vm.session();
    await first.connect();
    try {
      const waiting = await runCli(['-s', vm.socket, '--timeout', '1500', 'call', 'guest-ping'], { timeoutMs: 30_000 });
      expect(waiting.code).toBe(3);
      expect(waiting.stderr).toContain(`connected to unix:${vm.socket}, but the agent does not answer`);
      expect(waiting.stderr).toContain('another client may hold the socket');

      held.push(...(await fillBacklog(vm.socket)));
      const refused = await runCli(['-s', vm.socket, 'call', 'guest-ping'], { timeoutMs: 30_000 });
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain(`the socket at ${vm.socket} is busy`);
      expect(refused.stderr).toContain('Another client holds the agent');

      // The holder was never disturbed.
      expect(await first.call('guest-ping')).toMatchObject({ status: 'ok' });
    } finally {
      first.close();
    }
  });
});

describe('QEMU dying with our bytes unread', () => {
  let vm: VmFixture | undefined;
  afterEach(async () => {
    await vm?.stop();
    vm = undefined;
  });

  it('resets the connection, and the command in flight says so', async () => {
    vm = await bootVm();
    const session = vm.session();
    await session.connect();
    // A stopped agent reads nothing, so the port fills and QEMU stops reading the socket.
    const stopped = await vm.guestShell(`kill -STOP $(cat ${AGENT_PID_FILE})`);
    expect(stopped.status).toBe(0);
    const content = Buffer.alloc(4 * 1024 * 1024, 7).toString('base64');
    const call = session.call('guest-file-write', { handle: 1000, 'buf-b64': content }, { timeoutMs: 60_000 }).catch((err: unknown) => err);
    const gone = nextState(session, 'disconnected');
    await new Promise((r) => setTimeout(r, 300));
    await vm.kill('SIGKILL');
    const failure = await call;
    expect(failure).toBeInstanceOf(ConnectionLostError);
    expect((failure as ConnectionLostError).message).toMatch(new RegExp(`^the connection to ${vm.socket} was reset; the command may or may not have run`));
    expect((failure as ConnectionLostError).hint).toContain('QEMU exited while data was in flight');
    expect((await gone).error).toBeInstanceOf(ConnectionLostError);
    session.close();
  });
});
