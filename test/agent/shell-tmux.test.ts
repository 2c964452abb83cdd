// The built shell in a real terminal: tmux runs `node dist/cli.js` at 120x40 against a
// real qemu-ga, the test types with send-keys and reads the screen with capture-pane.
// Every step waits for a marker on the screen, never for a fixed time.
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type AgentFixture } from '../helpers/agent.js';
import { Terminal, requireTmux } from '../helpers/tmux.js';

const DIST = path.resolve(import.meta.dirname, '../../dist');

let agent: AgentFixture;
let work: string;
let cli: string;
const terminals: Terminal[] = [];

beforeAll(async () => {
  requireTmux();
  if (!existsSync(path.join(DIST, 'cli.js'))) throw new Error(`${DIST}/cli.js is missing: run \`npm run build\` first (npm test does).`);
  work = mkdtempSync(path.join(tmpdir(), 'qh-shell-tmux-'));
  // A private copy of the build: a rebuild in the same checkout cannot pull it away mid-test.
  cpSync(DIST, path.join(work, 'dist'), { recursive: true });
  cli = path.join(work, 'dist', 'cli.js');
  agent = await startAgent();
});

afterEach(() => {
  for (const t of terminals.splice(0)) t.kill();
});

afterAll(async () => {
  await agent?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

let count = 0;
/** The built CLI with `args` in a new terminal, killed after the test. */
async function startCli(args: string[]): Promise<Terminal> {
  const t = new Terminal(`t${++count}`, work);
  terminals.push(t);
  await agent.waitReady();
  t.start(cli, args, { QEMU_HOST_CONFIG_DIR: path.join(work, 'config'), TERM: 'xterm-256color' });
  return t;
}

async function openShell(extraArgs: string[] = [], connect: string[] = ['-s', agent.socket]): Promise<Terminal> {
  const t = await startCli([...connect, ...extraArgs]);
  await t.waitFor(/Connected: qemu-ga [\d.]+, \d+ of \d+ commands enabled/, 'the connected notice');
  await t.waitFor('● ready');
  return t;
}

describe('the shell in a real terminal against a real qemu-ga', () => {
  it('fuzzy-completes a command, sends it and shows the reply', async () => {
    const t = await openShell();
    // Words that name no command search names and summaries; Tab puts the command in their place.
    t.type('host name');
    await t.waitFor('› guest-get-host-name');
    t.press('Tab');
    await t.waitFor(/qga› guest-get-host-name\n/);
    t.press('C-u');
    t.type('osinf');
    const listed = await t.waitFor('› guest-get-osinfo');
    expect(listed).toMatch(/qga› osinf/);
    t.press('Tab');
    await t.waitFor('qga› guest-get-osinfo');
    t.press('Enter');
    const screen = await t.waitFor('"kernel-release"');
    expect(screen).toMatch(/❯ guest-get-osinfo +ok · [\d.]+ ms · \d\d:\d\d:\d\d/);
    expect(screen).toMatch(/→ \{"execute":"guest-get-osinfo","id":"qh-[0-9a-f]+-\d+"\}/);
    expect(screen).toMatch(/● ready │ unix:.*qga\.sock │ qemu-ga [\d.]+ │ rtt [\d.]+ ms/);
  });

  it('fills the argument form, sends it, then shows file contents decoded from base64', async () => {
    const file = path.join(agent.dir, 'note.txt');
    writeFileSync(file, 'hello from the shell test\nsecond line\n');
    const t = await openShell();
    t.type('guest-file-open');
    t.press('Enter');
    await t.waitFor('┌ guest-file-open');
    await t.waitFor('› path');
    t.type(file);
    t.press('Tab');
    await t.waitFor('› mode');
    t.type('r');
    await t.waitFor(`└ → {"execute":"guest-file-open","arguments":{"path":"${file}","mode":"r"}}`);
    t.press('Enter');
    const opened = await t.waitFor(/❯ guest-file-open path=\S+ mode=r +ok/);
    const handle = /\n {2}(\d+)\n/.exec(opened.slice(opened.lastIndexOf('❯ guest-file-open')))?.[1];
    expect(Number(handle)).toBeGreaterThan(0);
    t.type(`guest-file-read handle=${handle}`);
    t.press('Enter');
    const read = await t.waitFor('│ hello from the shell test');
    expect(read).toContain('"buf-b64": ‹38 bytes, decoded text›');
    expect(read).toContain('│ second line');
    // Ctrl+V shows the raw base64 instead.
    t.press('C-v');
    await t.waitFor(`"buf-b64": "${Buffer.from('hello from the shell test\nsecond line\n').toString('base64')}"`);
    t.type(`guest-file-close handle=${handle}`);
    t.press('Enter');
    await t.waitFor(/❯ guest-file-close handle=\d+ +ok/);
  });

  it('fills a list in the form by typing on it, and the guest program gets the items as its arguments', async () => {
    const t = await openShell();
    t.type('guest-exec');
    t.press('C-o');
    await t.waitFor('› path');
    t.type('/bin/echo');
    t.press('Tab');
    await t.waitFor(/› arg +\[str\] +empty/);
    // Typing on the list starts an item; Ctrl+N starts the next one.
    t.type('two words');
    await t.waitFor(/› +\[0\] +str +two words/);
    t.press('C-n');
    t.type('end');
    await t.waitFor('"arg":["two words","end"]');
    t.press('Tab', 'Tab', 'Tab');
    await t.waitFor(/› capture-output/);
    t.type('t');
    await t.waitFor('"capture-output":true}}');
    t.press('Enter');
    await t.waitFor('Send it?');
    t.type('y');
    const started = await t.waitFor(/❯ guest-exec .*\n?.*ok/);
    const pid = /"pid": (\d+)/.exec(started.slice(started.lastIndexOf('❯ guest-exec')))?.[1];
    expect(Number(pid)).toBeGreaterThan(0);
    t.type(`guest-exec-status pid=${pid}`);
    t.press('Enter');
    await t.waitFor('│ two words end');
  });

  it('asks before shutting the guest down, and shows the agent refusing it', async () => {
    const t = await openShell();
    t.type('guest-shutdown mode=reboot');
    t.press('Enter');
    await t.waitFor('! guest-shutdown reboots the guest. Send it? y sends');
    t.type('n');
    await t.waitFor('• guest-shutdown not sent.');
    t.type('guest-shutdown');
    t.press('Enter');
    await t.waitFor('! guest-shutdown shuts the guest down. Send it?');
    t.type('y');
    // The fixture blocks machine-changing RPCs: the agent itself answers that it is disabled.
    const screen = await t.waitFor(/✗ CommandNotFound: .*guest-shutdown.*disabled/);
    expect(screen).toMatch(/❯ guest-shutdown +agent error/);
  });

  it('refuses a command that changes the guest when started --read-only', async () => {
    const t = await openShell(['--read-only']);
    t.type('guest-shutdown');
    t.press('Enter');
    const screen = await t.waitFor('Refused: guest-shutdown shuts the guest down, and the shell is read-only');
    expect(screen).toContain('│ read-only');
    expect(screen).not.toContain('Send it?');
  });

  it('cancels a command the agent does not answer with Ctrl+C, then resyncs', async () => {
    const t = await openShell();
    agent.signal('SIGSTOP');
    try {
      t.type('guest-ping');
      t.press('Enter');
      await t.waitFor('… waiting for the reply · Ctrl+C cancels');
      await t.waitFor('● busy guest-ping');
      t.press('C-c');
      await t.waitFor('✗ guest-ping was cancelled; the agent may still run it');
      await t.waitFor(/❯ guest-ping +cancelled/);
    } finally {
      agent.signal('SIGCONT');
    }
    t.type('guest-ping');
    t.press('Enter');
    // The late reply to the cancelled ping is thrown away by the resync, and shown as discarded.
    const screen = await t.waitFor(/❯ guest-ping +ok/);
    expect(screen).toMatch(/● ready .* stale \d+ B/);
    t.press('C-t');
    const wire = await t.waitFor('wire view · Ctrl+T back');
    expect(wire).toMatch(/✗ discarded \d+ B: stale reply \(id "qh-[0-9a-f]+-\d+" is not the one awaited\)/);
    expect(wire).toMatch(/→ 0xFF \{"execute":"guest-sync-delimited","arguments":\{"id":\d+\}\}/);
    expect(wire).toMatch(/← 0xFF \{"return": \d+\}/);
  });

  it('scrolls the history with PageUp, PageDown, Home and End', async () => {
    const t = await openShell();
    const entries = (screen: string): number => Number(/── history ─+ \d+–\d+ of (\d+)/.exec(screen)?.[1] ?? 0);
    const before = entries(t.screen());
    for (let i = 1; i <= 4; i++) {
      t.type('guest-get-osinfo');
      t.press('Enter');
      await t.waitFor(new RegExp(`── history ─+ \\d+–${before + i} of ${before + i}\n`), `entry ${before + i}`);
      await t.waitFor('● ready');
    }
    t.press('PPage');
    const up = await t.waitFor('PgDn/End for newer');
    expect(up).toMatch(/── history ─+ \d+–\d+ of \d+ · PgDn\/End for newer/);
    t.press('Home');
    const top = await t.waitFor(/── history ─+ 1–\d+ of \d+ · PgDn\/End for newer/);
    expect(top.split('\n')[0]).toContain('• qemu-host shell · unix:');
    t.press('End');
    await t.waitUntilGone('PgDn/End for newer');
    t.press('PPage');
    await t.waitFor('PgDn/End for newer');
    t.press('NPage', 'NPage');
    await t.waitUntilGone('PgDn/End for newer');
  });

  it('shows help and the command list, and keeps the layout when the terminal is resized', async () => {
    const t = await openShell();
    t.type('guest-exec');
    await t.waitFor('› guest-exec ');
    t.press('C-g');
    await t.waitFor('? guest-exec');
    t.press('C-u');
    t.type(':commands');
    t.press('Enter');
    await t.waitFor(/\? \d+ commands/);
    t.tmux('resize-window', '-t', 'main', '-x', '80', '-y', '24');
    const small = await t.waitFor(/\n── history ─+ .*\n(.*\n)?qga› .*\n ● ready/);
    const lines = small.split('\n').filter((l) => l !== '');
    expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(80);
    t.tmux('resize-window', '-t', 'main', '-x', '120', '-y', '40');
    await t.waitFor(/ ● ready │ .* +Ctrl\+G help · :keys/);
  });

  it('call asks for password=- on the terminal without echo, then asks before sending', async () => {
    // --raw: this agent disables the command, so it refuses it after reading it.
    const t = await startCli(['-s', agent.socket, 'call', '--raw', 'guest-set-user-password', 'username=qh-nobody', 'password=-', 'crypted=false']);
    await t.waitFor('password for guest-set-user-password (not shown):');
    t.type('aHVudGVyMi10dHk=');
    t.press('Enter');
    await t.waitFor('Send it? [y/N]');
    t.type('y');
    t.press('Enter');
    const screen = await t.waitFor('shell exited');
    expect(screen).toMatch(/CommandNotFound|has been disabled/);
    expect(screen).not.toContain('aHVudGVyMi10dHk=');
    expect(screen).not.toMatch(/warning/);
  });

  it('keeps a password off the screen, the wire view and the saved history', async () => {
    const t = await openShell();
    t.type('guest-set-user-password username=nobody password=s3cr3t-word crypted=false');
    await t.waitFor('password=••••••••••• crypted=false');
    expect(t.screen()).not.toContain('s3cr3t-word');
    t.press('Enter');
    await t.waitFor('Send it?');
    t.type('y');
    await t.waitFor(/✗ CommandNotFound: .*guest-set-user-password.*disabled/);
    expect(t.screen()).toContain('❯ guest-set-user-password username=nobody password=<redacted> crypted=false');
    t.press('C-t');
    const wire = await t.waitFor('wire view · Ctrl+T back');
    expect(wire).toContain('"password":"<redacted>"');
    for (const screen of [t.screen(), wire]) expect(screen).not.toContain('s3cr3t');
    t.press('C-t', 'C-d');
    await t.waitFor('shell exited');
    const configDir = path.join(work, 'config');
    for (const file of readdirSync(configDir)) expect(readFileSync(path.join(configDir, file), 'utf8')).not.toContain('s3cr3t');
    expect(readFileSync(path.join(configDir, 'history.json'), 'utf8')).toContain('guest-set-user-password username=nobody crypted=false');
  });

  it('keeps this connection as a profile that the next run opens with --profile', async () => {
    const first = await openShell(['--read-only']);
    first.type(':profile save lab');
    first.press('Enter');
    await first.waitFor('✓ profile lab saved: qemu-host --profile lab connects the same way');
    first.press('C-d');
    await first.waitFor('shell exited');
    const second = await openShell([], ['--profile', 'lab']);
    const screen = await second.waitFor(`│ read-only │ unix:${agent.socket}`);
    expect(screen).toContain('● ready');
  });

  it('leaves on Ctrl+D and gives the terminal back', async () => {
    const t = await openShell();
    t.press('C-d');
    const screen = await t.waitFor('shell exited');
    expect(readFileSync(t.exitFile, 'utf8').trim()).toBe('EXITED 0');
    // The alternate screen is gone: the shell's frame is no longer on the terminal.
    expect(screen).not.toContain('qga›');
    expect(screen).not.toContain('● ready');
  });
});
