// What `qemu-host replay` does (declared in replay.ts, loaded when it runs).
import { UsageError, asQemuHostError } from '../../protocol/errors.js';
import { stringifyJson } from '../../protocol/json.js';
import { parsePattern } from '../../verbs/transcript/json-path.js';
import { TranscriptReader } from '../../verbs/transcript/read-transcript.js';
import { Replayer } from '../../verbs/transcript/replay.js';
import { callReport, replayExitCode, summaryReport } from '../../verbs/transcript/replay-report.js';
import { scanTranscript, type TranscriptScan } from '../../verbs/transcript/replay-scan.js';
import { contextFrom, openSession, requireEndpoint, type CliContext, type GlobalOptions } from '../context.js';
import { printError } from '../output.js';
import { plannerFor } from '../prepare.js';
import { EXIT_INTERRUPTED } from './verb-cli.js';
import { confirm, interactive } from './verb-confirm.js';
import type { ReplayOptions } from './replay.js';

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
