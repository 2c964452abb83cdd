// qemu-host replay against real agents: a transcript recorded on one qemu-ga is replayed on
// another, whose handle counter has moved on. What matches, what differs (with both values),
// what is volatile, what is skipped and never sent, and the exit codes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJson, type JsonObject } from '../../src/protocol/json.js';
import { startAgent, type AgentFixture } from '../helpers/agent.js';
import { runCli } from '../helpers/cli.js';
import { executes, transcriptLines } from '../helpers/transcript.js';

let recordOn: AgentFixture;
let replayOn: AgentFixture;
let work: string;
beforeAll(async () => {
  recordOn = await startAgent();
  replayOn = await startAgent();
  work = mkdtempSync(path.join(tmpdir(), 'qh-replay-'));
  // Move the replay agent's handle counter on, so that its handles differ from the recording's.
  for (let i = 0; i < 3; i++) {
    const file = path.join(replayOn.dir, `spare-${i}.txt`);
    writeFileSync(file, 'spare\n');
    expect((await runCli(['-s', replayOn.socket, 'call', 'guest-file-open', `path=${file}`])).code).toBe(0);
    await replayOn.waitReady();
  }
});
afterAll(async () => {
  await recordOn.stop();
  await replayOn.stop();
  rmSync(work, { recursive: true, force: true });
});

let n = 0;
const fresh = (): string => path.join(work, `t${++n}.jsonl`);

async function record(file: string, args: string[], input?: string): Promise<void> {
  const run = await runCli(['-s', recordOn.socket, '--record', file, ...args], { input });
  expect(run.code, run.stderr).toBe(0);
  await recordOn.waitReady();
}

/** `qemu-host -s REPLAY-AGENT ARGS...` (global options before `replay`). */
async function replay(...args: string[]): ReturnType<typeof runCli> {
  const run = await runCli(['-s', replayOn.socket, ...args]);
  await replayOn.waitReady();
  return run;
}

/** The --json output: one object per call, then the summary. */
function jsonReport(stdout: string): { calls: JsonObject[]; summary: JsonObject } {
  const lines = stdout.trim().split('\n').map((l) => parseJson(l) as JsonObject);
  return { calls: lines.slice(0, -1), summary: lines.at(-1)!.summary as JsonObject };
}

describe('qemu-host replay', () => {
  it('finds the same replies on another agent, and says which volatile parts it ignored (exit 0)', async () => {
    const file = fresh();
    await record(file, [], 'guest-ping\nguest-get-osinfo\nguest-get-time\nguest-get-host-name\n');
    const run = await replay('replay', file);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^replaying .*: 1 run, 5 calls, recorded on unix:.* \(qemu-ga [\d.]+\), on unix:/);
    expect(run.stdout).toMatch(/line \d+ {2}guest-get-osinfo {2}same\n/);
    expect(run.stdout).toMatch(/line \d+ {2}guest-get-time {2}same \(volatile parts differ\)\n {4}ignored return: recorded \d{19} \[volatile: guest-get-time:return\]\n +replayed \d{19}\n/);
    expect(run.stdout).toMatch(/5 calls: 4 same, 1 same but for volatile parts, 0 differ, 0 skipped\n$/);
    // --strict counts the clock as a difference.
    const strict = await replay('replay', '--strict', file);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/guest-get-time {2}DIFFERS\n {4}return: recorded \d{19}\n +replayed \d{19}/);
  });

  it('maps recorded handles to the replayed ones, so open, read and close replay as recorded', async () => {
    const file = fresh();
    const guestFile = path.join(work, 'mapped.txt');
    writeFileSync(guestFile, 'the same on both sides\n');
    await record(file, ['get', '--no-verify', guestFile, path.join(work, 'mapped.copy')]);
    const run = await replay('replay', file);
    expect(run.code, run.stdout).toBe(0);
    const handle = /guest-file-open {2}same {2}\(handle (\d+) → (\d+)\)/.exec(run.stdout);
    expect(handle).not.toBeNull();
    expect(Number(handle![2])).toBeGreaterThan(Number(handle![1]));
    expect(run.stdout).toMatch(new RegExp(`guest-file-read {2}same {2}\\(handle ${handle![1]} → ${handle![2]}\\)`));
    expect(run.stdout).toMatch(new RegExp(`guest-file-close {2}same {2}\\(handle ${handle![1]} → ${handle![2]}\\)`));
  });

  it('shows where a reply differs, with both values, as text and as JSON (exit 1); --ignore covers it', async () => {
    const file = fresh();
    const guestFile = path.join(work, 'changing.txt');
    writeFileSync(guestFile, 'before\n');
    await record(file, ['get', '--no-verify', guestFile, path.join(work, 'changing.copy')]);
    writeFileSync(guestFile, 'after!\n');
    const [before, after] = [Buffer.from('before\n').toString('base64'), Buffer.from('after!\n').toString('base64')];
    const text = await replay('replay', file);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`guest-file-read  DIFFERS`);
    expect(text.stdout).toMatch(new RegExp(` {4}return\\.buf-b64: recorded "${before}"\\n +replayed "${after}"\\n`));
    expect(text.stdout).toMatch(/\d+ calls: \d+ same, 0 same but for volatile parts, 1 differ, 0 skipped/);
    const json = await replay('--json', 'replay', file);
    expect(json.code).toBe(1);
    const { calls, summary } = jsonReport(json.stdout);
    const read = calls.find((c) => c.execute === 'guest-file-read')!;
    expect(read).toMatchObject({ outcome: 'differs', recordedStatus: 'ok', replayedStatus: 'ok', differences: [{ path: 'return.buf-b64', change: 'changed', recorded: before, replayed: after }] });
    expect(summary).toMatchObject({ differs: 1 });
    const ignored = await replay('replay', '--ignore', 'guest-file-read:return.buf-b64', file);
    expect(ignored.code).toBe(0);
    expect(ignored.stdout).toMatch(/ignored return\.buf-b64: recorded ".*" \[--ignore guest-file-read:return\.buf-b64\]/);
  });

  it('replays exec with --yes: the pid is mapped and the final status compared; --read-only skips it all', async () => {
    const file = fresh();
    await record(file, ['exec', '--', '/bin/sh', '-c', 'sleep 0.2; echo replayed']);
    const lines = transcriptLines(file);
    expect(executes(lines).filter((e) => e === 'guest-exec-status').length).toBeGreaterThan(1);
    // No terminal and no --yes: refused before connecting, nothing sent (no session was recorded).
    const again = fresh();
    const refused = await replay('--record', again, 'replay', file);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/command that changes the guest \(line \d+: guest-exec runs \/bin\/sh -c sleep 0\.2; echo replayed in the guest\).*nothing was sent/);
    expect(refused.stderr).toMatch(/--yes .* --read-only/);
    const sent = await replay('--yes', '--record', again, 'replay', file);
    expect(sent.code, sent.stdout).toBe(0);
    expect(sent.stdout).toMatch(/guest-exec {2}same {2}\(pid \d+ → \d+\)/);
    expect(sent.stdout).toMatch(/guest-exec-status {2}same {2}\(pid \d+ → \d+\)/);
    expect(executes(transcriptLines(again))).toContain('guest-exec');
    const readOnly = await replay('--read-only', 'replay', file);
    expect(readOnly.code).toBe(0);
    expect(readOnly.stdout).toMatch(/guest-exec {2}skipped\n {4}note: not sent: it runs .* in the guest, and --read-only refuses that/);
    expect(readOnly.stdout).toMatch(/guest-exec-status {2}skipped\n {4}note: not sent: pid \d+ came from line \d+, which was not replayed/);
  });

  it('replays exec polls by what they saw, not by how many there were', async () => {
    const file = fresh();
    const marker = path.join(work, 'fast-now');
    // Slow when recorded, quick on replay: the recorded "still running" polls find it ended.
    await record(file, ['exec', '--', '/bin/sh', '-c', `test -e ${marker} || sleep 0.5; echo done`]);
    writeFileSync(marker, '');
    const run = await replay('--yes', 'replay', file);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/guest-exec-status {2}same \(volatile parts differ\) {2}\(pid \d+ → \d+\)\n {4}ignored return\.exited: recorded false \[timing: a poll recorded while the process still ran\]/);
    expect(run.stdout).toMatch(/note: not sent again: a poll earlier in this replay already saw the process end/);
    const last = run.stdout.trim().split('\n').filter((l) => l.startsWith('line ')).at(-1);
    expect(last).toMatch(/guest-exec-status {2}same {2}\(pid/);
  });

  it('never sends a request whose password was not recorded', async () => {
    const file = fresh();
    const raw = '{"execute":"guest-set-user-password","arguments":{"username":"nobody","password":"c2VjcmV0","crypted":false}}';
    await runCli(['-s', recordOn.socket, '--record', file, '--yes'], { input: `${raw}\nguest-ping\n` });
    await recordOn.waitReady();
    const replayed = fresh();
    const run = await replay('--yes', '--record', replayed, 'replay', file);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/guest-set-user-password {2}skipped\n {4}note: not sent: arguments\.password was not recorded/);
    expect(executes(transcriptLines(replayed))).toEqual(['guest-info', 'guest-ping']);
  });

  it('exits 3 when the agent cannot be reached and 2 when the file is not a transcript', async () => {
    const file = fresh();
    await record(file, [], 'guest-ping\n');
    const gone = await runCli(['-s', path.join(work, 'nobody.sock'), 'replay', file]);
    expect(gone.code).toBe(3);
    expect(gone.stderr).toMatch(/nobody\.sock/);
    const notes = path.join(work, 'notes.txt');
    writeFileSync(notes, 'hello\n');
    const bad = await runCli(['-s', replayOn.socket, 'replay', notes]);
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringMatching(/is not a qemu-host transcript/) });
    expect((await runCli(['-s', replayOn.socket, 'replay', '--ignore', 'return..x', file])).code).toBe(2);
  });
});
