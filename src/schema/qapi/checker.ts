// The grammar stage: walks the parsed items (includes already expanded) in file order,
// pairs each definition doc block with the definition after it, builds the model, and
// runs the checks that need the whole schema.
import type { FreeDoc, Schema } from '../model.js';
import type { SourceItem } from './ast.js';
import { buildDefinition, expressionKind, type BuiltDefinition } from './definitions.js';
import { attachDoc } from './doc-attach.js';
import { parseDocBlock, type ParsedDoc } from './doc-parser.js';
import { errorAt } from './errors.js';
import { applyPragma } from './pragmas.js';
import { checkReferences } from './references.js';

export function checkSchema(items: readonly SourceItem[], origin: string): Schema {
  const pragmas: Record<string, unknown> = {};
  const freeDocs: FreeDoc[] = [];
  const built: BuiltDefinition[] = [];
  const registry = new Map<string, BuiltDefinition>();
  const documented = new Set<BuiltDefinition>();
  let pending: ParsedDoc | undefined;

  /** A doc block not consumed by a definition: free-form text is kept, a definition doc is an error. */
  const settlePending = (): void => {
    if (pending?.kind === 'definition') {
      throw errorAt(pending.pos, `documentation for '${pending.symbol}' is not followed by its definition`);
    }
    if (pending) freeDocs.push({ text: pending.text, source: `${pending.pos.file}:${pending.pos.line}` });
    pending = undefined;
  };

  for (const item of items) {
    if (item.kind === 'doc') {
      settlePending();
      pending = parseDocBlock(item.block);
      continue;
    }
    if (item.kind === 'include') {
      settlePending();
      continue;
    }
    const kind = expressionKind(item.expr);
    if (kind === 'pragma' || kind === 'include') {
      settlePending();
      if (kind === 'pragma') applyPragma(item.expr, pragmas);
      continue;
    }
    const definition = buildDefinition(item.expr, kind);
    const earlier = registry.get(definition.def.name);
    if (earlier) {
      throw errorAt(definition.namePos, `duplicate definition '${definition.def.name}' (first defined at ${earlier.def.source ?? '?'})`);
    }
    if (pending?.kind === 'definition') {
      attachDoc(definition, pending);
      documented.add(definition);
      pending = undefined;
    } else {
      settlePending();
    }
    built.push(definition);
    registry.set(definition.def.name, definition);
  }
  settlePending();

  checkReferences(built, registry);
  if (pragmas['doc-required'] === true) {
    const bare = built.find((b) => !documented.has(b));
    if (bare) throw errorAt(bare.pos, `${bare.def.kind} '${bare.def.name}' has no documentation comment, which pragma 'doc-required' demands`);
  }
  return { origin, definitions: built.map((b) => b.def), pragmas, freeDocs };
}
