// Bundles the CLI with esbuild into dist/. One bundle starts faster than hundreds of
// module files, and code splitting keeps the Ink shell in its own chunk so that `call`
// and batch mode never load React.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';

await rm('dist', { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli/main.ts' },
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
});
// The bin entry must be executable when run from a checkout.
const { chmod } = await import('node:fs/promises');
await chmod('dist/cli.js', 0o755);
