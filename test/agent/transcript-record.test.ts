// --record against a real qemu-ga: every mode that talks to the agent writes its calls,
// secrets never reach the file, integers stay exact, big replies are kept whole, and a
// killed run leaves only complete lines.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isJsonObject, type JsonObject } from '../../src/protocol/json.js';
import { MACHINE_CHANGING_RPCS, startAgent, type AgentFixture } from '../helpers/agent.js';
import { CLI, runCli } from '../helpers/cli.js';
import { sessionTo } from '../helpers/session.js';
import { executes, transcriptLines, transcriptRuns } from '../helpers/transcript.js';
import { learnCapabilities } from '../../src/schema/capabilities.js';
import { SchemaLookup } from '../../src/schema/lookup.js';
import { loadShippedSchema } from '../../src/schema/shipped.js';
import type { TranscriptLine } from '../../src/verbs/transcript/format.js';
import { recordSession } from '../../src/verbs/transcript/recorder.js';

let agent: AgentFixture;
let work: string;
beforeAll(async () => {
  // Thawing a machine that is not frozen changes nothing, so thaw may run (as in verbs-freeze).
  agent = await startAgent({ blocked: MACHINE_CHANGING_RPCS.filter((rpc) => rpc !== 'guest-fsfreeze-thaw') });
  work = mkdtempSync(path.join(tmpdir(), 'qh-record-'));
});
afterAll(async () => {
  await agent.stop();
  rmSync(work, { recursive: true, force: true });
});

let n = 0;
const fresh = (): string => path.join(work, `t${++n}.jsonl`);

describe('--record', () => {
  it('records call, batch and every verb, one run after another in the same file', async () => {
    const file = fresh();
    const guestFile = path.join(agent.dir, 'rec.txt');
    writeFileSync(guestFile, 'recorded\n');
    const rec = ['-s', agent.socket, '--record', file];
    const runs: [string[], string?][] = [
      [['call', 'guest-get-host-name']],
      [[], 'guest-ping\nguest-get-osinfo\n'],
      [['exec', '--', '/bin/echo', 'hi']],
      [['get', '--no-verify', guestFile, path.join(work, 'copy.txt')]],
      [['put', '--no-verify', guestFile, path.join(agent.dir, 'put.txt')]],
      [['info']],
      [['watch', '--count', '2', '--every', '100ms', 'guest-get-vcpus']],
      [['freeze', '--status']],
      [['thaw']],
    ];
    for (const [args, input] of runs) {
      const run = await runCli([...rec, ...args], { input });
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
      await agent.waitReady();
    }
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const recorded = transcriptRuns(file);
    expect(recorded.map((r) => r.header.mode)).toEqual(['call', 'batch', 'exec', 'get', 'put', 'info', 'watch', 'freeze', 'thaw']);
    const calls = recorded.map((r) => executes(r.lines));
    expect(calls[0]).toEqual(['guest-info', 'guest-get-host-name']);
    expect(calls[1]).toEqual(['guest-info', 'guest-ping', 'guest-get-osinfo']);
    expect(calls[2]).toEqual(expect.arrayContaining(['guest-exec', 'guest-exec-status']));
    expect(calls[3]).toEqual(expect.arrayContaining(['guest-file-open', 'guest-file-read', 'guest-file-close']));
    expect(calls[4]).toEqual(expect.arrayContaining(['guest-file-open', 'guest-file-write', 'guest-file-close']));
    expect(calls[5]).toEqual(expect.arrayContaining(['guest-info', 'guest-get-osinfo', 'guest-get-fsinfo', 'guest-network-get-interfaces']));
    expect(calls[6]).toEqual(['guest-get-vcpus', 'guest-get-vcpus']);
    expect(calls[7]).toEqual(['guest-fsfreeze-status']);
    expect(calls[8]).toContain('guest-fsfreeze-thaw');
    // Every run ends with an end line counting its calls.
    for (const run of recorded) expect(run.lines.at(-1)).toMatchObject({ type: 'end', calls: executes(run.lines).length });
  });

  it("records serve: the broker's session, with every client's requests", async () => {
    const file = fresh();
    const listen = path.join(work, 'broker.sock');
    const serve = spawn(process.execPath, [CLI, '-s', agent.socket, '--record', file, 'serve', '--listen', listen], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    const serving = new Promise<void>((resolve) => {
      serve.stderr.setEncoding('utf8').on('data', (d: string) => {
        log += d;
        if (log.includes('serving ')) resolve();
      });
    });
    try {
      await serving;
      const client = await runCli(['-s', listen, 'call', 'guest-get-host-name']);
      expect(client.code, client.stderr).toBe(0);
    } finally {
      const exited = new Promise((r) => serve.once('exit', r));
      serve.kill('SIGTERM');
      await exited;
    }
    await agent.waitReady();
    const [run] = transcriptRuns(file);
    expect(run!.header).toMatchObject({ mode: 'serve', endpoint: `unix:${agent.socket}` });
    expect(executes(run!.lines)).toContain('guest-get-host-name');
  });

  it('writes a header with the tool, the endpoint and the time, then the agent version once known', async () => {
    const file = fresh();
    const before = Date.now();
    expect((await runCli(['-s', agent.socket, '--record', file, 'call', 'guest-ping'])).code).toBe(0);
    const [header, ...rest] = transcriptLines(file);
    expect(header).toEqual({
      type: 'header', format: 'qemu-host-transcript', version: 1, tool: 'qemu-host 0.1.0', mode: 'call',
      endpoint: `unix:${agent.socket}`, startedAt: new Date(header!.time as number).toISOString(), time: expect.any(Number),
    });
    expect(header!.time as number).toBeGreaterThanOrEqual(before);
    const info = rest.find((l) => l.type === 'call' && l.execute === 'guest-info')!;
    const version = ((info.reply as JsonObject).return as JsonObject).version;
    expect(rest.find((l) => l.type === 'agent')).toMatchObject({ version });
    const ping = rest.find((l) => l.type === 'call' && l.execute === 'guest-ping')!;
    expect(ping).toMatchObject({ status: 'ok', request: { execute: 'guest-ping', id: expect.stringMatching(/^qh-/) }, reply: { return: {} } });
    expect((ping.reply as JsonObject).id).toBe((ping.request as JsonObject).id);
    expect(ping.ms).toBeGreaterThan(0);
    expect(ping.startedAt as number).toBeGreaterThanOrEqual(header!.time as number);
    expect(rest.some((l) => l.type === 'state' && l.state === 'synced')).toBe(true);
    expect(rest.some((l) => l.type === 'discard' && /0xFF/.test(String(l.reason)))).toBe(true);
  });

  it('names the agent in the header when its version was known before recording began', async () => {
    const session = sessionTo(agent.socket);
    const caps = await learnCapabilities(session, new SchemaLookup(loadShippedSchema()));
    const lines: TranscriptLine[] = [];
    const stop = recordSession(session, { write: (line) => lines.push(line) }, { tool: 'qemu-host test', mode: 'test' });
    await session.call('guest-ping');
    stop();
    await session.call('guest-ping');
    expect(lines[0]).toMatchObject({ type: 'header', tool: 'qemu-host test', mode: 'test', agent: caps!.version });
    expect(lines.filter((l) => l.type === 'call')).toHaveLength(1);
  });

  it("never writes guest-set-user-password's password, though the request goes out and the agent refuses it", async () => {
    const file = fresh();
    const secret = 's3cr3t-Word';
    const b64 = Buffer.from(secret).toString('base64');
    const raw = `{"execute":"guest-set-user-password","arguments":{"username":"nobody","password":"${b64}","crypted":false}}`;
    const batch = await runCli(['-s', agent.socket, '--record', file, '--wire', '--yes'], { input: `${raw}\n` });
    const call = await runCli(['-s', agent.socket, '--record', file, '--yes', 'call', '--raw', 'guest-set-user-password', 'username=nobody', `password=${b64}`, 'crypted=false']);
    // The agent itself answers: the RPC is blocked by the test fixture, so it was sent.
    expect(JSON.parse(batch.stdout)).toEqual({ error: { class: 'CommandNotFound', desc: 'Command guest-set-user-password has been disabled' } });
    expect(call.stderr).toMatch(/CommandNotFound: Command guest-set-user-password has been disabled/);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(b64);
    expect(text).not.toContain(secret);
    expect(batch.stderr).not.toContain(b64);
    const sent = transcriptLines(file).filter((l) => l.type === 'call' && l.execute === 'guest-set-user-password');
    expect(sent).toHaveLength(2);
    for (const line of sent) {
      expect(line).toMatchObject({ status: 'agent-error', redacted: ['arguments.password'], reply: { error: { class: 'CommandNotFound' } } });
      expect((line.request as JsonObject).arguments).toEqual({ username: 'nobody', password: '<redacted>', crypted: false });
    }
  });

  it('keeps integers beyond 2^53 exact: guest-get-time as the agent sent it', async () => {
    const file = fresh();
    const run = await runCli(['-s', agent.socket, '--record', file], { input: 'guest-get-time\n' });
    const printed = /"return":(\d+)/.exec(run.stdout)![1]!;
    expect(printed).toMatch(/^\d{19}$/);
    const line = readFileSync(file, 'utf8').split('\n').find((l) => l.includes('"execute":"guest-get-time"'))!;
    expect(line).toContain(`"reply":{"return":${printed},`);
  });

  it('keeps a 4 MiB file read whole in one line', async () => {
    const file = fresh();
    const data = randomBytes(4 * 1024 * 1024);
    const guestFile = path.join(agent.dir, 'big.bin');
    writeFileSync(guestFile, data);
    const run = await runCli(['-s', agent.socket, '--record', file, 'get', '--no-verify', '--chunk', '4M', guestFile, path.join(work, 'big.bin')], { timeoutMs: 60_000 });
    expect(run.code, run.stderr).toBe(0);
    const reads = transcriptLines(file).filter((l) => l.type === 'call' && l.execute === 'guest-file-read');
    const back = Buffer.concat(reads.map((l) => Buffer.from(String(((l.reply as JsonObject).return as JsonObject)['buf-b64']), 'base64')));
    expect(back.equals(data)).toBe(true);
  });

  it('leaves only whole lines when the process is killed, and replay reads them', async () => {
    const file = fresh();
    const child = spawn(process.execPath, [CLI, '-s', agent.socket, '--record', file], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, QEMU_HOST_SOCKET: '' } });
    let answers = 0;
    const twenty = new Promise<void>((resolve) => {
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        answers += d.split('\n').length - 1;
        if (answers >= 20) resolve();
        else child.stdin.write('guest-get-osinfo\n');
      });
    });
    child.stdin.write('guest-get-osinfo\n');
    await twenty;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    await agent.waitReady();
    const lines = transcriptLines(file);
    expect(executes(lines).filter((e) => e === 'guest-get-osinfo').length).toBeGreaterThanOrEqual(20);
    expect(lines.some((l) => l.type === 'end')).toBe(false);
    const replay = await runCli(['-s', agent.socket, 'replay', file]);
    expect(replay.code, replay.stdout + replay.stderr).toBe(0);
    expect(replay.stdout).toMatch(/line \d+ {2}guest-get-osinfo {2}same/);
  });

  it('refuses a file it must not write, before connecting (exit 2)', async () => {
    const sock = path.join(work, 'counting.sock');
    let connections = 0;
    const server = net.createServer((c) => {
      connections += 1;
      c.destroy();
    });
    await new Promise<void>((r) => server.listen(sock, r));
    try {
      const missing = await runCli(['-s', sock, '--record', path.join(work, 'no', 'such', 'dir.jsonl'), 'call', 'guest-ping']);
      expect(missing).toMatchObject({ code: 2, stderr: expect.stringMatching(/--record .*: cannot open it for writing: ENOENT/) });
      const other = path.join(work, 'notes.txt');
      writeFileSync(other, 'keep me\n');
      const notTranscript = await runCli(['-s', sock, '--record', other, 'call', 'guest-ping']);
      expect(notTranscript).toMatchObject({ code: 2, stderr: expect.stringMatching(/exists and is not a qemu-host transcript/) });
      expect(readFileSync(other, 'utf8')).toBe('keep me\n');
      // A usage error after the file opened leaves no empty file behind.
      const unused = path.join(work, 'unused.jsonl');
      expect((await runCli(['-s', sock, '--record', unused, 'call', 'guest-file-read', 'handle=abc'])).code).toBe(2);
      expect(existsSync(unused)).toBe(false);
      expect(connections).toBe(0);
    } finally {
      server.close();
    }
  });

  it('stops recording with one message when the file cannot grow, and the command still works', async () => {
    const file = fresh();
    // A 2 KiB file size limit (ulimit -f counts 512-byte blocks); SIGXFSZ ignored, so writes fail with EFBIG.
    const script = `trap '' XFSZ; ulimit -f 4; exec "$0" "$@"`;
    const child = spawn('/bin/sh', ['-c', script, process.execPath, CLI, '-s', agent.socket, '--record', file, 'call', 'guest-info'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const code = await new Promise((r) => child.once('close', r));
    expect(code).toBe(0);
    expect(isJsonObject(JSON.parse(stdout))).toBe(true);
    expect(stderr.match(/recording to .* stopped/g)).toHaveLength(1);
    expect(stderr).toMatch(/EFBIG|too large/i);
    expect(transcriptLines(file)[0]).toMatchObject({ type: 'header' });
  });
});
