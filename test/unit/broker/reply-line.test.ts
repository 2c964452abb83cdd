import { describe, expect, it } from 'vitest';
import type { JsonObject, JsonValue } from '../../../src/protocol/json.js';
import { formatValue, replyBytes } from '../../../src/broker/agent-format.js';
import { relayedReplyLine } from '../../../src/broker/reply-line.js';
import { withClientId } from '../../../src/broker/requests.js';

const OURS = 'qhb-1a2b3c-42';

/** A reply as the agent writes it, carrying the broker's id where the agent puts it. */
function agentLine(reply: JsonObject): Buffer {
  return Buffer.from(formatValue(reply), 'utf8');
}

const CLIENT_IDS: Array<{ value: JsonValue } | undefined> = [
  undefined,
  { value: 7 },
  { value: 18446744073709551615n },
  { value: 'mine' },
  { value: { nested: ['x', 1] } },
  { value: null },
  { value: 'qhb-1a2b3c-42' },
];

const REPLIES: JsonObject[] = [
  // qemu-ga writes "return" before "id", and "id" before "error".
  { return: {}, id: OURS },
  { return: { version: '7.2.22', supported_commands: [{ name: 'guest-ping', enabled: true }] }, id: OURS },
  { id: OURS, error: { class: 'GenericError', desc: 'No such file or directory' } },
  { return: 1795603519181776123n, id: OURS },
  { return: { 'buf-b64': 'QUJD', count: 3, eof: true, note: 'é €' }, id: OURS },
  { id: OURS },
];

describe('relayedReplyLine', () => {
  it('gives the bytes the parsed reply would be written as, with the client id or none', () => {
    for (const reply of REPLIES) {
      for (const id of CLIENT_IDS) {
        const expected = replyBytes(withClientId({ ...reply }, id));
        expect(relayedReplyLine(agentLine(reply), OURS, id)?.toString('utf8'), `${formatValue(reply)} with ${JSON.stringify(id, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))}`)
          .toBe(expected.toString('utf8'));
      }
    }
  });

  it('keeps the agent spacing and order as they came', () => {
    const line = Buffer.from(`{"id":"${OURS}" ,  "return":{ }}`);
    expect(relayedReplyLine(line, OURS, { value: 5 })?.toString()).toBe('{"id":5 ,  "return":{ }}\n');
    expect(relayedReplyLine(line, OURS, undefined)?.toString()).toBe('{"return":{ }}\n');
  });

  it('declines when the id is not found exactly once after an "id" key', () => {
    // The return value holds the same string: which one is the id cannot be told cheaply.
    expect(relayedReplyLine(agentLine({ return: { 'host-name': OURS }, id: OURS }), OURS, undefined)).toBeUndefined();
    expect(relayedReplyLine(agentLine({ return: {}, id: 'qhb-other-1' }), OURS, undefined)).toBeUndefined();
    expect(relayedReplyLine(agentLine({ return: { name: OURS } }), OURS, { value: 1 })).toBeUndefined();
    // Inside a string it is escaped, so it cannot match there.
    const escaped = Buffer.from(`{"return": "say \\"${OURS}\\"", "id": "${OURS}"}`);
    expect(relayedReplyLine(escaped, OURS, { value: 1 })?.toString()).toBe(`{"return": "say \\"${OURS}\\"", "id": 1}\n`);
  });
});
