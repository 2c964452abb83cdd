// readQapiFile on real files in a temporary directory: plain and gzip input (detected by
// magic bytes, not by name), includes relative to the including file, each file once.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readQapiFile, QapiSyntaxError } from '../../../src/schema/qapi/read.js';
import { requireDataFile } from './qapi-test-data.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'qapi-read-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(name: string, content: string | Uint8Array): Promise<string> {
  const file = path.join(dir, name);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
  return file;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the read to fail');
}

const STRUCT = `##\n# @S:\n#\n# A struct.\n#\n# Since: 1.0\n##\n{ 'struct': 'S', 'data': { 'a': 'int' } }\n`;

describe('readQapiFile', () => {
  it('reads a plain file', async () => {
    const file = await put('plain.json', STRUCT);
    const schema = await readQapiFile(file);
    expect(schema.origin).toBe(file);
    expect(schema.definitions.map((d) => [d.name, d.since, d.source])).toEqual([['S', '1.0', `${file}:8`]]);
  });

  it('reads gzip data whatever the file is called', async () => {
    for (const name of ['packed.json.gz', 'packed-without-suffix.json']) {
      const file = await put(name, gzipSync(Buffer.from(STRUCT)));
      const schema = await readQapiFile(file);
      expect(schema.definitions.map((d) => d.doc.summary)).toEqual(['A struct.']);
    }
  });

  it('follows includes relative to each including file, once each, through cycles and gzip', async () => {
    const main = await put('main.json', `{ 'include': 'lib/types.json' }\n{ 'include': 'lib/../lib/types.json' }\n{ 'command': 'go', 'data': { 'how': 'Mode' }, 'returns': 'Result' }\n`);
    await put('lib/types.json', `{ 'include': 'enums.json.gz' }\n{ 'include': '../main.json' }\n{ 'struct': 'Result', 'data': { 'mode': 'Mode' } }\n`);
    await put('lib/enums.json.gz', gzipSync(Buffer.from(`{ 'include': 'types.json' }\n{ 'enum': 'Mode', 'data': [ 'fast', 'slow' ] }\n`)));
    const schema = await readQapiFile(main);
    expect(schema.definitions.map((d) => [d.name, d.source])).toEqual([
      ['Mode', `${path.join(dir, 'lib/enums.json.gz')}:2`],
      ['Result', `${path.join(dir, 'lib/types.json')}:3`],
      ['go', `${main}:3`],
    ]);
  });

  it('reports a missing include at the directive', async () => {
    const main = await put('main.json', `{ 'struct': 'S', 'data': {} }\n{ 'include': 'gone.json' }\n`);
    const err = await rejection(readQapiFile(main));
    expect(err).toBeInstanceOf(QapiSyntaxError);
    expect(err.message).toMatch(new RegExp(`^${escape(main)}:2:14: cannot read included file '${escape(path.join(dir, 'gone.json'))}': ENOENT`));
  });

  it('reports errors inside an included file against that file', async () => {
    const main = await put('main.json', `{ 'include': 'sub/bad.json' }\n`);
    await put('sub/bad.json', `{ 'struct': 'S',\n  'data': { 'a': 'int', } }\n`);
    const err = await rejection(readQapiFile(main));
    expect(err.message).toBe(`${path.join(dir, 'sub/bad.json')}:2:25: expected a key after ','; trailing commas are not allowed`);
  });

  it('rejects bytes that are not UTF-8 and gzip data that is corrupt', async () => {
    const latin1 = await put('latin1.json', Buffer.from([0x23, 0x20, 0xe9, 0x0a]));
    expect((await rejection(readQapiFile(latin1))).message).toBe(`${latin1}:1:1: the file is not valid UTF-8 text`);
    const broken = await put('broken.json.gz', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02]));
    expect((await rejection(readQapiFile(broken))).message).toMatch(new RegExp(`^${escape(broken)}:1:1: cannot decompress gzip data: `));
  });

  it('passes the file system error through when the schema itself is missing', async () => {
    const err = await rejection(readQapiFile(path.join(dir, 'nope.json')));
    expect((err as NodeJS.ErrnoException).code).toBe('ENOENT');
  });
});

describe('test data guard', () => {
  it('fails with a clear message instead of skipping when a data file is missing', () => {
    expect(() => requireDataFile(path.join(dir, 'absent.json'), 'Get it from somewhere.')).toThrow(
      `QAPI test data file is missing: ${path.join(dir, 'absent.json')}\nGet it from somewhere.`,
    );
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
