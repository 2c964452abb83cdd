// `qemu-host` with no socket in a real terminal, where QEMU is installed: it offers the lab,
// and when the offer is taken it behaves like `qemu-host lab`: boots the guest, opens the
// full-screen shell on it, and stops the VM when the shell is left.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { LAB_QUESTION } from '../../src/cli/commands/lab-offer.js';
import { builtCli } from '../helpers/vm.js';

function tmux(...args: string[]): string {
  const result = spawnSync('tmux', args, { encoding: 'utf8' });
  if (result.error) throw new Error(`tmux is needed for this test: apt-get install -y tmux (${result.error.message})`);
  return result.stdout;
}

async function waitForScreen(session: string, pattern: RegExp, timeoutMs = 120_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  let screen = '';
  while (Date.now() < end) {
    screen = tmux('capture-pane', '-p', '-J', '-t', session);
    if (pattern.test(screen)) return screen;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${pattern} did not appear on the screen within ${timeoutMs} ms; screen:\n${screen}`);
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('qemu-host with no socket, in a terminal, where QEMU is installed', () => {
  const name = `qh-offer-lab-${process.pid}`;
  const config = mkdtempSync(path.join(tmpdir(), 'qh-offer-lab-'));
  afterEach(() => {
    spawnSync('tmux', ['kill-session', '-t', name]);
  });
  afterAll(() => {
    rmSync(config, { recursive: true, force: true });
  });

  it('offers the lab; accepted, it opens the shell on the booted guest and stops the VM on the way out', async () => {
    const command = `env -u CI -u CONTINUOUS_INTEGRATION -u GITHUB_ACTIONS -u QEMU_HOST_SOCKET QEMU_HOST_CONFIG_DIR=${config} TERM=xterm-256color ` +
      `${process.execPath} ${builtCli()}; echo "EXIT=$?"; sleep 600`;
    tmux('new-session', '-d', '-s', name, '-x', '160', '-y', '40', command);
    await waitForScreen(name, new RegExp(escape(LAB_QUESTION.trim())));
    tmux('send-keys', '-t', name, 'Enter');

    // The full-screen shell, connected to the guest's agent through the lab VM's socket.
    const ready = await waitForScreen(name, /● ready │ unix:\S+qga\.sock │ qemu-ga 7\.2\.22/);
    const socket = /● ready │ unix:(\S+qga\.sock)/.exec(ready)![1]!;
    expect(path.basename(path.dirname(socket)).startsWith('qh-lab-')).toBe(true);
    expect(existsSync(socket)).toBe(true);
    tmux('send-keys', '-t', name, '-l', 'guest-get-host-name');
    tmux('send-keys', '-t', name, 'Enter');
    await waitForScreen(name, /"host-name": "qh-lab"/);

    tmux('send-keys', '-t', name, 'C-d');
    const after = await waitForScreen(name, /EXIT=0/);
    expect(after).toMatch(new RegExp(`qemu-host lab: guest ready in [\\d.]+ s; agent socket ${escape(socket)}`));
    expect(existsSync(path.dirname(socket))).toBe(false);
  });
});
