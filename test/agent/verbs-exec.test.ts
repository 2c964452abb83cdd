// `exec` against a real qemu-ga (guest-exec acts on this machine, inside the fixture's
// temp dir): the built CLI's output, exit codes, signals, stdin, truncation, timeouts and
// Ctrl+C; the verb API's results; and the message when policy blocks guest-exec.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentError } from '../../src/protocol/errors.js';
import { runExec } from '../../src/verbs/exec/exec.js';
import { shellSpec } from '../../src/verbs/exec/exec-request.js';
import { MACHINE_CHANGING_RPCS, startAgent, type AgentFixture } from '../helpers/agent.js';
import { CLI, runCli } from '../helpers/cli.js';
import { sessionTo } from '../helpers/session.js';

let agent: AgentFixture;
beforeAll(async () => {
  agent = await startAgent();
});
afterAll(async () => {
  await agent.stop();
});

const cli = (args: string[], input?: string) => runCli(['-s', agent.socket, ...args], { input });

/** A sleep duration no other process on this machine has: it marks our guest process. */
const uniqueSleep = (): string => `${30 + Math.floor(Math.random() * 60)}.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;

/** Whether a process whose command line contains `marker` is alive on this machine. */
function processAlive(marker: string): boolean {
  const ps = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  if (ps.error) throw new Error('ps is missing: install procps (apt-get install -y procps)');
  return ps.stdout.split('\n').some((line) => line.includes(marker) && !line.includes('ps -eo'));
}

describe('qemu-host exec', () => {
  it('prints stdout and stderr apart and exits with the process status', async () => {
    const run = await cli(['exec', '--shell', 'echo to-out; echo to-err >&2; exit 7']);
    expect(run).toMatchObject({ code: 7, stdout: 'to-out\n', stderr: 'to-err\n' });
    const ok = await cli(['exec', '--', 'printf', '%s|', 'a b', '-c']);
    expect(ok).toMatchObject({ code: 0, stdout: 'a b|-c|' });
  });

  it('takes a command without -- when its options follow the program name', async () => {
    const run = await cli(['exec', 'sh', '-c', 'echo $0']);
    expect(run).toMatchObject({ code: 0, stdout: 'sh\n' });
  });

  it('reports a signal like a shell: a message and 128+N', async () => {
    const run = await cli(['exec', '--shell', 'kill -TERM $$']);
    expect(run.code).toBe(143);
    expect(run.stderr).toContain('was killed by signal 15 (SIGTERM)');
    const killed = await cli(['exec', '--shell', 'kill -KILL $$']);
    expect(killed.code).toBe(137);
  });

  it('passes our stdin when it is not a terminal, --input FILE, and nothing with -n', async () => {
    expect(await cli(['exec', '--', 'tr', 'a-z', 'A-Z'], 'piped text\n')).toMatchObject({ code: 0, stdout: 'PIPED TEXT\n' });
    const file = path.join(agent.dir, 'exec-input.bin');
    const bytes = Buffer.from([0, 1, 2, 255, 254, 10]);
    writeFileSync(file, bytes);
    const fromFile = await cli(['--json', 'exec', '--input', file, '--', 'od', '-An', '-tx1']);
    expect(JSON.parse(fromFile.stdout).stdout.trim()).toBe('00 01 02 ff fe 0a');
    const none = await cli(['exec', '-n', '--', 'wc', '-c'], 'ignored');
    expect(none).toMatchObject({ code: 0, stdout: '0\n' });
  });

  it('flags output the agent truncated, loudly, and still exits with the status', async () => {
    const run = await cli(['exec', '--shell', 'head -c 17000000 /dev/zero; echo done >&2']);
    expect(run.code).toBe(0);
    expect(run.stdout.length).toBe(16 * 1024 * 1024);
    expect(run.stderr).toContain('done\n');
    expect(run.stderr).toMatch(/stdout was TRUNCATED by the guest agent/);
    expect(run.stderr).not.toMatch(/stderr was TRUNCATED/);
  });

  it('--env replaces the whole environment', async () => {
    const run = await cli(['exec', '--env', 'ONLY=this', '--', '/usr/bin/env']);
    expect(run.code).toBe(0);
    const names = run.stdout.trim().split('\n').map((l) => l.split('=')[0]);
    expect(names).toContain('ONLY');
    expect(names).not.toContain('PATH');
    expect(names).not.toContain('HOME');
  });

  it('stops the process tree after --timeout and exits 124', async () => {
    const marker = uniqueSleep();
    const run = await cli(['exec', '--timeout', '300ms', '--shell', `sleep ${marker}; echo never`]);
    expect(run.code).toBe(124);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/ran past the --timeout and was stopped with signal 9 \(SIGKILL\)/);
    expect(processAlive(`sleep ${marker}`)).toBe(false);
  });

  it('on Ctrl+C kills the guest process and exits 130', async () => {
    const started = path.join(agent.dir, 'sigint-started');
    const marker = uniqueSleep();
    const child = spawn(process.execPath, [CLI, '-s', agent.socket, 'exec', '--shell', `touch ${started}; sleep ${marker}; echo never`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    while (!existsSync(started)) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/interrupted: killing guest process \d+/);
    expect(stderr).toMatch(/interrupted: guest process \d+ was stopped/);
    expect(processAlive(`sleep ${marker}`)).toBe(false);
  });

  it('--json gives one object, with base64 for output that is not UTF-8', async () => {
    const run = await cli(['--json', 'exec', '--shell', "printf 'text'; printf '\\377\\376' >&2; exit 2"]);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({
      pid: expect.any(Number), ended: 'exited', exited: true, exitcode: 2,
      stdout: 'text', 'stderr-b64': Buffer.from([255, 254]).toString('base64'),
      'stdout-truncated': false, 'stderr-truncated': false,
    });
  });

  it('says when the program cannot be started, exit 1', async () => {
    const run = await cli(['exec', '--', '/nonexistent/program']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/could not start the program: .*No such file or directory/);
  });

  it('exits 2 on bad usage without running anything', async () => {
    for (const args of [['exec'], ['exec', '--shell', 'x', 'y'], ['exec', '--env', 'NOPE', '--', 'true'], ['exec', '--timeout', 'soon', '--', 'true']]) {
      const run = await cli(args);
      expect(run.code, args.join(' ')).toBe(2);
    }
  });
});

describe('the exec verb API', () => {
  it('keeps the final status: the agent has reaped the process after reporting it', async () => {
    const session = sessionTo(agent.socket);
    const pids: number[] = [];
    let polls = 0;
    const result = await runExec(session, shellSpec('echo kept; exit 5'), { onStarted: (pid) => pids.push(pid), onPoll: () => (polls += 1) });
    expect(result).toMatchObject({ ended: 'exited', exited: true, exitCode: 5 });
    expect(result.stdout.toString()).toBe('kept\n');
    expect(result.status).toMatchObject({ exited: true, exitcode: 5 });
    expect(pids).toEqual([result.pid]);
    expect(result.polls).toBe(polls + 1);
    await expect(session.call('guest-exec-status', { pid: result.pid })).rejects.toBeInstanceOf(AgentError);
  });

  it('aborting the wait kills the process and still returns its final status', async () => {
    const session = sessionTo(agent.socket);
    const controller = new AbortController();
    const marker = uniqueSleep();
    const result = await runExec(session, { path: 'sleep', args: [marker] }, {
      signal: controller.signal,
      onStarted: () => setTimeout(() => controller.abort(), 50),
    });
    expect(result).toMatchObject({ ended: 'interrupted', exited: true, signal: 9 });
    expect(processAlive(`sleep ${marker}`)).toBe(false);
  });
});

describe('exec when the agent blocks guest-exec', () => {
  let blocked: AgentFixture;
  beforeAll(async () => {
    blocked = await startAgent({ blocked: [...MACHINE_CHANGING_RPCS, 'guest-exec', 'guest-exec-status'] });
  });
  afterAll(async () => {
    await blocked.stop();
  });

  it('says it is disabled by policy and how to enable it, exit 1', async () => {
    const run = await runCli(['-s', blocked.socket, 'exec', '--', 'true']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/guest-exec is disabled by the guest agent's policy/);
    expect(run.stderr).toMatch(/\/etc\/sysconfig\/qemu-ga/);
    expect(run.stderr).toMatch(/BLOCK_RPCS/);
    expect(run.stderr).toMatch(/--allow-rpcs/);
  });
});
