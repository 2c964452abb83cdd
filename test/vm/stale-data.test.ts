// Stale data left by a previous client, delivered through QEMU's chardev to the next one:
// the tail of a reply it never read, and half a request it never finished. A client that
// does not sync reads the wrong thing; a Session's 0xFF + guest-sync-delimited discards it
// and every later reply matches its request.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootVm, recordCalls, repliesMatchRequests, type VmFixture } from '../helpers/vm.js';

const BIG_FILE = '/tmp/qh-big';
const BIG_BYTES = 4 * 1024 * 1024;

/** A plain socket client that keeps everything it reads. */
class RawClient {
  received = Buffer.alloc(0);
  private readonly socket: net.Socket;
  private wake: (() => void) | undefined;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.received = Buffer.concat([this.received, chunk]);
      this.wake?.();
    });
  }

  static connect(path: string): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection({ path });
      socket.once('connect', () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  write(text: string): void {
    this.socket.write(text);
  }

  /** Waits until `test` holds for what has been received so far. */
  async until(test: (received: Buffer) => boolean, timeoutMs = 30_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!test(this.received)) {
      if (Date.now() > end) throw new Error(`raw client: condition not met within ${timeoutMs} ms; got ${this.received.length} bytes`);
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, 100);
      });
    }
  }

  firstLine(): string {
    const nl = this.received.indexOf(0x0a);
    return this.received.subarray(0, nl === -1 ? undefined : nl).toString('latin1');
  }

  /** Leaves without reading anything more. */
  destroy(): void {
    this.socket.destroy();
  }
}

describe('stale data from a previous client', () => {
  let vm: VmFixture;
  beforeAll(async () => {
    vm = await bootVm();
    const made = await vm.guestShell(`dd if=/dev/urandom of=${BIG_FILE} bs=65536 count=${BIG_BYTES / 65536} 2>/dev/null`);
    expect(made.status).toBe(0);
  });
  afterAll(async () => {
    await vm?.stop();
  });

  /** Opens the big file and asks for all of it, reads only the first 64 KiB, and leaves. */
  async function leaveUnreadReply(): Promise<number> {
    const client = await RawClient.connect(vm.socket);
    client.write(`{"execute": "guest-file-open", "arguments": {"path": "${BIG_FILE}", "mode": "r"}, "id": "open"}\n`);
    await client.until((r) => r.includes('"id": "open"}\n'));
    const handle = (JSON.parse(client.firstLine()) as { return: number }).return;
    const before = client.received.length;
    client.write(`{"execute": "guest-file-read", "arguments": {"handle": ${handle}, "count": ${BIG_BYTES}}, "id": "read"}\n`);
    await client.until((r) => r.length >= before + 65536);
    client.destroy();
    return handle;
  }

  it('a client that does not sync gets the tail of the unread reply instead of its own', async () => {
    await leaveUnreadReply();
    const client = await RawClient.connect(vm.socket);
    client.write('{"execute": "guest-ping", "id": "naive"}\n');
    await client.until((r) => r.includes(0x0a));
    const first = client.firstLine();
    expect(first).not.toBe('{"return": {}, "id": "naive"}');
    expect(first.startsWith('{')).toBe(false); // the middle of a base64 string
    client.destroy();
    // Let the agent finish answering before the next test.
    const cleanup = vm.session();
    await cleanup.connect({ timeoutMs: 30_000 });
    cleanup.close();
  });

  it("a Session's sync discards the tail of an unread reply, and every reply matches", async () => {
    const handle = await leaveUnreadReply();
    const session = vm.session();
    const calls = recordCalls(session);
    try {
      await session.connect({ timeoutMs: 30_000 });
      // Most of the 5.6 MB line arrived after the first client left, and was thrown away.
      expect(session.discards.bytes).toBeGreaterThan(BIG_BYTES);
      expect(session.discards.recent().some((d) => /not JSON|partial line|longer than/.test(d.reason))).toBe(true);
      expect(await session.call('guest-ping')).toMatchObject({ status: 'ok', value: {} });
      // The handle outlives the connection that opened it; close it.
      expect(await session.call('guest-file-close', { handle })).toMatchObject({ status: 'ok', value: {} });
      expect(await session.call('guest-info')).toMatchObject({ status: 'ok', value: { version: '7.2.22' } });
      expect(calls.map((c) => c.status)).toEqual(['ok', 'ok', 'ok']);
      expect(repliesMatchRequests(calls)).toBe(true);
    } finally {
      session.close();
    }
  });

  /** Sends one whole request (and waits for its reply, so the half behind it has arrived), then half of another. */
  async function leaveHalfRequest(): Promise<void> {
    const client = await RawClient.connect(vm.socket);
    client.write('{"execute": "guest-ping", "id": "whole"}\n{"execute": "guest-info", "argu');
    await client.until((r) => r.includes('"id": "whole"}\n'));
    client.destroy();
  }

  it('a client that does not sync has its request spoiled by half a request left before it', async () => {
    await leaveHalfRequest();
    const client = await RawClient.connect(vm.socket);
    client.write('{"execute": "guest-ping", "id": "naive"}\n');
    await client.until((r) => r.includes(0x0a));
    expect(client.firstLine()).not.toBe('{"return": {}, "id": "naive"}');
    expect(client.firstLine()).toContain('"error"');
    client.destroy();
  });

  it("a Session's sync clears half a request left by another client, and every reply matches", async () => {
    await leaveHalfRequest();
    const session = vm.session();
    const calls = recordCalls(session);
    try {
      await session.connect({ timeoutMs: 30_000 });
      // The agent's complaint about the broken input (it names the leftover "argu") came
      // before the sync's answer and was dropped.
      expect(session.discards.recent().some((d) => d.text.includes('JSON parse error') && d.text.includes('argu'))).toBe(true);
      for (const command of ['guest-ping', 'guest-info', 'guest-get-host-name']) {
        expect((await session.call(command)).status).toBe('ok');
      }
      expect(calls[2]).toMatchObject({ value: { 'host-name': 'qh-lab' } });
      expect(calls.map((c) => c.status)).toEqual(['ok', 'ok', 'ok']);
      expect(repliesMatchRequests(calls)).toBe(true);
    } finally {
      session.close();
    }
  });
});
