// redactRequestText skips parsing lines that name no command with secrets (a 1 MiB
// guest-file-write in the wire view); lines that hide a name behind \u escapes are parsed.
import { describe, expect, it } from 'vitest';
import { redactRequestText } from '../../../src/schema/annotations.js';

describe('redactRequestText', () => {
  it('gives back a line without secrets as it is, the very same string', () => {
    const write = `{"execute":"guest-file-write","arguments":{"handle":1000,"buf-b64":"${'QUJD'.repeat(1000)}"},"id":"qh-1"}`;
    expect(redactRequestText(write)).toBe(write);
  });

  it('still hides a password, whether the command is spelled plainly or with \\u escapes', () => {
    const plain = '{"execute":"guest-set-user-password","arguments":{"username":"root","password":"aHVudGVyMg==","crypted":false}}';
    expect(redactRequestText(plain)).toBe('{"execute":"guest-set-user-password","arguments":{"username":"root","password":"<redacted>","crypted":false}}');
    const escaped = '{"execute":"\\u0067uest-set-user-password","arguments":{"username":"root","password":"aHVudGVyMg==","crypted":false}}';
    expect(redactRequestText(escaped)).not.toContain('aHVudGVyMg==');
    expect(redactRequestText('{"execute":"guest-set-user-password","arguments":{"password":"aHVudGVy')).not.toContain('aHVudGVy"');
  });
});
