// The libvirt transport's figures (`npm run bench -- --vm`): a private libvirtd, the lab
// guest as a domain, and guest-ping per command through our transport (one long-lived
// virsh fed on stdin) against the plain way, one `virsh qemu-agent-command` process per
// command, in the same run, rounds alternating so machine noise hits both alike. Also
// what a big request and a big reply cost through libvirt (readline reads virsh's stdin
// a byte at a time; libvirt's RPC carries at most 4 MiB).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Session } from '../src/session/session.js';
import { LibvirtTransport } from '../src/transport/libvirt/libvirt-transport.js';
import { startLibvirtd, type LibvirtDaemon } from '../test/helpers/libvirt.js';
import { fmt, median } from './stats.js';

const exec = promisify(execFile);
const DOMAIN = 'qh-bench';
const ROUNDS = 3;
const OURS_PER_ROUND = 300;
const SPAWNS_PER_ROUND = 30;

async function oursPerCommand(session: Session, count: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < count; i++) await session.call('guest-ping');
  return (performance.now() - started) / count;
}

async function spawnsPerCommand(uri: string, count: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < count; i++) await exec('virsh', ['-c', uri, 'qemu-agent-command', DOMAIN, '{"execute":"guest-ping"}']);
  return (performance.now() - started) / count;
}

async function bigMessages(session: Session, figures: Record<string, string>): Promise<void> {
  await session.call('guest-exec', { path: '/bin/dd', arg: ['if=/dev/zero', 'of=/tmp/bench.bin', 'bs=1M', 'count=2'] });
  await new Promise((r) => setTimeout(r, 500));
  const opened = await session.call('guest-file-open', { path: '/tmp/bench.bin', mode: 'r' });
  const handle = opened.status === 'ok' ? (opened.value as number) : 0;
  let started = performance.now();
  await session.call('guest-file-read', { handle, count: 1024 * 1024 }, { timeoutMs: 60_000 });
  figures['guest-file-read of 1 MiB, reply 1.4 MB (ms)'] = fmt(performance.now() - started, 0);
  await session.call('guest-file-close', { handle });
  const out = await session.call('guest-file-open', { path: '/tmp/bench.out', mode: 'w' });
  const wh = out.status === 'ok' ? (out.value as number) : 0;
  const data = Buffer.alloc(64 * 1024, 7).toString('base64');
  started = performance.now();
  await session.call('guest-file-write', { handle: wh, 'buf-b64': data }, { timeoutMs: 60_000 });
  figures['guest-file-write of 64 KiB, request 87 KB (ms)'] = fmt(performance.now() - started, 0);
  await session.call('guest-file-close', { handle: wh });
}

export async function run(args: string[]): Promise<{ name: string; figures: Record<string, string>; notes: string[] }> {
  if (!args.includes('--vm')) {
    return { name: 'libvirt', figures: {}, notes: ['not run: pass --vm (npm run bench -- --vm) to start a libvirtd and the lab guest as a domain'] };
  }
  const figures: Record<string, string> = {};
  const notes: string[] = [];
  // Fails with the apt-get line when libvirtd, virsh or unshare is missing.
  const daemon: LibvirtDaemon = await startLibvirtd();
  const session = new Session(new LibvirtTransport({ kind: 'libvirt', domain: DOMAIN, uri: daemon.uri }));
  try {
    await daemon.defineLab(DOMAIN);
    await daemon.waitForAgent(DOMAIN);
    await oursPerCommand(session, 20);
    const ours: number[] = [];
    const spawns: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      ours.push(await oursPerCommand(session, OURS_PER_ROUND));
      spawns.push(await spawnsPerCommand(daemon.uri, SPAWNS_PER_ROUND));
    }
    const a = median(ours);
    const b = median(spawns);
    figures['guest-ping through our transport, per command (ms)'] = fmt(a);
    figures['guest-ping with one virsh process per command (ms)'] = fmt(b);
    figures['plain spawns / our transport'] = `${fmt(b / a, 1)}x`;
    notes.push(`${ROUNDS} rounds of ${OURS_PER_ROUND} (ours) and ${SPAWNS_PER_ROUND} (spawns) pings, medians of the rounds; libvirtd on a unix socket, TCG guest`);
    await bigMessages(session, figures);
  } finally {
    session.close();
    await daemon.stop();
  }
  return { name: 'libvirt', figures, notes };
}
