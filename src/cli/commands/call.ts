// `qemu-host call COMMAND [ARGS...]`: one command, its return value on stdout.
import type { Command } from 'commander';
import { AgentError, asQemuHostError } from '../../protocol/errors.js';
import { isJsonObject, stringifyJson, type JsonObject } from '../../protocol/json.js';
import { confirmChange } from '../confirm.js';
import { withoutId } from '../../protocol/messages.js';
import { parseCallWords } from '../../schema/call-syntax.js';
import { contextFrom, openSession, requireEndpoint, type GlobalOptions } from '../context.js';
import { printError, printValue } from '../output.js';
import { plannerFor } from '../prepare.js';
import { fillSecretArgs } from '../secret-args.js';

export function registerCall(program: Command): void {
  program
    .command('call')
    .description('send one command to the agent and print its return value')
    .argument('<command>', 'the agent command, e.g. guest-info')
    .argument('[args...]', 'key=value pairs (values are JSON when they parse; dotted keys nest) or one JSON object')
    .option('--raw', 'send the command and arguments as given, without checking them against the schema or the agent')
    .option('--copy-as <kind>', 'send nothing: print the request as a virsh (virsh:DOMAIN) or socat line to paste elsewhere')
    .action(async (command: string, words: string[], _opts: unknown, cmd: Command) => {
      process.exitCode = await runCall(cmd.optsWithGlobals<GlobalOptions & { raw?: boolean; copyAs?: string }>(), command, words);
    });
}

export async function runCall(options: GlobalOptions & { raw?: boolean; copyAs?: string }, command: string, words: string[]): Promise<number> {
  const ctx = contextFrom(options);
  // Everything that can be wrong with the input is found before connecting.
  const planner = await plannerFor(ctx);
  const parsed = parseCallWords(command, words);
  try {
    await fillSecretArgs(parsed);
  } catch (err) {
    return printError(ctx, err);
  }
  if (options.raw) parsed.raw = { execute: command, ...(parsed.args === undefined ? {} : { arguments: parsed.args }) };
  const prepared = planner.prepare(parsed);
  if (options.copyAs !== undefined) {
    // Loaded only for --copy-as (it needs node:crypto, which a plain call never loads).
    const { copyAsLine, printCopied } = await import('../copy-as-cli.js');
    printCopied(ctx, copyAsLine(ctx, options.copyAs, prepared, prepared.options.noReply === true));
    return 0;
  }
  await confirmChange(options, prepared.command, prepared.args ?? (parsed.raw?.arguments as JsonObject | undefined), { mayAsk: true });
  const session = openSession(requireEndpoint(options), planner.sessionOptions());
  try {
    const result = await planner.send(session, prepared);
    if (result.status === 'no-reply') {
      if (ctx.json) ctx.stdout.write(`${stringifyJson({ 'no-reply': result.detail })}\n`);
      else ctx.stdout.write(`${result.detail}\n`);
    } else {
      printValue(ctx, result.value);
    }
    return 0;
  } catch (thrown) {
    const err = asQemuHostError(thrown);
    if (ctx.json && err instanceof AgentError && err.received !== undefined) {
      ctx.stdout.write(`${stringifyJson(isJsonObject(err.received) ? withoutId(err.received) : err.received)}\n`);
    }
    return printError(ctx, err);
  } finally {
    session.close();
  }
}
