// freeze / thaw against the host's real agent, where freezing is blocked (it would freeze
// this machine): the confirmation rule, the policy message, --status, and thaw when nothing
// is frozen. The freeze itself is tested in the lab VM (test/vm/verbs-freeze.test.ts).
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MACHINE_CHANGING_RPCS, startAgent, type AgentFixture } from '../helpers/agent.js';
import { runCli } from '../helpers/cli.js';

let agent: AgentFixture;
beforeAll(async () => {
  // Thawing a machine that is not frozen changes nothing, so only thaw is let through.
  agent = await startAgent({ blocked: MACHINE_CHANGING_RPCS.filter((rpc) => rpc !== 'guest-fsfreeze-thaw') });
});
afterAll(async () => {
  await agent.stop();
});

describe('qemu-host freeze / thaw', () => {
  it('without a terminal, freeze needs --yes and sends nothing (exit 2)', async () => {
    const sock = path.join(agent.dir, 'freeze-never.sock');
    let connections = 0;
    const server = net.createServer((c) => {
      connections += 1;
      c.destroy();
    });
    await new Promise<void>((r) => server.listen(sock, r));
    try {
      const run = await runCli(['-s', sock, 'freeze']);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/freeze changes the guest and there is no terminal to confirm it on/);
      expect(run.stderr).toMatch(/--yes/);
      expect(connections).toBe(0);
    } finally {
      server.close();
    }
  });

  it('says plainly when the agent blocks freezing, exit 1', async () => {
    const run = await runCli(['-s', agent.socket, 'freeze', '--yes']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/guest-fsfreeze-freeze is disabled by the guest agent's policy/);
    expect(run.stderr).toMatch(/BLOCK_RPCS/);
    const list = await runCli(['-s', agent.socket, 'freeze', '--yes', '/tmp']);
    expect(list.stderr).toMatch(/guest-fsfreeze-freeze-list is disabled/);
  });

  it('--status reports thawed, as text or JSON', async () => {
    expect(await runCli(['-s', agent.socket, 'freeze', '--status'])).toMatchObject({ code: 0, stdout: 'thawed\n' });
    const json = await runCli(['--json', '-s', agent.socket, 'freeze', '--status']);
    expect(JSON.parse(json.stdout)).toEqual({ status: 'thawed' });
  });

  it('thaw with nothing frozen says so', async () => {
    expect(await runCli(['-s', agent.socket, 'thaw'])).toMatchObject({ code: 0, stderr: 'qemu-host: nothing was frozen\n' });
    expect(JSON.parse((await runCli(['--json', '-s', agent.socket, 'thaw'])).stdout)).toEqual({ thawed: 0 });
  });
});
