// 10,000 commands over one Session through virtio-serial to the real agent, with stale data
// injected between them. The chardev serves one client at a time, so at random gaps (a
// seeded PRNG: a failure reproduces with the printed seed, QH_SOAK_SEED=N) the session
// drops its connection, and one or two raw clients connect, write requests with their own
// ids (sometimes a read of a few hundred KB, sometimes half a request) and close without
// reading. Their replies reach the session when it reconnects; its sync must throw them
// away. Every command must get its own correct reply, no injected id may ever reach a call,
// and the heap must not grow (measured after forced GCs; the vm project runs --expose-gc).
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isJsonObject, stringifyJson, type JsonObject, type JsonValue } from '../../src/protocol/json.js';
import type { CallResult } from '../../src/session/session.js';
import { bootVm, nextState, type VmFixture } from '../helpers/vm.js';

const TOTAL = 10_000;
/** Chance that a gap between two commands gets stale data injected. */
const INJECT_CHANCE = 0.03;
const SEED = Number(process.env.QH_SOAK_SEED ?? 20_261_125);
const MEMORY_SAMPLE_AT = 1_000;
const MEMORY_GROWTH_LIMIT = 20 * 1024 * 1024;
const FILE = '/tmp/qh-soak';
const CONTENT = 'soak test file\n';
const BIG_FILE = '/tmp/qh-soak-big';
const BIG_BYTES = 768 * 1024;

/** mulberry32: small, seeded, good enough to pick gaps and shapes reproducibly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * QEMU listens with a backlog of one and accepts the next client only once it has seen the
 * last one leave: a connect made sooner fails with EAGAIN. Counts those, and tries again.
 */
const busy = { retries: 0 };

async function whenFree<T>(connect: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await connect();
    } catch (err) {
      const code = (err as { errno?: string; code?: string }).errno ?? (err as { code?: string }).code;
      if (code !== 'EAGAIN' || busy.retries > 100_000) throw err;
      busy.retries += 1;
      await sleep(2);
    }
  }
}

/** Connects, writes `text`, and closes as soon as it is written, reading nothing. */
function writeAndLeave(socketPath: string, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection({ path: socketPath });
    socket.once('error', reject);
    socket.once('close', () => resolve());
    socket.once('connect', () => {
      socket.pause();
      socket.write(text, () => socket.destroy());
    });
  });
}

function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('global.gc is missing: the vm project must run with execArgv --expose-gc (vitest.config.ts)');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);

describe('soak: 10,000 commands over virtio-serial with stale data injected between them', () => {
  let vm: VmFixture;
  beforeAll(async () => {
    vm = await bootVm();
    expect((await vm.guestShell(`printf '${CONTENT.replace('\n', '\\n')}' > ${FILE}`)).status).toBe(0);
    const made = await vm.guestShell(`dd if=/dev/urandom of=${BIG_FILE} bs=65536 count=${BIG_BYTES / 65536} 2>/dev/null`);
    expect(made.status).toBe(0);
  });
  afterAll(async () => {
    await vm?.stop();
  });

  it('every command gets its own correct reply; the stale replies are discarded; the heap stays flat', async () => {
    const random = prng(SEED);
    const session = vm.session();
    // Every id a raw client used, as the session would print it in a reply's id.
    const injectedIds = new Set<string>();
    // Checked as calls end, keeping nothing per call, so the heap measures the session only.
    let ended = 0;
    let mismatched = 0;
    let injectedIdInReply = 0;
    let outOfOrder = 0;
    let lastSeq = 0;
    session.on('call-end', (record) => {
      ended += 1;
      if (record.seq <= lastSeq) outOfOrder += 1;
      lastSeq = record.seq;
      const replyId = record.reply?.id;
      if (record.reply && (replyId === undefined || stringifyJson(replyId) !== stringifyJson(record.request.id ?? null))) mismatched += 1;
      if (replyId !== undefined && injectedIds.has(stringifyJson(replyId))) injectedIdInReply += 1;
    });
    // Every discard the session reports, whatever the log's capacity: how many, and which
    // injected ids they carried (a whole stale reply names its id in the reason).
    let discarded = 0;
    const discardedInjectedIds = new Set<string>();
    session.on('wire', (event) => {
      if (event.direction !== 'discard') return;
      discarded += 1;
      for (const match of `${event.reason ?? ''} ${event.text}`.matchAll(/"stale-\d+-\d+"|\b9\d{6}\b/g)) {
        if (injectedIds.has(match[0])) discardedInjectedIds.add(match[0]);
      }
    });

    await session.connect({ timeoutMs: 30_000 });
    const small = await session.call('guest-file-open', { path: FILE, mode: 'r' });
    const big = await session.call('guest-file-open', { path: BIG_FILE, mode: 'r' });
    const handle = small.status === 'ok' ? (small.value as number) : -1;
    const bigHandle = big.status === 'ok' ? (big.value as number) : -1;
    expect(handle).toBeGreaterThan(0);
    expect(bigHandle).toBeGreaterThan(0);

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

    // What one raw client writes: requests with its own ids (strings, or numbers from
    // 9,000,000 up), sometimes a big read, sometimes ending in half a request.
    let nextInjected = 0;
    const injection = (): { text: string; shape: string } => {
      const n = nextInjected++;
      const requests: object[] = [];
      const id = (k: number): JsonValue => {
        const value: JsonValue = random() < 0.5 ? `stale-${n}-${k}` : 9_000_000 + n * 10 + k;
        injectedIds.add(stringifyJson(value));
        return value;
      };
      const roll = random();
      const shape = roll < 0.4 ? 'whole' : roll < 0.7 ? 'big-read' : 'half';
      if (shape === 'big-read') {
        const count = 200 * 1024 + Math.floor(random() * 400 * 1024);
        requests.push({ execute: 'guest-file-seek', arguments: { handle: bigHandle, offset: 0, whence: 'set' }, id: id(0) });
        requests.push({ execute: 'guest-file-read', arguments: { handle: bigHandle, count }, id: id(1) });
      } else {
        const whole = shape === 'whole' ? 1 + Math.floor(random() * 3) : Math.floor(random() * 2);
        for (let k = 0; k < whole; k++) requests.push({ execute: ['guest-ping', 'guest-info', 'guest-get-host-name'][k % 3]!, id: id(k) });
      }
      let text = requests.map((r) => `${JSON.stringify(r)}\n`).join('');
      if (shape === 'half') {
        const half = JSON.stringify({ execute: 'guest-get-host-name', id: id(9) });
        text += half.slice(0, 1 + Math.floor(random() * (half.length - 2)));
      }
      return { text, shape };
    };

    let bad = 0;
    let done = 0;
    let gaps = 0;
    let rawClients = 0;
    const shapes: Record<string, number> = { whole: 0, 'big-read': 0, half: 0 };
    let heapAtSample: number | undefined;
    const started = performance.now();
    while (done < TOTAL) {
      // A run of queued commands up to the next gap that gets stale data.
      let run = 1;
      while (done + run < TOTAL && random() >= INJECT_CHANCE) run += 1;
      const batch = Array.from({ length: run }, (_, i) => kinds[pattern[(done + i) % pattern.length]!]!);
      const results = await Promise.all(batch.map((k) => session.call(k.execute, k.args, { timeoutMs: 30_000 })));
      results.forEach((r, i) => {
        if (!batch[i]!.check(r)) bad += 1;
      });
      done += run;
      if (heapAtSample === undefined && done >= MEMORY_SAMPLE_AT) heapAtSample = heapAfterGc();
      if (done >= TOTAL) break;

      gaps += 1;
      const dropped = nextState(session, 'disconnected');
      session.disconnect();
      await dropped;
      const clients = random() < 0.2 ? 2 : 1;
      for (let c = 0; c < clients; c++) {
        const { text, shape } = injection();
        shapes[shape] = (shapes[shape] ?? 0) + 1;
        rawClients += 1;
        await whenFree(() => writeAndLeave(vm.socket, text));
      }
      // The session continues: it reconnects and syncs before its next command.
      await whenFree(() => session.connect({ timeoutMs: 30_000 }));
    }
    const seconds = (performance.now() - started) / 1000;
    await session.call('guest-file-close', { handle });
    await session.call('guest-file-close', { handle: bigHandle });
    const heapAtEnd = heapAfterGc();
    const stats = session.stats;
    session.close();

    console.log(
      `soak (seed ${SEED}): ${TOTAL} commands in ${seconds.toFixed(1)} s; ${gaps} gaps with stale data from ${rawClients} raw clients ` +
        `(${shapes.whole} whole requests, ${shapes['big-read']} big reads, ${shapes.half} half requests); ` +
        `session discarded ${discarded} items (${mb(stats.discardedBytes)} MB), ${discardedInjectedIds.size} of ${injectedIds.size} injected ids seen ` +
        `among them; ${stats.syncs} syncs; ${busy.retries} connects retried after EAGAIN; heap after GC at ${MEMORY_SAMPLE_AT} commands ${mb(heapAtSample ?? 0)} MB, ` +
        `at the end ${mb(heapAtEnd)} MB (growth ${mb(heapAtEnd - (heapAtSample ?? 0))} MB)`,
    );

    expect(bad).toBe(0);
    // The soak's commands, plus opening and closing the two files.
    expect(ended).toBe(TOTAL + 4);
    expect(mismatched).toBe(0);
    expect(outOfOrder).toBe(0);
    expect(injectedIdInReply).toBe(0);
    // Stale data really was injected, reached the session, and was thrown away.
    expect(gaps).toBeGreaterThan(100);
    expect(shapes.whole).toBeGreaterThan(0);
    expect(shapes['big-read']).toBeGreaterThan(0);
    expect(shapes.half).toBeGreaterThan(0);
    expect(discarded).toBeGreaterThan(0);
    expect(stats.discardedMessages).toBe(discarded);
    expect(discardedInjectedIds.size).toBeGreaterThan(0);
    expect(stats.syncs).toBeGreaterThanOrEqual(gaps + 1);
    expect(heapAtSample).toBeDefined();
    expect(heapAtEnd - heapAtSample!).toBeLessThan(MEMORY_GROWTH_LIMIT);
  });
});
