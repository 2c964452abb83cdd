// `qemu-host replay FILE`: send a transcript's requests to a guest one by one and show
// where the replies differ from the recorded ones.
import type { Command } from 'commander';
import { UsageError, asQemuHostError } from '../../protocol/errors.js';
import { stringifyJson } from '../../protocol/json.js';
import { parsePattern } from '../../verbs/transcript/json-path.js';
import { TranscriptReader } from '../../verbs/transcript/read-transcript.js';
import { Replayer } from '../../verbs/transcript/replay.js';
import { callReport, replayExitCode, summaryReport } from '../../verbs/transcript/replay-report.js';
import { scanTranscript, type TranscriptScan } from '../../verbs/transcript/replay-scan.js';
import { VOLATILE_PATHS } from '../../verbs/transcript/volatile.js';
import { contextFrom, openSession, requireEndpoint, type CliContext, type GlobalOptions } from '../context.js';
import { printError } from '../output.js';
import { plannerFor } from '../prepare.js';
import { EXIT_INTERRUPTED } from './verb-cli.js';
import { confirm, interactive } from './verb-confirm.js';

interface ReplayOptions {
  json?: boolean;
  ignore: string[];
  strict?: boolean;
}

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('send the requests of a transcript (--record FILE) to a guest and show where the replies differ')
    .argument('<file>', 'a transcript written by qemu-host --record')
    .option('--json', 'one JSON object per call, then a summary line')
    .option('--ignore <[command:]path>', 'do not count differences at this reply path, e.g. return.pid or guest-info:return.version (repeatable; * and [*] match any key or index)', collect, [])
    .option('--strict', 'no built-in volatile paths (clocks, counters) and no timing allowance for exec polls: only --ignore')
    .addHelpText('after', `
Exit status: 0 when every reply matches, 1 when any differs, 2 for bad input (nothing sent),
3 when the agent cannot be reached or is lost. Commands that change the guest need --yes
(or a yes at the terminal); --read-only skips them. Requests whose secret was not recorded
(guest-set-user-password) are never sent. Handles from guest-file-open and pids from
guest-exec are mapped to the ones the replay gets.
Built-in volatile paths (ignored, and listed, unless --strict):
  ${VOLATILE_PATHS.join('\n  ')}`)
    .action(async (file: string, opts: ReplayOptions, cmd: Command) => {
      const globals = cmd.parent?.opts<GlobalOptions>() ?? {};
      process.exitCode = await runReplay({ ...globals, json: globals.json === true || opts.json === true }, file, opts);
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export async function runReplay(globals: GlobalOptions, file: string, opts: ReplayOptions): Promise<number> {
  const ctx = contextFrom(globals);
  let changes: 'send' | 'skip';
  let scan: TranscriptScan;
  const patterns = [];
  try {
    for (const text of opts.ignore) patterns.push(parsePattern(text));
    scan = await scanTranscript(file);
    requireEndpoint(globals);
    changes = await decideChanges(ctx, scan);
  } catch (err) {
    return printError(ctx, err);
  }
  const planner = await plannerFor(ctx);
  const session = openSession(requireEndpoint(globals), planner.sessionOptions());
  const replayer = new Replayer(session, {
    ignore: patterns,
    strict: opts.strict === true,
    timeoutMs: ctx.timeoutMs,
    changes,
    onCall: (call) => ctx.stdout.write(ctx.json ? `${stringifyJson(call)}\n` : `${callReport(call).join('\n')}\n`),
  });
  let interrupted = false;
  const onSigint = (): void => {
    interrupted = true;
    replayer.stop();
    session.cancel();
  };
  process.on('SIGINT', onSigint);
  try {
    await session.connect(ctx.timeoutMs === undefined ? {} : { timeoutMs: ctx.timeoutMs });
    if (!ctx.json) ctx.stdout.write(`${introduction(file, scan, session.transport.description)}\n`);
    const reader = new TranscriptReader(file);
    const summary = await replayer.replay(reader.entries());
    const agents = { recorded: [...replayer.recordedAgents], replayed: replayer.replayedAgent };
    if (ctx.json) {
      ctx.stdout.write(`${stringifyJson({ summary, agents, notes: reader.notes })}\n`);
    } else {
      for (const note of reader.notes) ctx.stdout.write(`note: ${note}\n`);
      if (agents.replayed && agents.recorded.length > 0 && !agents.recorded.includes(agents.replayed)) {
        ctx.stdout.write(`note: recorded against qemu-ga ${agents.recorded.join(', ')}; replayed against qemu-ga ${agents.replayed}\n`);
      }
      ctx.stdout.write(`${summaryReport(summary).join('\n')}\n`);
    }
    return interrupted ? EXIT_INTERRUPTED : replayExitCode(summary);
  } catch (err) {
    return printError(ctx, asQemuHostError(err));
  } finally {
    process.off('SIGINT', onSigint);
    session.close();
  }
}

function introduction(file: string, scan: TranscriptScan, endpoint: string): string {
  const recorded = `recorded on ${scan.endpoints.join(', ')}${scan.agents.length > 0 ? ` (qemu-ga ${scan.agents.join(', ')})` : ''}`;
  return `replaying ${file}: ${scan.runs} run${scan.runs === 1 ? '' : 's'}, ${scan.calls} call${scan.calls === 1 ? '' : 's'}, ${recorded}, on ${endpoint}`;
}

/** Commands that change the guest: skipped with --read-only, sent with --yes, else asked about once. */
async function decideChanges(ctx: CliContext, scan: TranscriptScan): Promise<'send' | 'skip'> {
  if (scan.changes.length === 0) return 'send';
  if (ctx.options.readOnly) return 'skip';
  if (ctx.options.yes) return 'send';
  const n = scan.changes.length;
  const list = scan.changes.slice(0, 20).map((c) => `  line ${c.lineNo}  ${c.execute}: ${c.change}`);
  if (n > 20) list.push(`  … and ${n - 20} more`);
  if (!interactive()) {
    throw new UsageError(`the transcript has ${n} command${n === 1 ? '' : 's'} that change${n === 1 ? 's' : ''} the guest (line ${scan.changes[0]!.lineNo}: ${scan.changes[0]!.execute} ${scan.changes[0]!.change}), and there is no terminal to confirm on; nothing was sent`, {
      hint: 'Add --yes to send them, or --read-only to replay the rest without them.',
    });
  }
  ctx.stderr.write(`This transcript has ${n} command${n === 1 ? '' : 's'} that change${n === 1 ? 's' : ''} the guest:\n${list.join('\n')}\n`);
  const yes = await confirm(`Send ${n === 1 ? 'it' : 'them'}? (--read-only replays the rest without them)`, false, 'replay');
  if (!yes) throw new UsageError('replay not confirmed; nothing was sent', { hint: 'Add --read-only to replay without the commands that change the guest.' });
  return 'send';
}
