import { describe, expect, it } from 'vitest';
import { parseJson, type JsonObject } from '../../../src/protocol/json.js';
import {
  REDACTED,
  base64Members,
  changeOf,
  isSecretMember,
  mayChangeGuest,
  redactRequest,
  redactRequestText,
  redactSecrets,
  sendsNoReply,
} from '../../../src/schema/annotations.js';
import { SchemaLookup } from '../../../src/schema/lookup.js';
import { loadShippedSchema } from '../../../src/schema/shipped.js';

const args = (text: string): JsonObject => parseJson(text) as JsonObject;

describe('changeOf', () => {
  it('names what each guest-changing command will do', () => {
    expect(changeOf('guest-shutdown', undefined)).toBe('shuts the guest down');
    expect(changeOf('guest-shutdown', { mode: 'powerdown' })).toBe('shuts the guest down');
    expect(changeOf('guest-shutdown', { mode: 'reboot' })).toBe('reboots the guest');
    expect(changeOf('guest-shutdown', { mode: 'halt' })).toBe('halts the guest');
    expect(changeOf('guest-suspend-disk', undefined)).toBe('hibernates the guest (suspend to disk)');
    expect(changeOf('guest-suspend-ram', undefined)).toBe('suspends the guest to RAM (sleep)');
    expect(changeOf('guest-suspend-hybrid', undefined)).toBe('suspends the guest to RAM and disk (hybrid sleep)');
    expect(changeOf('guest-fsfreeze-freeze', undefined)).toBe('freezes every guest filesystem: writes in the guest block until they are thawed');
    expect(changeOf('guest-fsfreeze-freeze-list', { mountpoints: ['/', '/home'] })).toBe('freezes / and /home: writes there block until thawed');
    expect(changeOf('guest-fsfreeze-thaw', undefined)).toBe("thaws the guest's frozen filesystems");
    expect(changeOf('guest-fstrim', { minimum: 0 })).toBe('discards unused blocks on every guest filesystem (TRIM)');
    expect(changeOf('guest-set-time', undefined)).toBe("sets the guest's system clock from its hardware clock");
    expect(changeOf('guest-set-time', args('{"time": 1732530000123456789}'))).toBe('sets the guest clock to 2024-11-25T10:20:00.123Z');
    expect(changeOf('guest-set-user-password', { username: 'root', password: 'aGk=', crypted: false })).toBe('changes the password of guest user "root"');
    expect(changeOf('guest-set-vcpus', args('{"vcpus": [{"logical-id": 1, "online": true}, {"logical-id": 2, "online": false}, {"logical-id": 3, "online": false}]}')))
      .toBe('brings vCPU 1 online and takes vCPUs 2 and 3 offline');
    expect(changeOf('guest-set-memory-blocks', args('{"mem-blks": [{"phys-index": 18446744073709551615, "online": false}]}')))
      .toBe('takes memory block 18446744073709551615 offline');
    expect(changeOf('guest-ssh-add-authorized-keys', { username: 'ann', keys: ['ssh-ed25519 AAA a'] })).toBe('adds 1 SSH key to the SSH authorized keys of "ann"');
    expect(changeOf('guest-ssh-add-authorized-keys', { username: 'ann', keys: ['a', 'b'], reset: true })).toBe('replaces the SSH authorized keys of "ann" with 2 SSH keys');
    expect(changeOf('guest-ssh-remove-authorized-keys', { username: 'ann', keys: ['a', 'b'] })).toBe('removes 2 SSH keys from the SSH authorized keys of "ann"');
    expect(changeOf('guest-file-write', { handle: 1000, 'buf-b64': 'aGVsbG8K' })).toBe('writes 6 bytes to guest file handle 1000');
    expect(changeOf('guest-exec', { path: '/bin/sh', arg: ['-c', 'rm -rf /tmp/x'] })).toBe('runs /bin/sh -c rm -rf /tmp/x in the guest');
  });

  it('asks about guest-file-open only in a mode that writes', () => {
    expect(changeOf('guest-file-open', { path: '/etc/hostname' })).toBeUndefined();
    expect(changeOf('guest-file-open', { path: '/etc/hostname', mode: 'r' })).toBeUndefined();
    expect(changeOf('guest-file-open', { path: '/etc/hostname', mode: 'rb' })).toBeUndefined();
    expect(changeOf('guest-file-open', { path: '/tmp/x', mode: 'w' })).toBe('creates or empties "/tmp/x" in the guest and opens it for writing');
    expect(changeOf('guest-file-open', { path: '/tmp/x', mode: 'a+' })).toBe('opens "/tmp/x" in the guest for appending (creating it if needed)');
    expect(changeOf('guest-file-open', { path: '/tmp/x', mode: 'r+' })).toBe('opens "/tmp/x" in the guest for reading and writing');
  });

  it('leaves read-only commands alone', () => {
    for (const name of ['guest-ping', 'guest-info', 'guest-get-time', 'guest-file-read', 'guest-exec-status', 'guest-fsfreeze-status', 'guest-get-osinfo']) {
      expect(changeOf(name, undefined)).toBeUndefined();
      expect(mayChangeGuest(name)).toBe(false);
    }
    expect(mayChangeGuest('guest-shutdown')).toBe(true);
    expect(mayChangeGuest('guest-file-open')).toBe(true);
  });

  it('covers every guest-changing command of the shipped schema', () => {
    const changing = [
      'guest-shutdown', 'guest-suspend-disk', 'guest-suspend-ram', 'guest-suspend-hybrid',
      'guest-fsfreeze-freeze', 'guest-fsfreeze-freeze-list', 'guest-fsfreeze-thaw', 'guest-set-time',
      'guest-set-user-password', 'guest-set-vcpus', 'guest-set-memory-blocks', 'guest-ssh-add-authorized-keys',
      'guest-ssh-remove-authorized-keys', 'guest-file-write', 'guest-file-open', 'guest-exec', 'guest-fstrim',
    ];
    const shipped = new SchemaLookup(loadShippedSchema()).commands().map((c) => c.name);
    expect(shipped.filter(mayChangeGuest).sort()).toEqual([...changing].sort());
  });
});

describe('secrets', () => {
  it('knows the password of guest-set-user-password is a secret', () => {
    expect(isSecretMember('guest-set-user-password', 'password')).toBe(true);
    expect(isSecretMember('guest-set-user-password', 'username')).toBe(false);
    expect(isSecretMember('guest-exec', 'password')).toBe(false);
  });

  it('redacts it from arguments without touching the original', () => {
    const original = { username: 'root', password: 'aHVudGVyMg==', crypted: false };
    expect(redactSecrets('guest-set-user-password', original)).toEqual({ username: 'root', password: REDACTED, crypted: false });
    expect(original.password).toBe('aHVudGVyMg==');
    const other = { path: '/x', password: 'not a secret here' };
    expect(redactSecrets('guest-file-open', other)).toBe(other);
    expect(redactSecrets('guest-set-user-password', undefined)).toBeUndefined();
  });

  it('redacts whole requests and request lines', () => {
    const request = { execute: 'guest-set-user-password', arguments: { username: 'root', password: 'aHVudGVyMg==', crypted: false }, id: 'qh-1' };
    expect(redactRequest(request)).toEqual({ ...request, arguments: { ...request.arguments, password: REDACTED } });
    const line = JSON.stringify(request);
    expect(redactRequestText(line)).toBe(line.replace('aHVudGVyMg==', REDACTED));
    expect(redactRequestText('{"execute":"guest-ping"}')).toBe('{"execute":"guest-ping"}');
  });

  it('redacts even a line that does not parse', () => {
    const broken = '{"execute": "guest-set-user-password", "arguments": {"password": "aHVudGVyMg==", "username": ';
    expect(redactRequestText(broken)).not.toContain('aHVudGVyMg==');
    expect(redactRequestText(broken)).toContain(`"password": "${REDACTED}"`);
  });
});

describe('base64 members', () => {
  it('lists the members that carry base64, by side', () => {
    expect(base64Members('guest-file-write')).toEqual(['buf-b64']);
    expect(base64Members('guest-file-read', 'returns')).toEqual(['buf-b64']);
    expect(base64Members('guest-exec')).toEqual(['input-data']);
    expect(base64Members('guest-exec-status', 'returns')).toEqual(['out-data', 'err-data']);
    expect(base64Members('guest-set-user-password')).toEqual(['password']);
    expect(base64Members('guest-ssh-add-authorized-keys')).toEqual([]);
    expect(base64Members('guest-ping', 'returns')).toEqual([]);
  });

  it('names only members the shipped schema has', () => {
    const lookup = new SchemaLookup(loadShippedSchema());
    const cases: [string, 'args' | 'returns'][] = [
      ['guest-file-write', 'args'], ['guest-file-read', 'returns'], ['guest-exec', 'args'],
      ['guest-exec-status', 'returns'], ['guest-set-user-password', 'args'],
    ];
    for (const [command, side] of cases) {
      const def = lookup.command(command)!;
      const names = side === 'args'
        ? lookup.commandArgs(def).map((m) => m.name)
        : lookup.structMembers(def.returns as string).map((m) => m.name);
      for (const member of base64Members(command, side)) expect(names).toContain(member);
    }
  });
});

describe('sendsNoReply', () => {
  it("follows the schema's success-response", () => {
    const lookup = new SchemaLookup(loadShippedSchema());
    expect(sendsNoReply(lookup, 'guest-shutdown')).toBe(true);
    expect(sendsNoReply(lookup, 'guest-suspend-ram')).toBe(true);
    expect(sendsNoReply(lookup, 'guest-ping')).toBe(false);
    expect(sendsNoReply(lookup, 'guest-nonexistent')).toBeUndefined();
    const noReply = lookup.commands().filter((c) => sendsNoReply(lookup, c.name)).map((c) => c.name).sort();
    expect(noReply).toEqual(['guest-shutdown', 'guest-suspend-disk', 'guest-suspend-hybrid', 'guest-suspend-ram']);
  });
});
