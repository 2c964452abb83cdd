// `{ 'pragma': { ... } }` directives. Known pragmas are checked and recorded as written;
// names this reader does not know are skipped, so newer schemas still load.
import type { QObject } from './ast.js';
import { checkKeys, expectBool, expectList, expectObject, expectString } from './node-readers.js';

const BOOLEAN_PRAGMAS = ['doc-required'];
/** The last two are the names QEMU used before 6.0. */
const NAME_LIST_PRAGMAS = [
  'command-returns-exceptions', 'member-name-exceptions', 'documentation-exceptions',
  'returns-whitelist', 'name-case-whitelist',
];

export function applyPragma(expr: QObject, pragmas: Record<string, unknown>): void {
  checkKeys(expr, ['pragma'], "a 'pragma' directive");
  const body = expectObject(expr.entries[0]!.value, "the value of 'pragma'");
  for (const { key, value } of body.entries) {
    if (BOOLEAN_PRAGMAS.includes(key)) {
      pragmas[key] = expectBool(value, `pragma '${key}'`);
    } else if (NAME_LIST_PRAGMAS.includes(key)) {
      const names = expectList(value, `pragma '${key}'`).items.map((item) => expectString(item, `an entry of pragma '${key}'`).value);
      const earlier = pragmas[key];
      pragmas[key] = Array.isArray(earlier) ? [...(earlier as string[]), ...names] : names;
    }
  }
}
