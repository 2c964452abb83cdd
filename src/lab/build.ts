// Builds the lab guest once and caches it: a Debian kernel, and an initramfs holding
// busybox, qemu-guest-agent with exactly the shared libraries it needs, the virtio modules
// and our /init. The cache key is the exact package files used plus our own guest files,
// so a new package version (after apt-get update) or a changed /init means a new build.
//
// Fast path: while apt's lists and sources are unchanged since the last build, candidate
// versions cannot have changed either, and the last build is used without asking apt.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { QemuHostError } from '../protocol/errors.js';
import { aptStamp, fetchDebs, requirePackages, showPackages, type DebPackage, type PackageRecord } from './apt.js';
import { CpioWriter } from './cpio.js';
import { extractDeb } from './deb.js';
import { GUEST_INIT, GUEST_OS_RELEASE, GUEST_SHUTDOWN, MODULE_DIR, MODULE_LIST } from './guest-files.js';
import { WANTED_MODULES, findGuestKernel, type GuestKernel } from './kernel.js';
import { buildsDir, debCacheDir, labCacheDir } from './paths.js';
import { LOADER, neededLibraries, type NeededLibrary } from './shared-libs.js';

/** Bump when the image layout changes in a way the guest files' text does not show. */
const LAYOUT_VERSION = 1;
const KERNEL_PACKAGES = ['linux-image-cloud-amd64', 'linux-image-amd64'];
const AGENT_PACKAGE = 'qemu-guest-agent';
const BUSYBOX_PACKAGE = 'busybox-static';
const AGENT_BINARY = 'usr/sbin/qemu-ga';
const LIB_DIR_IN_GUEST = 'lib/x86_64-linux-gnu';
const MAX_LIBRARY_ROUNDS = 4;

export interface LabManifest {
  key: string;
  packages: { name: string; version: string; filename: string }[];
  kernelRelease: string;
  modules: string[];
  libraries: string[];
  initrdBytes: number;
  builtAt: string;
  buildMs: number;
}

export interface LabImage {
  key: string;
  dir: string;
  kernel: string;
  initrd: string;
  manifest: LabManifest;
  /** True when this call built it; false when it came from the cache. */
  built: boolean;
}

export interface BuildOptions {
  /** Build again even when a cached image fits. */
  rebuild?: boolean;
  onProgress?: (message: string) => void;
  env?: NodeJS.ProcessEnv;
}

interface CurrentPointer {
  aptStamp: string;
  key: string;
  packageNames: string[];
}

const RECIPE = createHash('sha256')
  .update(JSON.stringify([LAYOUT_VERSION, GUEST_INIT, GUEST_SHUTDOWN, GUEST_OS_RELEASE, WANTED_MODULES]))
  .digest('hex');

export function cacheKeyOf(packages: DebPackage[]): string {
  const files = packages.map((p) => p.filename).sort();
  return createHash('sha256').update(JSON.stringify({ recipe: RECIPE, files })).digest('hex').slice(0, 16);
}

function currentFile(env: NodeJS.ProcessEnv): string {
  return path.join(labCacheDir(env), 'current.json');
}

function readCurrent(env: NodeJS.ProcessEnv): CurrentPointer | undefined {
  try {
    return JSON.parse(readFileSync(currentFile(env), 'utf8')) as CurrentPointer;
  } catch {
    return undefined;
  }
}

function writeCurrent(env: NodeJS.ProcessEnv, pointer: CurrentPointer): void {
  mkdirSync(labCacheDir(env), { recursive: true });
  writeFileSync(currentFile(env), `${JSON.stringify(pointer, null, 2)}\n`);
}

/** A finished build in the cache, or undefined. */
export function loadBuild(key: string, env: NodeJS.ProcessEnv = process.env): LabImage | undefined {
  const dir = path.join(buildsDir(env), key);
  const kernel = path.join(dir, 'vmlinuz');
  const initrd = path.join(dir, 'initrd.gz');
  try {
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as LabManifest;
    if (!existsSync(kernel) || statSync(initrd).size !== manifest.initrdBytes) return undefined;
    return { key, dir, kernel, initrd, manifest, built: false };
  } catch {
    return undefined;
  }
}

/**
 * The packages of a build: the versioned kernel image behind the cloud (else generic)
 * meta-package, busybox-static, qemu-guest-agent and its dependencies, plus `hint` (the
 * packages of the last build, so its extra library packages are asked for in the same call).
 */
async function resolvePackageSet(hint: string[]): Promise<{ records: Map<string, PackageRecord>; kernel: string }> {
  const known = hint.filter((n) => !KERNEL_PACKAGES.includes(n));
  const records = await showPackages([...new Set([...KERNEL_PACKAGES, BUSYBOX_PACKAGE, AGENT_PACKAGE, ...known])]);
  let kernel: string | undefined;
  for (const meta of KERNEL_PACKAGES) {
    kernel ??= records.get(meta)?.depends.find((d) => d.startsWith('linux-image-'));
    records.delete(meta);
  }
  if (!kernel) {
    throw new QemuHostError('apt knows no Debian kernel package (linux-image-cloud-amd64 or linux-image-amd64)', {
      hint: "Run (as root): apt-get update\n  The lab needs Debian 12 (bookworm) amd64 package sources.",
    });
  }
  const wanted = [kernel, BUSYBOX_PACKAGE, AGENT_PACKAGE, ...(records.get(AGENT_PACKAGE)?.depends ?? []), ...known];
  const unknown = [...new Set(wanted)].filter((n) => !records.has(n));
  // A new kernel ABI or a new dependency: one more call for the names the first did not cover.
  if (unknown.length > 0) for (const [name, record] of await requirePackages(unknown)) records.set(name, record);
  const set = new Map<string, PackageRecord>();
  for (const name of wanted) set.set(name, records.get(name)!);
  return { records: set, kernel };
}

/** Whether the last build is still in the cache (a lab then boots without downloading). */
export function hasCachedImage(env: NodeJS.ProcessEnv = process.env): boolean {
  const current = readCurrent(env);
  return current !== undefined && loadBuild(current.key, env) !== undefined;
}

/** Returns a built image, building it first when the cache has none that fits. */
export async function ensureLabImage(options: BuildOptions = {}): Promise<LabImage> {
  const env = options.env ?? process.env;
  const stamp = aptStamp();
  const current = readCurrent(env);
  if (!options.rebuild && current) {
    if (current.aptStamp === stamp) {
      const cached = loadBuild(current.key, env);
      if (cached) return cached;
    }
    // apt's lists changed: the same packages may have new versions.
    options.onProgress?.('checking package versions');
    const { records } = await resolvePackageSet(current.packageNames);
    const key = cacheKeyOf([...records.values()]);
    const cached = loadBuild(key, env);
    if (cached) {
      writeCurrent(env, { aptStamp: stamp, key, packageNames: [...records.keys()] });
      return cached;
    }
  }
  const image = await buildImage(env, current?.packageNames ?? [], options.onProgress);
  writeCurrent(env, { aptStamp: stamp, key: image.key, packageNames: image.manifest.packages.map((p) => p.name) });
  pruneBuilds(env, image.key);
  return image;
}

async function buildImage(env: NodeJS.ProcessEnv, hint: string[], onProgress?: (message: string) => void): Promise<LabImage> {
  const started = performance.now();
  const work = mkdtempSync(path.join(tmpdir(), 'qh-lab-build-'));
  try {
    onProgress?.('resolving packages');
    const { records, kernel: kernelPackage } = await resolvePackageSet(hint);
    const used = new Map<string, PackageRecord>();
    const root = path.join(work, 'root');

    // The kernel (the big one) unpacks into its own folder while the rest unpack, one by
    // one, into the guest's staging root.
    const stage = async (packages: PackageRecord[]): Promise<void> => {
      const files = await fetchDebs(packages, debCacheDir(env), onProgress);
      for (const pkg of packages) used.set(pkg.name, pkg);
      const folderOf = (pkg: PackageRecord): string =>
        pkg.name === kernelPackage ? path.join(work, 'kernel') : pkg.name === BUSYBOX_PACKAGE ? path.join(work, 'busybox') : root;
      const kernel = packages.filter((p) => p.name === kernelPackage);
      const rest = packages.filter((p) => p.name !== kernelPackage);
      await Promise.all([
        ...kernel.map((p) => extractDeb(files.get(p.name)!, folderOf(p))),
        (async () => {
          for (const pkg of rest) await extractDeb(files.get(pkg.name)!, folderOf(pkg));
        })(),
      ]);
    };

    await stage([...records.values()]);
    const agent = path.join(root, AGENT_BINARY);
    if (!existsSync(agent)) throw new QemuHostError(`${AGENT_PACKAGE} has no /${AGENT_BINARY}`);

    // The libraries ldd names; for any no staged package has, add the dependencies of the
    // staged ones and look again.
    let needed: NeededLibrary[] = [];
    for (let round = 1; ; round++) {
      needed = await neededLibraries(root, agent);
      const missing = needed.filter((n) => !n.file).map((n) => n.soname);
      if (missing.length === 0) break;
      const deps = [...used.values()].filter((p) => p.name !== kernelPackage).flatMap((p) => p.depends);
      const next = [...new Set(deps)].filter((d) => !used.has(d));
      if (next.length === 0 || round >= MAX_LIBRARY_ROUNDS) {
        throw new QemuHostError(`qemu-ga needs ${missing.join(', ')}, which no dependency of ${AGENT_PACKAGE} provides`);
      }
      await stage([...(await requirePackages(next)).values()]);
    }

    const kernel = findGuestKernel(path.join(work, 'kernel'));
    onProgress?.(`packing the initramfs (kernel ${kernel.release})`);
    const cpio = assembleInitramfs(path.join(work, 'busybox', 'bin', 'busybox'), agent, needed, kernel);
    const initrd = gzipSync(cpio, { level: 6 });

    const key = cacheKeyOf([...used.values()]);
    const manifest: LabManifest = {
      key,
      packages: [...used.values()].map(({ name, version, filename }) => ({ name, version, filename })),
      kernelRelease: kernel.release,
      modules: kernel.modules.map((m) => m.name),
      libraries: needed.map((n) => n.soname),
      initrdBytes: initrd.length,
      builtAt: new Date().toISOString(),
      buildMs: Math.round(performance.now() - started),
    };
    return publish(env, key, kernel.vmlinuz, initrd, manifest);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function assembleInitramfs(busybox: string, agent: string, libraries: NeededLibrary[], kernel: GuestKernel): Buffer {
  const cpio = new CpioWriter();
  for (const dir of ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'proc', 'sys', 'dev', 'run', 'tmp', 'var', 'root', 'etc', 'lib64']) {
    cpio.dir(dir, dir === 'tmp' ? 0o1777 : dir === 'root' ? 0o700 : 0o755);
  }
  // The kernel opens /dev/console for /init before anything is mounted.
  cpio.charDevice('dev/console', 5, 1, 0o600);
  cpio.charDevice('dev/null', 1, 3, 0o666);
  cpio.file('init', GUEST_INIT, 0o755);
  cpio.file('sbin/shutdown', GUEST_SHUTDOWN, 0o755);
  cpio.file('etc/os-release', GUEST_OS_RELEASE);
  cpio.file('etc/hostname', 'qh-lab\n');
  cpio.file('etc/passwd', 'root:x:0:0:root:/root:/bin/sh\n');
  cpio.file('etc/group', 'root:x:0:\n');
  cpio.file('bin/busybox', readFileSync(busybox), 0o755);
  cpio.file(AGENT_BINARY, readFileSync(agent), 0o755);
  for (const lib of libraries) {
    cpio.file(`${LIB_DIR_IN_GUEST}/${lib.soname}`, readFileSync(lib.file!), 0o755);
  }
  cpio.symlink(`lib64/${LOADER}`, `/${LIB_DIR_IN_GUEST}/${LOADER}`);
  for (const mod of kernel.modules) cpio.file(`${MODULE_DIR}/${mod.name}.ko`, readFileSync(mod.file));
  cpio.file(MODULE_LIST, kernel.modules.map((m) => `${m.name}\n`).join(''));
  return cpio.finish();
}

/** Moves a finished build into the cache in one rename, so no reader sees half of it. */
function publish(env: NodeJS.ProcessEnv, key: string, vmlinuz: string, initrd: Buffer, manifest: LabManifest): LabImage {
  const builds = buildsDir(env);
  mkdirSync(builds, { recursive: true });
  const staging = mkdtempSync(path.join(builds, `.${key}-`));
  writeFileSync(path.join(staging, 'vmlinuz'), readFileSync(vmlinuz));
  writeFileSync(path.join(staging, 'initrd.gz'), initrd);
  writeFileSync(path.join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const dir = path.join(builds, key);
  try {
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
  } catch (err) {
    // Another process published the same key a moment earlier: theirs is as good as ours.
    rmSync(staging, { recursive: true, force: true });
    if (!loadBuild(key, env)) throw err;
  }
  return { ...loadBuild(key, env)!, built: true };
}

/** Removes builds other than `keep` (a kernel and initramfs each, ~20 MB). */
function pruneBuilds(env: NodeJS.ProcessEnv, keep: string): void {
  const builds = buildsDir(env);
  for (const entry of readdirSync(builds)) {
    if (entry === keep || entry.startsWith('.')) continue;
    rmSync(path.join(builds, entry), { recursive: true, force: true });
  }
}
