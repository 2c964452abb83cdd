// `qemu-host lab` in a real terminal: it boots the guest, opens the shell on it, and stops
// the VM when the shell is left. Also: a closed terminal (SIGHUP) stops the VM too.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { builtCli } from '../helpers/vm.js';

function tmux(...args: string[]): string {
  const result = spawnSync('tmux', args, { encoding: 'utf8' });
  if (result.error) throw new Error(`tmux is needed for this test: apt-get install -y tmux (${result.error.message})`);
  return result.stdout;
}

/** The pid of the child of `parent` whose command line mentions `text`. */
function childPid(parent: number, text: string): number | undefined {
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text)) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

async function waitForScreen(session: string, pattern: RegExp, timeoutMs = 120_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  let screen = '';
  while (Date.now() < end) {
    screen = tmux('capture-pane', '-p', '-J', '-S', '-200', '-t', session);
    if (pattern.test(screen)) return screen;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${pattern} did not appear on the screen within ${timeoutMs} ms; screen:\n${screen}`);
}

describe('qemu-host lab in a terminal', () => {
  const name = `qh-lab-shell-${process.pid}`;
  afterEach(() => {
    spawnSync('tmux', ['kill-session', '-t', name]);
  });

  it('opens the shell on the booted guest and stops the VM when the shell is left', async () => {
    tmux('new-session', '-d', '-s', name, '-x', '150', '-y', '40', `${process.execPath} ${builtCli()} --plain lab; echo "EXIT=$?"; sleep 600`);
    const ready = await waitForScreen(name, /qga> $/m);
    const socket = /agent socket (\S+)/.exec(ready)?.[1];
    expect(socket).toBeDefined();
    expect(existsSync(socket!)).toBe(true);

    tmux('send-keys', '-t', name, 'guest-get-host-name', 'Enter');
    await waitForScreen(name, /"host-name": "qh-lab"/);

    tmux('send-keys', '-t', name, ':quit', 'Enter');
    await waitForScreen(name, /EXIT=0/);
    expect(existsSync(path.dirname(socket!))).toBe(false);
  });

  it('stops the VM when the terminal goes away (SIGHUP)', async () => {
    tmux('new-session', '-d', '-s', name, '-x', '150', '-y', '40', `${process.execPath} ${builtCli()} --plain lab; sleep 600`);
    const ready = await waitForScreen(name, /qga> $/m);
    const socket = /agent socket (\S+)/.exec(ready)![1]!;
    const pane = tmux('list-panes', '-t', name, '-F', '#{pane_pid}').trim();
    // The CLI is the shell's child in the pane; send it the hangup a closed terminal would.
    const cli = childPid(Number(pane), builtCli());
    expect(cli).toBeDefined();
    process.kill(cli!, 'SIGHUP');
    const end = Date.now() + 30_000;
    while (existsSync(path.dirname(socket)) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(path.dirname(socket))).toBe(false);
  });
});
