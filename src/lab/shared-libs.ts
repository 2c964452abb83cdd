// The shared libraries a binary needs, as ldd lists them, found among unpacked Debian
// packages. The packages' own dynamic loader does the listing (`ld.so --list`, which is
// what ldd runs), so the host's C library never mixes with the guest's.
import { existsSync, lstatSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { QemuHostError } from '../protocol/errors.js';
import { runTool } from './run-tool.js';

export const LIB_DIRS = ['lib/x86_64-linux-gnu', 'usr/lib/x86_64-linux-gnu', 'lib64', 'lib', 'usr/lib'];
export const LOADER = 'ld-linux-x86-64.so.2';

export interface NeededLibrary {
  /** The name the binary asks for, e.g. libglib-2.0.so.0. */
  soname: string;
  /** The real file inside the staging tree, or undefined when no staged package has it. */
  file: string | undefined;
}

/** Follows symlinks inside `root`, treating absolute targets as relative to it. */
export function resolveInside(root: string, file: string): string | undefined {
  let current = file;
  for (let hops = 0; hops < 20; hops++) {
    if (!existsSync(current) && !isSymlink(current)) return undefined;
    if (!isSymlink(current)) return current;
    const target = readlinkSync(current);
    current = path.isAbsolute(target) ? path.join(root, target) : path.resolve(path.dirname(current), target);
  }
  return undefined;
}

function isSymlink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

export function findStaged(root: string, soname: string): string | undefined {
  for (const dir of LIB_DIRS) {
    const resolved = resolveInside(root, path.join(root, dir, soname));
    if (resolved) return resolved;
  }
  return undefined;
}

/** Runs the loader's --list on `binary` with the staged library dirs and maps each line. */
export async function neededLibraries(root: string, binary: string): Promise<NeededLibrary[]> {
  const loader = findStaged(root, LOADER);
  const libPath = LIB_DIRS.map((d) => path.join(root, d)).join(':');
  const result = loader
    ? await runTool(loader, ['--library-path', libPath, '--list', binary])
    : await runTool('ldd', [binary], { env: { ...process.env, LD_LIBRARY_PATH: libPath } });
  if (result.code !== 0 && !/not found/.test(result.stdout)) {
    throw new QemuHostError(`cannot list the libraries of ${binary}: ${result.stderr.trim() || result.stdout.trim()}`);
  }
  const needed: NeededLibrary[] = [];
  for (const raw of result.stdout.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('linux-vdso') || line.startsWith('statically linked')) continue;
    const arrow = /^(\S+) => (.+?)(?: \(0x[0-9a-f]+\))?$/.exec(line);
    const bare = /^(\S+) \(0x[0-9a-f]+\)$/.exec(line);
    const soname = path.basename((arrow?.[1] ?? bare?.[1] ?? '').trim());
    if (!soname) continue;
    needed.push({ soname, file: findStaged(root, soname) });
  }
  if (!needed.some((n) => n.soname === LOADER)) needed.push({ soname: LOADER, file: findStaged(root, LOADER) });
  return needed;
}
