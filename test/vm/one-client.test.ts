// The agent serves one client at a time. A second client's connect succeeds, but it gets
// nothing until the first closes; then it gets exactly its own reply, uncorrupted.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootVm, recordCalls, repliesMatchRequests, type VmFixture } from '../helpers/vm.js';

describe('a second client while the socket is held', () => {
  let vm: VmFixture;
  beforeAll(async () => {
    vm = await bootVm();
  });
  afterAll(async () => {
    await vm?.stop();
  });

  it('waits without data until the first client closes, and neither stream is corrupted', async () => {
    const first = vm.session();
    const calls = recordCalls(first);
    await first.connect();

    const second = net.createConnection({ path: vm.socket });
    let received = '';
    second.setEncoding('latin1');
    second.on('data', (chunk: string) => (received += chunk));
    await new Promise<void>((resolve, reject) => {
      second.once('connect', resolve);
      second.once('error', reject);
    });
    second.write('{"execute": "guest-ping", "id": "second-client"}\n');

    for (let i = 0; i < 20; i++) {
      const result = await first.call(i % 2 === 0 ? 'guest-ping' : 'guest-info');
      expect(result.status).toBe('ok');
    }
    // Give a misrouted reply every chance to show up before looking.
    await new Promise((r) => setTimeout(r, 500));
    expect(received).toBe('');
    expect(calls).toHaveLength(20);
    expect(calls.every((c) => c.status === 'ok')).toBe(true);
    expect(repliesMatchRequests(calls)).toBe(true);
    expect(first.discards.recent().every((d) => !d.text.includes('second-client'))).toBe(true);

    first.close();
    const line = await new Promise<string>((resolve) => {
      const check = (): void => {
        const nl = received.indexOf('\n');
        if (nl !== -1) {
          second.off('data', check);
          resolve(received.slice(0, nl));
        }
      };
      second.on('data', check);
      check();
    });
    expect(JSON.parse(line)).toEqual({ return: {}, id: 'second-client' });
    second.destroy();

    // And the agent is free again for the next one.
    const third = vm.session();
    try {
      expect(await third.call('guest-ping')).toMatchObject({ status: 'ok', value: {} });
    } finally {
      third.close();
    }
  });
});
