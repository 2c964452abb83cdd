import { describe, expect, it } from 'vitest';
import { stringifyJson } from '../../../src/protocol/json.js';
import type { Request } from '../../../src/protocol/messages.js';
import { base64Pieces, reportedRequest, splitAround } from '../../../src/session/bulk-argument.js';
import { Session } from '../../../src/session/session.js';
import { MemoryTransport, actLikeAgent } from '../../helpers/memory-transport.js';

const data = Buffer.from(Array.from({ length: 200_003 }, (_, i) => (i * 7919) % 256));

describe('a base64 argument', () => {
  it('is encoded in pieces that join to the whole base64', () => {
    expect([...base64Pieces(data)].join('')).toBe(data.toString('base64'));
    expect([...base64Pieces(Buffer.from('hi'))]).toEqual(['aGk=']);
    expect([...base64Pieces(Buffer.alloc(0))]).toEqual([]);
  });

  it('goes out as the same JSON as the request with the argument in place', () => {
    const bulk = { name: 'buf-b64', data };
    const text = data.toString('base64');
    const requests: Request[] = [
      { execute: 'guest-file-write', arguments: { handle: 1000 }, id: 'qh-abc-1' },
      { execute: 'guest-file-write', arguments: {}, id: 7 },
      { execute: 'guest-file-write', arguments: { handle: 1000, count: 12345678901234567890n } },
    ];
    for (const request of requests) {
      const { head, tail } = splitAround(request, bulk);
      expect(`${head}${text}${tail}`).toBe(stringifyJson({ ...request, arguments: { ...request.arguments, 'buf-b64': text } }));
    }
    expect(reportedRequest({ execute: 'guest-file-write', arguments: { handle: 1 } }, bulk, false).arguments).toEqual({ handle: 1, 'buf-b64': '(200003 bytes as base64, not kept)' });
  });

  it('reaches the agent whole through a session, and is reported whole to a transcript', async () => {
    const t = new MemoryTransport();
    const written: Buffer[] = [];
    const session = new Session(t);
    actLikeAgent(t, () => undefined);
    await session.connect();
    // The agent side: gather the request's pieces until its line ends, then answer.
    t.whenWritten((buf) => {
      written.push(buf);
      if (!buf.toString('latin1').endsWith('\n')) return;
      const request = JSON.parse(Buffer.concat(written).toString('latin1')) as { id: string; arguments: Record<string, unknown> };
      queueMicrotask(() => t.send(`{"return": {"count": ${Buffer.from(String(request.arguments['buf-b64']), 'base64').length}, "eof": false}, "id": "${request.id}"}\n`));
    });
    const seen: unknown[] = [];
    session.on('call-end', (record) => seen.push(record.request.arguments));
    const write = () => session.call('guest-file-write', { handle: 1000 }, { base64Argument: { name: 'buf-b64', data } });
    const result = await write();
    expect(result.status === 'ok' && result.value).toEqual({ count: data.length, eof: false });
    expect(Buffer.concat(written).toString('latin1')).toBe(`${stringifyJson({ execute: 'guest-file-write', arguments: { handle: 1000, 'buf-b64': data.toString('base64') }, id: (result.request as { id: string }).id })}\n`);
    // Reported with a note of the size, or with the text while someone keeps replies whole.
    const release = session.keepRepliesWhole();
    written.length = 0;
    await write();
    release();
    expect(seen).toEqual([{ handle: 1000, 'buf-b64': `(${data.length} bytes as base64, not kept)` }, { handle: 1000, 'buf-b64': data.toString('base64') }]);
    session.close();
  });
});
