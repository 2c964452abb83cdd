// What the broker knows about the agent behind it: its version and which commands it has
// (enabled or not, replying or not), from guest-info asked once per connection. The
// shipped schema fills in for commands the agent does not describe.
import { asQemuHostError } from '../protocol/errors.js';
import { isJsonObject, type JsonValue } from '../protocol/json.js';
import { SchemaLookup } from '../schema/lookup.js';
import { loadShippedSchema } from '../schema/shipped.js';
import type { Session } from '../session/session.js';

export interface AgentCommand {
  name: string;
  enabled: boolean;
  /** False for commands that send no reply on success. */
  successResponse: boolean;
}

export class AgentFacts {
  version: string | undefined;
  /** Commands as guest-info listed them, by name; undefined until it answered. */
  commands: Map<string, AgentCommand> | undefined;
  private lookupValue: SchemaLookup | undefined;

  /** The shipped schema, loaded on first use. */
  get schema(): SchemaLookup {
    this.lookupValue ??= new SchemaLookup(loadShippedSchema());
    return this.lookupValue;
  }

  /** Whether `command` sends no reply on success: the agent's word first, then the schema's. */
  sendsNoReply(command: string): boolean | undefined {
    const own = this.commands?.get(command);
    if (own) return !own.successResponse;
    const def = this.schema.command(command);
    return def ? !def.successResponse : undefined;
  }

  /** Asks guest-info after every (re)connect, and keeps the answer. */
  follow(session: Session, log: (line: string) => void): void {
    let stale = true;
    session.on('state', (change) => {
      if (change.state === 'connecting') stale = true;
      if (change.state !== 'ready' || !stale) return;
      stale = false;
      session.call('guest-info').then(
        (result) => {
          if (result.status !== 'ok') return;
          this.learn(result.value);
          if (isJsonObject(result.value) && typeof result.value.version === 'string') {
            session.noteAgentInfo({ version: result.value.version, supported: result.value.supported_commands ?? [] });
          }
          const all = this.commands ? [...this.commands.values()] : [];
          const disabled = all.filter((c) => !c.enabled).length;
          log(`agent ready on ${session.transport.description}: qemu-ga ${this.version ?? '?'}, ` +
            `${all.length} commands (${disabled} disabled)`);
        },
        (err: unknown) => log(`guest-info failed: ${asQemuHostError(err).message}`),
      );
    });
  }

  learn(info: JsonValue): void {
    if (!isJsonObject(info)) return;
    if (typeof info.version === 'string') this.version = info.version;
    if (!Array.isArray(info.supported_commands)) return;
    const commands = new Map<string, AgentCommand>();
    for (const entry of info.supported_commands) {
      if (!isJsonObject(entry) || typeof entry.name !== 'string') continue;
      commands.set(entry.name, {
        name: entry.name,
        enabled: entry.enabled !== false,
        successResponse: entry['success-response'] !== false,
      });
    }
    this.commands = commands;
  }
}
