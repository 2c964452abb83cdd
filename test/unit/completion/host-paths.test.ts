// Host path completion for :put and :get, over a real temp directory.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Completer } from '../../../src/completion/complete.js';
import { hostPathCandidates, quoteWord } from '../../../src/completion/host-paths.js';
import { splitForCompletion } from '../../../src/completion/line-words.js';
import { SchemaLookup } from '../../../src/schema/lookup.js';
import { loadShippedSchema } from '../../../src/schema/shipped.js';
import { META_COMMANDS } from '../../../src/ui/shell/meta-commands.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'qh-paths-'));
  mkdirSync(path.join(dir, 'images'));
  writeFileSync(path.join(dir, 'images', 'disk.qcow2'), '');
  writeFileSync(path.join(dir, 'image list.txt'), '');
  writeFileSync(path.join(dir, 'notes.md'), '');
  writeFileSync(path.join(dir, '.hidden'), '');
  symlinkSync(path.join(dir, 'images'), path.join(dir, 'img-link'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('host path candidates', () => {
  it('offers the names that start with what was typed, directories first and still completing', () => {
    const found = hostPathCandidates('im', dir);
    expect(found.map((c) => c.label)).toEqual(['images/', 'img-link/', 'image list.txt']);
    expect(found[0]).toMatchObject({ kind: 'path', insert: 'images/', continues: true });
    expect(found[2]).toMatchObject({ insert: "'image list.txt' ", continues: false });
    expect(hostPathCandidates('images/d', dir).map((c) => c.insert)).toEqual(['images/disk.qcow2 ']);
    expect(hostPathCandidates(`${dir}/n`, '/').map((c) => c.insert)).toEqual([`${dir}/notes.md `]);
  });

  it('shows hidden names only once a dot is typed, and nothing for a directory it cannot read', () => {
    expect(hostPathCandidates('', dir).map((c) => c.label)).not.toContain('.hidden');
    expect(hostPathCandidates('.h', dir).map((c) => c.label)).toEqual(['.hidden']);
    expect(hostPathCandidates('no-such-dir/x', dir)).toEqual([]);
  });

  it('quotes a name the way the shell splits it back', () => {
    for (const name of ['plain.txt', 'two words', "it's", 'back\\slash']) {
      expect(splitForCompletion(quoteWord(name)).words.map((w) => w.text)).toEqual([name]);
    }
  });
});

describe('completing :put and :get', () => {
  const completer = new Completer(new SchemaLookup(loadShippedSchema()), META_COMMANDS, { cwd: () => dir });
  it("completes :put's LOCAL and :get's LOCAL on this machine, and not the guest paths", () => {
    expect(completer.complete(':put no').candidates.map((c) => c.insert)).toEqual(['notes.md ']);
    expect(completer.complete(':put no').context).toBe('path');
    expect(completer.complete(':put notes.md /tm').context).toBe('none');
    expect(completer.complete(':get /etc/hostname im').candidates.map((c) => c.label)).toEqual(['images/', 'img-link/', 'image list.txt']);
    expect(completer.complete(':get /etc/host').context).toBe('none');
    // Options are not paths, and do not count as one.
    expect(completer.complete(':get --chunk 64K /etc/hostname no').candidates.map((c) => c.insert)).toEqual(['notes.md ']);
    expect(completer.complete(":put 'image l").candidates.map((c) => c.insert)).toEqual(["'image list.txt' "]);
  });
});
