// `qemu-host commands` and `qemu-host describe` from the built CLI: both work with no
// agent at all; with a real qemu-ga, the marks match what `qemu-ga -b help` says it was
// built with and what its guest-info says is enabled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SchemaLookup } from '../../src/schema/lookup.js';
import { loadShippedSchema } from '../../src/schema/shipped.js';
import { compiledRpcs, startAgent, type AgentFixture } from '../helpers/agent.js';
import { runCli } from '../helpers/cli.js';
import { rawExchange } from '../helpers/raw-client.js';

const shipped = new SchemaLookup(loadShippedSchema());
const shippedNames = shipped.commands().map((c) => c.name);

let agent: AgentFixture;
let enabledByAgent: Map<string, boolean>;
let agentVersion: string;

beforeAll(async () => {
  agent = await startAgent();
  const reply = JSON.parse(await rawExchange(agent.socket, '{"execute": "guest-info"}', { sync: true })) as {
    return: { version: string; supported_commands: { name: string; enabled: boolean }[] };
  };
  agentVersion = reply.return.version;
  enabledByAgent = new Map(reply.return.supported_commands.map((c) => [c.name, c.enabled]));
});
afterAll(async () => {
  await agent.stop();
});

interface JsonListing {
  schema: string;
  agent: { version: string; endpoint: string } | null;
  commands: { name: string; summary: string | null; since: string | null; successResponse: boolean; changesGuest: boolean; availability?: string }[];
}

describe('qemu-host commands', () => {
  it('lists every schema command with its summary, unmarked, with no agent', async () => {
    const run = await runCli(['commands']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(shippedNames);
    const width = Math.max(...shippedNames.map((n) => n.length));
    for (const [i, def] of shipped.commands().entries()) expect(lines[i]).toBe(`${def.name.padEnd(width)}  ${def.doc.summary}`);
  });

  it('marks each command as the real agent reports it: -b help for what exists, guest-info for enabled', async () => {
    const run = await runCli(['-s', agent.socket, 'commands']);
    expect(run.code).toBe(0);
    const marks = new Map(run.stdout.trimEnd().split('\n').map((l) => {
      const [name, mark] = l.split(/\s+/);
      return [name!, mark!];
    }));
    const compiled = new Set(compiledRpcs());
    for (const [name, mark] of marks) {
      if (!compiled.has(name)) {
        expect(mark, name).toBe(shippedNames.includes(name) ? 'unknown' : 'not-in-schema');
        continue;
      }
      expect(mark, name).toBe(enabledByAgent.get(name) ? 'enabled' : 'disabled');
    }
    // Every RPC the agent was built with is listed, and the schema's ones all are too.
    for (const name of compiled) expect(marks.has(name), name).toBe(true);
    for (const name of shippedNames) expect(marks.has(name), name).toBe(true);
    // The fixture blocks these with -b.
    expect(marks.get('guest-shutdown')).toBe('disabled');
    expect(marks.get('guest-fsfreeze-freeze')).toBe('disabled');
    expect(marks.get('guest-ping')).toBe('enabled');
    expect(run.stderr).toMatch(new RegExp(`^\\d+ commands: \\d+ enabled, \\d+ disabled, \\d+ unknown to the agent \\(qemu-ga ${agentVersion.replaceAll('.', '\\.')} at unix:`));
  });

  it('gives one JSON object with --json, availability only when an agent answered', async () => {
    const offline = JSON.parse((await runCli(['commands', '--json'])).stdout) as JsonListing;
    expect(offline.schema).toBe('shipped');
    expect(offline.agent).toBeNull();
    expect(offline.commands.map((c) => c.name)).toEqual(shippedNames);
    expect(offline.commands.find((c) => c.name === 'guest-shutdown')).toEqual({
      name: 'guest-shutdown', summary: shipped.command('guest-shutdown')!.doc.summary, since: '0.15.0', successResponse: false, changesGuest: true,
    });
    const online = JSON.parse((await runCli(['--json', '-s', agent.socket, 'commands'])).stdout) as JsonListing;
    expect(online.agent).toEqual({ version: agentVersion, endpoint: `unix:${agent.socket}` });
    for (const c of online.commands) {
      if (enabledByAgent.has(c.name)) expect(c.availability, c.name).toBe(enabledByAgent.get(c.name) ? 'enabled' : 'disabled');
      else expect(c.availability, c.name).toBe('unknown-to-agent');
    }
  });

  it('still lists the schema, unmarked, when the socket is not there, and exits 3 saying so', async () => {
    const run = await runCli(['-s', `${agent.dir}/absent.sock`, 'commands']);
    expect(run.code).toBe(3);
    expect(run.stdout.trimEnd().split('\n').map((l) => l.split(/\s+/)[0])).toEqual(shippedNames);
    expect(run.stderr).toMatch(/^qemu-host: no socket at .*absent\.sock\n[\s\S]*\(listed from the schema only, without marks\)\n$/);
  });

  it("lists Debian's 7.2 schema with --schema debian", async () => {
    const run = await runCli(['commands', '--schema', 'debian']);
    expect(run.code).toBe(0);
    const names = run.stdout.trimEnd().split('\n').map((l) => l.split(/\s+/)[0]);
    expect(names).toContain('guest-get-diskstats');
    expect(names).not.toContain('guest-get-load');
  });
});

describe('qemu-host describe', () => {
  it('prints the help for a command with no agent: summary, facts, args with nested members, returns, notes, examples', async () => {
    const run = await runCli(['describe', 'guest-set-vcpus']);
    expect(run.code).toBe(0);
    const def = shipped.command('guest-set-vcpus')!;
    const text = run.stdout;
    expect(text.startsWith(`guest-set-vcpus (since 1.5)\n  ${def.doc.summary}\n`)).toBe(true);
    expect(text).toContain('Replies: yes\nChanges the guest: yes; qemu-host asks before sending it\n');
    expect(text).toMatch(/\nArguments:\n {2}vcpus {2}\[GuestLogicalProcessor\] {2}required {2}/);
    expect(text).toMatch(/\n {4}GuestLogicalProcessor:\n {6}logical-id {3}int {3}required {2}/);
    expect(text).toMatch(/\n {6}can-offline {2}bool {2}optional {2}/);
    expect(text).toContain('\nReturns: int\n');
    expect(text).toContain(`\nNotes:\n  - ${def.doc.notes[0]!}`);
    expect(text.endsWith('\n(schema: shipped)\n')).toBe(true);
  });

  it('shows the no-reply fact, secrets, base64 members, alternates and examples', async () => {
    const shutdown = (await runCli(['describe', 'guest-shutdown'])).stdout;
    expect(shutdown).toContain('Replies: no reply on success (success-response: false); errors are still reported');
    expect(shutdown).toContain('Returns: nothing ({})');
    const password = (await runCli(['describe', 'guest-set-user-password'])).stdout;
    expect(password).toMatch(/\n {2}password {2}str {3}required, secret {2}/);
    expect(password).toContain('Base64 arguments: password');
    const exec = (await runCli(['describe', 'guest-exec'])).stdout;
    expect(exec).toContain('\n    true/false or one of none, stdout, stderr, separated, merged\n');
    expect(exec).toContain('\nExamples:\n  -> {"execute": "guest-exec"');
    expect((await runCli(['describe', 'guest-file-read'])).stdout).toContain('Base64 in the reply: buf-b64');
  });

  it('gives exactly {name, summary, since, successResponse, args, returns} with --json', async () => {
    const run = await runCli(['describe', 'guest-exec', '--json']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')).toHaveLength(2);
    const json = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['name', 'summary', 'since', 'successResponse', 'args', 'returns']);
    const def = shipped.command('guest-exec')!;
    expect(json).toEqual({
      name: 'guest-exec',
      summary: def.doc.summary,
      since: '2.5',
      successResponse: true,
      args: def.args.map((m) => ({ name: m.name, type: m.type, optional: m.optional, doc: m.doc })),
      returns: 'GuestExec',
    });
    expect((json.args as { name: string; type: unknown }[]).find((a) => a.name === 'arg')!.type).toEqual(['str']);
    const ping = JSON.parse((await runCli(['--json', 'describe', 'guest-ping'])).stdout) as Record<string, unknown>;
    expect(ping).toEqual({ name: 'guest-ping', summary: shipped.command('guest-ping')!.doc.summary, since: '0.15.0', successResponse: true, args: [], returns: null });
    const list = JSON.parse((await runCli(['describe', 'guest-get-vcpus', '--json'])).stdout) as Record<string, unknown>;
    expect(list.returns).toEqual(['GuestLogicalProcessor']);
  });

  it('describes types too', async () => {
    const run = await runCli(['describe', 'GuestFileWhence']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^GuestFileWhence \(since 2\.6\)\n/);
    expect(run.stdout).toContain('\nKind: alternate\n  an integer or one of set, cur, end\n');
    const json = JSON.parse((await runCli(['describe', 'QGASeek', '--json'])).stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ name: 'QGASeek', kind: 'enum', values: ['set', 'cur', 'end'] });
  });

  it('rejects an unknown name with a did-you-mean (exit 2)', async () => {
    const run = await runCli(['describe', 'guest-exec-stat']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('qemu-host: unknown command "guest-exec-stat" (did you mean guest-exec-status?)\n  Run qemu-host commands for the list (schema: shipped).\n');
  });

  it("reads QEMU's own help from --schema debian", async () => {
    const run = await runCli(['describe', 'guest-exec', '--json', '--schema', 'debian']);
    const json = JSON.parse(run.stdout) as { args: { name: string; type: unknown }[]; since: string };
    expect(json.since).toBe('2.5');
    expect(json.args.find((a) => a.name === 'capture-output')!.type).toBe('bool');
  });
});
