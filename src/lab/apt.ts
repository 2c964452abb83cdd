// Debian packages for the lab guest, fetched as the current user: `apt-cache show` says
// which versions are candidates (with their checksums and dependencies), `apt-get download`
// fetches them into our own cache, and a copy already in apt's archive cache is reused
// when its checksum matches.
import { createHash } from 'node:crypto';
import { copyFileSync, createReadStream, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { QemuHostError } from '../protocol/errors.js';
import { runTool } from './run-tool.js';

export interface DebPackage {
  name: string;
  version: string;
  /** The file name apt gives it, e.g. busybox-static_1%3a1.35.0-4+deb12u1+b1_amd64.deb. */
  filename: string;
  size: number;
  sha256: string;
}

const APT_ARCHIVES = '/var/cache/apt/archives';

/** What to tell a user whose apt cannot find a package. */
function aptListsError(detail: string, names: string[]): QemuHostError {
  return new QemuHostError(`apt cannot find ${names.join(', ')}: ${detail}`, {
    hint:
      "apt's package lists are missing or out of date. Run (as root): apt-get update\n" +
      '  The lab needs Debian 12 (bookworm) amd64 package sources: linux-image-cloud-amd64, busybox-static, qemu-guest-agent.',
  });
}

function firstAptError(stderr: string): string {
  const line = stderr.split('\n').find((l) => l.startsWith('E: '));
  return (line ?? stderr.trim()).replace(/^E: /, '') || 'unknown error';
}

function looksLikeMissingLists(stderr: string): boolean {
  return /Unable to locate package|has no installation candidate|Can't select candidate version|Can't find a source to download|is not available|No packages found/i.test(stderr);
}

export interface PackageRecord extends DebPackage {
  /** The first alternative of each Depends entry. */
  depends: string[];
}

/** The file name apt download and apt's archive cache use: the version's ':' written %3a. */
export function aptFileName(name: string, version: string, arch: string): string {
  return `${name}_${version.replace(/:/g, '%3a')}_${arch}.deb`;
}

function field(stanza: string, name: string): string | undefined {
  return new RegExp(`^${name}: (.+)$`, 'm').exec(stanza)?.[1]?.trim();
}

/**
 * The candidate version of each package with what it takes to download it, in one
 * `apt-cache show` call. Names apt does not know are left out of the map.
 */
export async function showPackages(names: string[]): Promise<Map<string, PackageRecord>> {
  const result = await runTool('apt-cache', ['show', '--no-all-versions', ...names]);
  const records = new Map<string, PackageRecord>();
  for (const stanza of result.stdout.split(/\n\s*\n/)) {
    const name = field(stanza, 'Package');
    const version = field(stanza, 'Version');
    const arch = field(stanza, 'Architecture');
    const sha256 = field(stanza, 'SHA256');
    const size = Number(field(stanza, 'Size'));
    if (!name || !version || !arch || !sha256 || !Number.isInteger(size) || records.has(name)) continue;
    records.set(name, {
      name,
      version,
      filename: aptFileName(name, version, arch),
      size,
      sha256,
      depends: (field(stanza, 'Depends') ?? '')
        .split(',')
        .map((entry) => entry.split('|')[0]!.trim().split(/[\s(]/)[0]!.replace(/:any$/, ''))
        .filter(Boolean),
    });
  }
  if (records.size === 0 && result.code !== 0 && !looksLikeMissingLists(result.stderr)) {
    throw new QemuHostError(`apt-cache show failed: ${firstAptError(result.stderr)}`);
  }
  return records;
}

/** Like showPackages, but every name must be known to apt. */
export async function requirePackages(names: string[]): Promise<Map<string, PackageRecord>> {
  const records = await showPackages(names);
  const missing = names.filter((n) => !records.has(n));
  if (missing.length > 0) throw aptListsError('no installation candidate', missing);
  return records;
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Makes sure every package is in `dir`, reusing our cache, then apt's archive cache, then
 * `apt-get download`. Returns each package's file path by package name.
 */
export async function fetchDebs(
  packages: DebPackage[],
  dir: string,
  onProgress?: (message: string) => void,
): Promise<Map<string, string>> {
  mkdirSync(dir, { recursive: true });
  const files = new Map<string, string>();
  const toDownload: DebPackage[] = [];
  for (const pkg of packages) {
    const target = path.join(dir, pkg.filename);
    files.set(pkg.name, target);
    if (existsSync(target) && statSync(target).size === pkg.size) continue;
    const archived = path.join(APT_ARCHIVES, pkg.filename);
    if (existsSync(archived) && statSync(archived).size === pkg.size && (await sha256Of(archived)) === pkg.sha256) {
      copyFileSync(archived, target);
      continue;
    }
    toDownload.push(pkg);
  }
  if (toDownload.length > 0) {
    const megabytes = toDownload.reduce((sum, p) => sum + p.size, 0) / 1e6;
    onProgress?.(`downloading ${toDownload.map((p) => p.name).join(', ')} (${megabytes.toFixed(1)} MB)`);
    const result = await runTool('apt-get', ['download', ...toDownload.map((p) => `${p.name}=${p.version}`)], { cwd: dir });
    if (result.code !== 0) {
      if (looksLikeMissingLists(result.stderr)) throw aptListsError(firstAptError(result.stderr), toDownload.map((p) => p.name));
      throw new QemuHostError(`apt-get download failed: ${firstAptError(result.stderr)}`, {
        hint: 'Check the network connection to the Debian mirror and the sources in /etc/apt/, then run: apt-get update',
      });
    }
    for (const pkg of toDownload) {
      const file = path.join(dir, pkg.filename);
      if (!existsSync(file) || (await sha256Of(file)) !== pkg.sha256) {
        rmSync(file, { force: true });
        throw new QemuHostError(`apt-get download did not produce a valid ${pkg.filename}`, {
          hint: 'Run apt-get update and try again.',
        });
      }
    }
  }
  return files;
}

/**
 * A fingerprint of apt's view of the world: the package lists and sources. While it is
 * unchanged, the candidate versions are too, so a built image can be reused without asking apt.
 */
export function aptStamp(): string {
  const parts: string[] = [];
  for (const dir of ['/var/lib/apt/lists', '/etc/apt/sources.list.d', '/etc/apt/preferences.d']) {
    let entries: string[] = [];
    try {
      entries = readdirSync(dir).sort();
    } catch {
      continue;
    }
    for (const entry of entries) {
      try {
        const st = statSync(path.join(dir, entry));
        if (st.isFile()) parts.push(`${dir}/${entry}:${st.size}:${Math.trunc(st.mtimeMs)}`);
      } catch {
        // Vanished while listing: it is not part of the stamp.
      }
    }
  }
  for (const file of ['/etc/apt/sources.list', '/etc/apt/preferences']) {
    if (existsSync(file)) {
      const st = statSync(file);
      parts.push(`${file}:${st.size}:${Math.trunc(st.mtimeMs)}`);
    }
  }
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 16);
}
