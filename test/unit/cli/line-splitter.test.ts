import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../../src/cli/line-splitter.js';

/** What node:readline (crlfDelay: Infinity) makes of these chunks: the behaviour batch mode had. */
async function readlineLines(chunks: Buffer[]): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of createInterface({ input: Readable.from(chunks), crlfDelay: Infinity })) lines.push(line);
  return lines;
}

function splitterLines(chunks: Buffer[]): string[] {
  const splitter = new LineSplitter();
  const lines: string[] = [];
  for (const chunk of chunks) splitter.push(chunk, (line) => lines.push(line));
  splitter.end((line) => lines.push(line));
  return lines;
}

/** Every way of cutting `bytes` into two chunks, and into single bytes. */
function chunkings(bytes: Buffer): Buffer[][] {
  const ways: Buffer[][] = [[bytes], [...bytes].map((b) => Buffer.from([b]))];
  for (let cut = 1; cut < bytes.length; cut++) ways.push([bytes.subarray(0, cut), bytes.subarray(cut)]);
  return ways;
}

const INPUTS = [
  'guest-ping\nguest-info\n',
  'guest-ping\r\nguest-info\r\n',
  'no newline at the end',
  'lone\rcarriage\rreturns\r',
  'mixed\n\r\n\r\rends\r\n\n',
  '\n\n\r\n',
  'ends with cr\r',
  'guest-file-open path=/tmp/é€😀 mode=r\n{"execute": "guest-ping"}',
  '',
];

describe('LineSplitter', () => {
  it('cuts lines exactly as node:readline does, however the input is chunked', async () => {
    for (const input of INPUTS) {
      const bytes = Buffer.from(input, 'utf8');
      const expected = await readlineLines([bytes]);
      for (const chunks of chunkings(bytes)) expect(splitterLines(chunks), JSON.stringify(input)).toEqual(expected);
    }
  });

  it('turns invalid UTF-8 into U+FFFD as readline does', async () => {
    const bytes = Buffer.from([0x61, 0xff, 0x62, 0x0a, 0xe2, 0x82, 0x0a]);
    expect(splitterLines([bytes])).toEqual(await readlineLines([bytes]));
  });

  it('takes text chunks as well as bytes', () => {
    const splitter = new LineSplitter();
    const lines: string[] = [];
    splitter.push('a\nb', (line) => lines.push(line));
    splitter.push('c\n', (line) => lines.push(line));
    splitter.end((line) => lines.push(line));
    expect(lines).toEqual(['a', 'bc']);
  });
});
