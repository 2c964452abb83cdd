// --record, replay and :copy in a real terminal (tmux) against a real qemu-ga: a recorded
// shell and plain prompt, the one confirmation a replay asks, and copied lines on screen.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useShellRig, type Terminal } from '../helpers/tmux.js';

const rig = useShellRig();

describe('transcripts and copied lines in the shell', () => {
  it('records the session with --record: every call, never the password, in a private file', async () => {
    const file = path.join(rig.work, 'shell-record.jsonl');
    const t = await rig.openShell(['--record', file]);
    await t.waitFor(`• Recording to ${file}: every request and reply, never a secret.`);
    t.type('guest-get-osinfo');
    t.press('Enter');
    await t.waitFor(/❯ guest-get-osinfo +ok/);
    t.type('guest-set-user-password username=nobody password=s3cr3t-word crypted=false');
    t.press('Enter');
    await t.waitFor('Send it?');
    t.type('y');
    await t.waitFor(/✗ CommandNotFound: .*guest-set-user-password.*disabled/);
    t.press('C-d');
    await t.waitFor('shell exited');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('s3cr3t');
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ type: 'header', mode: 'shell', endpoint: `unix:${rig.agent.socket}` });
    const calls = lines.filter((l) => l.type === 'call');
    // What the shell asks by itself when it connects comes first (guest-info, and whether a broker is in between).
    expect(calls.map((c) => c.execute)).toContain('guest-info');
    // After a refusal as "disabled" the shell asks guest-fsfreeze-status whether frozen filesystems are why.
    expect(calls.slice(-3).map((c) => c.execute)).toEqual(['guest-get-osinfo', 'guest-set-user-password', 'guest-fsfreeze-status']);
    expect(calls.at(-2)).toMatchObject({ status: 'agent-error', redacted: ['arguments.password'], request: { arguments: { password: '<redacted>' } } });
    expect(lines.at(-1)).toMatchObject({ type: 'end', calls: calls.length });
  });

  it('records the plain prompt with --record', async () => {
    const file = path.join(rig.work, 'plain-record.jsonl');
    const t = rig.terminal();
    await rig.agent.waitReady();
    t.start(rig.cli, ['-s', rig.agent.socket, '--plain', '--record', file], { QEMU_HOST_CONFIG_DIR: path.join(rig.work, 'config'), TERM: 'xterm-256color' });
    await t.waitFor('qga>');
    t.type('guest-get-host-name');
    t.press('Enter');
    await t.waitFor('"host-name"');
    t.type(':quit');
    t.press('Enter');
    await t.waitFor('shell exited');
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ type: 'header', mode: 'plain' });
    expect(lines.filter((l) => l.type === 'call').map((l) => l.execute)).toEqual(['guest-info', 'guest-get-host-name']);
  });

  it('asks once before a replay sends commands that change the guest', async () => {
    const file = path.join(rig.work, 'replay-exec.jsonl');
    await rig.agent.waitReady();
    execFileSync(process.execPath, [rig.cli, '-s', rig.agent.socket, '--record', file, 'exec', '--', '/bin/echo', 'hi'], { env: { ...process.env, QEMU_HOST_SOCKET: '' } });
    const ask = async (answer: string): Promise<Terminal> => {
      const t = rig.terminal();
      await rig.agent.waitReady();
      t.start(rig.cli, ['-s', rig.agent.socket, 'replay', file], { TERM: 'xterm-256color' });
      const screen = await t.waitFor('[y/N]');
      expect(screen).toMatch(/This transcript has 1 command that changes the guest:\n {2}line \d+ {2}guest-exec: runs \/bin\/echo hi in the guest\nSend it\? \(--read-only replays the rest without them\) \[y\/N\]/);
      t.type(answer);
      t.press('Enter');
      await t.waitFor('shell exited');
      return t;
    };
    const no = await ask('n');
    expect(no.screen()).toContain('qemu-host: replay not confirmed; nothing was sent');
    expect(readFileSync(no.exitFile, 'utf8').trim()).toBe('EXITED 2');
    const yes = await ask('y');
    expect(yes.screen()).toMatch(/guest-exec {2}same {2}\(pid \d+ → \d+\)/);
    expect(readFileSync(yes.exitFile, 'utf8').trim()).toBe('EXITED 0');
  });

  it('puts the socat line of :copy on the clipboard (OSC 52), whole, and it runs', async () => {
    const t = await rig.openShell();
    // tmux keeps what an application puts on the clipboard as a paste buffer.
    t.tmux('set', '-s', 'set-clipboard', 'on');
    t.type(':copy guest-get-osinfo');
    t.press('Enter');
    await t.waitFor('Copied the socat line to the clipboard');
    const copied = t.tmux('show-buffer');
    expect(copied).toMatch(/^printf '\\377%s\\n' '\{"execute":"guest-get-osinfo","id":"qh-copy-[0-9a-f]+"\}' \| socat -T 3 -,ignoreeof UNIX-CONNECT:\S+ \| grep -a -F qh-copy-[0-9a-f]+$/);
    // Once the shell has let go of the socket, the copied line gets the agent's answer.
    t.press('C-d');
    await t.waitFor('shell exited');
    await rig.agent.waitReady();
    const answer = JSON.parse(execFileSync('sh', ['-c', copied], { encoding: 'latin1' }).replace(/^\xff/, '')) as { id: string; return: { id?: string } };
    expect(answer.id).toMatch(/^qh-copy-/);
    expect(answer.return).toHaveProperty('kernel-release');
  });

  it('shows a command as virsh and socat lines with :copy and Alt+C, the password never, not even on the clipboard', async () => {
    const t = await rig.openShell();
    t.tmux('set', '-s', 'set-clipboard', 'on');
    t.type(':copy guest-get-osinfo');
    t.press('Enter');
    let screen = await t.waitFor('• guest-get-osinfo as a virsh line, and as a socat line for unix:');
    expect(screen).toContain(`virsh qemu-agent-command DOMAIN '{"execute":"guest-get-osinfo"}'`);
    expect(screen).toMatch(/printf '\\377%s\\n' '\{"execute":"guest-get-osinfo","id":"qh-copy-[0-9a-f]+"\}' \| socat -T 3 -,ignoreeof/);
    // Alt+C copies what is on the prompt, which stays there.
    t.type('guest-set-user-password username=nobody password=s3cr3t-word crypted=false');
    await t.waitFor('password=••••••••••• crypted=false');
    t.press('M-c');
    screen = await t.waitFor(`"password":"'"$QGA_PASSWORD"'"`);
    expect(screen).not.toContain('s3cr3t');
    expect(t.tmux('show-buffer')).toContain(`"password":"'"$QGA_PASSWORD"'"`);
    expect(t.tmux('show-buffer')).not.toContain('s3cr3t');
    // With an empty prompt, :copy takes the last command sent.
    t.press('C-u');
    t.type('guest-get-host-name');
    t.press('Enter');
    await t.waitFor(/❯ guest-get-host-name +ok/);
    t.type(':copy');
    t.press('Enter');
    screen = await t.waitFor(`virsh qemu-agent-command DOMAIN '{"execute":"guest-get-host-name"}'`);
    t.press('C-d');
    await t.waitFor('shell exited');
    for (const f of readdirSync(path.join(rig.work, 'config'))) expect(readFileSync(path.join(rig.work, 'config', f), 'utf8')).not.toContain('s3cr3t');
  });
});
