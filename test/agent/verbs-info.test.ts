// `info` on the host's real agent: the tables and the JSON object agree with what this
// machine is, skipped commands are named with the reason, and an agent that blocks some
// commands (guest-info included) still gives the rest.
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatherInfo } from '../../src/verbs/info/gather.js';
import { MACHINE_CHANGING_RPCS, startAgent, type AgentFixture } from '../helpers/agent.js';
import { runCli } from '../helpers/cli.js';
import { sessionTo } from '../helpers/session.js';

let agent: AgentFixture;
beforeAll(async () => {
  agent = await startAgent();
});
afterAll(async () => {
  await agent.stop();
});

describe('qemu-host info', () => {
  it('prints a summary and tables that match this machine', async () => {
    const run = await runCli(['-s', agent.socket, 'info']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Host name +${os.hostname()}$`, 'm'));
    expect(run.stdout).toMatch(/^OS +.+\(kernel .+\)$/m);
    expect(run.stdout).toMatch(new RegExp(`^vCPUs +\\d+ online of ${os.cpus().length}$`, 'm'));
    expect(run.stdout).toMatch(/^Agent +qemu-ga 7\.2\.\d+, \d+ commands, \d+ disabled .*guest-shutdown/m);
    expect(run.stdout).toMatch(/^Filesystems\nMOUNTPOINT +TYPE +DEVICE +SIZE +USED +USE%\n/m);
    expect(run.stdout).toMatch(/^\/ +\S+ +\S+ +[\d.]+ \w+ +[\d.]+ \w+ +\d+%$/m);
    expect(run.stdout).toMatch(/^lo +00:00:00:00:00:00 +127\.0\.0\.1\/8/m);
    expect(run.stdout).toMatch(/^Not shown\n {2}guest-get-load: not in this agent \(qemu-ga 7\.2\.\d+\)$/m);
  });

  it('--json prints one object with the same facts', async () => {
    for (const args of [['info', '--json'], ['--json', 'info']]) {
      const run = await runCli(['-s', agent.socket, ...args]);
      expect(run.code).toBe(0);
      const o = JSON.parse(run.stdout);
      expect(o.hostname).toBe(os.hostname());
      expect(o.vcpus.total).toBe(os.cpus().length);
      expect(o.fsfreeze).toBe('thawed');
      expect(o.agent.version).toMatch(/^7\.2\./);
      expect(o.agent.disabled).toEqual(expect.arrayContaining(['guest-shutdown', 'guest-fsfreeze-freeze']));
      expect(o.filesystems.some((f: { mountpoint: string }) => f.mountpoint === '/')).toBe(true);
      expect(o.network.find((n: { name: string }) => n.name === 'lo').addresses).toContain('127.0.0.1/8');
      expect(Math.abs(o.clock.skewMs)).toBeLessThan(5000);
      expect(o.skipped).toEqual([{ command: 'guest-get-load', reason: expect.stringMatching(/^not in this agent/) }]);
    }
  });
});

describe('info with blocked commands', () => {
  let blocked: AgentFixture;
  beforeAll(async () => {
    blocked = await startAgent({ blocked: [...MACHINE_CHANGING_RPCS, 'guest-info', 'guest-get-users', 'guest-network-get-interfaces'] });
  });
  afterAll(async () => {
    await blocked.stop();
  });

  it('asks the others, and names each skipped one with the reason', async () => {
    const steps: string[] = [];
    const session = sessionTo(blocked.socket);
    const info = await gatherInfo(session, { onStep: (c) => steps.push(c) });
    session.close();
    expect(steps[0]).toBe('guest-info');
    expect(info.agent).toBeUndefined();
    expect(info.replies['guest-get-host-name']).toEqual({ 'host-name': os.hostname() });
    expect(info.skipped).toEqual(expect.arrayContaining([
      { command: 'guest-info', reason: "disabled by the agent's policy" },
      { command: 'guest-get-users', reason: "disabled by the agent's policy" },
      { command: 'guest-network-get-interfaces', reason: "disabled by the agent's policy" },
      { command: 'guest-get-load', reason: 'not in this agent' },
    ]));
    const run = await runCli(['-s', blocked.socket, 'info']);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/^Network$/m);
    expect(run.stdout).toMatch(/^ {2}guest-get-users: disabled by the agent's policy$/m);
  });
});
