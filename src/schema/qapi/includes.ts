// `{ 'include': 'path' }` directives. A path is taken relative to the directory of the file
// that includes it, and every file is read at most once, which also makes cycles harmless.
import path from 'node:path';
import type { QObject, SourceItem } from './ast.js';
import { posOf } from './ast.js';
import { expressionKind } from './definitions.js';
import type { SourcePos } from './errors.js';
import { checkKeys, expectString } from './node-readers.js';

export interface IncludeRequest {
  /** The path to read: the include string joined to the including file's directory. */
  path: string;
  /** Identity of the file, so a second include of the same file is skipped. */
  key: string;
  /** The include directive, for error messages. */
  site: SourcePos;
}

export function fileKey(file: string): string {
  return path.resolve(file);
}

/** Returns the include request if `expr` is an include directive. */
export function includeRequest(expr: QObject): IncludeRequest | undefined {
  if (expressionKind(expr) !== 'include') return undefined;
  checkKeys(expr, ['include'], "an 'include' directive");
  const target = expectString(expr.entries[0]!.value, "the path of an 'include' directive");
  const resolved = path.isAbsolute(target.value) ? target.value : path.join(path.dirname(expr.file), target.value);
  return { path: resolved, key: fileKey(resolved), site: posOf(target) };
}

/** Reads an included file and parses it; errors should point at `request.site`. */
export type IncludeLoader = (request: IncludeRequest) => SourceItem[];

/**
 * Replaces each include directive by a marker followed by the included file's items,
 * recursively, skipping files already seen.
 */
export function expandIncludes(rootFile: string, rootItems: SourceItem[], load: IncludeLoader): SourceItem[] {
  const seen = new Set<string>([fileKey(rootFile)]);
  const out: SourceItem[] = [];
  const walk = (items: SourceItem[]): void => {
    for (const item of items) {
      const request = item.kind === 'expr' ? includeRequest(item.expr) : undefined;
      if (!request) {
        out.push(item);
        continue;
      }
      out.push({ kind: 'include', target: request.path, pos: request.site });
      if (seen.has(request.key)) continue;
      seen.add(request.key);
      walk(load(request));
    }
  };
  walk(rootItems);
  return out;
}
