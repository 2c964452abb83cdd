// get and put against a real qemu-ga (guest-file-* act on this machine, in the fixture's
// temp dir): 100 MB both ways with sha256 checked on both sides and memory bounded, stdout
// and stdin, Ctrl+C leaving no partial file and no open guest handle, a checksum mismatch,
// and a guest whose policy blocks guest-exec (the check is skipped and says why).
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { appendFile, open } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentError } from '../../src/protocol/errors.js';
import { getFile } from '../../src/verbs/transfer/get.js';
import { FileSink } from '../../src/verbs/transfer/local-target.js';
import { fileSource, putFile } from '../../src/verbs/transfer/put.js';
import type { TransferProgress } from '../../src/verbs/transfer/progress.js';
import { MACHINE_CHANGING_RPCS, startAgent, type AgentFixture } from '../helpers/agent.js';
import { CLI, runCli } from '../helpers/cli.js';
import { okValue, sessionTo } from '../helpers/session.js';

const MB = 1_000_000;
let agent: AgentFixture;
let big: string;
let bigSha: string;
let preload: string;

beforeAll(async () => {
  agent = await startAgent();
  big = path.join(agent.dir, 'big-100m.bin');
  const out = await open(big, 'w');
  const hash = createHash('sha256');
  for (let i = 0; i < 25; i++) {
    const part = randomBytes(4 * MB);
    hash.update(part);
    await out.write(part);
  }
  await out.close();
  bigSha = hash.digest('hex');
  // Preloaded into the CLI: writes its peak RSS (KiB) to $QH_RSS_FILE at exit.
  preload = path.join(agent.dir, 'rss-preload.cjs');
  writeFileSync(preload, "process.on('exit', () => { if (process.env.QH_RSS_FILE) require('node:fs').writeFileSync(process.env.QH_RSS_FILE, String(process.resourceUsage().maxRSS)); });");
}, 120_000);
afterAll(async () => {
  await agent.stop();
});

const cli = (args: string[], input?: string) => runCli(['-s', agent.socket, ...args], { input, timeoutMs: 120_000 });

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Runs the CLI and returns its peak RSS in MB as well. */
async function cliWithRss(args: string[]): Promise<{ code: number | null; stderr: string; rssMB: number }> {
  const rssFile = path.join(agent.dir, `rss-${randomBytes(3).toString('hex')}`);
  const run = await runCli(['-s', agent.socket, ...args], {
    env: { NODE_OPTIONS: `--require ${preload}`, QH_RSS_FILE: rssFile },
    timeoutMs: 120_000,
  });
  return { code: run.code, stderr: run.stderr, rssMB: (Number(readFileSync(rssFile, 'utf8')) * 1024) / MB };
}

/** Files in `dir` whose name marks a transfer's temp file. */
const partials = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.part'));

describe('get and put of 100 MB', () => {
  it('get copies the file, checks sha256 in the guest too, and never holds the file in memory', async () => {
    const dest = path.join(agent.dir, 'got', 'copy.bin');
    mkdirSync(path.dirname(dest));
    const run = await cliWithRss(['get', big, dest]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`sha256 ${bigSha} matches the guest's copy`);
    expect(await sha256File(dest)).toBe(bigSha);
    expect(partials(path.dirname(dest))).toEqual([]);
    // Holding the file would take 100 MB of data plus 133 MB of base64 on top of Node's own ~45 MB.
    expect(run.rssMB).toBeLessThan(160);
  });

  it('put copies a file into the guest with the same checks', async () => {
    const dest = path.join(agent.dir, 'put-copy.bin');
    const run = await cliWithRss(['put', big, dest]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/put .*big-100m\.bin -> guest:.*put-copy\.bin: 95\.4 MiB/);
    expect(run.stderr).toContain(`sha256 ${bigSha} matches the guest's copy`);
    expect(await sha256File(dest)).toBe(bigSha);
    expect(run.rssMB).toBeLessThan(160);
  });
});

describe('qemu-host get / put', () => {
  it('get - writes the file to stdout and the summary to stderr; --json gives the result', async () => {
    const file = path.join(agent.dir, 'small.txt');
    writeFileSync(file, 'small file\n');
    const run = await cli(['get', file, '-']);
    expect(run).toMatchObject({ code: 0, stdout: 'small file\n' });
    expect(run.stderr).toMatch(/got guest:.*small\.txt -> stdout: 11 B/);
    const json = await cli(['--json', 'get', '--no-verify', file, path.join(agent.dir, 'small-copy.txt')]);
    expect(JSON.parse(json.stdout)).toMatchObject({ direction: 'get', bytes: 11, saved: true, check: { result: 'off' } });
  });

  it('get names the copy after the guest file inside a directory', async () => {
    const file = path.join(agent.dir, 'named.txt');
    writeFileSync(file, 'x');
    const into = path.join(agent.dir, 'into');
    mkdirSync(into);
    expect((await cli(['get', file, into])).code).toBe(0);
    expect(readFileSync(path.join(into, 'named.txt'), 'utf8')).toBe('x');
  });

  it('put - reads stdin, and a GUEST_PATH ending in / takes the host name', async () => {
    const dest = path.join(agent.dir, 'from-stdin.txt');
    const run = await cli(['put', '-', dest], 'piped into the guest\n');
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(dest, 'utf8')).toBe('piped into the guest\n');
    const src = path.join(agent.dir, 'host-name.txt');
    writeFileSync(src, 'y');
    const guestDir = path.join(agent.dir, 'guest-dir');
    mkdirSync(guestDir);
    expect((await cli(['put', src, `${guestDir}/`])).code).toBe(0);
    expect(readFileSync(path.join(guestDir, 'host-name.txt'), 'utf8')).toBe('y');
  });

  it('a missing guest file exits 1 and creates nothing', async () => {
    const dest = path.join(agent.dir, 'never-made.txt');
    const run = await cli(['get', path.join(agent.dir, 'no-such-file'), dest]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/No such file or directory/);
    expect(existsSync(dest)).toBe(false);
    expect(partials(agent.dir)).toEqual([]);
  });

  it('bad --chunk or a missing host file exit 2', async () => {
    expect((await cli(['get', '--chunk', '100', big, '-'])).code).toBe(2);
    expect((await cli(['put', '--chunk', 'huge', big, '/tmp/x'])).code).toBe(2);
    expect((await cli(['put', path.join(agent.dir, 'absent'), '/tmp/x'])).code).toBe(2);
  });

  it('a file that changes during get is a checksum mismatch: exit 1 and nothing saved', async () => {
    const growing = path.join(agent.dir, 'growing.log');
    writeFileSync(growing, randomBytes(2 * MB));
    const dest = path.join(agent.dir, 'growing-copy.log');
    let writing = true;
    const writer = (async () => {
      while (writing) {
        await appendFile(growing, 'another line\n');
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    const run = await cli(['get', '--chunk', '64K', growing, dest]);
    writing = false;
    await writer;
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/CHECKSUM MISMATCH: host [0-9a-f]{64}, guest [0-9a-f]{64}/);
    expect(run.stderr).toMatch(/Nothing was saved/);
    expect(existsSync(dest)).toBe(false);
    expect(partials(agent.dir)).toEqual([]);
  });
});

/** A handle number the agent just gave out (handles count up by one). */
async function lastHandle(): Promise<number> {
  const session = sessionTo(agent.socket);
  const handle = okValue<number>(await session.call('guest-file-open', { path: big, mode: 'r' }));
  await session.call('guest-file-close', { handle });
  session.close();
  return handle;
}

/** Runs the CLI, sends SIGINT once `ready()` holds, and returns its exit code and stderr. */
async function interrupted(args: string[], ready: () => boolean): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, '-s', agent.socket, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  let done = false;
  void closed.then(() => (done = true));
  while (!ready() && !done) await new Promise((r) => setTimeout(r, 5));
  child.kill('SIGINT');
  return { code: await closed, stderr };
}

describe('Ctrl+C during a transfer', () => {
  it('get: exit 130, no partial file, and the guest handle is closed', async () => {
    const destDir = path.join(agent.dir, 'interrupted-get');
    mkdirSync(destDir);
    const dest = path.join(destDir, 'copy.bin');
    const before = await lastHandle();
    const run = await interrupted(['get', '--chunk', '64K', big, dest], () => partials(destDir).some((f) => statSync(path.join(destDir, f)).size > 0));
    expect(run.code, run.stderr).toBe(130);
    expect(run.stderr).toMatch(new RegExp(`interrupted: nothing was saved to .*copy\\.bin; guest file handle ${before + 1} is closed`));
    expect(readdirSync(destDir)).toEqual([]);
    const after = await lastHandle();
    expect(after).toBe(before + 2);
    const session = sessionTo(agent.socket);
    await expect(session.call('guest-file-close', { handle: before + 1 })).rejects.toThrow(AgentError);
  });

  it('put: exit 130, says the guest file is incomplete, and the guest handle is closed', async () => {
    const dest = path.join(agent.dir, 'interrupted-put.bin');
    const before = await lastHandle();
    const run = await interrupted(['put', '--chunk', '64K', big, dest], () => existsSync(dest) && statSync(dest).size > 0);
    expect(run.code, run.stderr).toBe(130);
    expect(run.stderr).toMatch(/interrupted; .*interrupted-put\.bin in the guest is incomplete \(\d+ bytes written of 100000000\)/);
    expect(await lastHandle()).toBe(before + 2);
    const session = sessionTo(agent.socket);
    await expect(session.call('guest-file-close', { handle: before + 1 })).rejects.toThrow(AgentError);
  });
});

describe('the transfer verb API', () => {
  it('reports the handle, the size and rising progress, then the checked result', async () => {
    const session = sessionTo(agent.socket);
    const src = path.join(agent.dir, 'api.bin');
    const data = randomBytes(3 * 1024 * 1024 + 17);
    writeFileSync(src, data);
    const seen: TransferProgress[] = [];
    const opened: Array<[number, number | undefined]> = [];
    const dest = path.join(agent.dir, 'api-copy.bin');
    const result = await getFile(session, src, await FileSink.create(dest), {
      chunk: 1024 * 1024,
      onOpened: (handle, total) => opened.push([handle, total]),
      onProgress: (p) => seen.push(p),
    });
    expect(opened).toEqual([[result.handle, data.length]]);
    expect(seen.map((p) => p.bytes)).toEqual([1048576, 2097152, 3145728, 3145745, 3145745]);
    expect(seen.at(-1)!.done).toBe(true);
    expect(result).toMatchObject({ direction: 'get', bytes: data.length, saved: true, check: { result: 'match' } });
    expect(readFileSync(dest).equals(data)).toBe(true);

    const back = path.join(agent.dir, 'api-back.bin');
    const put = await putFile(session, await fileSource(dest), back, { chunk: 1024 * 1024 });
    expect(put).toMatchObject({ direction: 'put', bytes: data.length, check: { result: 'match', sha256: createHash('sha256').update(data).digest('hex') } });
  });

  it('an aborted get throws, removes the temp file and closes the handle', async () => {
    const session = sessionTo(agent.socket);
    const controller = new AbortController();
    const destDir = path.join(agent.dir, 'api-abort');
    mkdirSync(destDir);
    let handle = -1;
    await expect(getFile(session, big, await FileSink.create(path.join(destDir, 'x.bin')), {
      signal: controller.signal,
      onOpened: (h) => (handle = h),
      onProgress: (p) => {
        if (p.bytes >= 3 * 1024 * 1024) controller.abort();
      },
    })).rejects.toThrow(/interrupted: nothing was saved/);
    expect(readdirSync(destDir)).toEqual([]);
    await expect(session.call('guest-file-close', { handle })).rejects.toThrow(AgentError);
  });
});

describe('transfers when the agent blocks guest-exec', () => {
  let blocked: AgentFixture;
  beforeAll(async () => {
    blocked = await startAgent({ blocked: [...MACHINE_CHANGING_RPCS, 'guest-exec', 'guest-exec-status'] });
  });
  afterAll(async () => {
    await blocked.stop();
  });

  it('copies the file but says the sha256 check was skipped, and why', async () => {
    const src = path.join(blocked.dir, 'plain.txt');
    writeFileSync(src, 'checked on the host only\n');
    const dest = path.join(blocked.dir, 'plain-copy.txt');
    const run = await runCli(['-s', blocked.socket, 'get', src, dest]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/sha256 check SKIPPED: guest-exec is disabled by the guest agent's policy/);
    expect(run.stderr).not.toMatch(/matches/);
    expect(readFileSync(dest, 'utf8')).toBe('checked on the host only\n');
  });
});
