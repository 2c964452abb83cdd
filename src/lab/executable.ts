// Finding programs the way a shell would: a regular file with an execute bit, never a
// directory (root's access(X_OK) says yes to any directory, and CI machines have been seen
// with a /nonexistent directory).
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

export function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first `binary` in `dirs` that is an executable file. */
export function findInDirs(binary: string, dirs: readonly string[]): string | undefined {
  return dirs.filter(Boolean).map((dir) => path.join(dir, binary)).find(isExecutableFile);
}
