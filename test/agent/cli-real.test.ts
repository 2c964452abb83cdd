// The built command line against a real qemu-ga: output, batch lines and exit codes.
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type AgentFixture } from '../helpers/agent.js';
import { runCli } from '../helpers/cli.js';

let agent: AgentFixture;
beforeAll(async () => {
  agent = await startAgent();
});
afterAll(async () => {
  await agent.stop();
});

describe('qemu-host call', () => {
  it('prints the return value pretty, or compact with --json, and exits 0', async () => {
    const pretty = await runCli(['-s', agent.socket, 'call', 'guest-get-host-name']);
    expect(pretty.code).toBe(0);
    expect(pretty.stdout).toMatch(/^\{\n {2}"host-name": ".+"\n\}\n$/);
    const compact = await runCli(['--json', '-s', agent.socket, 'call', 'guest-get-timezone']);
    expect(compact.code).toBe(0);
    expect(compact.stdout).toMatch(/^\{"zone":"[^"]+","offset":-?\d+\}\n$/);
  });

  it('prints guest-get-time nanoseconds exactly', async () => {
    const run = await runCli(['-s', agent.socket, 'call', 'guest-get-time']);
    expect(run.stdout.trim()).toMatch(/^\d{19}$/);
    expect(BigInt(run.stdout.trim()) % 1000n).toBe(BigInt(run.stdout.trim().slice(-3)));
  });

  it('takes key=value pairs with JSON values and dotted keys, or one JSON object', async () => {
    const file = path.join(agent.dir, 'cli-hello.txt');
    writeFileSync(file, 'hello from the host\n');
    const open = await runCli(['-s', agent.socket, 'call', 'guest-file-open', `path=${file}`, 'mode=r']);
    expect(open.code).toBe(0);
    const handle = Number(open.stdout);
    const read = await runCli(['--json', '-s', agent.socket, 'call', 'guest-file-read', `{"handle": ${handle}, "count": 100}`]);
    expect(JSON.parse(read.stdout)).toMatchObject({ count: 20, eof: true, 'buf-b64': Buffer.from('hello from the host\n').toString('base64') });
    expect((await runCli(['-s', agent.socket, 'call', 'guest-file-close', `handle=${handle}`])).code).toBe(0);
  });

  it('builds a list from a key given once per item, and the guest program gets them as its arguments', async () => {
    const started = await runCli(['--yes', '--json', '-s', agent.socket, 'call', 'guest-exec', 'path=/bin/echo', 'arg=two words', 'arg=-n', 'arg=123', 'capture-output=true']);
    expect(started.code).toBe(0);
    const { pid } = JSON.parse(started.stdout) as { pid: number };
    let status: { exited: boolean; 'out-data'?: string } = { exited: false };
    while (!status.exited) status = JSON.parse((await runCli(['--json', '-s', agent.socket, 'call', 'guest-exec-status', `pid=${pid}`])).stdout) as typeof status;
    // echo saw three arguments: "two words", "-n" (a word, not an option after the first) and the string "123".
    expect(Buffer.from(status['out-data'] ?? '', 'base64').toString()).toBe('two words -n 123\n');
    const twice = await runCli(['-s', agent.socket, 'call', 'guest-file-open', 'path=/etc/hostname', 'path=/etc/passwd']);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('member "path" is given 2 times, but takes one value');
  });

  it('names an unknown subcommand as such, with the nearest one, and an agent command with its call', async () => {
    const typo = await runCli(['-s', agent.socket, 'cal', 'guest-ping']);
    expect(typo.code).toBe(2);
    expect(typo.stderr.split('\n')[0]).toBe("error: unknown command 'cal' (did you mean call?)");
    const bare = await runCli(['-s', agent.socket, 'guest-ping']);
    expect(bare.code).toBe(2);
    expect(bare.stderr.split('\n')[0]).toBe('error: guest-ping is an agent command: send it with qemu-host [options] call guest-ping [ARGS...]');
    expect(bare.stdout).toBe('');
  });

  it('exits 1 with the agent error when the agent refuses', async () => {
    const run = await runCli(['-s', agent.socket, 'call', 'guest-file-open', 'path=/nonexistent/file']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/agent error GenericError: .*No such file or directory/);
    const json = await runCli(['--json', '-s', agent.socket, 'call', 'guest-file-open', 'path=/nonexistent/file']);
    expect(JSON.parse(json.stdout)).toEqual({ error: { class: 'GenericError', desc: expect.stringMatching(/No such file/) } });
  });

  it('exits 2 on bad input without connecting', async () => {
    // A listening socket that records whether anyone connected.
    const sock = path.join(agent.dir, 'never.sock');
    let connections = 0;
    const server = net.createServer((c) => {
      connections += 1;
      c.destroy();
    });
    await new Promise<void>((r) => server.listen(sock, r));
    try {
      for (const args of [
        ['call', 'guest-ping', 'notkeyvalue'],
        ['call', 'guest-file-open', '{"path": '],
        ['call', 'guest-file-open', '[1,2]'],
        ['call', 'guest-exec', 'a.=1'],
        ['--timeout', 'soon', 'call', 'guest-ping'],
        ['call'],
        ['--no-such-option'],
      ]) {
        const run = await runCli(['-s', sock, ...args]);
        expect(run.code, args.join(' ')).toBe(2);
        expect(run.stderr.length, args.join(' ')).toBeGreaterThan(0);
      }
      expect(connections).toBe(0);
    } finally {
      server.close();
    }
  });

  it('exits 3 with a clear message when there is no socket, and 2 when none is given', async () => {
    const missing = await runCli(['-s', path.join(agent.dir, 'absent.sock'), 'call', 'guest-ping']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/no socket at .*absent\.sock\n {2}Is the VM running\? .*-chardev socket,path=/);
    const none = await runCli(['call', 'guest-ping']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no agent socket given\n {2}Use -s/);
  });

  it('logs the wire traffic with --wire, including what the sync discarded', async () => {
    const run = await runCli(['--wire', '-s', agent.socket, 'call', 'guest-ping']);
    expect(run.code).toBe(0);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} --> \\xff\{"execute":"guest-sync-delimited","arguments":\{"id":\d+\}\}$/);
    expect(lines[1]).toMatch(/ xx {2}\{"error": .*stray.*\(the agent's answer to the 0xFF flush byte, \d+ bytes\)$/);
    expect(lines[2]).toMatch(/ <-- \\xff\{"return": \d+\}$/);
    // guest-info is asked once per connection, to learn what the agent supports.
    expect(lines[3]).toMatch(/ --> \{"execute":"guest-info","id":"qh-[0-9a-f]+-1"\}$/);
    expect(lines[4]).toMatch(/ <-- \{"return": \{"version": .*"id": "qh-[0-9a-f]+-1"\}$/);
    expect(lines[5]).toMatch(/ --> \{"execute":"guest-ping","id":"qh-[0-9a-f]+-2"\}$/);
    expect(lines[6]).toMatch(/ <-- \{"return": \{\}, "id": "qh-[0-9a-f]+-2"\}$/);
  });

  it('uses QEMU_HOST_SOCKET as the default socket', async () => {
    const run = await runCli(['call', 'guest-ping'], { env: { QEMU_HOST_SOCKET: agent.socket } });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('{}\n');
  });

  it('exits 3 on a timeout when the agent is stopped, and works again after SIGCONT', async () => {
    const stopped = await startAgent();
    try {
      stopped.signal('SIGSTOP');
      const run = await runCli(['-s', stopped.socket, '--timeout', '400', 'call', 'guest-ping']);
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(/the agent does not answer\n {2}The guest may still be booting/);
      stopped.signal('SIGCONT');
      await stopped.waitReady();
      const again = await runCli(['-s', stopped.socket, 'call', 'guest-ping']);
      expect(again.code).toBe(0);
    } finally {
      await stopped.stop();
    }
  });
});

describe('batch mode', () => {
  it('writes one JSON line per command, strips our ids, keeps the user id, and exits with the worst code', async () => {
    const input = [
      '# a comment, then an empty line',
      '',
      'guest-ping',
      '{"execute": "guest-ping", "id": 18446744073709551615}',
      'guest-get-time',
      'guest-file-open path=/proc/qh-no-such-file',
      'guest-no-such-command',
      'guest-ping stray-word',
      'guest-shutdown',
      'guest-get-timezone',
    ].join('\n');
    const run = await runCli(['--yes', '-s', agent.socket], { input });
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(8);
    expect(lines[0]).toBe('{"return":{}}');
    expect(lines[1]).toBe('{"return":{},"id":18446744073709551615}');
    expect(lines[2]).toMatch(/^\{"return":\d{19}\}$/);
    expect(JSON.parse(lines[3]!).error.class).toBe('GenericError');
    // Unknown to the schema: refused before sending (exit 2), with a did-you-mean.
    expect(JSON.parse(lines[4]!).error.class).toBe('ArgumentError');
    expect(JSON.parse(lines[5]!)).toEqual({ error: { class: 'UsageError', desc: expect.stringMatching(/not key=value/) } });
    expect(JSON.parse(lines[6]!).error.desc).toMatch(/disabled/);
    expect(JSON.parse(lines[7]!).return).toHaveProperty('zone');
    for (const line of lines) expect(line).not.toMatch(/"id":"qh-/);
    expect(run.code).toBe(2);
  });

  it('answers each line at once when a script waits for it before writing the next', async () => {
    const { spawn } = await import('node:child_process');
    const { CLI } = await import('../helpers/cli.js');
    const child = spawn(process.execPath, [CLI, '-s', agent.socket], { stdio: ['pipe', 'pipe', 'inherit'] });
    child.stdout.setEncoding('utf8');
    const nextLine = () => new Promise<string>((resolve) => child.stdout.once('data', (d: string) => resolve(d)));
    child.stdin.write('guest-ping\n');
    expect(await nextLine()).toBe('{"return":{}}\n');
    child.stdin.write('guest-get-host-name\n');
    expect(await nextLine()).toMatch(/^\{"return":\{"host-name":".+"\}\}\n$/);
    child.stdin.end();
    expect(await new Promise((r) => child.on('close', r))).toBe(0);
  });

  it('keeps input order over many windows of lines, with lines that fail before sending among them', async () => {
    // Far more lines than are queued ahead at once; every third fails in the tool itself.
    const kinds = Array.from({ length: 500 }, (_, i) => (i % 3 === 1 ? 'bad' : i % 3 === 2 ? 'name' : 'ping'));
    const input = kinds.map((k) => (k === 'bad' ? 'guest-ping stray-word' : k === 'name' ? 'guest-get-host-name' : 'guest-ping')).join('\r\n');
    const run = await runCli(['-s', agent.socket], { input });
    const lines = run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { return?: { 'host-name'?: string }; error?: { class: string } });
    expect(lines.map((l) => (l.error ? 'bad' : l.return?.['host-name'] ? 'name' : 'ping'))).toEqual(kinds);
    expect(run.code).toBe(2);
  });

  it('refuses commands that change the guest unless --yes confirms them, sending nothing', async () => {
    const run = await runCli(['-s', agent.socket], { input: 'guest-fsfreeze-freeze\nguest-ping\n' });
    const [refused, ping] = run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, { class?: string; desc?: string }>);
    expect(refused!.error).toEqual({ class: 'UsageError', desc: expect.stringMatching(/^guest-fsfreeze-freeze freezes every guest filesystem.*not confirmed; nothing was sent/) });
    expect(ping).toEqual({ return: {} });
    expect(run.code).toBe(2);
    const readOnly = await runCli(['--read-only', '--yes', '-s', agent.socket, 'call', 'guest-set-time', 'time=1']);
    expect(readOnly.code).toBe(2);
    expect(readOnly.stderr).toMatch(/refused by --read-only; nothing was sent/);
  });

  it('reports a connection failure on every line with exit 3', async () => {
    const run = await runCli(['-s', path.join(agent.dir, 'absent.sock')], { input: 'guest-ping\nguest-info\n' });
    const lines = run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { error: { class: string } });
    expect(lines.map((l) => l.error.class)).toEqual(['ConnectError', 'ConnectError']);
    expect(run.code).toBe(3);
  });
});
