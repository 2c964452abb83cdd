// The pure parts of the libvirt transport: what goes on virsh's stdin, and how its output
// and its error texts (libvirt 9's, as seen from the real daemon in test/vm/libvirt.test.ts) are read.
import { describe, expect, it } from 'vitest';
import { endpointFrom } from '../../../src/cli/context.js';
import { ConnectError, SyncTimeoutError, TimeoutError } from '../../../src/protocol/errors.js';
import { interpretFailure } from '../../../src/transport/libvirt/libvirt-errors.js';
import { asciiJson, replyLine } from '../../../src/transport/libvirt/libvirt-transport.js';
import { virshQuote } from '../../../src/transport/libvirt/virsh-shell.js';

const ctx = { domain: 'web1', uri: 'qemu:///system', execute: 'guest-ping', shown: {}, noReply: false, timeoutS: 10, elapsedMs: 9900 };

describe('libvirt transport text', () => {
  it('quotes for virsh and keeps stdin pure ASCII', () => {
    expect(virshQuote("it's")).toBe("'it'\\''s'");
    expect(asciiJson('{"a":"é\u007f"}')).toBe('{"a":"\\u00e9\\u007f"}');
    expect(JSON.parse(asciiJson(JSON.stringify({ a: 'é😀' })))).toEqual({ a: 'é😀' });
  });

  it('finds the reply line behind readline\'s echo', () => {
    expect(replyLine("virsh # qemu-agent-command --domain 'x' '{...}'\n{\"return\":{}}\nvirsh # echo ")).toBe('{"return":{}}');
    expect(replyLine('virsh # domstate\n')).toBeUndefined();
  });

  it('reads agent errors back into the agent\'s shape', () => {
    expect(interpretFailure("error: internal error: unable to execute QEMU agent command 'guest-nosuch': The command guest-nosuch has not been found\n", ctx))
      .toEqual({ kind: 'agent-error', errorClass: 'CommandNotFound', desc: 'The command guest-nosuch has not been found' });
    expect(interpretFailure("error: internal error: unable to execute QEMU agent command 'guest-x': Command guest-x has been disabled\n", ctx))
      .toMatchObject({ kind: 'agent-error', errorClass: 'GenericError' });
  });

  it('tells libvirt\'s own failures apart', () => {
    const fail = (text: string, over = {}): unknown => {
      const m = interpretFailure(text, { ...ctx, ...over });
      return m.kind === 'failure' ? m.error : m;
    };
    expect((fail('error: failed to get domain \'web1\'\n') as ConnectError).errno).toBe('NO_DOMAIN');
    expect((fail('error: Requested operation is not valid: domain is not running\n') as ConnectError).errno).toBe('DOMAIN_NOT_RUNNING');
    expect((fail('error: argument unsupported: QEMU guest agent is not configured\n') as ConnectError).errno).toBe('NO_AGENT_CHANNEL');
    expect((fail('error: Guest agent is not responding: QEMU guest agent is not connected\n') as ConnectError).errno).toBe('AGENT_NOT_CONNECTED');
    expect(fail('error: Guest agent is not responding: Guest agent not available for now\n')).toBeInstanceOf(TimeoutError);
    expect(fail('error: Guest agent is not responding: Guest agent not available for now\n', { elapsedMs: 5000 })).toBeInstanceOf(SyncTimeoutError);
    expect(fail('error: Guest agent is not responding: Guest agent disappeared while executing command\n', { noReply: true }))
      .toEqual({ kind: 'no-reply', detail: 'sent, no reply expected: the agent went away afterwards' });
  });

  it('--domain and --connect as global options', () => {
    expect(endpointFrom({ domain: 'web1', connect: 'qemu+ssh://root@h/system' }, {})).toEqual({ kind: 'libvirt', domain: 'web1', uri: 'qemu+ssh://root@h/system' });
    expect(() => endpointFrom({ domain: 'web1', socket: '/x' }, {})).toThrow(/not --socket and --domain/);
    expect(() => endpointFrom({ connect: 'qemu:///system' }, {})).toThrow(/--connect names the libvirt URI/);
  });
});
