import { describe, expect, it } from 'vitest';
import { AgentError, CommandDisabledError, ProtocolError } from '../../../src/protocol/errors.js';
import { Capabilities, compareVersions, parseAgentInfo } from '../../../src/schema/capabilities.js';
import { SchemaLookup } from '../../../src/schema/lookup.js';
import { loadShippedSchema } from '../../../src/schema/shipped.js';

const lookup = new SchemaLookup(loadShippedSchema());

/** A guest-info answer shaped like a 7.2 agent's, trimmed to a few commands. */
const info = {
  version: '7.2.22',
  supported_commands: [
    { enabled: true, name: 'guest-ping', 'success-response': true },
    { enabled: true, name: 'guest-info', 'success-response': true },
    { enabled: false, name: 'guest-shutdown', 'success-response': false },
    { enabled: false, name: 'guest-get-devices', 'success-response': true },
    { enabled: true, name: 'guest-exec', 'success-response': true },
    { enabled: true, name: 'guest-future-thing', 'success-response': false },
  ],
};

function refusal(caps: Capabilities, command: string): AgentError {
  try {
    caps.check(command);
  } catch (err) {
    expect(err).toBeInstanceOf(AgentError);
    return err as AgentError;
  }
  throw new Error(`expected ${command} to be refused`);
}

describe('parseAgentInfo', () => {
  it('reads version and supported_commands', () => {
    const parsed = parseAgentInfo(info);
    expect(parsed.version).toBe('7.2.22');
    expect(parsed.commands.get('guest-shutdown')).toEqual({ name: 'guest-shutdown', enabled: false, successResponse: false });
    expect([...parsed.commands.keys()]).toHaveLength(6);
  });

  it('rejects something that is not a guest-info answer', () => {
    expect(() => parseAgentInfo({ version: 7 })).toThrow(ProtocolError);
    expect(() => parseAgentInfo([])).toThrow('guest-info did not return {"version", "supported_commands"}');
  });
});

describe('Capabilities', () => {
  const caps = new Capabilities(lookup, parseAgentInfo(info));

  it('puts every command in one of four states', () => {
    expect(caps.availability('guest-ping')).toBe('enabled');
    expect(caps.availability('guest-shutdown')).toBe('disabled');
    expect(caps.availability('guest-get-load')).toBe('unknown-to-agent');
    expect(caps.availability('guest-future-thing')).toBe('not-in-schema');
  });

  it('lists schema commands in order, then the agent-only ones', () => {
    const all = caps.all();
    expect(all.length).toBe(lookup.commands().length + 1);
    expect(all.at(-1)).toEqual({
      name: 'guest-future-thing',
      availability: 'not-in-schema',
      agent: { name: 'guest-future-thing', enabled: true, successResponse: false },
    });
    expect(all[0]!.name).toBe(lookup.commands()[0]!.name);
  });

  it("takes the agent's word on replies", () => {
    expect(caps.sendsNoReply('guest-shutdown')).toBe(true);
    expect(caps.sendsNoReply('guest-future-thing')).toBe(true);
    expect(caps.sendsNoReply('guest-ping')).toBe(false);
    expect(caps.sendsNoReply('guest-get-load')).toBeUndefined();
  });

  it('refuses a disabled command before sending, with the policy hint', () => {
    const err = refusal(caps, 'guest-shutdown');
    expect(err).toBeInstanceOf(CommandDisabledError);
    expect(err.exitCode).toBe(1);
    expect(err.sent).toBeUndefined();
    expect(err.message).toBe('guest-shutdown is disabled on this agent (qemu-ga 7.2.22, per guest-info); nothing was sent');
    expect(err.hint).toBe(
      'Its policy blocks it: restart qemu-ga without it in -b/--block-rpcs (or add it to --allow-rpcs; ' +
        'on RHEL-family guests see BLOCK_RPCS / FILTER_RPC_ARGS in /etc/sysconfig/qemu-ga).',
    );
  });

  it('says when a disabled command exists only for some platforms', () => {
    expect(refusal(caps, 'guest-get-devices').hint).toMatch(/ The schema has it only for windows guests\.$/);
  });

  it('refuses a command the agent does not know, naming the version that added it', () => {
    const err = refusal(caps, 'guest-get-load');
    expect(err).not.toBeInstanceOf(CommandDisabledError);
    expect(err.errorClass).toBe('CommandNotFound');
    expect(err.message).toBe('guest-get-load is not known to this agent (qemu-ga 7.2.22, per guest-info): it was added in QEMU 10.0; nothing was sent');
    expect(err.hint).toBe("Upgrade the guest's qemu-guest-agent to 10.0 or newer to use guest-get-load.");
  });

  it('explains a missing command older than the agent as a build or platform gap', () => {
    const err = refusal(caps, 'guest-get-osinfo');
    expect(err.message).toBe('guest-get-osinfo is not known to this agent (qemu-ga 7.2.22, per guest-info); nothing was sent');
    expect(err.hint).toBe("This agent was built without guest-get-osinfo, most likely because the guest's OS does not offer it.");
  });

  it('lets enabled and not-in-schema commands through', () => {
    expect(() => caps.check('guest-ping')).not.toThrow();
    expect(() => caps.check('guest-future-thing')).not.toThrow();
  });
});

describe('compareVersions', () => {
  it('compares numerically, part by part', () => {
    expect(compareVersions('7.2.22', '10.0')).toBeLessThan(0);
    expect(compareVersions('10.2', '10.0')).toBeGreaterThan(0);
    expect(compareVersions('0.15.0', '0.15')).toBe(0);
    expect(compareVersions('2.10', '2.9')).toBeGreaterThan(0);
  });
});
