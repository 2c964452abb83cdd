// Reading a transcript back in tests: every line parsed (lossless), grouped by run.
import { readFileSync } from 'node:fs';
import { parseJson, type JsonObject } from '../../src/protocol/json.js';

export function transcriptLines(file: string): JsonObject[] {
  const text = readFileSync(file, 'utf8');
  if (!text.endsWith('\n')) throw new Error(`${file} does not end with a newline: its last line is cut`);
  return text.slice(0, -1).split('\n').map((line, i) => {
    try {
      return parseJson(line) as JsonObject;
    } catch (err) {
      throw new Error(`${file} line ${i + 1} is not JSON: ${line.slice(0, 200)}`, { cause: err });
    }
  });
}

/** The runs of a transcript: each header with the lines after it. */
export function transcriptRuns(file: string): { header: JsonObject; lines: JsonObject[] }[] {
  const runs: { header: JsonObject; lines: JsonObject[] }[] = [];
  for (const line of transcriptLines(file)) {
    if (line.type === 'header') runs.push({ header: line, lines: [] });
    else if (runs.length === 0) throw new Error(`${file} does not start with a header line`);
    else runs.at(-1)!.lines.push(line);
  }
  return runs;
}

/** The `execute` of each call line of a run. */
export function executes(lines: JsonObject[]): string[] {
  return lines.filter((l) => l.type === 'call').map((l) => String(l.execute));
}
