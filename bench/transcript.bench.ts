// What --record costs, against the same command without it, on one real qemu-ga in the same
// run, alternating rounds (plain, recorded, plain, ...) so machine noise hits both:
// - batch mode, 2000 guest-get-osinfo round trips (process start-up included): the cost per call;
// - get of a 64 MiB file in 4 MiB reads (5.6 MB reply lines): wall time and peak RSS, the
//   case where every reply is written whole to the transcript.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startAgent } from '../test/helpers/agent.js';
import { fmt, median } from './stats.js';

const CLI = path.resolve('dist/cli.js');
const CALLS = 2000;
const ROUNDS = 7;
const BIG = 64 * 1024 * 1024;
const RSS_PRELOAD = `process.on('exit', () => { if (process.env.QH_RSS_FILE) require('node:fs').writeFileSync(process.env.QH_RSS_FILE, String(process.resourceUsage().maxRSS)); });`;

function timeProcess(argv: string[], dir: string, input?: string): Promise<{ ms: number; rssKiB: number }> {
  const rssFile = path.join(dir, `rss-${randomBytes(4).toString('hex')}`);
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, ['--require', path.join(dir, 'rss.cjs'), ...argv], {
      stdio: ['pipe', 'ignore', 'inherit'],
      env: { ...process.env, QH_RSS_FILE: rssFile, QEMU_HOST_SOCKET: '' },
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${argv.join(' ')} exited ${code}`));
      const rssKiB = Number(readFileSync(rssFile, 'utf8'));
      rmSync(rssFile, { force: true });
      resolve({ ms: performance.now() - start, rssKiB });
    });
    child.stdin.end(input ?? '');
  });
}

export async function run(): Promise<{ name: string; figures: Record<string, string>; notes: string[] }> {
  const agent = await startAgent();
  const dir = mkdtempSync(path.join(tmpdir(), 'qh-bench-transcript-'));
  writeFileSync(path.join(dir, 'rss.cjs'), RSS_PRELOAD);
  const big = path.join(dir, 'big.bin');
  writeFileSync(big, randomBytes(BIG));
  const input = 'guest-get-osinfo\n'.repeat(CALLS);
  const batch = { plain: [] as number[], recorded: [] as number[] };
  const get = { plain: [] as number[], recorded: [] as number[], plainRss: [] as number[], recordedRss: [] as number[] };
  let transcriptBytes = 0;
  try {
    for (let i = 0; i < ROUNDS; i++) {
      const file = path.join(dir, `batch-${i}.jsonl`);
      batch.plain.push((await timeProcess([CLI, '-s', agent.socket], dir, input)).ms);
      await agent.waitReady();
      batch.recorded.push((await timeProcess([CLI, '-s', agent.socket, '--record', file], dir, input)).ms);
      await agent.waitReady();
      rmSync(file);
      const getArgs = ['-s', agent.socket, 'get', '--no-verify', '--chunk', '4M', big, path.join(dir, 'out.bin')];
      const plain = await timeProcess([CLI, ...getArgs], dir);
      await agent.waitReady();
      const recordFile = path.join(dir, `get-${i}.jsonl`);
      const recorded = await timeProcess([CLI, '--record', recordFile, ...getArgs], dir);
      await agent.waitReady();
      transcriptBytes = statSync(recordFile).size;
      rmSync(recordFile);
      get.plain.push(plain.ms);
      get.recorded.push(recorded.ms);
      get.plainRss.push(plain.rssKiB);
      get.recordedRss.push(recorded.rssKiB);
    }
  } finally {
    await agent.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const [bp, br] = [median(batch.plain), median(batch.recorded)];
  const [gp, gr] = [median(get.plain), median(get.recorded)];
  return {
    name: 'transcript',
    figures: {
      'batch, 2000 guest-get-osinfo, plain (median ms)': fmt(bp, 0),
      'batch, 2000 guest-get-osinfo, --record (median ms)': fmt(br, 0),
      '--record cost per call (us)': fmt(((br - bp) / CALLS) * 1000, 1),
      'ratio recorded / plain, batch': fmt(br / bp),
      'get 64 MiB in 4 MiB reads, plain (median ms)': fmt(gp, 0),
      'get 64 MiB in 4 MiB reads, --record (median ms)': fmt(gr, 0),
      'ratio recorded / plain, get': fmt(gr / gp),
      'peak RSS, get plain (median MB)': fmt(median(get.plainRss) / 1024, 0),
      'peak RSS, get --record (median MB)': fmt(median(get.recordedRss) / 1024, 0),
      'transcript of the 64 MiB get (MB)': fmt(transcriptBytes / 1e6, 1),
    },
    notes: [`${ROUNDS} alternating rounds, medians; the transcript is written to ${tmpdir()}`],
  };
}
