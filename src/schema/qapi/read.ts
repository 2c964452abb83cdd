// Public entry points of the QAPI reader: text in, Schema out. Stages: lexer/parser
// (syntax), include expansion, checker (grammar, docs, references) -> model.
import { readFile } from 'node:fs/promises';
import type { Schema } from '../model.js';
import type { SourceItem } from './ast.js';
import { checkSchema } from './checker.js';
import { errorAt } from './errors.js';
import { expandIncludes, fileKey, includeRequest, type IncludeRequest } from './includes.js';
import { parseSource } from './parser.js';
import { decodeSource, normalizeText } from './source-text.js';

export { QapiSyntaxError } from './errors.js';

export interface ParseQapiOptions {
  /**
   * Supplies an included file, given its path (the include string joined to the including
   * file's directory). May return text or bytes; gzip bytes are detected and unpacked.
   * Without it, any `include` directive is an error.
   */
  readInclude?: (path: string) => string | Uint8Array;
  /** Value for Schema.origin; defaults to `file`. */
  origin?: string;
}

/** Reads schema text. `file` names it in messages and anchors relative includes. */
export function parseQapiText(text: string, file: string, opts: ParseQapiOptions = {}): Schema {
  const rootItems = parseSource(normalizeText(text), file);
  const items = expandIncludes(file, rootItems, (request) => {
    if (!opts.readInclude) throw errorAt(request.site, `cannot include '${request.path}': no include reader was given`);
    let content: string | Uint8Array;
    try {
      content = opts.readInclude(request.path);
    } catch (err) {
      throw cannotRead(request, err);
    }
    return parseSource(decodeSource(content, request.path), request.path);
  });
  return checkSchema(items, opts.origin ?? file);
}

/** Reads a schema file (plain or gzip-compressed) and every file it includes. */
export async function readQapiFile(path: string): Promise<Schema> {
  const rootItems = parseSource(decodeSource(await readFile(path), path), path);
  const loaded = await loadIncludedFiles(path, rootItems);
  const items = expandIncludes(path, rootItems, (request) => loaded.get(request.key) ?? []);
  return checkSchema(items, path);
}

function cannotRead(request: IncludeRequest, err: unknown): Error {
  const reason = err instanceof Error ? err.message : String(err);
  return errorAt(request.site, `cannot read included file '${request.path}': ${reason}`);
}

/** Reads and parses every file reachable through includes, each once, keyed by fileKey. */
async function loadIncludedFiles(rootFile: string, rootItems: SourceItem[]): Promise<Map<string, SourceItem[]>> {
  const loaded = new Map<string, SourceItem[]>();
  const rootKey = fileKey(rootFile);
  const visit = async (items: SourceItem[]): Promise<void> => {
    for (const item of items) {
      const request = item.kind === 'expr' ? includeRequest(item.expr) : undefined;
      if (!request || request.key === rootKey || loaded.has(request.key)) continue;
      loaded.set(request.key, []);
      let bytes: Uint8Array;
      try {
        bytes = await readFile(request.path);
      } catch (err) {
        throw cannotRead(request, err);
      }
      const parsed = parseSource(decodeSource(bytes, request.path), request.path);
      loaded.set(request.key, parsed);
      await visit(parsed);
    }
  };
  await visit(rootItems);
  return loaded;
}
