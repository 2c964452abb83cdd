// Where the lab keeps things: the built image and downloaded packages under the user's
// cache dir, the sockets of a running VM in a short private temp dir (a unix socket path
// must fit in 108 bytes), and the state of a detached VM in the runtime dir.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';

/** `$XDG_CACHE_HOME/qemu-host/lab`, or `~/.cache/qemu-host/lab`. */
export function labCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(homedir(), '.cache');
  return path.join(base, 'qemu-host', 'lab');
}

/** Downloaded .deb files, named as apt names them (name_version_arch.deb). */
export function debCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(labCacheDir(env), 'debs');
}

/** Built images, one folder per cache key. */
export function buildsDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(labCacheDir(env), 'builds');
}

/** Where the state of the detached VM lives: `$XDG_RUNTIME_DIR/qemu-host`, else the cache dir. */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  const runtime = env.XDG_RUNTIME_DIR;
  return runtime && path.isAbsolute(runtime) ? path.join(runtime, 'qemu-host') : path.join(labCacheDir(env), 'run');
}

export function detachedStateFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(stateDir(env), 'lab.json');
}

/** A fresh private directory (mode 0700) for one VM's sockets and console log. */
export function makeVmDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'qh-lab-'));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}
