// What the shell adds to a verb: `:get` and `:put` of a 64 MB file through the shell (a ShellStore
// with the Ink app drawing every frame into a test stream) against the get verb called
// directly on a Session, one real qemu-ga, alternating rounds so machine noise hits both.
// At the default 1 MiB chunk and at 64 KiB (16x the calls, so the per-call cost shows).
// Target: the shell within 0.9x of the verb's throughput. The measuring is done by
// shell-verbs-child.ts, bundled whole with React in production mode, as the CLI runs it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

export async function run(): Promise<{ name: string; figures: Record<string, string>; notes: string[] }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'qh-bench-shell-verbs-'));
  try {
    const outfile = path.join(dir, 'child.mjs');
    // Resolved from the checkout: this file itself runs from a temp dir.
    const { build } = createRequire(path.resolve('package.json'))('esbuild') as typeof import('esbuild');
    await build({
      // Split, as the CLI's build is: Ink's devtools import stays in a chunk never loaded.
      entryPoints: { child: path.resolve('bench/shell-verbs-child.ts') }, outdir: dir, splitting: true, outExtension: { '.js': '.mjs' },
      bundle: true, format: 'esm', platform: 'node', target: 'node20',
      jsx: 'automatic', external: ['react-devtools-core'], define: { 'process.env.NODE_ENV': '"production"' }, logLevel: 'warning',
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    });
    const figures = await new Promise<Record<string, string>>((resolve, reject) => {
      // Ink draws nothing until exit when it thinks it runs in CI: the shell clears these too.
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'CI' && k !== 'CONTINUOUS_INTEGRATION'));
      // Its stderr is kept for a failure only: Ink restores the cursor there on exit.
      const child = spawn(process.execPath, [outfile], { stdio: ['ignore', 'pipe', 'pipe'], env });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`the shell verbs bench child exited ${code}: ${err}`))));
    });
    return { name: 'shell verbs', figures, notes: ['no checksum step (--no-verify / verify: false) on either side: this measures the copy'] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
