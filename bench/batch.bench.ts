// Issue 2's figure: the tool's batch mode against a minimal raw client written here, on the
// same real qemu-ga in the same run, 2000 sequential guest-ping round trips each, process
// startup included. Runs alternate (raw, tool, raw, tool, ...) so machine noise hits both.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startAgent } from '../test/helpers/agent.js';
import { fmt, median } from './stats.js';

const PINGS = 2000;
const ROUNDS = 7;
const CLI = path.resolve('dist/cli.js');

// The raw client: connect, sync once, then write a ping and wait for its line, 2000 times.
const RAW_CLIENT = `
const net = require('node:net');
const sock = net.createConnection({ path: process.argv[1] });
let buf = '', left = ${PINGS}, synced = false;
sock.on('connect', () => sock.write('\\xff{"execute":"guest-sync-delimited","arguments":{"id":4242}}\\n', 'latin1'));
sock.setEncoding('latin1');
sock.on('data', (d) => {
  buf += d;
  let nl;
  while ((nl = buf.indexOf('\\n')) !== -1) {
    const line = buf.slice(0, nl); buf = buf.slice(nl + 1);
    if (!synced) { if (line.startsWith('\\xff')) { synced = true; sock.write('{"execute":"guest-ping"}\\n'); } continue; }
    if (--left === 0) { sock.end(); return; }
    sock.write('{"execute":"guest-ping"}\\n');
  }
});
`;

function timeProcess(argv: string[], input?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, argv, { stdio: ['pipe', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - start) : reject(new Error(`${argv.join(' ')} exited ${code}`))));
    child.stdin.end(input ?? '');
  });
}

export async function run(): Promise<{ name: string; figures: Record<string, string>; notes: string[] }> {
  const agent = await startAgent();
  const input = 'guest-ping\n'.repeat(PINGS);
  const raw: number[] = [];
  const tool: number[] = [];
  try {
    for (let i = 0; i < ROUNDS; i++) {
      raw.push(await timeProcess(['-e', RAW_CLIENT, agent.socket]));
      await agent.waitReady();
      tool.push(await timeProcess([CLI, '-s', agent.socket], input));
      await agent.waitReady();
    }
  } finally {
    await agent.stop();
  }
  const r = median(raw);
  const t = median(tool);
  return {
    name: 'batch',
    figures: {
      'raw client, 2000 pings incl. startup (median ms)': fmt(r, 0),
      'qemu-host batch, 2000 pings incl. startup (median ms)': fmt(t, 0),
      'per command, raw (us)': fmt((r / PINGS) * 1000, 1),
      'per command, qemu-host (us)': fmt((t / PINGS) * 1000, 1),
      'ratio qemu-host / raw (target <= 1.3)': fmt(t / r),
    },
    notes: [`${ROUNDS} alternating rounds, medians`],
  };
}
