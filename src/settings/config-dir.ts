// Where qemu-host keeps its settings and recall history, created private to the user:
// the directory 0700, every file in it 0600.
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

/** $QEMU_HOST_CONFIG_DIR, else the platform's config directory + /qemu-host. */
export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.QEMU_HOST_CONFIG_DIR) return env.QEMU_HOST_CONFIG_DIR;
  if (process.platform === 'win32' && env.APPDATA) return path.join(env.APPDATA, 'qemu-host');
  const base = env.XDG_CONFIG_HOME || path.join(homedir(), '.config');
  return path.join(base, 'qemu-host');
}

/** Creates the directory if needed and makes sure only the user can enter it. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  if (process.platform !== 'win32' && (statSync(dir).mode & 0o777) !== DIR_MODE) chmodSync(dir, DIR_MODE);
}

/** Tightens a file someone (or an older version) created with wider permissions. */
export function ensurePrivateFile(file: string): void {
  if (process.platform === 'win32' || !existsSync(file)) return;
  if ((statSync(file).mode & 0o777) !== FILE_MODE) chmodSync(file, FILE_MODE);
}
