// dist/cli.js runs the command line through V8's code cache (src/cli/launcher.cts): the
// first run writes it, later runs use it, and a cache that does not fit or that someone
// else could have written is never trusted. Whatever happens to the cache, the command
// runs the same.
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type AgentFixture } from '../helpers/agent.js';
import { runCli } from '../helpers/cli.js';

let agent: AgentFixture;
let home: string;
beforeAll(async () => {
  agent = await startAgent();
  home = mkdtempSync(path.join(tmpdir(), 'qh-cache-'));
});
afterAll(async () => {
  await agent.stop();
  rmSync(home, { recursive: true, force: true });
});

const cacheDir = (): string => path.join(home, 'qemu-host', 'v8-cache');
const ping = () => runCli(['--json', '-s', agent.socket, 'call', 'guest-ping'], { env: { XDG_CACHE_HOME: home } });

describe('the code cache', () => {
  it('is written by the first run, private, and read by the next', async () => {
    const first = await ping();
    expect(first).toMatchObject({ code: 0, stdout: '{}\n' });
    const [file, ...others] = readdirSync(cacheDir());
    expect(others).toEqual([]);
    expect(file).toMatch(new RegExp(`^[0-9a-f]{16}-${process.version}-${process.arch}\\.bin$`));
    expect(statSync(cacheDir()).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(cacheDir(), file!)).mode & 0o777).toBe(0o600);
    const written = readFileSync(path.join(cacheDir(), file!));
    expect(await ping()).toMatchObject({ code: 0, stdout: '{}\n' });
    // Accepted, so not written again.
    expect(readFileSync(path.join(cacheDir(), file!)).equals(written)).toBe(true);
  });

  it('replaces a cache that does not fit, and one that others could write, instead of using it', async () => {
    const [file] = readdirSync(cacheDir());
    const cache = path.join(cacheDir(), file!);
    for (const mode of [0o600, 0o666]) {
      writeFileSync(cache, Buffer.from('not a code cache at all'));
      chmodSync(cache, mode);
      expect(await ping(), `mode ${mode.toString(8)}`).toMatchObject({ code: 0, stdout: '{}\n' });
      expect(readFileSync(cache).toString('latin1')).not.toContain('not a code cache');
      expect(statSync(cache).mode & 0o777).toBe(0o600);
    }
  });

  it('is simply not kept when there is nowhere to keep it', async () => {
    const run = await runCli(['--json', '-s', agent.socket, 'call', 'guest-ping'], { env: { XDG_CACHE_HOME: '', HOME: '' } });
    expect(run).toMatchObject({ code: 0, stdout: '{}\n' });
    const readOnly = path.join(home, 'read-only');
    writeFileSync(readOnly, '');
    // A file where the directory would be: nothing can be written under it.
    expect(await runCli(['--json', '-s', agent.socket, 'call', 'guest-ping'], { env: { XDG_CACHE_HOME: readOnly } })).toMatchObject({ code: 0, stdout: '{}\n' });
  });
});
