// --profile against a real agent: a profile saved in the settings (as the shell's
// `:profile save` does) connects `qemu-host --profile NAME` with its socket and its
// read-only mode, and a missing profile is a usage error that names the saved ones.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SettingsStore } from '../../src/settings/index.js';
import { startAgent, type AgentFixture } from '../helpers/agent.js';
import { runCli } from '../helpers/cli.js';

let agent: AgentFixture;
let config: string;

beforeAll(async () => {
  agent = await startAgent();
  config = mkdtempSync(path.join(tmpdir(), 'qh-profile-'));
  new SettingsStore(config).saveProfile('lab', { socket: agent.socket, timeoutMs: 4000 });
  new SettingsStore(config).saveProfile('lab-ro', { socket: agent.socket, readOnly: true });
});

afterAll(async () => {
  await agent?.stop();
  rmSync(config, { recursive: true, force: true });
});

describe('--profile', () => {
  it('connects with the saved socket', async () => {
    await agent.waitReady();
    const run = await runCli(['--profile', 'lab', 'call', 'guest-ping'], { env: { QEMU_HOST_CONFIG_DIR: config } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('{}');
  });

  it('runs batch lines through the saved socket', async () => {
    await agent.waitReady();
    const run = await runCli(['--profile', 'lab'], { input: 'guest-ping\n', env: { QEMU_HOST_CONFIG_DIR: config } });
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('{"return":{}}');
  });

  it('keeps the profile read-only: a command that changes the guest is refused, nothing sent', async () => {
    await agent.waitReady();
    const run = await runCli(['--profile', 'lab-ro', '--yes', 'call', 'guest-shutdown'], { env: { QEMU_HOST_CONFIG_DIR: config } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('guest-shutdown shuts the guest down: refused by --read-only; nothing was sent');
  });

  it('names the saved profiles when the one asked for does not exist', async () => {
    const run = await runCli(['--profile', 'nope', 'call', 'guest-ping'], { env: { QEMU_HOST_CONFIG_DIR: config } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no profile named nope');
    expect(run.stderr).toContain('Saved profiles: lab, lab-ro.');
  });
});
