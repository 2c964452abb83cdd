// The lab VM's figures (`npm run bench -- --vm`): boot-to-ready of the lab guest, the
// image cache, and guest-ping round trips through our Session against a minimal raw client
// on the same VM in the same run (virtio-serial and isa-serial), rounds alternating so that
// machine noise hits both sides alike.
import net from 'node:net';
import { ensureLabImage, startLab, type LabTransport, type LabVm } from '../src/lab/index.js';
import { Session } from '../src/session/session.js';
import { SocketTransport } from '../src/transport/socket-transport.js';
import { fmt, median } from './stats.js';

const BOOTS = 5;
const ROUNDS = 3;
const PINGS: Record<LabTransport, number> = { virtio: 2000, isa: 500 };

/** Connects, syncs once, then sends `count` pings one after another; returns ms for the pings. */
function rawPings(socketPath: string, count: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const sock = net.createConnection({ path: socketPath });
    let buffer = '';
    let left = count;
    let synced = false;
    let started = 0;
    sock.setEncoding('latin1');
    sock.on('error', reject);
    sock.on('connect', () => sock.write('\xff{"execute":"guest-sync-delimited","arguments":{"id":4242}}\n', 'latin1'));
    sock.on('data', (chunk: string) => {
      buffer += chunk;
      for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (!synced) {
          if (line.startsWith('\xff') && line.includes('4242')) {
            synced = true;
            started = performance.now();
            sock.write('{"execute":"guest-ping"}\n');
          }
          continue;
        }
        if (--left === 0) {
          const ms = performance.now() - started;
          sock.destroy();
          resolve(ms);
          return;
        }
        sock.write('{"execute":"guest-ping"}\n');
      }
    });
  });
}

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

async function pingFigures(transport: LabTransport, figures: Record<string, string>): Promise<void> {
  const vm: LabVm = await startLab({ transport });
  try {
    const count = PINGS[transport];
    const raw: number[] = [];
    const ours: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      raw.push(await rawPings(vm.socket, count));
      ours.push(await sessionPings(vm.socket, count));
    }
    const r = median(raw) / count;
    const s = median(ours) / count;
    figures[`${transport}: guest-ping round trip, raw client (ms)`] = fmt(r, 3);
    figures[`${transport}: guest-ping round trip, Session (ms)`] = fmt(s, 3);
    figures[`${transport}: Session / raw`] = fmt(s / r, 2);
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
  await pingFigures('virtio', figures);
  await pingFigures('isa', figures);
  return { name: 'vm', figures, notes };
}
