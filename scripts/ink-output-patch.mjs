// The one change qemu-host makes to a dependency, applied as the build bundles it (see
// scripts/build.mjs); test/unit/ui/ink-output-patch.test.ts proves the patched output stage
// draws exactly what Ink's own does.
import { readFile } from 'node:fs/promises';

/** Ink's build/output.js with the edits below; throws when Ink's code no longer matches them. */
export function patchInkOutput(source) {
  const before = 'class OutputCaches {\n    widths = new Map();\n    blockWidths = new Map();\n    styledChars = new Map();';
  if (!source.includes(before)) throw new Error(`ink/build/output.js changed: review scripts/ink-output-patch.mjs`);
  const after = 'const qhKept = { widths: new Map(), blockWidths: new Map(), styledChars: new Map() };\n' +
    'const qhKeep = (name, limit) => (qhKept[name].size > limit ? (qhKept[name] = new Map()) : qhKept[name]);\n' +
    "class OutputCaches {\n    widths = qhKeep('widths', 20000);\n    blockWidths = qhKeep('blockWidths', 20000);\n    styledChars = qhKeep('styledChars', 5000);";
  const blank = "row.push({\n                    type: 'char',\n                    value: ' ',\n                    fullWidth: false,\n                    styles: [],\n                });";
  const rows = 'const lineWithoutEmptyItems = line.filter(item => item !== undefined);\n            return styledCharsToString(lineWithoutEmptyItems).trimEnd();';
  const rowsKept = 'const lineWithoutEmptyItems = line.filter(item => item !== undefined);\n            return qhRowText(y, lineWithoutEmptyItems);';
  const rowMap = 'const generatedOutput = output\n            .map(line => {';
  for (const part of [blank, rows, rowMap]) {
    if (!source.includes(part)) throw new Error(`ink/build/output.js changed: review scripts/ink-output-patch.mjs`);
  }
  const helpers = "const qhBlank = Object.freeze({ type: 'char', value: ' ', fullWidth: false, styles: Object.freeze([]) });\n" +
    'let qhRows = [];\n' +
    'const qhRowText = (y, cells) => {\n' +
    '    const kept = qhRows[y];\n' +
    '    if (kept && kept.cells.length === cells.length && kept.cells.every((c, i) => c === cells[i])) return kept.text;\n' +
    '    const text = styledCharsToString(cells).trimEnd();\n' +
    '    qhRows[y] = { cells, text };\n' +
    '    return text;\n' +
    '};\n';
  return source
    .replace(before, helpers + after)
    .replace(blank, 'row.push(qhBlank);')
    .replace(rowMap, 'const generatedOutput = output\n            .map((line, y) => {')
    .replace(rows, rowsKept);
}

/**
 * Ink 6.8 turns every line it draws into styled cells through caches that live for one frame
 * (a new Output object each frame). The shell redraws a full screen whose lines are nearly
 * all the same from one key to the next, so most of each frame went to tokenizing the same
 * ANSI text again. This keeps those caches across frames, bounded (each is dropped and
 * started afresh past its limit). The cached values are only read by Ink, never changed, so
 * sharing them between frames is what sharing them within one frame already is. It also
 * keeps the text of each screen row: a row whose cells are the very same cell objects as
 * last frame's row at that height (blank cells are one shared, frozen object) is not
 * encoded again. The keystroke bench measures the effect. Fails the build if Ink's code no
 * longer matches what these edits expect.
 */
export const inkCachesAcrossFrames = {
  name: 'ink-caches-across-frames',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]ink[\\/]build[\\/]output\.js$/ }, async (args) => {
      const contents = patchInkOutput(await readFile(args.path, 'utf8'));
      return { loader: 'js', contents };
    });
  },
};

