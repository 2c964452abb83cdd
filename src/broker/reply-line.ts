// The agent's own reply bytes, relayed with the client's id in place of the broker's.
// Parsing a reply and writing it again in the agent's style costs more than the agent's
// whole round trip for a large reply (guest-info, file reads), and the agent's bytes are
// already in the agent's style. Only the id member changes: the client's id, written as
// the agent writes values, or no id member at all when the client sent none.
//
// The broker's id is a string of its own ("qhb-1a2b3c-42"), so it can be found in the
// line; when it is not there exactly once, right after an "id" key, the caller writes the
// reply from the parsed object instead.
import type { JsonValue } from '../protocol/json.js';
import { formatValue } from './agent-format.js';

const NEWLINE = Buffer.from('\n');

function isSpace(b: number | undefined): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}

/**
 * `line` (an agent reply without its newline) with the member `"id": "<ourId>"` replaced
 * by the client's id, or removed when `clientId` is undefined; with the newline. Undefined
 * when the member cannot be found unambiguously.
 */
export function relayedReplyLine(line: Buffer, ourId: string, clientId: { value: JsonValue } | undefined): Buffer | undefined {
  const needle = JSON.stringify(ourId);
  const valueAt = line.indexOf(needle);
  if (valueAt === -1 || line.indexOf(needle, valueAt + 1) !== -1) return undefined;
  const valueEnd = valueAt + Buffer.byteLength(needle);
  // Back over `": "` (any spacing) to the key, which must be "id".
  let i = valueAt - 1;
  while (isSpace(line[i])) i--;
  if (line[i] !== 0x3a) return undefined;
  i--;
  while (isSpace(line[i])) i--;
  // "id": the four bytes 22 69 64 22 ending at i.
  const keyAt = i - 3;
  if (keyAt < 0 || line[keyAt] !== 0x22 || line[keyAt + 1] !== 0x69 || line[keyAt + 2] !== 0x64 || line[i] !== 0x22) return undefined;

  if (clientId) {
    return Buffer.concat([line.subarray(0, valueAt), Buffer.from(formatValue(clientId.value), 'utf8'), line.subarray(valueEnd), NEWLINE]);
  }
  // No id for this client: drop the member and one comma next to it.
  let after = valueEnd;
  while (isSpace(line[after])) after++;
  if (line[after] === 0x2c) {
    after++;
    while (isSpace(line[after])) after++;
    return Buffer.concat([line.subarray(0, keyAt), line.subarray(after), NEWLINE]);
  }
  let before = keyAt - 1;
  while (isSpace(line[before])) before--;
  if (line[before] === 0x2c) return Buffer.concat([line.subarray(0, before), line.subarray(valueEnd), NEWLINE]);
  return Buffer.concat([line.subarray(0, keyAt), line.subarray(valueEnd), NEWLINE]);
}
