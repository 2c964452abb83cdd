// Turns a parsed call into what the session sends, and sends it. This is where the
// schema checks arguments before anything reaches the agent, and where what the live
// agent said about itself (guest-info) stops a call it would refuse anyway.
//
// The schema is the shipped one unless --schema names a QAPI file (plain or .gz), or
// `debian` for the one Debian's qemu-guest-agent package installs.
import { existsSync } from 'node:fs';
import { UsageError, asQemuHostError, type QemuHostError } from '../protocol/errors.js';
import type { JsonObject } from '../protocol/json.js';
import { sendsNoReply } from '../schema/annotations.js';
import type { ParsedCall } from '../schema/call-syntax.js';
import { learnCapabilities, type Capabilities } from '../schema/capabilities.js';
import { SchemaLookup } from '../schema/lookup.js';
import { loadShippedSchema } from '../schema/shipped.js';
import { validateCall } from '../schema/validate.js';
import type { CallOptions, CallResult, Session, SessionOptions } from '../session/session.js';
import { KNOWN_NO_REPLY_COMMANDS } from '../session/timeouts.js';
import type { CliContext } from './context.js';

export interface PreparedCall {
  command: string;
  args: JsonObject | undefined;
  options: CallOptions;
}

/** Where Debian's qemu-guest-agent package puts QEMU's own schema. */
export const DEBIAN_SCHEMA = '/usr/share/doc/qemu-guest-agent/qapi-schema.json.gz';

/** Reads the schema --schema names (a QAPI file, or `debian`); the shipped one without it. */
export async function loadSchema(spec: string | undefined): Promise<SchemaLookup> {
  if (spec === undefined || spec === '') return new SchemaLookup(loadShippedSchema());
  const debian = spec === 'debian';
  const path = debian ? DEBIAN_SCHEMA : spec;
  if (!existsSync(path)) {
    throw new UsageError(
      debian ? `--schema debian: ${DEBIAN_SCHEMA} is not installed` : `--schema: no such file ${path}`,
      {
        hint: debian
          ? "Install Debian's qemu-guest-agent package (apt-get install qemu-guest-agent), or give the path of a QAPI schema file."
          : 'Give a guest-agent QAPI schema file (qga/qapi-schema.json, plain or .gz), or debian.',
      },
    );
  }
  // The QAPI reader is only loaded when a file is given; the shipped schema needs none of it.
  const { readQapiFile } = await import('../schema/qapi/read.js');
  let lookup: SchemaLookup;
  try {
    lookup = new SchemaLookup(await readQapiFile(path));
  } catch (err) {
    throw new UsageError(`--schema ${spec}: ${(err as Error).message}`, {
      hint: 'Give a guest-agent QAPI schema file (qga/qapi-schema.json, plain or .gz).',
      cause: err,
    });
  }
  if (lookup.commands().length === 0) {
    throw new UsageError(`--schema ${spec}: the file defines no commands`, { hint: 'Is it a guest-agent schema (qga/qapi-schema.json)?' });
  }
  return lookup;
}

/**
 * Checks and sends calls for one CLI run: validation against the schema, the no-reply
 * and timeout options, and a check against the live agent's guest-info, asked once per
 * connection.
 */
export class CallPlanner {
  readonly lookup: SchemaLookup;
  private readonly timeoutMs: number | undefined;
  private readonly learned = new WeakMap<Session, Promise<Capabilities | undefined>>();
  /** Answers already in, so that calls after the first need not wait a tick for them. */
  private readonly known = new WeakMap<Session, { caps: Capabilities | undefined }>();
  private readonly watched = new WeakSet<Session>();

  constructor(lookup: SchemaLookup, timeoutMs: number | undefined) {
    this.lookup = lookup;
    this.timeoutMs = timeoutMs;
  }

  /** Validates (unless raw) and builds what to send. Throws ArgumentError: nothing is sent. */
  prepare(parsed: ParsedCall): PreparedCall {
    const args = validateCall(this.lookup, parsed);
    const options: CallOptions = { noReply: this.noReply(parsed.command) };
    if (this.timeoutMs !== undefined) options.timeoutMs = this.timeoutMs;
    if (parsed.raw) options.raw = parsed.raw;
    return { command: parsed.command, args, options };
  }

  /** Session options that follow the schema (success-response) for calls made directly. */
  sessionOptions(): SessionOptions {
    return { isNoReply: (command) => this.noReply(command) };
  }

  private noReply(command: string): boolean {
    return sendsNoReply(this.lookup, command) ?? KNOWN_NO_REPLY_COMMANDS.has(command);
  }

  /**
   * What the agent behind `session` can run, from one guest-info per connection.
   * Undefined when the agent refuses guest-info. Rejects when the agent cannot be reached.
   */
  capabilities(session: Session): Promise<Capabilities | undefined> {
    this.watch(session);
    let learning = this.learned.get(session);
    if (!learning) {
      const attempt = learnCapabilities(session, this.lookup, this.timeoutMs === undefined ? {} : { timeoutMs: this.timeoutMs });
      // Attached first, so it runs before any caller waiting on the same answer.
      attempt.then(
        (caps) => {
          if (this.learned.get(session) === attempt) this.known.set(session, { caps });
        },
        // A failed attempt is not remembered: the next call asks again.
        () => {
          if (this.learned.get(session) === attempt) this.learned.delete(session);
        },
      );
      this.learned.set(session, attempt);
      learning = attempt;
    }
    return learning;
  }

  /**
   * Sends a prepared call. The first call on a connection asks guest-info first, and a
   * command the agent has disabled or does not know is refused before it is sent. Raw
   * calls skip the check. Calls made in order are sent in order: once the answer is
   * known, a call goes to the session at once; before, it waits behind the earlier ones.
   */
  send(session: Session, prepared: PreparedCall): Promise<CallResult> {
    const known = this.known.get(session);
    if (known) {
      try {
        return this.dispatch(session, prepared, known.caps);
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return this.capabilities(session).then(
      (caps) => this.dispatch(session, prepared, caps),
      (err: unknown) => {
        throw notSent(asQemuHostError(err), prepared.command);
      },
    );
  }

  private dispatch(session: Session, prepared: PreparedCall, caps: Capabilities | undefined): Promise<CallResult> {
    let { options } = prepared;
    if (caps && !options.raw) {
      caps.check(prepared.command);
      const agentSays = caps.sendsNoReply(prepared.command);
      if (agentSays !== undefined && options.noReply !== agentSays) options = { ...options, noReply: agentSays };
    }
    return session.call(prepared.command, prepared.args, options);
  }

  /** Forgets what the agent said once the connection is lost: a restarted agent may differ. */
  private watch(session: Session): void {
    if (this.watched.has(session)) return;
    this.watched.add(session);
    session.on('state', (change) => {
      if (change.state !== 'disconnected' || change.error === undefined) return;
      this.learned.delete(session);
      this.known.delete(session);
    });
  }
}

/** The guest-info asked first went wrong: say that the user's command was not sent. */
function notSent(err: QemuHostError, command: string): QemuHostError {
  const sent = err.sent as { execute?: unknown } | undefined;
  // Calls queued behind one probe share its error: word it once, for all of them.
  if (sent?.execute === 'guest-info' && command !== 'guest-info' && !err.message.endsWith(PROBE_NOTE)) {
    err.message += PROBE_NOTE;
  }
  return err;
}

const PROBE_NOTE = ' (guest-info is asked first, to learn what the agent supports; the command itself was not sent)';

const planners = new WeakMap<CliContext, Promise<CallPlanner>>();

/** The planner for this CLI run (its --schema loaded once). */
export function plannerFor(ctx: CliContext): Promise<CallPlanner> {
  let planner = planners.get(ctx);
  if (!planner) {
    planner = loadSchema(ctx.options.schema).then((lookup) => new CallPlanner(lookup, ctx.timeoutMs));
    planners.set(ctx, planner);
  }
  return planner;
}
