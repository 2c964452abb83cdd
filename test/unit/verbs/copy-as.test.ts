// "Copy as" lines: quoting checked by a real /bin/sh reading the words back, the shape of
// the virsh and socat lines, and secrets left to a shell variable. (That the socat line
// really works is proven against a real qemu-ga in test/agent/copy-as-real.test.ts.)
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SchemaLookup } from '../../../src/schema/lookup.js';
import { loadShippedSchema } from '../../../src/schema/shipped.js';
import { copyNotice } from '../../../src/ui/shell/copy-notice.js';
import { displayLine, recallLine } from '../../../src/ui/shell/line-secrets.js';
import { maskSecrets } from '../../../src/ui/prompt/prompt-line.js';
import { endpointOfDescription, socatAddress, socatLine, virshLine } from '../../../src/verbs/copy-as/copy-as.js';
import { shellQuote, shellWord } from '../../../src/verbs/copy-as/shell-quote.js';

/** The arguments /bin/sh sees for `words` (printed NUL-separated by printf). */
function shellReads(words: string, env: Record<string, string> = {}): string[] {
  const out = spawnSync('/bin/sh', ['-c', `printf '%s\\0' ${words}`], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
  expect(out.status).toBe(0);
  return out.stdout.split('\0').slice(0, -1);
}

describe('shell quoting', () => {
  it('reads back exactly what was quoted, whatever the characters', () => {
    const samples = ['plain', "it's", '{"a":"b c"}', '$HOME `id` "x" \\n', '', 'tab\there', 'new\nline', "'''", 'ünïcødé ✓', '*?[a]'];
    for (const sample of samples) expect(shellReads(shellQuote(sample))).toEqual([sample]);
    expect(shellQuote('/tmp/qga.sock')).toBe('/tmp/qga.sock');
  });

  it('joins literal text and variables into one word', () => {
    const word = shellWord([{ text: `{"p":"` }, { variable: 'QGA_PASSWORD' }, { text: `","q":"it's"}` }]);
    expect(shellReads(word, { QGA_PASSWORD: 'c2Vj $x' })).toEqual([`{"p":"c2Vj $x","q":"it's"}`]);
  });
});

describe('virsh lines', () => {
  it('quote the request without the id, with --timeout only for slow commands', () => {
    expect(virshLine({ execute: 'guest-info', id: 'qh-1' }).line).toBe(`virsh qemu-agent-command DOMAIN '{"execute":"guest-info"}'`);
    expect(virshLine({ execute: 'guest-fstrim' }, { domain: 'my vm' }).line).toBe(`virsh qemu-agent-command 'my vm' --timeout 600 '{"execute":"guest-fstrim"}'`);
    expect(virshLine({ execute: 'guest-ping' }, { timeoutMs: 2500 }).line).toBe(`virsh qemu-agent-command DOMAIN --timeout 3 '{"execute":"guest-ping"}'`);
    const words = shellReads(virshLine({ execute: 'guest-file-open', arguments: { path: "/tmp/it's here", mode: 'r' } }).line.replace(/^virsh /, ''));
    expect(words).toEqual(['qemu-agent-command', 'DOMAIN', `{"execute":"guest-file-open","arguments":{"path":"/tmp/it's here","mode":"r"}}`]);
    expect(virshLine({ execute: 'guest-shutdown' }).notes).toContain('guest-shutdown sends no reply when it succeeds: virsh reports an error after its timeout even then.');
  });

  it('never hold the password: the shell fills it in from $QGA_PASSWORD', () => {
    const copied = virshLine({ execute: 'guest-set-user-password', arguments: { username: 'bob', password: 'c2VjcmV0', crypted: false } });
    expect(copied.line).not.toContain('c2VjcmV0');
    expect(copied.variables).toEqual(['QGA_PASSWORD']);
    expect(copied.notes[0]).toMatch(/^The secret is not in the line: it reads \$QGA_PASSWORD/);
    const words = shellReads(copied.line.replace(/^virsh /, ''), { QGA_PASSWORD: 'bmV3' });
    expect(JSON.parse(words[2]!)).toEqual({ execute: 'guest-set-user-password', arguments: { username: 'bob', password: 'bmV3', crypted: false } });
    // A request already redacted (the shell's last call) gets the same variable.
    expect(virshLine({ execute: 'guest-set-user-password', arguments: { username: 'bob', password: '<redacted>' } }).line).toContain(`"password":"'"$QGA_PASSWORD"'"`);
  });
});

describe('socat lines', () => {
  it('lead with 0xFF, keep the socket open after printf ends, and pick the reply out by id', () => {
    const copied = socatLine({ execute: 'guest-info' }, { kind: 'unix', path: '/run/qga.sock' }, { id: 'qh-copy-abc123' });
    expect(copied.line).toBe(`printf '\\377%s\\n' '{"execute":"guest-info","id":"qh-copy-abc123"}' | socat -T 3 -,ignoreeof UNIX-CONNECT:/run/qga.sock | grep -a -F qh-copy-abc123`);
    expect(socatLine({ execute: 'guest-fsfreeze-freeze' }, { kind: 'tcp', host: '127.0.0.1', port: 4444 }, { id: 'x' }).line)
      .toBe(`printf '\\377%s\\n' '{"execute":"guest-fsfreeze-freeze","id":"x"}' | socat -T 300 -,ignoreeof TCP:127.0.0.1:4444 | grep -a -F x`);
  });

  it("escape socat's own special characters in the address, then quote it for the shell", () => {
    expect(socatAddress({ kind: 'unix', path: '/tmp/a,b:c/q(1).sock' })).toBe('UNIX-CONNECT:/tmp/a\\,b\\:c/q\\(1\\).sock');
    expect(socatAddress({ kind: 'tcp', host: '::1', port: 4444 })).toBe('TCP:[::1]:4444');
    const line = socatLine({ execute: 'guest-ping' }, { kind: 'unix', path: "/tmp/it's,here.sock" }, { id: 'x' }).line;
    expect(line).toContain(`'UNIX-CONNECT:/tmp/it\\'\\''s\\,here.sock'`);
  });

  it('name the endpoints a transport description stands for', () => {
    expect(endpointOfDescription('unix:/tmp/a:b.sock')).toEqual({ kind: 'unix', path: '/tmp/a:b.sock' });
    expect(endpointOfDescription('tcp:127.0.0.1:4444')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 4444 });
    expect(endpointOfDescription('tcp:[::1]:4444')).toEqual({ kind: 'tcp', host: '::1', port: 4444 });
    expect(endpointOfDescription('libvirt:vm1')).toEqual({ kind: 'libvirt', domain: 'vm1' });
    expect(endpointOfDescription('libvirt:qemu+ssh://root@host/system web 1')).toEqual({ kind: 'libvirt', uri: 'qemu+ssh://root@host/system', domain: 'web 1' });
    expect(endpointOfDescription('memory:test')).toBeUndefined();
  });
});

describe(':copy in the shell', () => {
  const lookup = new SchemaLookup(loadShippedSchema());
  const base = { lookup, last: undefined, endpoint: 'unix:/tmp/qga.sock', timeoutMs: undefined };

  it('shows the typed request as virsh and socat lines, never its password', () => {
    const shown = copyNotice({ ...base, line: 'guest-set-user-password username=bob password=c2VjcmV0 crypted=false' });
    expect(shown.text).toBe('guest-set-user-password as a virsh line, and as a socat line for unix:/tmp/qga.sock:');
    expect(shown.verbatim).toEqual([expect.stringMatching(/^virsh qemu-agent-command DOMAIN '\{"execute":"guest-set-user-password",/), expect.stringMatching(/^printf /)]);
    expect(`${shown.text} ${shown.verbatim!.join(' ')} ${shown.hint}`).not.toContain('c2VjcmV0');
    expect(shown.hint).toContain('$QGA_PASSWORD');
  });

  it('falls back to the last request sent, and explains when there is nothing to copy', () => {
    const last = copyNotice({ ...base, line: '', last: { execute: 'guest-get-osinfo', id: 'qh-9-3' } });
    expect(last.verbatim![0]).toBe(`virsh qemu-agent-command DOMAIN '{"execute":"guest-get-osinfo"}'`);
    expect(copyNotice({ ...base, line: '' })).toMatchObject({ level: 'warn', text: expect.stringMatching(/^Nothing to copy/) });
    expect(copyNotice({ ...base, line: 'guest-file-open mode=r' })).toMatchObject({ level: 'warn', text: 'Nothing to copy yet: guest-file-open needs path.' });
    expect(copyNotice({ ...base, line: ':wire' }).text).toBe('Only agent commands can be copied, not shell commands.');
    const libvirt = copyNotice({ ...base, endpoint: 'libvirt:qemu:///system web1', line: 'guest-ping' });
    expect(libvirt.verbatim).toEqual([`virsh -c qemu:///system qemu-agent-command web1 '{"execute":"guest-ping"}'`]);
    expect(libvirt.hint).toContain('No socat line: libvirt owns the socket of this guest.');
    expect(copyNotice({ ...base, endpoint: 'memory:test', line: 'guest-ping' }).hint).toContain('No socat line: memory:test is not a unix or TCP socket.');
  });

  it('keeps a password typed after :copy off the prompt, the history and recall', () => {
    const typed = ':copy guest-set-user-password username=bob password=hunter2 crypted=false';
    expect(maskSecrets(typed)).toBe(':copy guest-set-user-password username=bob password=••••••• crypted=false');
    expect(displayLine(typed)).toBe(':copy guest-set-user-password username=bob password=<redacted> crypted=false');
    expect(recallLine(typed)).toBe(':copy guest-set-user-password username=bob crypted=false');
    expect(maskSecrets(':copy {"execute":"guest-set-user-password","arguments":{"password":"aHVu"}}')).not.toContain('aHVu');
  });
});
