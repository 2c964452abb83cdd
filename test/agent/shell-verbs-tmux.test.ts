// The shell verbs in a real terminal: the built CLI in tmux (120x40) against a real
// qemu-ga on a temp socket (guest-exec and guest-file-* act on this machine, inside the
// fixture's temp dir). Every step waits for a marker on the screen, never for a time.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MACHINE_CHANGING_RPCS, startAgent, type AgentFixture } from '../helpers/agent.js';
import { useShellRig, type Terminal } from '../helpers/tmux.js';

const rig = useShellRig();
const extraAgents: AgentFixture[] = [];

afterAll(async () => {
  for (const a of extraAgents) await a.stop();
});

const openShell = (): Promise<Terminal> => rig.openShell();

/** Runs a verb line that asks first, and says yes. */
async function confirmed(t: Terminal, line: string): Promise<void> {
  t.type(line);
  t.press('Enter');
  await t.waitFor('Run it? y runs');
  t.type('y');
}

/** Whether a process whose command line contains `marker` is alive on this machine. */
function processAlive(marker: string): boolean {
  const ps = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  if (ps.error) throw new Error('ps is missing: install procps (apt-get install -y procps)');
  return ps.stdout.split('\n').some((line) => line.includes(marker) && !line.includes('ps -eo'));
}

const partFiles = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.part'));

describe('shell verbs in a real terminal against a real qemu-ga', () => {
  it(':exec asks, then shows stdout and stderr decoded and the exit code', async () => {
    const t = await openShell();
    await confirmed(t, ":exec --shell 'echo to-out; printf \"to-err \\\\303\\\\251\\\\n\" >&2; exit 7'");
    const screen = await t.waitFor(/❯ :exec --shell .* exit 7 · [\d.]+ ms · \d\d:\d\d:\d\d/);
    expect(screen).toContain('  stdout · 1 line · 7 B\n  │ to-out\n  stderr · 1 line · 10 B\n  │ to-err é\n');
    await t.waitFor('qga›  type a command');
  });

  it('Ctrl+C stops a running :exec and kills the guest process; commands typed meanwhile are refused', async () => {
    const t = await openShell();
    const marker = `${30 + Math.floor(Math.random() * 60)}.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
    await confirmed(t, `:exec sleep ${marker}`);
    const running = await t.waitFor(/pid (\d+) · running \d:\d\d · the output comes when it exits · Ctrl\+C stops it/);
    const pid = /pid (\d+) · running/.exec(running)![1];
    expect(running).toMatch(new RegExp(`qga⋯  running :exec sleep ${marker.replace('.', '\\.')} · Ctrl\\+C stops it`));
    expect(running).toMatch(/ ● running :exec sleep [\d.]+ · Ctrl\+C stops it │ unix:/);
    expect(processAlive(`sleep ${marker}`)).toBe(true);
    t.type('guest-ping');
    t.press('Enter');
    await t.waitFor('! Not run: :exec sleep');
    expect(t.screen()).toMatch(/qga⋯ guest-ping/);
    t.press('C-c');
    const stopped = await t.waitFor(`interrupted: guest process ${pid} was stopped with signal 9 (SIGKILL)`);
    expect(stopped).toMatch(new RegExp(`❯ :exec sleep ${marker.replace('.', '\\.')} +stopped · \\d+ ms`));
    expect(processAlive(`sleep ${marker}`)).toBe(false);
    // The refused line stayed on the prompt: Enter now sends it.
    await t.waitFor('qga› guest-ping');
    t.press('Escape', 'Enter');
    await t.waitFor(/❯ guest-ping +ok/);
  });

  it('leaving while :exec runs stops it first: the guest process is killed before the shell exits', async () => {
    const t = await openShell();
    const marker = `${30 + Math.floor(Math.random() * 60)}.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
    await confirmed(t, `:exec sleep ${marker}`);
    await t.waitFor(/pid \d+ · running/);
    expect(processAlive(`sleep ${marker}`)).toBe(true);
    t.press('C-d');
    await t.waitFor('shell exited');
    expect(readFileSync(t.exitFile, 'utf8').trim()).toBe('EXITED 0');
    expect(processAlive(`sleep ${marker}`)).toBe(false);
  });

  it(':get copies a guest file with a progress bar and a matching sha256, and the file is on disk', async () => {
    const source = path.join(rig.agent.dir, 'payload.bin');
    const data = randomBytes(3 * 1024 * 1024 + 17);
    writeFileSync(source, data);
    const local = path.join(rig.work, 'got.bin');
    const t = await openShell();
    t.type(`:get ${source} ${local} --chunk 64K`);
    t.press('Enter');
    const screen = await t.waitFor(`✓ saved to ${local}`);
    expect(screen).toMatch(/reading \[#{30,}\] 100% {2}3\.0 MiB\/3\.0 MiB {2}[\d.]+ [KMG]iB\/s {2}ETA 0:00/);
    expect(screen).toMatch(/✓ got 3\.0 MiB in 0:0\d \([\d.]+ [KMG]iB\/s\) · guest handle \d+ closed/);
    expect(screen).toMatch(/✓ sha256 [0-9a-f]{64} matches the guest's copy/);
    expect(readFileSync(local).equals(data)).toBe(true);
    expect(partFiles(rig.work)).toEqual([]);
  });

  it('Ctrl+C stops a :get mid-way: the guest handle is closed and no partial file is left', async () => {
    const source = path.join(rig.agent.dir, 'sparse.bin');
    closeSync(openSync(source, 'w'));
    // 1 GiB of holes: nothing on disk, but every byte crosses the wire.
    spawnSync('truncate', ['-s', '1G', source]);
    const local = path.join(rig.work, 'never.bin');
    const t = await openShell();
    t.type(`:get ${source} ${local} --chunk 64K`);
    t.press('Enter');
    const moving = await t.waitFor(/reading \[#*-+\] +\d+% {2}[\d.]+ [KMG]?i?B\/1\.0 GiB {2}[\d.]+ [KMG]iB\/s {2}ETA /, 'the progress bar');
    expect(moving).toContain('Ctrl+C stops it');
    t.press('C-c');
    const stopped = await t.waitFor(/✗ interrupted: nothing was saved to .*never\.bin; guest file handle (\d+) is closed/);
    const handle = /guest file handle (\d+) is closed/.exec(stopped)![1];
    expect(stopped).toMatch(/❯ :get .*\n? +stopped · \d+ ms/);
    expect(existsSync(local)).toBe(false);
    expect(partFiles(rig.work)).toEqual([]);
    // The agent no longer knows the handle.
    await t.waitFor('qga›  type a command');
    t.type(`guest-file-close handle=${handle}`);
    t.press('Enter');
    await t.waitFor(new RegExp(`✗ GenericError: .*handle '?${handle}'? has not been found`));
  });

  it(':put completes the host path with Tab, asks first, naming the file and size, then writes it with a matching sha256', async () => {
    const local = path.join(rig.work, 'upload.txt');
    writeFileSync(local, 'uploaded through the shell\n');
    const target = path.join(rig.agent.dir, 'uploaded.txt');
    const t = await openShell();
    // Tab completes the host path, as a shell would.
    t.type(`:put ${path.join(rig.work, 'upload.t')}`);
    await t.waitFor(/upload\.txt\s*\n/, 'upload.txt in the completion list');
    t.press('Tab');
    // The screen does not keep trailing spaces; the space after the name is what lets the
    // guest path typed next be a word of its own.
    await t.waitFor(`qga› :put ${local}\n`, 'the completed path on the prompt');
    t.type(target);
    t.press('Enter');
    // The paths are long: the description is cut to fit, the question never is.
    await t.waitFor(/! :put writes guest:\S+\/uploaded\.txt \(27 B from upload\.txt; .*[.…] Run it\? y runs · n or Esc does nothing/, 'the :put question');
    t.type('n');
    await t.waitFor('• :put not run; nothing was changed.');
    expect(existsSync(target)).toBe(false);
    await confirmed(t, `:put ${local} ${target}`);
    const screen = await t.waitFor(/✓ sha256 [0-9a-f]{64} matches the guest's copy/);
    expect(screen).toMatch(/✓ put 27 B in 0:00 \([\d.]+ [KMG]?i?B\/s\) · guest handle \d+ closed/);
    expect(readFileSync(target, 'utf8')).toBe('uploaded through the shell\n');
  });

  it('Ctrl+C stops a :put mid-way: the guest handle is closed and the entry says how much was written', async () => {
    const local = path.join(rig.work, 'sparse-upload.bin');
    closeSync(openSync(local, 'w'));
    spawnSync('truncate', ['-s', '1G', local]);
    const target = path.join(rig.agent.dir, 'partial.bin');
    const t = await openShell();
    await confirmed(t, `:put ${local} ${target} --chunk 64K`);
    const moving = await t.waitFor(/writing \[#*-+\] +\d+% {2}[\d.]+ [KMG]?i?B\/1\.0 GiB/, 'the progress bar');
    const handle = new RegExp(`→ guest:${target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} · guest handle (\\d+)`).exec(moving)![1];
    t.press('C-c');
    const stopped = await t.waitFor(/✗ interrupted; .*partial\.bin in the guest is incomplete \((\d+) bytes written of\s+1073741824\)/);
    expect(stopped).toMatch(/❯ :put .*\n? +stopped · \d+ ms/);
    await t.waitFor('qga›  type a command');
    t.type(`guest-file-close handle=${handle}`);
    t.press('Enter');
    await t.waitFor(new RegExp(`✗ GenericError: .*handle '?${handle}'? has not been found`));
    rmSync(local, { force: true });
  });

  it(':info shows the guest overview as tables', async () => {
    const t = await openShell();
    t.type(':info');
    t.press('Enter');
    const screen = await t.waitFor(/❯ :info +done/);
    expect(screen).toMatch(/^ {2}Host name {4}\S+/m);
    expect(screen).toMatch(/^ {2}OS {11}\S+/m);
    expect(screen).toMatch(/^ {2}Filesystems {2}thawed$/m);
    expect(screen).toMatch(/^ {2}MOUNTPOINT +TYPE +DEVICE +SIZE +USED +USE%$/m);
    expect(screen).toMatch(/^ {2}INTERFACE +MAC +ADDRESSES$/m);
    expect(screen).toMatch(/^ {2}Agent {8}qemu-ga [\d.]+, \d+ commands, \d+ disabled/m);
  });

  it(':watch shows live sparklines until Ctrl+C, and again until Esc', async () => {
    const t = await openShell();
    t.type(':watch guest-get-cpustats --every 0.5');
    t.press('Enter');
    const live = await t.waitFor(/#3 · every 0\.5 s · [\d.]+ ms · \d\d:\d\d:\d\d · Ctrl\+C or Esc stops/);
    expect(live).toMatch(/^ {2}all cpus busy +[▁▂▃▄▅▆▇█ ]*[▁▂▃▄▅▆▇█]+ {2}[\d.]+%$/m);
    expect(live).toMatch(/^ {2}cpu0 busy +[▁▂▃▄▅▆▇█ ]+ {2}[\d.]+%$/m);
    expect(live).toContain('qga⋯  running :watch guest-get-cpustats --every 0.5 · Ctrl+C or Esc stops it');
    t.press('C-c');
    const stopped = await t.waitFor(/❯ :watch guest-get-cpustats --every 0\.5 +stopped/);
    expect(stopped).toMatch(/ {2}\d+ calls · every 0\.5 s · last at \d\d:\d\d:\d\d/);
    await t.waitFor('qga›  type a command');
    t.type(':watch guest-get-cpustats --every 0.5');
    t.press('Enter');
    await t.waitFor(/#2 · every 0\.5 s/);
    t.press('Escape');
    await t.waitFor('qga›  type a command');
    expect(t.screen().match(/ stopped · /g)).toHaveLength(2);
  });

  it('says plainly when the agent policy disables guest-exec, and what to change', async () => {
    const blocked = await startAgent({ blocked: [...MACHINE_CHANGING_RPCS, 'guest-exec'] });
    extraAgents.push(blocked);
    const t = rig.terminal();
    t.start(rig.cli, ['-s', blocked.socket], { QEMU_HOST_CONFIG_DIR: path.join(rig.work, 'config'), TERM: 'xterm-256color' });
    await t.waitFor('● ready');
    await confirmed(t, ':exec uname -a');
    const screen = await t.waitFor(/❯ :exec uname -a +failed/);
    expect(screen).toMatch(/✗ CommandNotFound: guest-exec is disabled by the guest agent's policy, so nothing can be run in\s+the guest/);
    expect(screen).toContain('BLOCK_RPCS');
  });
});
