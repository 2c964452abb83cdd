// The agent on an emulated 16550 (isa-serial, /dev/ttyS1 in the guest). A tty can echo
// what it receives back to the host; the session must drop the echo and still match every
// reply to its request.
import { existsSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bootVm, recordCalls, repliesMatchRequests, type VmFixture } from '../helpers/vm.js';

const ECHO = 'a request echoed back (tty echo)';

/** Matches `text`'s characters in order, anything between them. */
function inOrder(text: string): RegExp {
  return new RegExp([...text].map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*?'));
}

describe('the agent over isa-serial', () => {
  let vm: VmFixture;
  beforeAll(async () => {
    vm = await bootVm({ transport: 'isa' });
  });
  afterAll(async () => {
    await vm?.stop();
  });

  it('answers through a Session', async () => {
    const session = vm.session();
    const calls = recordCalls(session);
    try {
      await session.connect();
      expect(await session.call('guest-ping')).toMatchObject({ status: 'ok', value: {} });
      const info = await session.call('guest-info');
      expect(info).toMatchObject({ status: 'ok', value: { version: '7.2.22' } });
      expect(repliesMatchRequests(calls)).toBe(true);
    } finally {
      session.close();
    }
  });

  it('drops the tty echo of every request and still matches each reply to its request', async () => {
    // Turn echo on under the running agent: from now on the guest tty sends every byte we
    // write straight back, ahead of the agent's reply.
    const stty = await vm.guestShell('stty -F /dev/ttyS1 echo && stty -F /dev/ttyS1 -a | grep -o " echo "');
    expect(stty.status).toBe(0);
    const session = vm.session();
    const calls = recordCalls(session);
    try {
      await session.connect();
      const commands = ['guest-ping', 'guest-info', 'guest-get-osinfo', 'guest-ping', 'guest-get-host-name'];
      for (const command of commands) {
        const result = await session.call(command);
        expect(result.status).toBe('ok');
      }
      expect(calls.map((c) => c.status)).toEqual(commands.map(() => 'ok'));
      expect(repliesMatchRequests(calls)).toBe(true);
      expect(calls[4]).toMatchObject({ value: { 'host-name': 'qh-lab' } });
      const echoed = session.discards.recent().filter((d) => d.reason === ECHO);
      // Every request came back as echo and was dropped.
      for (const command of commands) expect(echoed.some((d) => d.text.includes(`"execute":"${command}"`))).toBe(true);
      // So did the sync, whole or in pieces: the agent answers the 0xFF byte at once, and that
      // answer can land in the middle of the echo of the rest of the line, so its letters are
      // looked for in order over what was dropped before the first command's echo.
      const discarded = session.discards.recent();
      const firstCommandEcho = discarded.findIndex((d) => d.reason === ECHO && d.text.includes('"execute":"guest-ping"'));
      expect(firstCommandEcho).toBeGreaterThan(0);
      const beforeCommands = discarded.slice(0, firstCommandEcho).map((d) => d.text).join('');
      expect(beforeCommands).toMatch(inOrder('"execute":"guest-sync-delimited"'));
    } finally {
      session.close();
      await vm.guestShell('stty -F /dev/ttyS1 -echo');
    }
  });
});

describe('connecting over isa-serial before the agent is up', () => {
  let vm: VmFixture | undefined;
  afterEach(async () => {
    await vm?.stop();
    vm = undefined;
  });

  it('the first command waits; what the tty mangled and echoed early is dropped, and the replies are right', async () => {
    vm = await bootVm({ transport: 'isa', waitReady: false });
    while (!existsSync(vm.socket)) await new Promise((r) => setTimeout(r, 5));
    const session = vm.session();
    const calls = recordCalls(session);
    try {
      expect(await session.call('guest-ping', undefined, { timeoutMs: 120_000 })).toMatchObject({ status: 'ok', value: {} });
      expect(await session.call('guest-info')).toMatchObject({ status: 'ok', value: { version: '7.2.22' } });
      expect(repliesMatchRequests(calls)).toBe(true);
      // Before the agent opened ttyS1, the tty mangled and echoed the early syncs, and the
      // agent answered the pieces it got with parse errors. All of that was dropped; none of
      // it was a reply to one of our calls.
      expect(session.discards.count).toBeGreaterThan(0);
      const ourIds = calls.map((c) => JSON.stringify(c.request.id));
      for (const item of session.discards.recent()) {
        expect(ourIds.some((id) => item.text.includes(`"id": ${id}`) || item.text.includes(`"id":${id}`))).toBe(false);
      }
    } finally {
      session.close();
    }
  });
});
