// Transcripts and copied lines through a real VM's chardev, where the path differs from a
// host agent: QEMU drops a client that half-closes, and holds what the agent writes for
// the next client. And through a real libvirtd: the copied virsh line run with real virsh,
// and a session recorded and replayed over --domain.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { executes, transcriptLines } from '../helpers/transcript.js';
import { startLibvirtd, type LibvirtDaemon } from '../helpers/libvirt.js';
import { bootVm, type VmFixture } from '../helpers/vm.js';

function sh(line: string, env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', line], { stdio: ['ignore', 'pipe', 'inherit'], env });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

describe('transcripts and copied lines through the lab VM', () => {
  let vm: VmFixture;
  let work: string;
  beforeAll(async () => {
    vm = await bootVm();
    work = mkdtempSync(path.join(tmpdir(), 'qh-transcript-vm-'));
  });
  afterAll(async () => {
    await vm?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('the socat line gets its reply through the chardev, where a plain printf | socat gets nothing', async () => {
    const run = await runCli(['-s', vm.socket, '--timeout', '2000', 'call', '--copy-as', 'socat', 'guest-get-osinfo']);
    expect(run.code, run.stderr).toBe(0);
    const line = run.stdout.trim();
    const pasted = await sh(line);
    expect(pasted.code).toBe(0);
    expect(JSON.parse(pasted.stdout)).toMatchObject({ return: { name: 'qemu-host lab' }, id: expect.stringMatching(/^qh-copy-/) });
    // Without ignoreeof socat passes printf's end of input on, and QEMU drops the client
    // before the agent answers.
    const plain = await sh(line.replace('-T 2 -,ignoreeof', '-t 2 -'));
    expect(plain).toMatchObject({ code: 1, stdout: '' });
    // What that client never read is held for the next one: the session's sync clears it.
    expect((await runCli(['-s', vm.socket, 'call', 'guest-ping'])).code).toBe(0);
  });

  it('records a session in the VM and replays it there: every reply the same', async () => {
    const file = path.join(work, 'vm.jsonl');
    const rec = await runCli(['-s', vm.socket, '--record', file, 'get', '--no-verify', '/etc/os-release', path.join(work, 'os-release')], { timeoutMs: 60_000 });
    expect(rec.code, rec.stderr).toBe(0);
    expect(executes(transcriptLines(file))).toEqual(expect.arrayContaining(['guest-file-open', 'guest-file-read', 'guest-file-close']));
    const replay = await runCli(['-s', vm.socket, 'replay', file], { timeoutMs: 60_000 });
    expect(replay.code, replay.stdout + replay.stderr).toBe(0);
    expect(replay.stdout).toMatch(/guest-file-open {2}same {2}\(handle \d+ → \d+\)/);
    expect(replay.stdout).toMatch(/guest-file-read {2}same/);
  });
});

describe('copied virsh lines and transcripts through libvirt', () => {
  const GUEST = 'qh-lab-copy';
  let daemon: LibvirtDaemon;
  let work: string;
  beforeAll(async () => {
    daemon = await startLibvirtd();
    await daemon.defineLab(GUEST);
    await daemon.waitForAgent(GUEST);
    work = mkdtempSync(path.join(tmpdir(), 'qh-transcript-libvirt-'));
  });
  afterAll(async () => {
    await daemon?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('the virsh line, pasted into sh, gets the reply from the guest through virsh', async () => {
    const run = await runCli(['--domain', GUEST, '--connect', daemon.uri, 'call', '--copy-as', 'virsh', 'guest-get-host-name']);
    expect(run.code, run.stderr).toBe(0);
    const line = run.stdout.trim();
    expect(line).toBe(`virsh -c '${daemon.uri}' qemu-agent-command ${GUEST} '{"execute":"guest-get-host-name"}'`);
    const pasted = await sh(line);
    expect(pasted.code).toBe(0);
    expect(JSON.parse(pasted.stdout)).toEqual({ return: { 'host-name': 'qh-lab' } });
  });

  it('records over --domain and replays there, file handles mapped', async () => {
    const file = path.join(work, 'libvirt.jsonl');
    const on = ['--domain', GUEST, '--connect', daemon.uri];
    const rec = await runCli([...on, '--record', file, 'get', '--no-verify', '/etc/hostname', path.join(work, 'hostname')], { timeoutMs: 60_000 });
    expect(rec.code, rec.stderr).toBe(0);
    expect(transcriptLines(file)[0]).toMatchObject({ type: 'header', mode: 'get', endpoint: expect.stringContaining(GUEST) });
    const replay = await runCli([...on, 'replay', file], { timeoutMs: 60_000 });
    expect(replay.code, replay.stdout + replay.stderr).toBe(0);
    expect(replay.stdout).toMatch(/guest-file-read {2}same {2}\(handle \d+ → \d+\)/);
  });
});
