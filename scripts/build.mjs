// Bundles the CLI with esbuild into dist/. One bundle starts faster than hundreds of
// module files, and code splitting keeps what only some subcommands need (the Ink shell,
// the lab, the broker, the verbs) in chunks of their own, loaded when they run, so that
// `call` and batch mode load only what they use.
//
// Start-up is part of every `call` and every batch run, so two things are arranged here:
// - Everything `dist/cli.js` loads statically ends up in ONE shared chunk. esbuild puts a
//   module in a chunk per set of entry points that reach it, so the core (session,
//   protocol, schema) would otherwise be cut into a dozen chunks by which lazy chunk also
//   uses which part, and each module file costs about 0.5 ms to load. A first pass finds
//   the start-up graph; the second makes every lazily loaded entry import all of it
//   (they run after start-up, when it is loaded anyway), so it all shares one chunk.
// - The build fails when the start-up graph pulls in what batch mode never uses: the UI,
//   the lab, the broker, the settings, the QAPI reader, or node:child_process/http/zlib.
//   Import those with `await import()` where they are used (see src/cli/main.ts).
import { build } from 'esbuild';
import { chmod, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

const ENTRY = 'src/cli/bin.ts';
const MAIN_OUT = 'dist/cli.js';

const options = {
  entryPoints: { cli: ENTRY },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  // ink imports react-devtools-core only when DEV=true; it is not installed.
  external: ['react-devtools-core'],
  banner: {
    // Shebang for the bin entry; createRequire lets bundled CommonJS code call require().
    js: "#!/usr/bin/env node\nimport { createRequire as __qhCreateRequire } from 'node:module';\nconst require = __qhCreateRequire(import.meta.url);",
  },
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
  metafile: true,
};

/** Source paths that must not be loaded at start-up, and node: modules batch mode never needs. */
const NOT_AT_STARTUP = [/^src\/(ui|lab|broker|settings)\//, /^src\/schema\/qapi\//, /node_modules\/(ink|react|conf)\//];
const BUILTINS_NOT_AT_STARTUP = new Set(['node:child_process', 'node:http', 'node:zlib', 'node:readline', 'node:readline/promises']);

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

/** The outputs dist/cli.js loads statically, with the source inputs and node: modules in them. */
function startupGraph(metafile) {
  const outputs = metafile.outputs;
  const files = new Set();
  const builtins = new Set();
  const stack = [MAIN_OUT];
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

/** Every lazily loaded entry imports the whole start-up graph, so that it shares one chunk. */
function joinStartupChunks(startupInputs, lazyEntries) {
  const imports = [...startupInputs]
    // Not the entry itself: its top-level await must stay out of what lazy chunks import.
    .filter((input) => input !== ENTRY && !input.includes(':') && !input.endsWith('.json'))
    .map((input) => `import ${JSON.stringify(path.resolve(input))};`)
    .join('\n');
  return {
    name: 'join-startup-chunks',
    setup(b) {
      b.onLoad({ filter: /\.(ts|tsx|js)$/ }, async (args) => {
        const relative = path.relative(process.cwd(), args.path);
        if (!lazyEntries.has(relative)) return undefined;
        const source = await readFile(args.path, 'utf8');
        return { contents: `${source}\n${imports}\n`, loader: path.extname(args.path).slice(1) };
      });
    },
  };
}

await rm('dist', { recursive: true, force: true });
const first = await build({ ...options, write: false, plugins: [lazyChildProcess, schemaAsJsonString] });
const graph = startupGraph(first.metafile);
const lazyEntries = new Set(Object.values(first.metafile.outputs).map((o) => o.entryPoint).filter((e) => e && e !== ENTRY));
const result = await build({ ...options, plugins: [lazyChildProcess, schemaAsJsonString, joinStartupChunks(graph.inputs, lazyEntries)] });

const final = startupGraph(result.metafile);
const banned = [...final.inputs].filter((input) => NOT_AT_STARTUP.some((pattern) => pattern.test(input)));
const bannedBuiltins = [...final.builtins].filter((name) => BUILTINS_NOT_AT_STARTUP.has(name));
if (banned.length > 0 || bannedBuiltins.length > 0) {
  console.error(`build: ${MAIN_OUT} would load at start-up what batch mode and \`call\` never use:\n  ${[...banned, ...bannedBuiltins].join('\n  ')}\n` +
    'Import it with `await import()` where it is used (see the note at the top of src/cli/main.ts).');
  process.exit(1);
}
if (final.files.size > 2) {
  console.error(`build: ${MAIN_OUT} loads ${final.files.size} files at start-up (${[...final.files].join(', ')}); expected itself and one shared chunk`);
  process.exit(1);
}
// The bin entry must be executable when run from a checkout.
await chmod(MAIN_OUT, 0o755);
