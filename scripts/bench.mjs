// Runs every bench/*.bench.ts (bundled with esbuild first) or bench/*.bench.mjs file.
// Each exports `run(args)` returning { name, figures: {label: value}, notes?: string[] }.
// Usage: npm run bench [-- --vm] [-- --only NAME]
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const files = readdirSync('bench').filter((f) => /\.bench\.(ts|mjs)$/.test(f)).filter((f) => !only || f.startsWith(only)).sort();
// Bundled benches keep npm packages external, so they must live where node_modules resolves.
mkdirSync('node_modules/.cache', { recursive: true });
const out = mkdtempSync(path.resolve('node_modules/.cache/qh-bench-'));
let failed = false;
try {
  for (const file of files) {
    let entry = path.resolve('bench', file);
    if (file.endsWith('.ts')) {
      const outfile = path.join(out, file.replace(/\.ts$/, '.mjs'));
      await build({ entryPoints: [entry], outfile, bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external', jsx: 'automatic', logLevel: 'warning' });
      entry = outfile;
    }
    process.stdout.write(`\n== ${file}\n`);
    try {
      const mod = await import(pathToFileURL(entry).href);
      const result = await mod.run(args);
      for (const [label, value] of Object.entries(result.figures ?? {})) process.stdout.write(`  ${label}: ${value}\n`);
      for (const note of result.notes ?? []) process.stdout.write(`  note: ${note}\n`);
    } catch (err) {
      failed = true;
      process.stdout.write(`  FAILED: ${err instanceof Error ? err.stack : err}\n`);
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
