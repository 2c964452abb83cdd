// 10,000 commands through one Session over virtio-serial to the real agent: mixed kinds,
// queued 100 at a time. Every one must succeed with its own reply, in order, and nothing
// may be discarded after the connect's sync.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isJsonObject, type JsonObject } from '../../src/protocol/json.js';
import type { CallResult } from '../../src/session/session.js';
import { bootVm, recordCalls, repliesMatchRequests, type VmFixture } from '../helpers/vm.js';

const TOTAL = 10_000;
const QUEUED = 100;
const FILE = '/tmp/qh-soak';
const CONTENT = 'soak test file\n';

describe('soak: 10,000 commands over virtio-serial', () => {
  let vm: VmFixture;
  beforeAll(async () => {
    vm = await bootVm();
    expect((await vm.guestShell(`printf '${CONTENT.replace('\n', '\\n')}' > ${FILE}`)).status).toBe(0);
  });
  afterAll(async () => {
    await vm?.stop();
  });

  it('every command gets its own correct reply; nothing is lost, mismatched or discarded', async () => {
    const session = vm.session();
    const calls = recordCalls(session);
    await session.connect();
    const discardedAtSync = session.discards.count;
    const opened = await session.call('guest-file-open', { path: FILE, mode: 'r' });
    const handle = opened.status === 'ok' ? (opened.value as number) : -1;

    // What each kind is asked, and how its answer is checked.
    const kinds: { execute: string; args?: JsonObject; check: (r: CallResult) => boolean }[] = [
      { execute: 'guest-ping', check: (r) => r.status === 'ok' && isJsonObject(r.value) && Object.keys(r.value).length === 0 },
      { execute: 'guest-get-time', check: (r) => r.status === 'ok' && typeof r.value === 'bigint' },
      { execute: 'guest-get-host-name', check: (r) => r.status === 'ok' && isJsonObject(r.value) && r.value['host-name'] === 'qh-lab' },
      { execute: 'guest-info', check: (r) => r.status === 'ok' && isJsonObject(r.value) && r.value.version === '7.2.22' },
      { execute: 'guest-file-seek', args: { handle, offset: 0, whence: 'set' }, check: (r) => r.status === 'ok' && isJsonObject(r.value) && r.value.position === 0 },
      {
        execute: 'guest-file-read',
        args: { handle, count: 64 },
        check: (r) => r.status === 'ok' && isJsonObject(r.value) && typeof r.value['buf-b64'] === 'string' &&
          Buffer.from(r.value['buf-b64'], 'base64').toString() === CONTENT,
      },
    ];
    // Mostly pings, like a monitoring loop, with the others mixed in; each read follows a seek.
    const pattern = [0, 0, 0, 1, 0, 2, 0, 3, 4, 5];

    let bad = 0;
    let done = 0;
    while (done < TOTAL) {
      const batch = Array.from({ length: Math.min(QUEUED, TOTAL - done) }, (_, i) => kinds[pattern[(done + i) % pattern.length]!]!);
      const results = await Promise.all(batch.map((k) => session.call(k.execute, k.args, { timeoutMs: 30_000 })));
      results.forEach((r, i) => {
        if (!batch[i]!.check(r)) bad += 1;
      });
      done += batch.length;
    }
    await session.call('guest-file-close', { handle });
    session.close();

    expect(bad).toBe(0);
    expect(calls).toHaveLength(TOTAL + 2);
    expect(calls.every((c) => c.status === 'ok')).toBe(true);
    expect(repliesMatchRequests(calls)).toBe(true);
    // Calls finished in the order they were queued.
    expect(calls.every((c, i) => i === 0 || c.seq > calls[i - 1]!.seq)).toBe(true);
    expect(session.discards.count).toBe(discardedAtSync);
    expect(session.stats.syncs).toBe(1);
  });
});
