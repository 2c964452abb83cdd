// The kernel and the virtio modules the guest needs, found in an unpacked kernel package.
// Debian's cloud kernel builds virtio, virtio_pci and virtio_console as modules; without
// udev nobody loads them, so /init does, in dependency order. The order comes from each
// module's own `depends=` field (.modinfo), so a kernel that builds some of them in (listed
// in modules.builtin) or splits them differently still gets a correct list.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { QemuHostError } from '../protocol/errors.js';

/** The modules the guest agent's port needs; their dependencies are added in front. */
export const WANTED_MODULES = ['virtio_pci', 'virtio_console'];

export interface KernelModule {
  name: string;
  file: string;
}

export interface GuestKernel {
  release: string;
  vmlinuz: string;
  /** In load order. */
  modules: KernelModule[];
}

function modulesRoot(root: string): string {
  for (const candidate of ['lib/modules', 'usr/lib/modules']) {
    const dir = path.join(root, candidate);
    if (existsSync(dir)) return dir;
  }
  throw new QemuHostError(`the kernel package has no lib/modules folder (unpacked in ${root})`);
}

function walk(dir: string, found: Map<string, string>): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, found);
    else if (entry.name.endsWith('.ko')) found.set(moduleName(entry.name), full);
  }
}

function moduleName(file: string): string {
  return path.basename(file).replace(/\.ko(\.\w+)?$/, '').replace(/-/g, '_');
}

/** The `depends=` list in a module's .modinfo strings. */
export function moduleDepends(image: Buffer): string[] {
  const key = Buffer.from('\0depends=', 'latin1');
  const at = image.indexOf(key);
  if (at === -1) return [];
  const start = at + key.length;
  const end = image.indexOf(0, start);
  const text = image.subarray(start, end === -1 ? undefined : end).toString('latin1');
  return text.split(',').map((n) => n.trim().replace(/-/g, '_')).filter(Boolean);
}

export function findGuestKernel(root: string, wanted: string[] = WANTED_MODULES): GuestKernel {
  const boot = path.join(root, 'boot');
  const image = existsSync(boot) ? readdirSync(boot).find((f) => f.startsWith('vmlinuz-')) : undefined;
  if (!image) throw new QemuHostError(`the kernel package has no /boot/vmlinuz-* (unpacked in ${root})`);
  const release = image.slice('vmlinuz-'.length);
  const vmlinuz = path.join(boot, image);
  if (statSync(vmlinuz).size === 0) throw new QemuHostError(`${vmlinuz} is empty`);

  const dir = path.join(modulesRoot(root), release);
  const files = new Map<string, string>();
  walk(path.join(dir, 'kernel'), files);
  const builtinFile = path.join(dir, 'modules.builtin');
  const builtin = new Set(
    existsSync(builtinFile) ? readFileSync(builtinFile, 'utf8').split('\n').filter(Boolean).map(moduleName) : [],
  );

  const order: KernelModule[] = [];
  const visiting = new Set<string>();
  const visit = (name: string): void => {
    if (builtin.has(name) || order.some((m) => m.name === name)) return;
    if (visiting.has(name)) throw new QemuHostError(`module dependency loop at ${name} in kernel ${release}`);
    const file = files.get(name);
    if (!file) {
      throw new QemuHostError(`kernel ${release} has no module ${name} and does not build it in`, {
        hint: 'Use a Debian kernel package (linux-image-cloud-amd64 or linux-image-amd64).',
      });
    }
    visiting.add(name);
    for (const dep of moduleDepends(readFileSync(file)).sort()) visit(dep);
    visiting.delete(name);
    order.push({ name, file });
  };
  for (const name of wanted) visit(name);
  return { release, vmlinuz, modules: order };
}
