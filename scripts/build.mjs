// Bundles the CLI with esbuild into dist/. Start-up is part of every `call` and every batch
// run, so the build is arranged for it:
//
// - dist/cli.js is ONE CommonJS file holding everything a run loads at start (commander,
//   the session, protocol, schema, the CLI core). Node starts a CommonJS file ~6 ms sooner
//   than an ES module (it need not load its ES module loader), and one file loads faster
//   than many (~0.5 ms each).
// - What only some subcommands need (the Ink shell, the lab, the broker, the settings, the
//   QAPI reader, most verbs) is imported with `await import()` in the source and built as
//   ES module chunks in dist/chunks/ (code splitting), loaded when it runs. Those chunks
//   take the start-up modules from dist/cli.js instead of carrying copies, so there is one
//   Session class, one error tree, one of every module, as in the source.
// - The build fails when the start-up graph pulls in what batch mode never uses: the UI,
//   the lab, the broker, the settings, the QAPI reader, or node:child_process, http, zlib,
//   readline, crypto or fs/promises (each a few ms, or a dozen modules, to load).
//   Import those with `await import()` where they are used (see src/cli/main.ts).
//
// Three passes: the first (nothing written) finds the start-up graph and the lazily loaded
// entries; the second writes the chunks; the third writes cli.js, pointing its dynamic
// imports at the chunks and exporting every start-up module for them.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { inkCachesAcrossFrames } from './ink-output-patch.mjs';

const ENTRY = 'src/cli/bin.ts';
const MAIN_OUT = 'dist/cli.js';
const CORE_OUT = 'dist/core.js';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  sourcemap: 'linked',
  // ink imports react-devtools-core only when DEV=true; it is not installed.
  external: ['react-devtools-core'],
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
  metafile: true,
};

/** Source paths that must not be loaded at start-up, and node: modules batch mode never needs. */
const NOT_AT_STARTUP = [/^src\/(ui|lab|broker|settings)\//, /^src\/schema\/qapi\//, /node_modules\/(ink|react|conf)\//];
const BUILTINS_NOT_AT_STARTUP = new Set(['node:child_process', 'node:http', 'node:zlib', 'node:readline', 'node:readline/promises', 'node:crypto', 'node:fs/promises']);

/**
 * commander requires node:child_process at load time, only to run executable subcommands,
 * which qemu-host has none of. This stands in for it and loads the real one on first use.
 */
const lazyChildProcess = {
  name: 'lazy-child-process-for-commander',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.importer.includes(`${path.sep}node_modules${path.sep}commander${path.sep}`) ? { path: 'child_process', namespace: 'lazy-child-process' } : undefined);
    b.onLoad({ filter: /.*/, namespace: 'lazy-child-process' }, () => ({
      loader: 'js',
      // The name is built at run time so that the start-up graph check (below) does not count it.
      contents: "const name = ['node', 'child_process'].join(':');\n" +
        'module.exports = { spawn: (...args) => require(name).spawn(...args) };\n',
    }));
  },
};

/**
 * The shipped schema as a JSON string parsed at load time: V8 reads a string literal and
 * JSON.parse much faster than the same data as a 117 KB object literal (~1.3 ms per start).
 */
const schemaAsJsonString = {
  name: 'schema-as-json-string',
  setup(b) {
    b.onLoad({ filter: /[\\/]schemas[\\/][^\\/]+\.json$/ }, async (args) => {
      const text = JSON.stringify(JSON.parse(await readFile(args.path, 'utf8')));
      return { loader: 'js', contents: `export default JSON.parse(${JSON.stringify(text)});\n` };
    });
  },
};

/** The outputs `from` loads statically, with their inputs and the node: modules they import. */
function staticGraph(metafile, from) {
  const outputs = metafile.outputs;
  const files = new Set();
  const builtins = new Set();
  const stack = [from];
  while (stack.length > 0) {
    const file = stack.pop();
    if (files.has(file)) continue;
    files.add(file);
    for (const imported of outputs[file].imports) {
      if (imported.kind === 'dynamic-import') continue;
      if (imported.external) builtins.add(imported.path);
      else stack.push(imported.path);
    }
  }
  const inputs = new Set([...files].flatMap((file) => Object.keys(outputs[file].inputs)));
  return { files, builtins, inputs };
}

/** Each start-up module's name among dist/cli.js's exports. */
const exportName = (index) => `__qhModule${index}`;

/**
 * In the chunks, a start-up module is dist/cli.js's export of it: `import { Session } from
 * '../session/session.js'` gets the one dist/cli.js loaded.
 */
function startupModulesFromCli(startup, used) {
  const index = new Map(startup.map((input, i) => [path.resolve(input), i]));
  return {
    name: 'startup-modules-from-cli',
    setup(b) {
      b.onResolve({ filter: /^\.\.\/cli\.js$/, namespace: 'startup-module' }, () => ({ path: '../cli.js', external: true }));
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === 'resolving' || args.namespace === 'startup-module') return undefined;
        const resolved = await b.resolve(args.path, { importer: args.importer, resolveDir: args.resolveDir, kind: args.kind, pluginData: 'resolving' });
        const i = index.get(resolved.path);
        if (i === undefined) return undefined;
        used.add(i);
        return { path: String(i), namespace: 'startup-module' };
      });
      b.onLoad({ filter: /.*/, namespace: 'startup-module' }, (args) => ({
        loader: 'js',
        contents: `module.exports = require('../cli.js').${exportName(Number(args.path))};\n`,
      }));
    },
  };
}

/** In dist/cli.js, a dynamic import of a lazily loaded entry points at its chunk. */
function dynamicImportsToChunks(chunkOf) {
  return {
    name: 'dynamic-imports-to-chunks',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind !== 'dynamic-import' || args.pluginData === 'resolving') return undefined;
        const resolved = await b.resolve(args.path, { importer: args.importer, resolveDir: args.resolveDir, kind: args.kind, pluginData: 'resolving' });
        const chunk = chunkOf.get(path.relative(process.cwd(), resolved.path));
        return chunk ? { path: `./${path.relative('dist', chunk)}`, external: true } : undefined;
      });
    },
  };
}

await rm('dist', { recursive: true, force: true });

// 1. What loads at start-up, and what is loaded lazily, as esbuild splits it.
const first = await build({
  ...common, entryPoints: { core: ENTRY }, outdir: 'dist', format: 'esm', splitting: true, chunkNames: 'chunks/[name]-[hash]',
  write: false, plugins: [lazyChildProcess, schemaAsJsonString],
});
// Source and package files (not virtual modules, not the entry, which exports nothing).
const mappable = [...staticGraph(first.metafile, CORE_OUT).inputs].filter((input) => !input.includes(':') && input !== ENTRY);
const lazyEntries = Object.values(first.metafile.outputs).map((o) => o.entryPoint).filter((e) => e && e !== ENTRY);

// 2. The lazily loaded entries, as ES module chunks that take start-up modules from cli.js.
/** The start-up modules the chunks import: only those are exported from cli.js. */
const used = new Set();
const chunks = await build({
  ...common, entryPoints: lazyEntries, outdir: 'dist/chunks', outbase: '.', format: 'esm', splitting: true,
  entryNames: '[name]-[hash]', chunkNames: '[name]-[hash]', outExtension: { '.js': '.mjs' },
  banner: { js: "import { createRequire as __qhCreateRequire } from 'node:module';\nconst require = __qhCreateRequire(import.meta.url);" },
  plugins: [lazyChildProcess, schemaAsJsonString, inkCachesAcrossFrames, startupModulesFromCli(mappable, used)],
});
const chunkOf = new Map(Object.entries(chunks.metafile.outputs).filter(([, o]) => o.entryPoint).map(([file, o]) => [o.entryPoint, file]));

// 3. dist/core.js: the entry, with every start-up module exported for the chunks.
const barrel = [
  `import ${JSON.stringify(path.resolve(ENTRY))};`,
  ...mappable.flatMap((input, i) => (used.has(i) ? [`export * as ${exportName(i)} from ${JSON.stringify(path.resolve(input))};`] : [])),
].join('\n');
const result = await build({
  ...common, stdin: { contents: barrel, resolveDir: process.cwd(), sourcefile: 'cli-entry.js', loader: 'js' }, outfile: CORE_OUT, format: 'cjs',
  plugins: [lazyChildProcess, schemaAsJsonString, inkCachesAcrossFrames, dynamicImportsToChunks(chunkOf)],
});
// The launcher runs core.js through vm.Script (for V8's code cache), where import() does
// not work by itself: the core's dynamic imports call the launcher's __qhLz instead (the
// same length, so the source map still fits).
const coreText = await readFile(CORE_OUT, 'utf8');
const dynamicImports = result.metafile.outputs[CORE_OUT].imports.filter((i) => i.kind === 'dynamic-import').length;
const routed = coreText.replace(/\bimport\((?=")/g, '__qhLz(');
if ((routed.match(/__qhLz\(/g) ?? []).length !== dynamicImports) {
  console.error(`build: expected ${dynamicImports} dynamic imports in ${CORE_OUT} to route through the launcher`);
  process.exit(1);
}
await writeFile(CORE_OUT, routed);

// 4. dist/cli.js: the launcher (src/cli/launcher.cts), naming the core and its hash.
await build({
  ...common, entryPoints: ['src/cli/launcher.cts'], outfile: MAIN_OUT, format: 'cjs', sourcemap: false, metafile: false,
  banner: { js: '#!/usr/bin/env node' },
  define: { __QH_CORE_FILE__: JSON.stringify(path.basename(CORE_OUT)), __QH_CORE_HASH__: JSON.stringify(createHash('sha256').update(routed).digest('hex').slice(0, 16)) },
});
// dist/ holds CommonJS cli.js and core.js and .mjs chunks: say so to Node, whatever the package's type.
await writeFile('dist/package.json', '{ "type": "commonjs" }\n');

const final = staticGraph(result.metafile, CORE_OUT);
const banned = [...final.inputs].filter((input) => NOT_AT_STARTUP.some((pattern) => pattern.test(input)));
const bannedBuiltins = [...final.builtins].filter((name) => BUILTINS_NOT_AT_STARTUP.has(name));
if (banned.length > 0 || bannedBuiltins.length > 0) {
  console.error(`build: ${CORE_OUT} would load at start-up what batch mode and \`call\` never use:\n  ${[...banned, ...bannedBuiltins].join('\n  ')}\n` +
    'Import it with `await import()` where it is used (see the note at the top of src/cli/main.ts).');
  process.exit(1);
}
if (final.files.size > 1) {
  console.error(`build: ${CORE_OUT} loads ${final.files.size} files at start-up (${[...final.files].join(', ')}); expected itself alone`);
  process.exit(1);
}
// The bin entry must be executable when run from a checkout.
await chmod(MAIN_OUT, 0o755);
