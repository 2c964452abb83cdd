// `qemu-host commands [--json]`: every command the schema knows, with its summary. With
// an agent socket (-s, --tcp or QEMU_HOST_SOCKET) each is marked with what that agent
// says about it (guest-info): enabled, disabled, or unknown to it; commands the agent
// has and the schema lacks are listed too. Without a socket the list needs no agent.
import type { Command } from 'commander';
import { AgentError, asQemuHostError, type QemuHostError } from '../../protocol/errors.js';
import { stringifyJson, type JsonValue } from '../../protocol/json.js';
import { mayChangeGuest } from '../../schema/annotations.js';
import type { Availability, Capabilities, CommandView } from '../../schema/capabilities.js';
import { contextFrom, endpointFrom, openSession, type CliContext, type GlobalOptions } from '../context.js';
import { plannerFor, type CallPlanner } from '../prepare.js';

export function registerCommands(program: Command): void {
  program
    .command('commands')
    .description('list the agent commands with a summary; marked enabled/disabled/unknown when an agent socket is given')
    .option('--json', 'one JSON object for machines')
    .option('--schema <file>', "a guest-agent QAPI schema file (plain or .gz), or 'debian'")
    .action(async (_opts: unknown, cmd: Command) => {
      process.exitCode = await runCommands(cmd.optsWithGlobals<GlobalOptions>());
    });
}

const MARKS: Record<Availability, string> = {
  enabled: 'enabled',
  disabled: 'disabled',
  'unknown-to-agent': 'unknown',
  'not-in-schema': 'not-in-schema',
};

interface Listing {
  views: CommandView[];
  caps: Capabilities | undefined;
  /** Why there are no marks although a socket was given. */
  problem: QemuHostError | undefined;
  endpoint: string | undefined;
}

export async function runCommands(options: GlobalOptions): Promise<number> {
  const ctx = contextFrom(options);
  const planner = await plannerFor(ctx);
  const listing = await gather(options, planner);
  if (ctx.json) printJson(ctx, planner, listing);
  else printText(ctx, listing);
  if (listing.problem) {
    ctx.stderr.write(`qemu-host: ${listing.problem.describe()}\n  (listed from the schema only, without marks)\n`);
    return listing.problem.exitCode;
  }
  return 0;
}

async function gather(options: GlobalOptions, planner: CallPlanner): Promise<Listing> {
  const endpoint = endpointFrom(options);
  const plain = planner.lookup.commands().map((def): CommandView => ({ name: def.name, availability: 'enabled', def }));
  if (!endpoint) return { views: plain, caps: undefined, problem: undefined, endpoint: undefined };
  const session = openSession(endpoint, planner.sessionOptions());
  try {
    const caps = await planner.capabilities(session);
    if (!caps) {
      const problem = new AgentError('CommandNotFound', `the agent at ${session.transport.description} refused guest-info, so it cannot say what it supports`);
      return { views: plain, caps, problem, endpoint: session.transport.description };
    }
    return { views: caps.all(), caps, problem: undefined, endpoint: session.transport.description };
  } catch (err) {
    return { views: plain, caps: undefined, problem: asQemuHostError(err), endpoint: session.transport.description };
  } finally {
    session.close();
  }
}

function printText(ctx: CliContext, { views, caps, endpoint }: Listing): void {
  const nameWidth = Math.max(...views.map((v) => v.name.length));
  const markWidth = caps ? Math.max(...views.map((v) => MARKS[v.availability].length)) : 0;
  const lines = views.map((view) => {
    const summary = view.def?.doc.summary ?? '(not in the schema: no help for it)';
    const mark = caps ? `${MARKS[view.availability].padEnd(markWidth)}  ` : '';
    return `${view.name.padEnd(nameWidth)}  ${mark}${summary}`.trimEnd();
  });
  ctx.stdout.write(`${lines.join('\n')}\n`);
  if (caps && endpoint) ctx.stderr.write(`${tally(caps, views)} (qemu-ga ${caps.version} at ${endpoint})\n`);
}

function tally(caps: Capabilities, views: CommandView[]): string {
  const count = (a: Availability): number => views.filter((v) => v.availability === a).length;
  const parts = [`${count('enabled')} enabled`, `${count('disabled')} disabled`, `${count('unknown-to-agent')} unknown to the agent`];
  if (count('not-in-schema')) parts.push(`${count('not-in-schema')} not in the schema`);
  return `${views.length} commands: ${parts.join(', ')}`;
}

function printJson(ctx: CliContext, planner: CallPlanner, { views, caps, endpoint }: Listing): void {
  const commands = views.map((view) => {
    const entry: Record<string, JsonValue> = {
      name: view.name,
      summary: view.def?.doc.summary ?? null,
      since: view.def?.since ?? null,
      successResponse: view.def?.successResponse ?? view.agent?.successResponse ?? true,
      changesGuest: mayChangeGuest(view.name),
    };
    if (caps) entry.availability = view.availability;
    return entry;
  });
  const out = {
    schema: planner.lookup.schema.origin,
    agent: caps ? { version: caps.version, endpoint: endpoint ?? null } : null,
    commands,
  };
  ctx.stdout.write(`${stringifyJson(out)}\n`);
}
