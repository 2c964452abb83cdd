// A filesystem the lab guest can freeze. The lab's own filesystems (tmpfs) cannot be
// frozen, so this makes one with our own verbs: `put` the kernel's loop module from the
// lab's cached kernel package, then `exec` insmod, losetup, mke2fs and mount (/mnt/frz).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { extractDeb } from '../../src/lab/deb.js';
import { debCacheDir } from '../../src/lab/paths.js';
import { runCli } from './cli.js';
import type { VmFixture } from './vm.js';

export const FREEZABLE_MOUNT = '/mnt/frz';

function findFile(dir: string, name: string): string | undefined {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const found = findFile(full, name);
      if (found) return found;
    } else if (entry.name === name) {
      return full;
    }
  }
  return undefined;
}

/** Mounts an ext2 filesystem at /mnt/frz in the guest; returns a scratch dir to remove later. */
export async function makeFreezableFilesystem(vm: VmFixture): Promise<string> {
  const cli = (args: string[]) => runCli(['-s', vm.socket, ...args], { timeoutMs: 60_000 });
  const release = vm.vm.image.manifest.kernelRelease;
  const deb = readdirSync(debCacheDir()).find((f) => f.startsWith(`linux-image-${release}_`));
  if (!deb) throw new Error(`the lab's kernel package (linux-image-${release}) is not in ${debCacheDir()}: run qemu-host lab --rebuild`);
  const unpacked = mkdtempSync(path.join(tmpdir(), 'qh-kernel-'));
  try {
    await extractDeb(path.join(debCacheDir(), deb), unpacked);
    const loop = findFile(unpacked, 'loop.ko');
    if (!loop) throw new Error(`no loop.ko in ${deb}`);
    const put = await cli(['put', loop, '/tmp/loop.ko']);
    if (put.code !== 0) throw new Error(`put loop.ko: ${put.stderr}`);
    const setup = await cli(['exec', '--shell',
      'insmod /tmp/loop.ko && dd if=/dev/zero of=/tmp/fs.img bs=1M count=8 2>/dev/null && losetup /dev/loop0 /tmp/fs.img && ' +
      `mke2fs -q /dev/loop0 && mkdir -p ${FREEZABLE_MOUNT} && mount -t ext2 /dev/loop0 ${FREEZABLE_MOUNT}`]);
    if (setup.code !== 0) throw new Error(`making a freezable filesystem in the guest failed: ${setup.stderr}`);
  } catch (err) {
    rmSync(unpacked, { recursive: true, force: true });
    throw err;
  }
  return unpacked;
}
