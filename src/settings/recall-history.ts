// The prompt's recall history (Up/Down, Ctrl+R), kept across runs in
// <config dir>/history.json (mode 0600), newest last, capped at the configured size.
// Every line passes through `sanitize` first: it returns the line with secrets removed,
// or undefined to keep the line out of the file altogether.
import Conf from 'conf';
import path from 'node:path';
import { ensurePrivateDir, ensurePrivateFile, FILE_MODE } from './config-dir.js';

export type LineSanitizer = (line: string) => string | undefined;

interface Stored {
  lines: string[];
}

export class RecallHistory {
  readonly file: string;
  private readonly conf: Conf<Stored>;
  private readonly sanitize: LineSanitizer;
  private limit: number;
  private cache: string[];

  constructor(dir: string, options: { limit: number; sanitize: LineSanitizer }) {
    ensurePrivateDir(dir);
    this.conf = new Conf<Stored>({ cwd: dir, configName: 'history', configFileMode: FILE_MODE, defaults: { lines: [] }, clearInvalidConfig: true });
    this.file = path.join(dir, 'history.json');
    ensurePrivateFile(this.file);
    this.sanitize = options.sanitize;
    this.limit = Math.max(1, options.limit);
    const stored = this.conf.get('lines');
    // Lines from an older run pass the sanitizer again: what is safe now is all that is kept.
    this.cache = (Array.isArray(stored) ? stored : [])
      .filter((l): l is string => typeof l === 'string')
      .map((l) => this.sanitize(l))
      .filter((l): l is string => l !== undefined)
      .slice(-this.limit);
  }

  /** Oldest first. */
  lines(): readonly string[] {
    return this.cache;
  }

  /** Records a line (sanitized; an immediate repeat is kept once). Returns what was stored. */
  add(line: string): string | undefined {
    const safe = this.sanitize(line.trim());
    if (safe === undefined || safe === '') return undefined;
    if (this.cache[this.cache.length - 1] !== safe) {
      this.cache = [...this.cache, safe].slice(-this.limit);
      this.conf.set('lines', this.cache);
      ensurePrivateFile(this.file);
    }
    return safe;
  }

  setLimit(limit: number): void {
    this.limit = Math.max(1, limit);
    if (this.cache.length > this.limit) {
      this.cache = this.cache.slice(-this.limit);
      this.conf.set('lines', this.cache);
    }
  }

  clear(): void {
    this.cache = [];
    this.conf.set('lines', []);
  }
}
