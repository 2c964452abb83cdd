// dist/cli.js, the `qemu-host` executable: runs dist/core.js (the command line, built from
// bin.ts) with V8's code cache, so that a run does not compile its 380 KB again (~5 ms of
// every call and batch run; Node 20 has no compile cache of its own). The first run after
// a build writes the cache at exit: the compiled code of everything that run used. V8
// checks the cache against the source and its own version and flags, and ignores a cache
// that does not fit; the file name carries the build's hash and the Node version.
//
// The cache lives in $XDG_CACHE_HOME/qemu-host/v8-cache (~/.cache/... by default), and is
// used only when that directory and file belong to this user and nobody else may write
// them: the cache is code. Whatever fails (no home, read-only, full disk) only means no
// cache; the command runs the same.
//
// The core's dynamic imports (lazily loaded chunks) go through __qhLz, given here: code
// compiled by vm.Script cannot import() by itself without an experimental flag.
// A CommonJS module (.cts): it is what dist/cli.js is, and it hands the core's exports on.
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS by design (see above) */
const { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs') as typeof import('node:fs');
const path = require('node:path') as typeof import('node:path');
const { pathToFileURL } = require('node:url') as typeof import('node:url');
const { Script } = require('node:vm') as typeof import('node:vm');

// Set by the build (scripts/build.mjs).
declare const __QH_CORE_FILE__: string;
declare const __QH_CORE_HASH__: string;

const coreFile = path.join(__dirname, __QH_CORE_FILE__);
const source = readFileSync(coreFile, 'utf8');
const cacheFile = cachePath();
const cached = cacheFile === undefined ? undefined : readOwnFile(cacheFile);
const script = new Script(`(function (exports, require, module, __filename, __dirname, __qhLz) {${source}\n})`, {
  filename: coreFile,
  cachedData: cached,
});
const core: { exports: unknown } = { exports: {} };
const lazyImport = (specifier: string): Promise<unknown> =>
  import(specifier.startsWith('.') ? pathToFileURL(path.join(__dirname, specifier)).href : specifier);
// core.js sits beside this file, so this file's require resolves as its own would (and
// node:module, for createRequire, would load Node's ES module loader for nothing).
(script.runInThisContext() as (...args: unknown[]) => void)
  .call(core.exports, core.exports, require, core, coreFile, __dirname, lazyImport);
// The chunks take the start-up modules from here (require('../cli.js')).
module.exports = core.exports;

if (cacheFile !== undefined && (cached === undefined || script.cachedDataRejected === true)) {
  process.once('exit', () => writeCache(cacheFile));
}

function cachePath(): string | undefined {
  const base = process.env.XDG_CACHE_HOME || (process.env.HOME ? path.join(process.env.HOME, '.cache') : undefined);
  if (!base) return undefined;
  return path.join(base, 'qemu-host', 'v8-cache', `${__QH_CORE_HASH__}-${process.version}-${process.arch}.bin`);
}

/** The file's bytes when it and its directory are this user's and writable by nobody else. */
function readOwnFile(file: string): Buffer | undefined {
  try {
    for (const stat of [statSync(path.dirname(file)), statSync(file)]) {
      if (stat.uid !== process.getuid?.() || (stat.mode & 0o022) !== 0) return undefined;
    }
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Writes the cache atomically (concurrent first runs race harmlessly) and drops older builds' caches. */
function writeCache(file: string): void {
  try {
    const dir = path.dirname(file);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, script.createCachedData(), { mode: 0o600 });
    renameSync(temp, file);
    for (const name of readdirSync(dir)) {
      if (!name.startsWith(`${__QH_CORE_HASH__}-`)) rmSync(path.join(dir, name), { force: true });
    }
  } catch {
    // No cache, then: the next run compiles as this one did.
  }
}
