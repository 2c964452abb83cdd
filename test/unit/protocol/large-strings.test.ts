import { describe, expect, it } from 'vitest';
import { findLargeStrings } from '../../../src/protocol/large-strings.js';
import { classifyFrame, type Reply } from '../../../src/protocol/messages.js';
import { Session } from '../../../src/session/session.js';
import { MemoryTransport, actLikeAgent } from '../../helpers/memory-transport.js';

const b64 = 'QUJD'.repeat(50_000);
const line = (text: string): Buffer => Buffer.from(text, 'utf8');

describe('long string values as bytes', () => {
  it('finds member values longer than the limit, with their keys', () => {
    const text = `{"return": {"count": 150000, "buf-b64": "${b64}", "eof": false}, "id": "qh-abc-9"}`;
    const found = findLargeStrings(line(text), 1000);
    expect(found).toHaveLength(1);
    expect(found[0]!.key).toBe('buf-b64');
    expect(line(text).toString('latin1', found[0]!.start, found[0]!.end)).toBe(b64);
    // Short strings, keys, array elements and strings with escapes are left to the parser.
    expect(findLargeStrings(line(text), 300_000)).toEqual([]);
    expect(findLargeStrings(line(`{"return": ["${b64}"]}`), 1000)).toEqual([]);
    expect(findLargeStrings(line(`{"${b64}": 1}`), 1000)).toEqual([]);
    expect(findLargeStrings(line(`{"return": {"a": "${b64}\\n"}}`), 1000)).toEqual([]);
    // Escaped quotes inside earlier strings do not throw the pairing off.
    const tricky = `{"return": {"note": "say \\"buf-b64\\": \\"x\\"", "buf-b64": "${b64}"}}`;
    expect(findLargeStrings(line(tricky), 1000).map((f) => f.key)).toEqual(['buf-b64']);
    // An unterminated string: nothing (the parser reports the line as it is).
    expect(findLargeStrings(line(`{"return": "${b64}`), 1000)).toEqual([]);
  });

  it('parses the rest of the line and hands the value over as bytes', () => {
    const text = `{"return": {"count": 150000, "buf-b64": "${b64}", "eof": true}, "id": "qh-abc-9"}`;
    const reply = classifyFrame({ kind: 'line', bytes: line(text), delimited: false }, 1000) as Reply;
    expect(reply.kind).toBe('reply');
    expect(reply.message).toEqual({ return: { count: 150000, 'buf-b64': '', eof: true }, id: 'qh-abc-9' });
    expect(reply.elided!.map((e) => [e.key, e.bytes.toString('latin1')])).toEqual([['buf-b64', b64]]);
    expect(reply.text.startsWith('{"return": {"count": 150000, "buf-b64": "QUJDQUJD')).toBe(true);
    // Without the option the same line parses whole.
    const whole = classifyFrame({ kind: 'line', bytes: line(text), delimited: false }) as Reply;
    expect((whole.message.return as { 'buf-b64': string })['buf-b64']).toBe(b64);
    expect(whole.elided).toBeUndefined();
  });

  it('reaches the caller of a session call before the call settles', async () => {
    const t = new MemoryTransport();
    const session = new Session(t);
    actLikeAgent(t, (r) => `{"return": {"count": 150000, "buf-b64": "${b64}", "eof": false}, "id": ${JSON.stringify(r.id)}}\n`);
    let taken: string | undefined;
    const result = await session.call('guest-file-read', { handle: 1000, count: 150000 }, {
      largeStrings: { minBytes: 65536, take: (key, bytes) => (taken = `${key}:${bytes.length}`) },
    });
    expect(taken).toBe(`buf-b64:${b64.length}`);
    expect(result.status === 'ok' && result.value).toEqual({ count: 150000, 'buf-b64': '', eof: false });
    session.close();
  });

  it('is not done while someone keeps replies whole (a transcript), and is again after', async () => {
    const t = new MemoryTransport();
    const session = new Session(t);
    actLikeAgent(t, (r) => `{"return": {"count": 150000, "buf-b64": "${b64}", "eof": false}, "id": ${JSON.stringify(r.id)}}\n`);
    const recorded: unknown[] = [];
    session.on('call-end', (record) => recorded.push(record.value));
    let taken = 0;
    const read = () => session.call('guest-file-read', { handle: 1000, count: 150000 }, { largeStrings: { minBytes: 65536, take: () => (taken += 1) } });
    const release = session.keepRepliesWhole();
    const whole = await read();
    expect(taken).toBe(0);
    expect(whole.status === 'ok' && (whole.value as { 'buf-b64': string })['buf-b64']).toBe(b64);
    release();
    await read();
    expect(taken).toBe(1);
    // Whoever only listens sees the long string left out.
    expect(recorded).toEqual([{ count: 150000, 'buf-b64': b64, eof: false }, { count: 150000, 'buf-b64': '', eof: false }]);
    session.close();
  });
});
