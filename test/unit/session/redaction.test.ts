// A password sent with guest-set-user-password must never appear in anything the session
// reports: wire events, call records, results or errors. What is sent is unchanged.
import { describe, expect, it } from 'vitest';
import { redactRequest, redactRequestText } from '../../../src/schema/annotations.js';
import { Session } from '../../../src/session/session.js';
import { MemoryTransport, actLikeAgent } from '../../helpers/memory-transport.js';

const SECRET = Buffer.from('hunter2-very-secret').toString('base64');

describe('session redaction', () => {
  for (const outcome of ['ok', 'error'] as const) {
    it(`hides the password in events, records and ${outcome === 'ok' ? 'results' : 'errors'}`, async () => {
      const t = new MemoryTransport();
      actLikeAgent(t, (r) => outcome === 'ok'
        ? `{"return": {}, "id": ${JSON.stringify(r.id)}}\n`
        : `{"error": {"class": "GenericError", "desc": "no such user"}, "id": ${JSON.stringify(r.id)}}\n`);
      const session = new Session(t, { redact: { request: redactRequest, text: redactRequestText } });
      const reported: string[] = [];
      session.on('wire', (w) => reported.push(w.text));
      session.on('call-start', (c) => reported.push(JSON.stringify(c.request)));
      session.on('call-end', (c) => reported.push(JSON.stringify(c.request), String(c.error?.sent && JSON.stringify(c.error.sent))));
      const result = await session
        .call('guest-set-user-password', { username: 'root', password: SECRET, crypted: false })
        .then((r) => JSON.stringify(r.request), (e: { sent: unknown }) => JSON.stringify(e.sent));
      reported.push(result);
      session.close();
      expect(reported.join('\n')).not.toContain(SECRET);
      expect(reported.join('\n')).toContain('<redacted>');
      // The agent got the real password.
      expect(t.writes.map((w) => w.toString()).join('')).toContain(SECRET);
    });
  }

  it('hides the password in a request that comes back as tty echo (isa-serial) and is discarded', async () => {
    const t = new MemoryTransport();
    const echo = `{"execute":"guest-set-user-password","arguments":{"username":"root","password":"${SECRET}"}}\n`;
    actLikeAgent(t, (r) => `${echo}{"return": {}, "id": ${JSON.stringify(r.id)}}\n`);
    const session = new Session(t, { redact: { request: redactRequest, text: redactRequestText } });
    const discarded: string[] = [];
    session.on('wire', (w) => {
      if (w.direction === 'discard') discarded.push(w.text);
    });
    await session.call('guest-ping');
    session.close();
    expect(discarded.some((text) => text.includes('guest-set-user-password'))).toBe(true);
    expect(discarded.join('\n')).not.toContain(SECRET);
    expect(session.discards.recent().map((d) => d.text).join('\n')).not.toContain(SECRET);
  });
});
