// Live capabilities from a real qemu-ga: one guest-info per connection, merged with the
// schema, published as the session's 'agent-info' event, and used to refuse a disabled
// command before anything is written for it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallPlanner } from '../../src/cli/prepare.js';
import { AgentError, CommandDisabledError } from '../../src/protocol/errors.js';
import { parseCallLine } from '../../src/schema/call-syntax.js';
import { learnCapabilities } from '../../src/schema/capabilities.js';
import { SchemaLookup } from '../../src/schema/lookup.js';
import { loadShippedSchema } from '../../src/schema/shipped.js';
import { MACHINE_CHANGING_RPCS, compiledRpcs, startAgent, type AgentFixture } from '../helpers/agent.js';
import { sessionTo } from '../helpers/session.js';

const lookup = new SchemaLookup(loadShippedSchema());
let agent: AgentFixture;

beforeAll(async () => {
  agent = await startAgent();
});
afterAll(async () => {
  await agent.stop();
});

describe('learnCapabilities', () => {
  it('merges guest-info with the schema and tells session subscribers', async () => {
    const session = sessionTo(agent.socket);
    const seen: { version: string; supported: unknown }[] = [];
    session.on('agent-info', (info) => seen.push(info));
    const caps = await learnCapabilities(session, lookup);
    expect(caps).toBeDefined();
    expect(seen).toHaveLength(1);
    expect(seen[0]!.version).toBe(caps!.version);
    expect(session.agentInfo).toEqual(seen[0]);
    expect(Array.isArray(seen[0]!.supported)).toBe(true);
    expect(caps!.version).toMatch(/^\d+\.\d+/);

    const compiled = compiledRpcs();
    for (const name of compiled) {
      const expected = MACHINE_CHANGING_RPCS.includes(name) ? 'disabled' : undefined;
      const availability = caps!.availability(name);
      if (!lookup.command(name)) expect(availability, name).toBe('not-in-schema');
      else if (expected) expect(availability, name).toBe(expected);
      else expect(['enabled', 'disabled'], name).toContain(availability);
    }
    for (const def of lookup.commands()) {
      if (!compiled.includes(def.name)) expect(caps!.availability(def.name), def.name).toBe('unknown-to-agent');
    }
    expect(caps!.sendsNoReply('guest-shutdown')).toBe(true);
    expect(caps!.sendsNoReply('guest-ping')).toBe(false);
  });

  it('returns undefined when the agent blocks guest-info itself', async () => {
    const strict = await startAgent({ blocked: ['guest-info', ...MACHINE_CHANGING_RPCS] });
    try {
      const session = sessionTo(strict.socket);
      expect(await learnCapabilities(session, lookup)).toBeUndefined();
      expect(session.agentInfo).toBeUndefined();
    } finally {
      await strict.stop();
    }
  });
});

describe('CallPlanner against a real agent', () => {
  it('refuses disabled commands before writing them, and sends the rest', async () => {
    const planner = new CallPlanner(lookup, undefined);
    const session = sessionTo(agent.socket, planner.sessionOptions());
    const written: string[] = [];
    session.on('wire', (e) => {
      if (e.direction === 'out') written.push(e.text);
    });
    await expect(planner.send(session, planner.prepare(parseCallLine('guest-fsfreeze-freeze')))).rejects.toBeInstanceOf(CommandDisabledError);
    await expect(planner.send(session, planner.prepare(parseCallLine('guest-get-load')))).rejects.toBeInstanceOf(AgentError);
    const ping = await planner.send(session, planner.prepare(parseCallLine('guest-ping')));
    expect(ping.status).toBe('ok');
    const executes = written.map((line) => (JSON.parse(line) as { execute: string }).execute);
    expect(executes).toEqual(['guest-sync-delimited', 'guest-info', 'guest-ping']);
  });

  it('asks guest-info again after the agent restarts', async () => {
    const local = await startAgent();
    try {
      const planner = new CallPlanner(lookup, 2000);
      const session = sessionTo(local.socket, { ...planner.sessionOptions(), reconnect: { initialMs: 20, maxMs: 100 } });
      const infos: string[] = [];
      session.on('agent-info', (i) => infos.push(i.version));
      await planner.send(session, planner.prepare(parseCallLine('guest-ping')));
      expect(infos).toHaveLength(1);
      const lost = new Promise<void>((resolve) => {
        const off = session.on('state', (c) => {
          if (c.state === 'disconnected' && c.error) {
            off();
            resolve();
          }
        });
      });
      const old = local.process;
      const exited = new Promise((resolve) => old.once('exit', resolve));
      local.signal('SIGKILL');
      await lost;
      // The fixture restarts the agent when the old one has exited.
      await exited;
      await local.waitReady();
      const again = await planner.send(session, planner.prepare(parseCallLine('guest-ping')));
      expect(again.status).toBe('ok');
      expect(infos).toHaveLength(2);
    } finally {
      await local.stop();
    }
  });

  it('takes no-reply from the schema for session calls made directly', () => {
    const planner = new CallPlanner(lookup, undefined);
    const isNoReply = planner.sessionOptions().isNoReply!;
    expect(isNoReply('guest-shutdown')).toBe(true);
    expect(isNoReply('guest-suspend-hybrid')).toBe(true);
    expect(isNoReply('guest-ping')).toBe(false);
    expect(planner.prepare(parseCallLine('guest-suspend-ram')).options.noReply).toBe(true);
    expect(planner.prepare(parseCallLine('guest-get-time')).options.noReply).toBe(false);
  });
});
