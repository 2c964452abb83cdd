// watch against the host's real agent: CPU and disk series from real counters, JSON lines,
// the read-only refusal (before connecting), and a command this agent lacks.
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchCommand, type WatchTick } from '../../src/verbs/watch/watch.js';
import { startAgent, type AgentFixture } from '../helpers/agent.js';
import { runCli } from '../helpers/cli.js';
import { sessionTo } from '../helpers/session.js';

let agent: AgentFixture;
beforeAll(async () => {
  agent = await startAgent();
});
afterAll(async () => {
  await agent.stop();
});

describe('qemu-host watch', () => {
  it('draws busy % per CPU from guest-get-cpustats', async () => {
    const run = await runCli(['-s', agent.socket, 'watch', 'guest-get-cpustats', '--every', '100ms', '--count', '3']);
    expect(run.code, run.stderr).toBe(0);
    const blocks = run.stdout.trim().split('\n\n');
    expect(blocks).toHaveLength(3);
    expect(blocks[0]).toMatch(/guest-get-cpustats {2}#1/);
    // The first call has no interval yet; the last has two points for every CPU.
    const last = blocks[2]!.split('\n');
    for (let cpu = 0; cpu < os.cpus().length; cpu++) {
      expect(last.some((l) => new RegExp(`^cpu${cpu} busy +[▁▂▃▄▅▆▇█ ]+ +\\d+\\.\\d%$`).test(l)), `cpu${cpu}`).toBe(true);
    }
  });

  it('--json gives one line per call with the series values', async () => {
    const run = await runCli(['--json', '-s', agent.socket, 'watch', 'guest-get-fsinfo', '--every', '50ms', '--count', '2']);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.n)).toEqual([1, 2]);
    expect(lines[1].series['fs:/']).toBeGreaterThan(0);
    expect(lines[1].series['fs:/']).toBeLessThanOrEqual(100);
  });

  it('refuses commands that change anything, before connecting (exit 2)', async () => {
    const sock = path.join(agent.dir, 'watch-never.sock');
    let connections = 0;
    const server = net.createServer((c) => {
      connections += 1;
      c.destroy();
    });
    await new Promise<void>((r) => server.listen(sock, r));
    try {
      for (const command of ['guest-exec-status', 'guest-shutdown', 'guest-file-read', 'guest-exec']) {
        const run = await runCli(['-s', sock, 'watch', command, 'pid=1']);
        expect(run.code, command).toBe(2);
        expect(run.stderr).toMatch(/watch repeats only read-only commands/);
      }
      expect(connections).toBe(0);
    } finally {
      server.close();
    }
  });

  it('a command the agent does not have fails at once (exit 1)', async () => {
    const run = await runCli(['-s', agent.socket, 'watch', 'guest-get-load', '--every', '50ms']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/guest-get-load/);
  });
});

describe('the watch verb API', () => {
  it('yields ticks with real disk rates and stops on abort', async () => {
    const controller = new AbortController();
    const ticks: WatchTick[] = [];
    for await (const tick of watchCommand(sessionTo(agent.socket), 'guest-get-diskstats', undefined, { everyMs: 50, signal: controller.signal })) {
      ticks.push(tick);
      if (ticks.length === 3) controller.abort();
    }
    expect(ticks.map((t) => t.n)).toEqual([1, 2, 3]);
    const read = ticks[2]!.series.find((s) => s.key.endsWith('.read'));
    expect(read).toBeDefined();
    expect(read!.points).toHaveLength(3);
    expect(read!.points[0]).toBeNull();
    expect(read!.points[2]).toBeGreaterThanOrEqual(0);
  });
});
