// The shell's :freeze and :thaw in a real terminal against the lab guest (freezing is safe
// there; the host agent blocks it): the confirmation, the FROZEN banner with its running
// timer in the status bar, commands refused because frozen and said so, :thaw clearing the
// banner, and the banner also when the freeze is learned another way: guest-fsfreeze-*
// typed at the prompt, or guest-fsfreeze-status answering "frozen" when the shell connects.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { FREEZABLE_MOUNT, makeFreezableFilesystem } from '../helpers/freezable.js';
import { Terminal, requireTmux } from '../helpers/tmux.js';
import { bootVm, builtCli, type VmFixture } from '../helpers/vm.js';

let vm: VmFixture;
let unpacked: string;
let work: string;
const terminals: Terminal[] = [];
/** Under TCG on a busy machine a guest answer can take a while: wait longer for markers. */
const WAIT_MS = 60_000;

beforeAll(async () => {
  requireTmux();
  vm = await bootVm();
  unpacked = await makeFreezableFilesystem(vm);
  work = mkdtempSync(path.join(tmpdir(), 'qh-freeze-tmux-'));
}, 300_000);

afterEach(() => {
  for (const t of terminals.splice(0)) t.kill();
});

afterAll(async () => {
  // Never leave the guest frozen, whatever failed.
  if (vm) await runCli(['-s', vm.socket, 'thaw'], { timeoutMs: 60_000 });
  await vm?.stop();
  for (const dir of [unpacked, work]) if (dir) rmSync(dir, { recursive: true, force: true });
});

let count = 0;
async function openShell(): Promise<Terminal> {
  const t = new Terminal(`f${++count}`, work, WAIT_MS);
  terminals.push(t);
  t.start(builtCli(), ['-s', vm.socket], { QEMU_HOST_CONFIG_DIR: path.join(work, 'config'), TERM: 'xterm-256color' });
  await t.waitFor(/Connected: qemu-ga [\d.]+, \d+ of \d+ commands enabled/, 'the connected notice');
  await t.waitFor('● ready');
  return t;
}

/** The status bar: the last non-empty line of the screen. */
const statusBar = (screen: string): string => screen.trimEnd().split('\n').at(-1)!;

describe('the FROZEN banner in the shell, in a real guest', () => {
  it(':freeze asks, shows FROZEN with a running timer, explains refusals as frozen, and :thaw clears it', async () => {
    const t = await openShell();
    t.type(`:freeze ${FREEZABLE_MOUNT}`);
    t.press('Enter');
    await t.waitFor(`! :freeze freezes ${FREEZABLE_MOUNT}: writes there block until thawed. Run it? y runs`);
    t.type('y');
    const frozen = await t.waitFor('✓ froze 1 filesystem · the status bar shows FROZEN until they are thawed');
    expect(frozen).toMatch(/❯ :freeze \/mnt\/frz +done/);
    expect(statusBar(frozen)).toMatch(/^ ● ready │ {2}FROZEN 0:0\d {2}1 filesystem {2}:thaw thaws {2}│ unix:/);
    // The timer runs: wait for it to pass a later second (a marker, not a time).
    const later = await t.waitFor(/FROZEN 0:0[2-9] {2}1 filesystem/, 'the timer at 0:02 or later');
    expect(statusBar(later)).toContain(':thaw thaws');

    t.type('guest-get-host-name');
    t.press('Enter');
    const refused = await t.waitFor("guest-get-host-name is refused because the guest's filesystems are frozen");
    expect(refused).toMatch(/❯ guest-get-host-name +agent error/);
    expect(refused).toContain(':thaw thaws the guest');
    expect(refused).not.toMatch(/policy/);

    t.type(':thaw');
    t.press('Enter');
    await t.waitFor("! :thaw thaws the guest's frozen filesystems. Run it?");
    t.type('y');
    const thawed = await t.waitFor(/✓ thawed 1 filesystem after \d+\.\d s frozen/);
    expect(statusBar(thawed)).not.toContain('FROZEN');
  });

  it('shows the banner for a guest-fsfreeze-freeze typed at the prompt, and clears it for guest-fsfreeze-thaw', async () => {
    const t = await openShell();
    t.type('guest-fsfreeze-freeze');
    t.press('Enter');
    await t.waitFor('! guest-fsfreeze-freeze freezes every guest filesystem');
    t.type('y');
    await t.waitFor(/❯ guest-fsfreeze-freeze +ok/);
    await t.waitFor("! The guest's filesystems are FROZEN.");
    expect(statusBar(await t.waitFor('FROZEN 0:0'))).toMatch(/FROZEN 0:0\d {2}1 filesystem {2}:thaw thaws/);
    t.type('guest-fsfreeze-thaw');
    t.press('Enter');
    await t.waitFor('! guest-fsfreeze-thaw thaws');
    t.type('y');
    await t.waitFor("✓ The guest's filesystems are thawed.");
    expect(statusBar(t.screen())).not.toContain('FROZEN');
  });

  it('finds a guest already frozen when it connects, warns before leaving it frozen, and thaws', async () => {
    const freeze = await runCli(['-s', vm.socket, 'freeze', '--yes'], { timeoutMs: 60_000 });
    expect(freeze.code, freeze.stderr).toBe(0);
    const t = await openShell();
    const found = await t.waitFor("! The guest's filesystems are FROZEN (guest-fsfreeze-status says so)");
    expect(statusBar(found)).toMatch(/FROZEN 0:0\d {2}found frozen · :thaw thaws/);
    t.press('C-d');
    const warned = await t.waitFor("! The guest's filesystems are still frozen (FROZEN 0:");
    expect(warned).toContain(':thaw thaws them; Ctrl+D (or :quit) again leaves them frozen.');
    t.type(':thaw');
    t.press('Enter');
    await t.waitFor('Run it? y runs');
    t.type('y');
    const thawed = await t.waitFor('✓ thawed 1 filesystem');
    expect(statusBar(thawed)).not.toContain('FROZEN');
    // What guest-info said while frozen (nearly everything disabled) is asked again.
    await t.waitFor(/✓ Thawed: qemu-ga [\d.]+, 4\d of 42 commands enabled\./);
    t.press('C-d');
    await t.waitFor('shell exited');
    expect((await runCli(['-s', vm.socket, 'freeze', '--status'], { timeoutMs: 60_000 })).stdout).toBe('thawed\n');
  });
});
