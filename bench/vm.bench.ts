// The lab VM's figures (`npm run bench -- --vm`): boot-to-ready of the lab guest, the
// image cache, guest-ping round trips, and pulling a file out of the guest with
// guest-file-read in chunks, each through our Session against a minimal raw client on the
// same VM in the same run, rounds alternating so that machine noise hits both sides alike.
import { createHash } from 'node:crypto';
import net from 'node:net';
import { GuestConsole, ensureLabImage, startLab, type LabTransport, type LabVm } from '../src/lab/index.js';
import { Session } from '../src/session/session.js';
import { SocketTransport } from '../src/transport/socket-transport.js';
import { rawRoundTrips } from '../test/helpers/raw-client.js';
import { fmt, median } from './stats.js';

const BOOTS = 5;
const ROUNDS = 3;
const PINGS: Record<LabTransport, number> = { virtio: 2000, isa: 500 };

async function sessionPings(socketPath: string, count: number): Promise<number> {
  const session = new Session(new SocketTransport({ kind: 'unix', path: socketPath }));
  try {
    await session.connect();
    const started = performance.now();
    for (let i = 0; i < count; i++) await session.call('guest-ping');
    return performance.now() - started;
  } finally {
    session.close();
  }
}

const PULL_FILE = '/tmp/qh-pull';
const PULL_BYTES = 8 * 1024 * 1024;
const PULL_CHUNKS = [64 * 1024, 1024 * 1024];
const PULL_ROUNDS = 3;

interface Pull {
  ms: number;
  sha256: string;
}

/**
 * A raw client pulling the file: sync, open, read `chunk` bytes at a time until eof (each
 * reply parsed with JSON.parse and decoded from base64), close. Times open to close.
 */
function rawPull(socketPath: string, chunk: number): Promise<Pull> {
  return new Promise((resolve, reject) => {
    const sock = net.createConnection({ path: socketPath });
    const hash = createHash('sha256');
    let pending: Buffer[] = [];
    let synced = false;
    let handle = -1;
    let started = 0;
    const send = (request: object): void => {
      sock.write(`${JSON.stringify(request)}\n`);
    };
    const read = (): void => send({ execute: 'guest-file-read', arguments: { handle, count: chunk } });
    const onLine = (line: string): void => {
      if (!synced) {
        if (line.startsWith('\xff') && line.includes('4343')) {
          synced = true;
          started = performance.now();
          send({ execute: 'guest-file-open', arguments: { path: PULL_FILE, mode: 'r' } });
        }
        return;
      }
      const reply = JSON.parse(line) as { return?: unknown; error?: { desc: string } };
      if (reply.error) throw new Error(`raw pull: ${reply.error.desc}`);
      if (handle === -1) {
        handle = reply.return as number;
        read();
        return;
      }
      const value = reply.return as { 'buf-b64'?: string; eof?: boolean } | Record<string, never>;
      if (!('buf-b64' in value) || value['buf-b64'] === undefined) {
        // The close's {} reply.
        const ms = performance.now() - started;
        sock.destroy();
        resolve({ ms, sha256: hash.digest('hex') });
        return;
      }
      hash.update(Buffer.from(value['buf-b64'], 'base64'));
      if (value.eof) send({ execute: 'guest-file-close', arguments: { handle } });
      else read();
    };
    sock.on('error', reject);
    sock.on('connect', () => sock.write('\xff{"execute":"guest-sync-delimited","arguments":{"id":4343}}\n', 'latin1'));
    sock.on('data', (data: Buffer) => {
      // Lines can be megabytes: keep the pieces and join them only at a newline.
      for (let at = data.indexOf(0x0a); at !== -1; at = data.indexOf(0x0a)) {
        pending.push(data.subarray(0, at));
        const line = Buffer.concat(pending).toString('latin1');
        pending = [];
        data = data.subarray(at + 1);
        try {
          onLine(line);
        } catch (err) {
          sock.destroy();
          reject(err as Error);
          return;
        }
      }
      if (data.length > 0) pending.push(data);
    });
  });
}

/** The same pull through a Session: open, guest-file-read until eof, close. */
async function sessionPull(socketPath: string, chunk: number): Promise<Pull> {
  const session = new Session(new SocketTransport({ kind: 'unix', path: socketPath }));
  const hash = createHash('sha256');
  try {
    await session.connect();
    const started = performance.now();
    const opened = await session.call('guest-file-open', { path: PULL_FILE, mode: 'r' });
    const handle = opened.status === 'ok' ? (opened.value as number) : -1;
    for (;;) {
      const result = await session.call('guest-file-read', { handle, count: chunk });
      const value = (result.status === 'ok' ? result.value : {}) as { 'buf-b64'?: string; eof?: boolean };
      hash.update(Buffer.from(value['buf-b64'] ?? '', 'base64'));
      if (value.eof !== false) break;
    }
    await session.call('guest-file-close', { handle });
    return { ms: performance.now() - started, sha256: hash.digest('hex') };
  } finally {
    session.close();
  }
}

async function pullFigures(vm: LabVm, figures: Record<string, string>, notes: string[]): Promise<void> {
  const guestConsole = await GuestConsole.open(vm.consoleSocket, 60_000);
  let guestSha: string | undefined;
  try {
    const made = await guestConsole.run(`dd if=/dev/urandom of=${PULL_FILE} bs=1048576 count=${PULL_BYTES / 1048576} 2>/dev/null && sha256sum ${PULL_FILE}`);
    guestSha = /\b([0-9a-f]{64})\s+\/tmp\/qh-pull/.exec(made.output)?.[1];
    if (made.status !== 0 || !guestSha) throw new Error(`could not make ${PULL_FILE} in the guest: ${made.output}`);
  } finally {
    guestConsole.close();
  }
  const mbPerS = (ms: number): number => PULL_BYTES / 1e6 / (ms / 1000);
  for (const chunk of PULL_CHUNKS) {
    const raw: number[] = [];
    const ours: number[] = [];
    for (let i = 0; i < PULL_ROUNDS; i++) {
      const r = await rawPull(vm.socket, chunk);
      const s = await sessionPull(vm.socket, chunk);
      if (r.sha256 !== guestSha || s.sha256 !== guestSha) throw new Error(`pulled file differs from the guest's (sha256 ${guestSha}; raw ${r.sha256}, Session ${s.sha256})`);
      raw.push(r.ms);
      ours.push(s.ms);
    }
    const label = `virtio: pull ${PULL_BYTES / 1048576} MiB with guest-file-read, ${chunk / 1024} KiB chunks`;
    const r = mbPerS(median(raw));
    const s = mbPerS(median(ours));
    figures[`${label}, raw client (MB/s)`] = fmt(r, 1);
    figures[`${label}, Session (MB/s)`] = fmt(s, 1);
    figures[`${label}, Session / raw`] = fmt(s / r, 2);
  }
  notes.push(`pull: median of ${PULL_ROUNDS} rounds each, open to close, every pull checked against the guest's sha256sum`);
}

async function pingFigures(transport: LabTransport, figures: Record<string, string>, notes: string[]): Promise<void> {
  const vm: LabVm = await startLab({ transport });
  try {
    const count = PINGS[transport];
    const raw: number[] = [];
    const ours: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      raw.push(await rawRoundTrips(vm.socket, count));
      ours.push(await sessionPings(vm.socket, count));
    }
    const r = median(raw) / count;
    const s = median(ours) / count;
    figures[`${transport}: guest-ping round trip, raw client (ms)`] = fmt(r, 3);
    figures[`${transport}: guest-ping round trip, Session (ms)`] = fmt(s, 3);
    figures[`${transport}: Session / raw`] = fmt(s / r, 2);
    if (transport === 'virtio') await pullFigures(vm, figures, notes);
  } finally {
    await vm.stop();
  }
}

async function bootFigures(transport: LabTransport, boots: number, figures: Record<string, string>): Promise<void> {
  const ready: number[] = [];
  for (let i = 0; i < boots; i++) {
    const vm = await startLab({ transport });
    ready.push(vm.readyMs!);
    await vm.stop();
  }
  figures[`${transport}: boot to first guest-ping reply, median of ${boots} (s)`] = fmt(median(ready) / 1000);
  figures[`${transport}: boot to ready, min-max (s)`] = `${fmt(Math.min(...ready) / 1000)}-${fmt(Math.max(...ready) / 1000)}`;
}

export async function run(args: string[]): Promise<{ name: string; figures: Record<string, string>; notes: string[] }> {
  if (!args.includes('--vm')) {
    return { name: 'vm', figures: {}, notes: ['not run: pass --vm (npm run bench -- --vm) to boot the lab guest'] };
  }
  const figures: Record<string, string> = {};
  const notes: string[] = [];
  await ensureLabImage({ onProgress: (m) => notes.push(`first build: ${m}`) });

  let started = performance.now();
  const cached = await ensureLabImage();
  figures['image from the cache (ms)'] = fmt(performance.now() - started, 1);
  started = performance.now();
  const rebuilt = await ensureLabImage({ rebuild: true });
  figures['image rebuilt from the package cache (s)'] = fmt((performance.now() - started) / 1000);
  figures['initramfs (MB, gzipped)'] = fmt(rebuilt.manifest.initrdBytes / 1e6);
  notes.push(`kernel ${cached.manifest.kernelRelease}; ${rebuilt.manifest.packages.length} packages`);

  await bootFigures('virtio', BOOTS, figures);
  await bootFigures('isa', 3, figures);
  await pingFigures('virtio', figures, notes);
  await pingFigures('isa', figures, notes);
  return { name: 'vm', figures, notes };
}
