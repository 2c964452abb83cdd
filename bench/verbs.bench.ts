// Issue 6's figures, all against one real qemu-ga in the same run:
// - get and put of a 100 MB file through the built CLI against a raw client written here (a
//   minimal chunked guest-file-read/-write loop over a raw socket, 1 MiB chunks, no
//   checksum), both as whole processes, alternating rounds; target: qemu-host >= 0.9x raw.
// - peak RSS of the CLI moving a 1 GB file each way; target: under 100 MB.
// - `exec -- true` end to end (process start to exit) against a raw guest-exec + tight
//   guest-exec-status poll client; target: within 20 ms of it. Also in-process on held
//   connections (the verb's own cost) and the bare start-up cost of each process.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { startAgent, type AgentFixture } from '../test/helpers/agent.js';
import { fmt, median } from './stats.js';

const CLI = path.resolve('dist/cli.js');
const MB = 1_000_000;
const ROUNDS = 5;
const EXEC_ROUNDS = 21;

// The raw transfer client: `node -e RAW_TRANSFER get|put SOCKET GUEST LOCAL CHUNK`.
const RAW_TRANSFER = `
const net = require('node:net'), fs = require('node:fs');
const [mode, sockPath, guest, local, chunkText] = process.argv.slice(1);
const chunk = Number(chunkText);
const sock = net.createConnection({ path: sockPath });
let parts = [], waiter;
sock.on('data', (d) => {
  let pos = 0;
  for (;;) {
    const nl = d.indexOf(10, pos);
    if (nl === -1) { parts.push(d.subarray(pos)); return; }
    parts.push(d.subarray(pos, nl));
    const line = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    parts = []; pos = nl + 1;
    const w = waiter; waiter = undefined; w(line);
  }
});
const call = (obj) => new Promise((r) => { waiter = (line) => r(JSON.parse(line.toString())); sock.write(JSON.stringify(obj) + '\\n'); });
sock.on('connect', async () => {
  await new Promise((r) => { const w = (line) => { if (line[0] === 0xff) r(); else waiter = w; }; waiter = w;
    sock.write('\\xff{"execute":"guest-sync-delimited","arguments":{"id":77}}\\n', 'latin1'); });
  if (mode === 'get') {
    const h = (await call({ execute: 'guest-file-open', arguments: { path: guest, mode: 'r' } })).return;
    const fd = fs.openSync(local, 'w');
    for (;;) {
      const r = (await call({ execute: 'guest-file-read', arguments: { handle: h, count: chunk } })).return;
      fs.writeSync(fd, Buffer.from(r['buf-b64'], 'base64'));
      if (r.eof) break;
    }
    fs.closeSync(fd);
    await call({ execute: 'guest-file-close', arguments: { handle: h } });
  } else {
    const h = (await call({ execute: 'guest-file-open', arguments: { path: guest, mode: 'w' } })).return;
    const fd = fs.openSync(local, 'r'), buf = Buffer.allocUnsafe(chunk);
    for (;;) {
      const n = fs.readSync(fd, buf, 0, chunk, null);
      if (n === 0) break;
      await call({ execute: 'guest-file-write', arguments: { handle: h, 'buf-b64': buf.subarray(0, n).toString('base64') } });
    }
    fs.closeSync(fd);
    await call({ execute: 'guest-file-close', arguments: { handle: h } });
  }
  sock.end();
});
`;

// The raw exec client: sync, guest-exec true, then guest-exec-status as fast as replies come.
const RAW_EXEC = `
const net = require('node:net');
const sock = net.createConnection({ path: process.argv[1] });
let buf = '', waiter;
sock.setEncoding('latin1');
sock.on('data', (d) => {
  buf += d;
  let nl;
  while ((nl = buf.indexOf('\\n')) !== -1) { const line = buf.slice(0, nl); buf = buf.slice(nl + 1); const w = waiter; waiter = undefined; w(line); }
});
const call = (obj) => new Promise((r) => { waiter = (line) => r(JSON.parse(line)); sock.write(JSON.stringify(obj) + '\\n'); });
sock.on('connect', async () => {
  await new Promise((r) => { const w = (line) => { if (line.charCodeAt(0) === 0xff) r(); else waiter = w; }; waiter = w;
    sock.write('\\xff{"execute":"guest-sync-delimited","arguments":{"id":78}}\\n', 'latin1'); });
  const pid = (await call({ execute: 'guest-exec', arguments: { path: 'true', 'capture-output': true } })).return.pid;
  for (;;) { const s = (await call({ execute: 'guest-exec-status', arguments: { pid } })).return; if (s.exited) { process.exitCode = s.exitcode; break; } }
  sock.end();
});
`;

// Preloaded into measured processes: writes the peak RSS (KiB) to $QH_RSS_FILE at exit.
const RSS_PRELOAD = `process.on('exit', () => { if (process.env.QH_RSS_FILE) require('node:fs').writeFileSync(process.env.QH_RSS_FILE, String(process.resourceUsage().maxRSS)); });`;

interface Timed {
  ms: number;
  rssKiB: number;
}

function timeProcess(argv: string[], dir: string): Promise<Timed> {
  const rssFile = path.join(dir, `rss-${randomBytes(4).toString('hex')}`);
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, ['--require', path.join(dir, 'rss-preload.cjs'), ...argv], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, QH_RSS_FILE: rssFile },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - start;
      if (code !== 0) {
        reject(new Error(`${argv.slice(0, 4).join(' ')} ... exited ${code}: ${stderr}`));
        return;
      }
      const rssKiB = Number(readFileSync(rssFile, 'utf8'));
      rmSync(rssFile, { force: true });
      resolve({ ms, rssKiB });
    });
  });
}

async function randomFile(file: string, bytes: number): Promise<void> {
  const out = createWriteStream(file);
  for (let left = bytes; left > 0; left -= 4 * MB) {
    if (!out.write(randomBytes(Math.min(4 * MB, left)))) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

// In one process on held connections, alternating: a raw exec + tight-poll client and the
// runExec verb on a Session. bench.mjs keeps packages external, which a bundle in a temp
// dir cannot resolve, so this part is bundled whole (esbuild) and run as a child.
const IN_PROCESS = `
import net from 'node:net';
import { Session } from './src/session/session.js';
import { SocketTransport } from './src/transport/socket-transport.js';
import { runExec } from './src/verbs/exec/exec.js';
const [socketPath, roundsText] = process.argv.slice(2);
const rounds = Number(roundsText);
const raw = [], verb = [];

// The agent serves one client at a time, so the two take turns in blocks, each on its own
// connection held for the whole block.
async function rawBlock() {
  const sock = net.createConnection({ path: socketPath });
  let buf = '';
  let waiter;
  sock.setEncoding('latin1');
  sock.on('data', (d) => {
    buf += d;
    for (let nl = buf.indexOf('\\n'); nl !== -1; nl = buf.indexOf('\\n')) {
      const line = buf.slice(0, nl); buf = buf.slice(nl + 1);
      const w = waiter; waiter = undefined; w?.(line);
    }
  });
  await new Promise((r) => sock.once('connect', r));
  await new Promise((resolve) => {
    const w = (line) => { if (line.charCodeAt(0) === 0xff) resolve(); else waiter = w; };
    waiter = w;
    sock.write('\\xff{"execute":"guest-sync-delimited","arguments":{"id":79}}\\n', 'latin1');
  });
  const call = (obj) => new Promise((r) => { waiter = (line) => r(JSON.parse(line)); sock.write(JSON.stringify(obj) + '\\n'); });
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    const pid = (await call({ execute: 'guest-exec', arguments: { path: 'true', 'capture-output': true } })).return.pid;
    while (!(await call({ execute: 'guest-exec-status', arguments: { pid } })).return.exited);
    raw.push(performance.now() - t);
  }
  await call({ execute: 'guest-ping' });
  sock.end();
  await new Promise((r) => sock.once('close', r));
}

async function verbBlock() {
  const session = new Session(new SocketTransport({ kind: 'unix', path: socketPath }));
  await session.connect();
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    await runExec(session, { path: 'true' });
    verb.push(performance.now() - t);
  }
  session.close();
}

for (let block = 0; block < 3; block++) {
  await rawBlock();
  await verbBlock();
}
process.stdout.write(JSON.stringify({ raw, verb }));
`;

async function inProcessExec(socketPath: string, rounds: number, dir: string): Promise<{ raw: number[]; verb: number[] }> {
  const outfile = path.join(dir, 'in-process.mjs');
  // Resolved from the checkout: this file itself runs from a temp dir.
  const { build } = createRequire(path.resolve('package.json'))('esbuild') as typeof import('esbuild');
  await build({
    stdin: { contents: IN_PROCESS, resolveDir: path.resolve('.'), sourcefile: 'in-process.ts', loader: 'ts' },
    outfile, bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [outfile, socketPath, String(rounds)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`in-process exec bench exited ${code}`))));
  });
}

const rate = (bytes: number, ms: number): number => bytes / MB / (ms / 1000);

export async function run(args: string[] = []): Promise<{ name: string; figures: Record<string, string>; notes: string[] }> {
  const agent: AgentFixture = await startAgent();
  const work = mkdtempSync(path.join(tmpdir(), 'qh-verbs-bench-'));
  writeFileSync(path.join(work, 'rss-preload.cjs'), RSS_PRELOAD);
  const skipGig = args.includes('--no-1g');
  const figures: Record<string, string> = {};
  const notes: string[] = [];
  try {
    const source = path.join(agent.dir, 'src-100m.bin');
    await randomFile(source, 100 * MB);
    const sock = agent.socket;
    const out = (name: string) => path.join(work, name);
    const raw = { get: [] as number[], put: [] as number[] };
    const tool = { get: [] as number[], put: [] as number[] };
    for (let i = 0; i < ROUNDS; i++) {
      raw.get.push((await timeProcess(['-e', RAW_TRANSFER, 'get', sock, source, out('raw-get'), String(1024 * 1024)], work)).ms);
      tool.get.push((await timeProcess([CLI, '-s', sock, 'get', '--no-verify', source, out('tool-get')], work)).ms);
      raw.put.push((await timeProcess(['-e', RAW_TRANSFER, 'put', sock, path.join(agent.dir, 'raw-put'), source, String(1024 * 1024)], work)).ms);
      tool.put.push((await timeProcess([CLI, '-s', sock, 'put', '--no-verify', source, path.join(agent.dir, 'tool-put')], work)).ms);
    }
    const verified = await timeProcess([CLI, '-s', sock, 'get', source, out('tool-get-verified')], work);
    const [rg, tg, rp, tp] = [median(raw.get), median(tool.get), median(raw.put), median(tool.put)];
    figures['get 100 MB, raw client (MB/s, median)'] = fmt(rate(100 * MB, rg), 1);
    figures['get 100 MB, qemu-host --no-verify (MB/s, median)'] = fmt(rate(100 * MB, tg), 1);
    figures['get ratio qemu-host / raw (target >= 0.9)'] = fmt(rg / tg);
    figures['put 100 MB, raw client (MB/s, median)'] = fmt(rate(100 * MB, rp), 1);
    figures['put 100 MB, qemu-host --no-verify (MB/s, median)'] = fmt(rate(100 * MB, tp), 1);
    figures['put ratio qemu-host / raw (target >= 0.9)'] = fmt(rp / tp);
    figures['get 100 MB with the sha256 check in both places (MB/s)'] = fmt(rate(100 * MB, verified.ms), 1);
    rmSync(source);

    if (!skipGig) {
      const gig = path.join(agent.dir, 'src-1g.bin');
      await randomFile(gig, 1000 * MB);
      const getGig = await timeProcess([CLI, '-s', sock, 'get', '--no-verify', gig, out('gig')], work);
      rmSync(out('gig'));
      const putGig = await timeProcess([CLI, '-s', sock, 'put', '--no-verify', gig, path.join(agent.dir, 'gig-put')], work);
      rmSync(path.join(agent.dir, 'gig-put'));
      const rawGig = await timeProcess(['-e', RAW_TRANSFER, 'get', sock, gig, out('gig-raw'), String(1024 * 1024)], work);
      rmSync(gig);
      figures['peak RSS, get 1 GB (MB; target < 100)'] = fmt((getGig.rssKiB * 1024) / MB, 1);
      figures['peak RSS, put 1 GB (MB; target < 100)'] = fmt((putGig.rssKiB * 1024) / MB, 1);
      figures['peak RSS, raw client get 1 GB (MB, for reference)'] = fmt((rawGig.rssKiB * 1024) / MB, 1);
      // What any Node process starts with: the part of every figure above that is not the copy.
      const floor = await timeProcess(['-e', ''], work);
      figures['peak RSS, node -e "" (MB, the floor of all of these)'] = fmt((floor.rssKiB * 1024) / MB, 1);
    }

    const rawExec: number[] = [];
    const toolExec: number[] = [];
    for (let i = 0; i < EXEC_ROUNDS; i++) {
      rawExec.push((await timeProcess(['-e', RAW_EXEC, sock], work)).ms);
      toolExec.push((await timeProcess([CLI, '-s', sock, 'exec', '-n', '--', 'true'], work)).ms);
    }
    const [re, te] = [median(rawExec), median(toolExec)];
    // The same on held connections in one process: the exec verb's own cost, no startup.
    const inProcess = await inProcessExec(sock, 4 * EXEC_ROUNDS, work);
    figures['exec true in-process, raw exec+tight poll (ms, median)'] = fmt(median(inProcess.raw), 2);
    figures['exec true in-process, runExec verb (ms, median)'] = fmt(median(inProcess.verb), 2);
    figures['exec in-process difference verb - raw (ms; target <= 20)'] = fmt(median(inProcess.verb) - median(inProcess.raw), 2);
    const bare: number[] = [];
    const version: number[] = [];
    for (let i = 0; i < EXEC_ROUNDS; i++) {
      bare.push((await timeProcess(['-e', ''], work)).ms);
      version.push((await timeProcess([CLI, '--version'], work)).ms);
    }
    figures['process start: node -e "" vs qemu-host --version (ms, medians)'] = `${fmt(median(bare), 1)} vs ${fmt(median(version), 1)}`;
    figures['exec true end to end, raw exec+poll client (ms, median)'] = fmt(re, 1);
    figures['exec true end to end, qemu-host exec (ms, median)'] = fmt(te, 1);
    figures['exec difference qemu-host - raw (ms; target <= 20)'] = fmt(te - re, 1);
    notes.push(`${ROUNDS} alternating transfer rounds and ${EXEC_ROUNDS} exec rounds, whole processes (startup included), medians; 1 MiB chunks on both sides`);
  } finally {
    rmSync(work, { recursive: true, force: true });
    await agent.stop();
  }
  return { name: 'verbs', figures, notes };
}
