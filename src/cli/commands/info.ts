// `qemu-host info [--json]`: one overview of the guest from every read-only command the
// agent will answer, as tables, or one JSON object.
import type { Command } from 'commander';
import { stringifyJson } from '../../protocol/json.js';
import { gatherInfo } from '../../verbs/info/gather.js';
import { overviewText } from '../../verbs/info/info-text.js';
import { overviewOf } from '../../verbs/info/overview.js';
import { contextFrom, openSession, requireEndpoint, type GlobalOptions } from '../context.js';
import { printError } from '../output.js';
import { StatusLine } from './verb-cli.js';

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('an overview of the guest: OS, host name, clock, users, vCPUs, memory, filesystems, disks, network, agent')
    .option('--json', 'one JSON object instead of tables')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const globals = cmd.parent?.opts<GlobalOptions>() ?? {};
      process.exitCode = await runInfo({ ...globals, json: globals.json === true || opts.json === true });
    });
}

export async function runInfo(globals: GlobalOptions): Promise<number> {
  const ctx = contextFrom(globals);
  const session = openSession(requireEndpoint(globals));
  const status = new StatusLine(process.stderr, !ctx.json);
  try {
    const info = await gatherInfo(session, {
      callTimeoutMs: ctx.timeoutMs,
      onStep: (command, i, n) => status.show(`asking ${command} (${i + 1}/${n})…`),
    });
    status.clear();
    const overview = overviewOf(info);
    ctx.stdout.write(ctx.json ? `${stringifyJson(overview)}\n` : overviewText(overview));
    return 0;
  } catch (err) {
    status.clear();
    return printError(ctx, err);
  } finally {
    session.close();
  }
}
