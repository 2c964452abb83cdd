// The broker in front of a real guest's chardev (virtio-serial), where the agent is slower
// than on the host and can die inside the guest: many clients with their own ids, the
// agent killed and restarted under the broker, and guest-shutdown from one client while
// another keeps asking.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AGENT_PID_FILE } from '../../src/lab/index.js';
import { startService, type RunningService } from '../../src/broker/service.js';
import { parseJson, stringifyJson, type JsonObject } from '../../src/protocol/json.js';
import { SocketTransport } from '../../src/transport/socket-transport.js';
import { eventually, LineClient } from '../helpers/broker.js';
import { bootVm, type VmFixture } from '../helpers/vm.js';

let vm: VmFixture | undefined;
let service: RunningService | undefined;
const log: string[] = [];

async function serve(options: { timeoutMs?: number } = {}): Promise<string> {
  const listen = path.join(path.dirname(vm!.socket), 'broker.sock');
  service = await startService(new SocketTransport({ kind: 'unix', path: vm!.socket }), {
    listen,
    reconnect: { initialMs: 50, maxMs: 500 },
    log: (line) => log.push(line),
    ...(options.timeoutMs ? { timeoutFor: () => options.timeoutMs! } : {}),
  });
  await service.started;
  return listen;
}

afterEach(async () => {
  await service?.close();
  service = undefined;
  await vm?.stop();
  vm = undefined;
  log.length = 0;
});

describe('the broker in front of a guest', () => {
  it('gives each of 4 clients x 250 mixed commands its own replies, in order, with its own ids', async () => {
    vm = await bootVm();
    const listen = await serve();
    const clients = await Promise.all([0, 1, 2, 3].map(() => LineClient.connect(listen)));
    const expected = clients.map((_, c) => Array.from({ length: 250 }, (_, k) => {
      const id = `c${c}-${k}`;
      switch (k % 4) {
        case 0: return { request: { execute: 'guest-ping', id }, reply: { return: {}, id }, delimited: false };
        case 1: return { request: { execute: 'guest-sync', arguments: { id: c * 1000 + k }, id }, reply: { return: c * 1000 + k, id }, delimited: false };
        case 2: return { request: { execute: 'guest-sync-delimited', arguments: { id: k }, id }, reply: { return: k, id }, delimited: true };
        default: return { request: { execute: 'guest-get-host-name', id }, reply: undefined, delimited: false };
      }
    }));
    clients.forEach((client, c) => client.send(expected[c]!.map((e) => stringifyJson(e.request)).join('\n')));
    const got = await Promise.all(clients.map((client) => client.waitForLines(250)));
    got.forEach((lines, c) => {
      lines.forEach((line, k) => {
        const want = expected[c]![k]!;
        const reply = parseJson(line.text) as JsonObject;
        expect(reply.id).toBe(want.request.id);
        expect(line.delimited).toBe(want.delimited);
        if (want.reply) expect(reply).toEqual(want.reply);
        else expect((reply.return as JsonObject)['host-name']).toEqual(expect.any(String));
      });
    });
    for (const client of clients) client.destroy();
  });

  it('fails the command the dead agent had read, then serves again once the guest restarts it', async () => {
    vm = await bootVm();
    const listen = await serve({ timeoutMs: 3000 });
    const client = await LineClient.connect(listen);
    client.send('{"execute": "guest-ping", "id": "before"}');
    expect(await client.reply(0)).toEqual({ return: {}, id: 'before' });

    // Stopped, the agent reads nothing; killed, it loses what it had; /init starts a new one.
    expect((await vm.guestShell(`kill -STOP $(cat ${AGENT_PID_FILE})`)).status).toBe(0);
    const written = new Promise<void>((resolve) => {
      const off = service!.broker.session.on('call-start', (call) => {
        if (call.execute === 'guest-get-host-name') {
          off();
          resolve();
        }
      });
    });
    client.send('{"execute": "guest-get-host-name", "id": "in-flight"}');
    await written;
    await vm.killAgentInGuest();
    const failed = await client.reply(1);
    expect(failed.id).toBe('in-flight');
    expect(String((failed.error as JsonObject).desc)).toMatch(/^qemu-host broker: no reply to guest-get-host-name within 3000 ms/);

    await eventually(async () => {
      const at = client.lines.length;
      client.send(stringifyJson({ execute: 'guest-ping', id: at }));
      const reply = await client.reply(at);
      return 'return' in reply;
    }, 'the broker to serve again', 30_000);
    client.destroy();
  });

  it('completes a guest-shutdown for its client with nothing sent back, and tells the others the agent is gone', async () => {
    vm = await bootVm();
    const listen = await serve();
    const shutter = await LineClient.connect(listen);
    const other = await LineClient.connect(listen);
    other.send('{"execute": "guest-ping", "id": "other-1"}');
    expect(await other.reply(0)).toEqual({ return: {}, id: 'other-1' });

    shutter.send('{"execute": "guest-shutdown", "id": "bye"}{"execute": "guest-ping", "id": "after"}');
    expect(await vm.vm.exited).toEqual({ code: 0, signal: null });
    // Nothing for the shutdown itself; the ping behind it gets a broker error, not silence.
    const after = await shutter.reply(0);
    expect(after.id).toBe('after');
    expect(String((after.error as JsonObject).desc)).toMatch(/^qemu-host broker: /);

    other.send('{"execute": "guest-ping", "id": "other-2"}');
    const late = await other.reply(1);
    expect(late.id).toBe('other-2');
    expect(String((late.error as JsonObject).desc)).toMatch(/^qemu-host broker: /);
    expect(log.some((l) => /guest-shutdown/.test(l))).toBe(true);
    shutter.destroy();
    other.destroy();
  });
});
