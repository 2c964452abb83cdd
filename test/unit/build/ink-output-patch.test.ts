// The build patches Ink's output stage (scripts/ink-output-patch.mjs) so it keeps its caches
// and unchanged rows between frames. That is only allowed if every frame it draws is exactly
// the frame Ink's own code draws: this bundles both versions and feeds them the same frames,
// many of them repeating most of the previous frame as the shell's do, with styles, wide
// characters, clipping and line transformers.
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface OutputLike {
  write(x: number, y: number, text: string, options: { transformers: Array<(line: string, index: number) => string> }): void;
  clip(clip: { x1?: number; x2?: number; y1?: number; y2?: number }): void;
  unclip(): void;
  get(): { output: string; height: number };
}
type OutputClass = new (options: { width: number; height: number }) => OutputLike;

const inkOutput = path.join(path.dirname(createRequire(import.meta.url).resolve('ink')), 'output.js');
let dir: string;
let Plain: OutputClass;
let Patched: OutputClass;

async function bundle(name: string, contents: string): Promise<OutputClass> {
  const outfile = path.join(dir, `${name}.mjs`);
  await build({ stdin: { contents, resolveDir: path.dirname(inkOutput), sourcefile: 'output.js', loader: 'js' }, bundle: true, format: 'esm', platform: 'node', outfile, logLevel: 'silent' });
  return ((await import(pathToFileURL(outfile).href)) as { default: OutputClass }).default;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'qh-ink-patch-'));
  const { patchInkOutput } = (await import(pathToFileURL(path.resolve('scripts/ink-output-patch.mjs')).href)) as { patchInkOutput: (source: string) => string };
  const source = readFileSync(inkOutput, 'utf8');
  Plain = await bundle('plain', source);
  Patched = await bundle('patched', patchInkOutput(source));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PIECES = ['guest-ping', 'guest-get-osinfo', '\u001b[1mbold\u001b[22m', '\u001b[36mcyan\u001b[39m text', '界面 wide', '❯ ', ' ✓ ', '{"return":{}}', '\u001b[7m \u001b[27m', '   ', 'é'];

type Op = { kind: 'write'; x: number; y: number; text: string; upper: boolean } | { kind: 'clip'; x1: number; x2: number; y1: number; y2: number } | { kind: 'unclip' };

function frameOps(next: () => number, width: number, height: number): Op[] {
  const ops: Op[] = [];
  const count = 1 + Math.floor(next() * 12);
  for (let i = 0; i < count; i++) {
    const roll = next();
    if (roll < 0.1) ops.push({ kind: 'clip', x1: Math.floor(next() * 10), x2: 10 + Math.floor(next() * width), y1: Math.floor(next() * 4), y2: 4 + Math.floor(next() * height) });
    else if (roll < 0.15) ops.push({ kind: 'unclip' });
    else {
      const lines = 1 + Math.floor(next() * 3);
      const text = Array.from({ length: lines }, () => Array.from({ length: 1 + Math.floor(next() * 4) }, () => PIECES[Math.floor(next() * PIECES.length)]).join('')).join('\n');
      ops.push({ kind: 'write', x: Math.floor(next() * (width - 5)), y: Math.floor(next() * height), text, upper: next() < 0.1 });
    }
  }
  return ops;
}

function draw(Output: OutputClass, width: number, height: number, ops: readonly Op[]): string {
  const output = new Output({ width, height });
  for (const op of ops) {
    if (op.kind === 'write') output.write(op.x, op.y, op.text, { transformers: op.upper ? [(line) => line.toUpperCase()] : [] });
    else if (op.kind === 'clip') output.clip(op);
    else output.unclip();
  }
  return output.get().output;
}

describe("the build's patch to Ink's output stage", () => {
  it('draws exactly what Ink draws, frame after frame, when frames repeat, change a little, or change size', () => {
    const next = random(20261203);
    let width = 60;
    let height = 12;
    let ops = frameOps(next, width, height);
    let compared = 0;
    for (let frame = 0; frame < 600; frame++) {
      const roll = next();
      if (roll < 0.05) {
        width = 20 + Math.floor(next() * 80);
        height = 3 + Math.floor(next() * 20);
        ops = frameOps(next, width, height);
      } else if (roll < 0.6) {
        // The shell's usual frame: the same screen with one line different.
        ops = [...ops.slice(0, -1), ...frameOps(next, width, height).slice(0, 1)];
      } else if (roll < 0.8) {
        ops = frameOps(next, width, height);
      }
      const plain = draw(Plain, width, height, ops);
      expect(draw(Patched, width, height, ops), `frame ${frame}`).toBe(plain);
      compared += plain.length;
    }
    expect(compared).toBeGreaterThan(10_000);
  });

  it("refuses to build when Ink's code is not what the patch expects", async () => {
    const { patchInkOutput } = (await import(pathToFileURL(path.resolve('scripts/ink-output-patch.mjs')).href)) as { patchInkOutput: (source: string) => string };
    expect(() => patchInkOutput('export default class Output {}')).toThrow(/ink\/build\/output\.js changed/);
    expect(patchInkOutput(readFileSync(inkOutput, 'utf8'))).toContain('qhRowText(y, lineWithoutEmptyItems)');
  });
});
