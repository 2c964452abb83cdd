// What the connected agent can actually run, merged with what the schema describes.
// The agent has no introspection beyond guest-info, which lists every command it was
// built with, whether its policy leaves each one enabled, and whether it replies on
// success. Put next to the schema, every command is one of:
//   enabled          the agent has it and will run it
//   disabled         the agent has it, but -b/--block-rpcs (or --allow-rpcs, or a build
//                    that lacks it for the guest's OS) switched it off
//   unknown-to-agent the schema has it, this agent does not (older, or another platform)
//   not-in-schema    the agent has it, the schema does not (a newer agent than the schema)
import { AgentError, CommandDisabledError, ProtocolError } from '../protocol/errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../protocol/json.js';
import type { SchemaLookup } from './lookup.js';
import type { CommandDef } from './model.js';
import { platformsOf, PLATFORMS } from './platforms.js';

export type Availability = 'enabled' | 'disabled' | 'unknown-to-agent' | 'not-in-schema';

export interface AgentCommandInfo {
  name: string;
  enabled: boolean;
  successResponse: boolean;
}

/** guest-info's answer, read. */
export interface AgentInfo {
  version: string;
  /** By name, in the agent's order. */
  commands: ReadonlyMap<string, AgentCommandInfo>;
}

/** One command as the merged view sees it. */
export interface CommandView {
  name: string;
  availability: Availability;
  /** The schema's definition, unless not-in-schema. */
  def?: CommandDef;
  /** The agent's entry, unless unknown-to-agent. */
  agent?: AgentCommandInfo;
}

/** Reads a guest-info return value. Throws ProtocolError when it is not shaped like one. */
export function parseAgentInfo(value: JsonValue): AgentInfo {
  if (!isJsonObject(value) || typeof value.version !== 'string' || !Array.isArray(value.supported_commands)) {
    throw new ProtocolError('guest-info did not return {"version", "supported_commands"}', { received: value });
  }
  const commands = new Map<string, AgentCommandInfo>();
  for (const entry of value.supported_commands) {
    if (!isJsonObject(entry) || typeof entry.name !== 'string') continue;
    commands.set(entry.name, {
      name: entry.name,
      enabled: entry.enabled !== false,
      successResponse: entry['success-response'] !== false,
    });
  }
  return { version: value.version, commands };
}

export class Capabilities {
  readonly lookup: SchemaLookup;
  readonly agent: AgentInfo;

  constructor(lookup: SchemaLookup, agent: AgentInfo) {
    this.lookup = lookup;
    this.agent = agent;
  }

  get version(): string {
    return this.agent.version;
  }

  availability(command: string): Availability {
    const entry = this.agent.commands.get(command);
    if (!entry) return 'unknown-to-agent';
    if (!this.lookup.command(command)) return 'not-in-schema';
    return entry.enabled ? 'enabled' : 'disabled';
  }

  /** Whether the agent will run it, whatever the schema says. */
  canRun(command: string): boolean {
    return this.agent.commands.get(command)?.enabled === true;
  }

  view(command: string): CommandView {
    const def = this.lookup.command(command);
    const agent = this.agent.commands.get(command);
    return {
      name: command,
      availability: this.availability(command),
      ...(def ? { def } : {}),
      ...(agent ? { agent } : {}),
    };
  }

  /** Every command: the schema's in schema order, then the agent's extra ones by name. */
  all(): CommandView[] {
    const views = this.lookup.commands().map((def) => this.view(def.name));
    const extra = [...this.agent.commands.keys()].filter((name) => !this.lookup.command(name)).sort();
    return [...views, ...extra.map((name) => this.view(name))];
  }

  /** What the agent itself says about replying on success, when it lists the command. */
  sendsNoReply(command: string): boolean | undefined {
    const entry = this.agent.commands.get(command);
    return entry === undefined ? undefined : !entry.successResponse;
  }

  /**
   * Throws, before anything is sent, when the agent will refuse `command`: disabled by its
   * policy (CommandDisabledError) or not known to it (AgentError CommandNotFound). Both
   * exit 1, as the agent's own refusal would.
   */
  check(command: string): void {
    const availability = this.availability(command);
    const agentName = `qemu-ga ${this.version}`;
    if (availability === 'disabled') {
      const err = new CommandDisabledError('CommandNotFound', `Command ${command} has been disabled`, {
        hint: 'Its policy blocks it: restart qemu-ga without it in -b/--block-rpcs (or add it to --allow-rpcs; ' +
          'on RHEL-family guests see BLOCK_RPCS / FILTER_RPC_ARGS in /etc/sysconfig/qemu-ga).' +
          platformNote(this.lookup.command(command)),
      });
      err.message = `${command} is disabled on this agent (${agentName}, per guest-info); nothing was sent`;
      throw err;
    }
    if (availability === 'unknown-to-agent') {
      const def = this.lookup.command(command);
      const err = new AgentError('CommandNotFound', `The command ${command} has not been found`, {
        hint: unknownHint(command, def, this.version),
      });
      err.message = `${command} is not known to this agent (${agentName}, per guest-info)${addedIn(def, this.version)}; nothing was sent`;
      throw err;
    }
  }
}

/** ", which added it in QEMU 10.0" when the schema knows and the agent is older. */
function addedIn(def: CommandDef | undefined, agentVersion: string): string {
  if (!def?.since) return '';
  return compareVersions(agentVersion, def.since) < 0 ? `: it was added in QEMU ${def.since}` : '';
}

function unknownHint(command: string, def: CommandDef | undefined, agentVersion: string): string {
  if (def?.since && compareVersions(agentVersion, def.since) < 0) {
    return `Upgrade the guest's qemu-guest-agent to ${def.since} or newer to use ${command}.`;
  }
  const where = platformNote(def).trim();
  return `This agent was built without ${command}, most likely because the guest's OS does not offer it.${where ? ` ${where}` : ''}`;
}

/** " The schema has it only for linux and windows." when its `if` narrows the platforms. */
function platformNote(def: CommandDef | undefined): string {
  if (!def?.if) return '';
  const platforms = platformsOf(def.if);
  if (platforms.length === PLATFORMS.length || platforms.length === 0) return '';
  return ` The schema has it only for ${platforms.join(' and ')} guests.`;
}

/** Numeric comparison of dotted versions: "7.2.22" < "10.0". */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((p) => Number.parseInt(p, 10) || 0);
  const pb = b.split('.').map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The part of a Session that learning capabilities needs. */
export interface InfoSession {
  call(execute: string, args?: JsonObject, options?: { timeoutMs?: number }): Promise<
    { status: 'ok'; value: JsonValue } | { status: 'no-reply' }
  >;
  noteAgentInfo(info: { version: string; supported: JsonValue }): void;
}

/**
 * Asks the agent guest-info once and merges the answer with the schema. Returns undefined
 * when the agent refuses guest-info (its policy can block even that); connection and
 * timeout errors propagate, since the command that follows would meet them too.
 */
export async function learnCapabilities(
  session: InfoSession,
  lookup: SchemaLookup,
  options: { timeoutMs?: number } = {},
): Promise<Capabilities | undefined> {
  let value: JsonValue;
  try {
    const result = await session.call('guest-info', undefined, options);
    if (result.status !== 'ok') return undefined;
    value = result.value;
  } catch (err) {
    if (err instanceof AgentError) return undefined;
    throw err;
  }
  const info = parseAgentInfo(value);
  const supported = isJsonObject(value) ? value.supported_commands ?? [] : [];
  session.noteAgentInfo({ version: info.version, supported });
  return new Capabilities(lookup, info);
}
