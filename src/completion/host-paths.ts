// Completing a path on THIS machine (where the shell runs), for the arguments of :put and
// :get that name a host file: the names in the directory typed so far that start with what
// follows the last slash. Directories end in '/' and keep completing; hidden names show
// only once a '.' is typed. Names that need quoting come quoted as the shell splits words.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Candidate } from './types.js';

export interface DirEntry {
  name: string;
  dir: boolean;
}

/** Lists a directory; nothing when it cannot be read. */
export type ListDir = (dir: string) => readonly DirEntry[];

/** At most this many names are offered. */
const MAX_CANDIDATES = 200;

export const listHostDir: ListDir = (dir) => {
  try {
    return readdirSync(dir, { withFileTypes: true }).map((entry) => {
      let isDir = entry.isDirectory();
      if (entry.isSymbolicLink()) {
        try {
          isDir = statSync(path.join(dir, entry.name)).isDirectory();
        } catch {
          // A dangling link: offered as a name.
        }
      }
      return { name: entry.name, dir: isDir };
    });
  } catch {
    return [];
  }
};

/** Quotes `text` for the shell's word splitting when it holds a space, a quote or a backslash. */
export function quoteWord(text: string): string {
  return /[\s'"\\]/.test(text) ? `'${text.replace(/'/g, `'\\''`)}'` : text;
}

/** The names that could complete `typed` (the word as typed, quotes removed), relative to `cwd`. */
export function hostPathCandidates(typed: string, cwd: string, list: ListDir = listHostDir): Candidate[] {
  const slash = typed.lastIndexOf('/');
  const dirPart = slash === -1 ? '' : typed.slice(0, slash + 1);
  const base = typed.slice(slash + 1);
  const dir = path.resolve(cwd, dirPart === '' ? '.' : dirPart);
  return list(dir)
    .filter((e) => e.name.startsWith(base) && (base.startsWith('.') || !e.name.startsWith('.')))
    .sort((a, b) => Number(b.dir) - Number(a.dir) || a.name.localeCompare(b.name))
    .slice(0, MAX_CANDIDATES)
    .map((e) => ({
      kind: 'path',
      label: e.dir ? `${e.name}/` : e.name,
      insert: e.dir ? quoteWord(`${dirPart}${e.name}/`) : `${quoteWord(`${dirPart}${e.name}`)} `,
      help: e.dir ? 'directory' : '',
      availability: 'enabled',
      continues: e.dir,
    }));
}

/**
 * Which argument of a meta command's line the word at `index` is, counting only paths:
 * options (`--chunk SIZE`, `--no-verify`) are skipped. 0 is the first path.
 */
export function pathArgumentIndex(words: readonly string[], index: number): number | undefined {
  let position = 0;
  for (let i = 1; i < index; i++) {
    const word = words[i]!;
    if (word === '--chunk') i++;
    else if (!word.startsWith('--')) position++;
  }
  const current = words[index] ?? '';
  return current.startsWith('--') ? undefined : position;
}
