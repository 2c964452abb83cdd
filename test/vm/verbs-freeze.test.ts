// freeze / thaw in the lab VM, where freezing is safe. The lab's own filesystems (tmpfs)
// cannot be frozen, so the test first makes one that can, with our own verbs: `put` the
// kernel's loop module from the lab's cached kernel package, then `exec` insmod, losetup,
// mke2fs and mount. Then: the banner and reminder, --status while frozen, commands refused
// and explained as "frozen" (not "policy"), thaw, and --for.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFreezableFilesystem } from '../helpers/freezable.js';
import { bootVm, type VmFixture } from '../helpers/vm.js';
import { runCli } from '../helpers/cli.js';

let vm: VmFixture;
let unpacked: string;

const cli = (args: string[]) => runCli(['-s', vm.socket, ...args], { timeoutMs: 60_000 });

beforeAll(async () => {
  vm = await bootVm();
  unpacked = await makeFreezableFilesystem(vm);
}, 300_000);
afterAll(async () => {
  await vm?.stop();
  if (unpacked) rmSync(unpacked, { recursive: true, force: true });
});

describe('freeze in a real guest', () => {
  it('freezes with a banner, reports frozen, explains refusals as frozen, then thaws', async () => {
    const frozen = await cli(['freeze', '--yes']);
    expect(frozen.code, frozen.stderr).toBe(0);
    expect(frozen.stderr).toMatch(/^qemu-host: FROZEN 0:00 {2}1 filesystem {2}frozen at \d\d:\d\d:\d\d$/m);
    expect(frozen.stderr).toMatch(/refuses most commands/);
    try {
      expect((await cli(['freeze', '--status'])).stdout).toBe('frozen\n');
      const info = await cli(['info']);
      expect(info.code, info.stderr).toBe(0);
      expect(info.stdout).toMatch(/^Filesystems +FROZEN/m);
      expect(info.stdout).toMatch(/^ {2}guest-get-host-name: refused while the guest's filesystems are frozen$/m);
      expect(info.stdout).not.toMatch(/policy/);
      const exec = await cli(['exec', '--', 'true']);
      expect(exec.code).toBe(1);
      expect(exec.stderr).toMatch(/guest-exec is refused because the guest's filesystems are frozen/);
      expect(exec.stderr).toMatch(/qemu-host thaw/);
      const get = await cli(['get', '/tmp/loop.ko', path.join(unpacked, 'never.ko')]);
      expect(get.stderr).toMatch(/guest-file-open is refused because the guest's filesystems are frozen/);
      const watch = await cli(['watch', 'guest-get-fsinfo', '--count', '1']);
      expect(watch.stderr).toMatch(/guest-get-fsinfo is refused because the guest's filesystems are frozen/);
    } finally {
      const thaw = await cli(['thaw']);
      expect(thaw.code, thaw.stderr).toBe(0);
      expect(thaw.stderr).toBe('qemu-host: thawed 1 filesystem\n');
    }
    expect((await cli(['freeze', '--status'])).stdout).toBe('thawed\n');
  });

  it('--for holds the freeze, then thaws by itself', async () => {
    const run = await cli(['freeze', '--yes', '--for', '1', '/mnt/frz']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/FROZEN 0:00 {2}1 filesystem/);
    expect(run.stderr).toMatch(/thawed 1 filesystem after 1\.\d s frozen/);
    expect((await cli(['freeze', '--status'])).stdout).toBe('thawed\n');
  });
});
