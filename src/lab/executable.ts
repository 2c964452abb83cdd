// Finding programs the way a shell would: a regular file with an execute bit, never a
// directory (root's access(X_OK) says yes to any directory, and CI machines have been seen
// with a /nonexistent directory).
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * A program: `override` when set (a path; nothing if it is not an executable file), else
 * the first `binary` in `dirs` that is one.
 */
export function findProgram(binary: string, override: string | undefined, dirs: readonly string[]): string | undefined {
  if (override) return isExecutableFile(override) ? override : undefined;
  return dirs.filter(Boolean).map((dir) => path.join(dir, binary)).find(isExecutableFile);
}
