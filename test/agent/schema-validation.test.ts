// Schema validation in the built CLI, against a real qemu-ga behind a recording
// pass-through: bad input exits 2 and nothing reaches the agent; good input (including
// text typed for a string member and integers beyond 2^53) reaches it exactly; the raw
// forms bypass every check; commands the agent disabled are refused before sending.
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MACHINE_CHANGING_RPCS, startAgent, type AgentFixture } from '../helpers/agent.js';
import { runCli } from '../helpers/cli.js';
import { rawExchange } from '../helpers/raw-client.js';
import { startRecorder, type Recorder } from './schema-recorder.js';

let agent: AgentFixture;
let agentVersion: string;

beforeAll(async () => {
  agent = await startAgent();
  const info = JSON.parse(await rawExchange(agent.socket, '{"execute": "guest-info"}', { sync: true })) as { return: { version: string } };
  agentVersion = info.return.version;
});
afterAll(async () => {
  await agent.stop();
});

let count = 0;
let recorder: Recorder | undefined;
afterEach(async () => {
  await recorder?.close();
  recorder = undefined;
});
/** A fresh recorder per test, so each test sees only its own traffic. */
async function record(): Promise<Recorder> {
  count += 1;
  recorder = await startRecorder(agent.socket, path.join(agent.dir, `rec-${count}.sock`));
  return recorder;
}

/** Bad `call` invocations, each with the one message line it must print. */
const BAD_CALLS: [string[], string][] = [
  [['guest-fle-open', 'path=/etc/hostname'], 'unknown command "guest-fle-open" (did you mean guest-file-open?)'],
  [['guest-file-open', 'pth=/etc/hostname'], 'guest-file-open: unknown member "pth" (did you mean path?)'],
  [['guest-file-open', 'mode=r'], 'guest-file-open: missing required member "path" (str)'],
  [['guest-file-read', 'handle=1000', 'count=ten'], 'guest-file-read: member "count" must be an integer (int), got the string "ten"'],
  [['guest-file-read', '{"handle": 1000, "count": 1.5}'], 'guest-file-read: member "count" must be an integer (int), got the number 1.5'],
  [['guest-file-open', '{"path": 42}'], 'guest-file-open: member "path" must be a string (str), got the number 42'],
  [['guest-exec', 'path=/bin/true', 'capture-output=all'],
    'guest-exec: member "capture-output" must be true/false or one of none, stdout, stderr, separated, merged (GuestExecCaptureOutput), got the string "all"'],
  [['guest-file-seek', 'handle=1000', 'offset=0', 'whence=start'],
    'guest-file-seek: member "whence" must be an integer or one of set, cur, end (GuestFileWhence), got the string "start"'],
  [['guest-exec', 'path=/bin/echo', 'arg=["a", 2]'], 'guest-exec: member "arg[1]" must be a string (str), got the number 2'],
  [['guest-exec', '{"path": "/bin/echo", "arg": "-n"}'], 'guest-exec: member "arg" must be a list ([str]), got the string "-n"'],
  [['guest-file-open', 'path=/etc/hostname', 'path=/etc/passwd'], 'guest-file-open: member "path" is given 2 times, but takes one value: a string (str)'],
  [['guest-set-memory-blocks', '{"mem-blks": [{"phys-index": -1, "online": true}]}'],
    'guest-set-memory-blocks: member "mem-blks[0].phys-index" must be an integer from 0 to 18446744073709551615 (uint64), got -1'],
  [['guest-set-vcpus', '{"vcpus": [{"logical-id": 0}]}'], 'guest-set-vcpus: missing required member "vcpus[0].online" (bool)'],
  [['guest-sync', 'id=9223372036854775808'],
    'guest-sync: member "id" must be an integer from -9223372036854775808 to 9223372036854775807 (int), got 9223372036854775808'],
  [['guest-ping', 'verbose=true'], 'guest-ping: unknown member "verbose"'],
];

describe('bad input', () => {
  it('exits 2 with a message naming command, member, expectation and value, and sends nothing', async () => {
    const rec = await record();
    for (const [args, message] of BAD_CALLS) {
      const run = await runCli(['-s', rec.path, 'call', ...args]);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr.split('\n')[0], args.join(' ')).toBe(`qemu-host: ${message}`);
      expect(run.stdout).toBe('');
    }
    expect(rec.connections()).toBe(0);
    expect(rec.text()).toBe('');
  });

  it('prints the error as JSON with --json, still sending nothing', async () => {
    const rec = await record();
    const run = await runCli(['--json', '-s', rec.path, 'call', 'guest-file-read', 'handle=1000', 'count=ten']);
    expect(run.code).toBe(2);
    expect(rec.connections()).toBe(0);
    expect(run.stderr).toBe('qemu-host: guest-file-read: member "count" must be an integer (int), got the string "ten"\n');
  });

  it('in batch mode: rejects each bad line with exit 2, and only good lines reach the agent', async () => {
    const rec = await record();
    const input = [
      'guest-ping',
      'guest-file-read handle=1000 count=ten',
      'guest-fle-open path=/x',
      'guest-exec path=/bin/true capture-output=all',
      'guest-get-timezone',
    ].join('\n');
    const run = await runCli(['-s', rec.path], { input });
    const lines = run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { return?: unknown; error?: { class: string; desc: string } });
    expect(lines).toHaveLength(5);
    expect(lines[0]).toEqual({ return: {} });
    expect(lines[1]).toEqual({ error: { class: 'ArgumentError', desc: 'guest-file-read: member "count" must be an integer (int), got the string "ten"' } });
    expect(lines[2]!.error).toEqual({ class: 'ArgumentError', desc: expect.stringMatching(/^unknown command "guest-fle-open" \(did you mean guest-file-open\?\)\. Run qemu-host commands/) });
    expect(lines[3]!.error!.class).toBe('ArgumentError');
    expect(lines[4]!.return).toHaveProperty('offset');
    expect(run.code).toBe(2);
    expect(rec.executes()).toEqual(['guest-sync-delimited', 'guest-info', 'guest-ping', 'guest-get-timezone']);
  });

  it('in batch mode: a run of only bad lines never connects', async () => {
    const rec = await record();
    const run = await runCli(['-s', rec.path], { input: 'guest-pong\nguest-file-open\nguest-exec path=/bin/true path=/bin/false\n' });
    expect(run.code).toBe(2);
    expect(run.stdout.trimEnd().split('\n').map((l) => (JSON.parse(l) as { error: { class: string } }).error.class)).toEqual(['ArgumentError', 'ArgumentError', 'ArgumentError']);
    expect(rec.connections()).toBe(0);
  });
});

describe('a password on the command line', () => {
  const PASSWORD = 'cXEtc2VjcmV0LXdvcmQ=';
  it('is read from stdin with password=-, reaches the agent, and is shown nowhere', async () => {
    const rec = await record();
    // --raw: sent although this agent disables the command (it must not change this machine),
    // so the agent refuses it only after reading it.
    const run = await runCli(['--yes', '-s', rec.path, 'call', '--raw', 'guest-set-user-password', 'username=qh-nobody', 'password=-', 'crypted=false'], { input: `${PASSWORD}\n` });
    expect(run.stderr).toMatch(/CommandNotFound/);
    expect(rec.text()).toContain(`"password":"${PASSWORD}"`);
    expect(run.stderr + run.stdout).not.toContain(PASSWORD);
    expect(run.stderr).not.toMatch(/warning/);
  });

  it('given as text, is sent but warned about: ps shows it and the shell keeps it', async () => {
    const rec = await record();
    const run = await runCli(['--yes', '-s', rec.path, 'call', '--raw', 'guest-set-user-password', 'username=qh-nobody', `password=${PASSWORD}`, 'crypted=false']);
    expect(run.stderr).toContain('qemu-host: warning: password on the command line can be read by every user of this machine (ps) and stays in your shell history; give password=- to type it or pipe it in');
    expect(rec.text()).toContain(`"password":"${PASSWORD}"`);
    expect(run.stderr).not.toContain(PASSWORD);
  });

  it('refuses password=- with nothing on stdin, sending nothing', async () => {
    const rec = await record();
    const run = await runCli(['--yes', '-s', rec.path, 'call', 'guest-set-user-password', 'username=qh-nobody', 'password=-', 'crypted=false'], { input: '' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no password given on stdin; nothing was sent/);
    expect(rec.connections()).toBe(0);
  });
});

describe('good input reaches the agent as meant', () => {
  it('sends the typed text when the schema wants a string', async () => {
    const rec = await record();
    const run = await runCli(['-s', rec.path, 'call', 'guest-ssh-get-authorized-keys', 'username=12345']);
    // The agent looked the user up by name (and found none); it did not complain about the type.
    expect(run.code).toBe(1);
    expect(run.stderr).not.toMatch(/Invalid parameter type/);
    expect(rec.text()).toContain('"arguments":{"username":"12345"}');
  });

  it('keeps integers beyond 2^53 exact to the agent and back (guest-sync echoes its id)', async () => {
    for (const id of ['9007199254740993', '9223372036854775807', '-9223372036854775808', '-9007199254740993']) {
      const rec = await record();
      const run = await runCli(['-s', rec.path, 'call', 'guest-sync', `id=${id}`]);
      expect(run.code, id).toBe(0);
      expect(run.stdout).toBe(`${id}\n`);
      expect(rec.text()).toContain(`"arguments":{"id":${id}}`);
      await rec.close();
      recorder = undefined;
    }
  });

  it('sends the members as typed, in the order typed', async () => {
    const rec = await record();
    const run = await runCli(['--json', '-s', rec.path, 'call', 'guest-file-open', `path=${agent.dir}/absent`, 'mode=r']);
    expect(run.code).toBe(1);
    expect(rec.text()).toContain(`"arguments":{"path":"${agent.dir}/absent","mode":"r"}`);
  });
});

describe('the raw escape hatch', () => {
  it('call --raw sends arguments unchecked, and the agent judges them', async () => {
    const rec = await record();
    const run = await runCli(['-s', rec.path, 'call', '--raw', 'guest-file-read', '{"handle": "x"}']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/agent error GenericError: Invalid parameter type for 'handle', expected: integer/);
    expect(rec.text()).toContain('{"execute":"guest-file-read","arguments":{"handle":"x"}}');
  });

  it('a raw JSON line in batch mode is sent as written, even for a command the schema lacks', async () => {
    const rec = await record();
    const run = await runCli(['-s', rec.path], { input: '{"execute": "guest-no-such", "id": 7}\n{"execute": "guest-ping", "arguments": {"x": 1}}\n' });
    const lines = run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { error: { class: string; desc: string }; id?: number });
    expect(lines[0]).toEqual({ error: { class: 'CommandNotFound', desc: 'The command guest-no-such has not been found' }, id: 7 });
    expect(lines[1]!.error.desc).toBe("Parameter 'x' is unexpected");
    expect(run.code).toBe(1);
    expect(rec.executes()).toEqual(['guest-sync-delimited', 'guest-info', 'guest-no-such', 'guest-ping']);
  });
});

describe('commands the live agent refuses', () => {
  it('reports a disabled command before sending it, with the policy hint (exit 1)', async () => {
    const rec = await record();
    const run = await runCli(['--yes', '-s', rec.path, 'call', 'guest-shutdown']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `qemu-host: guest-shutdown is disabled on this agent (qemu-ga ${agentVersion}, per guest-info); nothing was sent\n` +
        '  Its policy blocks it: restart qemu-ga without it in -b/--block-rpcs (or add it to --allow-rpcs; ' +
        'on RHEL-family guests see BLOCK_RPCS / FILTER_RPC_ARGS in /etc/sysconfig/qemu-ga).\n',
    );
    expect(rec.executes()).toEqual(['guest-sync-delimited', 'guest-info']);
  });

  it('refuses every command the fixture blocks, none of them sent', async () => {
    const rec = await record();
    const lines = [
      'guest-shutdown mode=reboot', 'guest-suspend-disk', 'guest-suspend-ram', 'guest-suspend-hybrid',
      'guest-set-time time=1', 'guest-fsfreeze-freeze', "guest-fsfreeze-freeze-list mountpoints='[\"/\"]'", 'guest-fsfreeze-thaw',
      'guest-set-user-password username=nobody password=eA== crypted=false', 'guest-set-vcpus vcpus=[]',
      'guest-set-memory-blocks mem-blks=[]', 'guest-ssh-add-authorized-keys username=nobody keys=[]',
      'guest-ssh-remove-authorized-keys username=nobody keys=[]', 'guest-fstrim',
    ];
    expect(lines.map((l) => l.split(' ')[0]).sort()).toEqual([...MACHINE_CHANGING_RPCS].sort());
    const run = await runCli(['--yes', '-s', rec.path], { input: `${lines.join('\n')}\n` });
    const out = run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { error: { class: string; desc: string } });
    expect(out).toHaveLength(lines.length);
    for (const [i, line] of out.entries()) {
      const command = lines[i]!.split(' ')[0]!;
      expect(line.error.class, command).toBe('CommandDisabled');
      expect(line.error.desc, command).toMatch(new RegExp(`^${command} is disabled on this agent \\(qemu-ga ${agentVersion.replaceAll('.', '\\.')}, per guest-info\\); nothing was sent\\.`));
    }
    expect(run.code).toBe(1);
    expect(rec.executes()).toEqual(['guest-sync-delimited', 'guest-info']);
  });

  it('reports a command newer than the agent, naming the version that added it', async () => {
    const rec = await record();
    const run = await runCli(['-s', rec.path, 'call', 'guest-get-load']);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')[0]).toBe(
      `qemu-host: guest-get-load is not known to this agent (qemu-ga ${agentVersion}, per guest-info): it was added in QEMU 10.0; nothing was sent`,
    );
    expect(rec.executes()).toEqual(['guest-sync-delimited', 'guest-info']);
  });

  it('asks guest-info once per connection, however many commands follow', async () => {
    const rec = await record();
    const run = await runCli(['--yes', '-s', rec.path], { input: 'guest-ping\nguest-shutdown\nguest-ping\nguest-get-host-name\n' });
    expect(run.code).toBe(1);
    expect(rec.executes()).toEqual(['guest-sync-delimited', 'guest-info', 'guest-ping', 'guest-ping', 'guest-get-host-name']);
  });
});

describe('--schema', () => {
  it("checks against Debian's QEMU 7.2 schema with --schema debian", async () => {
    const rec = await record();
    const old = await runCli(['--schema', 'debian', '-s', rec.path, 'call', 'guest-exec', 'path=/bin/true', 'capture-output=merged']);
    expect(old.code).toBe(2);
    expect(old.stderr.split('\n')[0]).toBe('qemu-host: guest-exec: member "capture-output" must be true or false (bool), got the string "merged"');
    const unknown = await runCli(['--schema', 'debian', '-s', rec.path, 'call', 'guest-get-load']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^qemu-host: unknown command "guest-get-load"\n {2}Run qemu-host commands for the list \(schema: \/usr\/share\/doc\/qemu-guest-agent\/qapi-schema\.json\.gz\)/);
    expect(rec.connections()).toBe(0);
    const good = await runCli(['--schema', 'debian', '--json', '-s', rec.path, 'call', 'guest-get-osinfo']);
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout)).toHaveProperty('kernel-release');
  });

  it('reads a QAPI file given by path, and says clearly what is wrong with a bad one', async () => {
    const rec = await record();
    const ok = await runCli(['--schema', '/usr/share/doc/qemu-guest-agent/qapi-schema.json.gz', '-s', rec.path, 'call', 'guest-ping']);
    expect(ok.code).toBe(0);
    const missing = await runCli(['--schema', '/nonexistent/schema.json', '-s', rec.path, 'call', 'guest-ping']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('qemu-host: --schema: no such file /nonexistent/schema.json\n  Give a guest-agent QAPI schema file (qga/qapi-schema.json, plain or .gz), or debian.\n');
    const broken = path.join(agent.dir, 'broken.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(broken, "{ 'command': 'guest-x', 'data': { 'a': 'str' }\n");
    const bad = await runCli(['--schema', broken, '-s', rec.path, 'call', 'guest-ping']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(new RegExp(`^qemu-host: --schema ${broken}: ${broken}:\\d+:\\d+: `));
    // Batch mode reports a bad schema before reading any line.
    const batch = await runCli(['--schema', '/nonexistent/schema.json', '-s', rec.path], { input: 'guest-ping\n' });
    expect(batch.code).toBe(2);
    expect(batch.stdout).toBe('');
    expect(rec.executes()).toEqual(['guest-sync-delimited', 'guest-info', 'guest-ping']);
  });
});
