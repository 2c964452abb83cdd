// What `qemu-host watch` does (declared in watch.ts, loaded when it runs).
import { UsageError } from '../../protocol/errors.js';
import { stringifyJson } from '../../protocol/json.js';
import { parseCallWords } from '../../schema/call-syntax.js';
import { checkWatchable } from '../../verbs/watch/read-only.js';
import { tickLines } from '../../verbs/watch/watch-text.js';
import { watchCommand } from '../../verbs/watch/watch.js';
import { contextFrom, openSession, requireEndpoint, type GlobalOptions } from '../context.js';
import { printError } from '../output.js';
import { interruptOnSigint, parseDuration } from './verb-cli.js';
import type { WatchOptions } from './watch.js';

export async function runWatch(globals: GlobalOptions, command: string, words: string[], opts: WatchOptions): Promise<number> {
  const ctx = contextFrom(globals);
  let everyMs: number;
  let count: number | undefined;
  let args;
  try {
    checkWatchable(command);
    args = parseCallWords(command, words).args;
    everyMs = parseDuration(opts.every ?? '2', '--every');
    count = opts.count === undefined ? undefined : Number(opts.count);
    if (count !== undefined && !(Number.isInteger(count) && count > 0)) {
      throw new UsageError(`--count takes a whole number above 0, not "${opts.count}"`);
    }
  } catch (err) {
    return printError(ctx, err);
  }
  const session = openSession(requireEndpoint(globals));
  const interrupt = interruptOnSigint();
  const tty = process.stdout.isTTY === true && !ctx.json;
  try {
    for await (const tick of watchCommand(session, command, args, { everyMs, count, signal: interrupt.signal, callTimeoutMs: ctx.timeoutMs })) {
      if (ctx.json) {
        const series = Object.fromEntries(tick.series.map((s) => [s.key, s.last]));
        const line: Record<string, unknown> = { n: tick.n, at: new Date(tick.at).toISOString(), ms: tick.ms };
        if (tick.error) line.error = { class: tick.error.errorClass, desc: tick.error.desc };
        else line.value = tick.value;
        if (tick.series.length) line.series = series;
        ctx.stdout.write(`${stringifyJson(line)}\n`);
        continue;
      }
      const width = tty ? Math.max(10, Math.min(60, (process.stdout.columns || 80) - 40)) : 30;
      const lines = tickLines(command, tick, width);
      // On a terminal, redraw in place like watch(1); elsewhere, one block per call.
      ctx.stdout.write(tty ? `\x1b[H\x1b[2J${lines.join('\n')}\n(every ${everyMs / 1000} s; Ctrl+C stops)\n` : `${lines.join('\n')}\n\n`);
    }
    return 0;
  } catch (err) {
    return printError(ctx, err);
  } finally {
    interrupt.dispose();
    session.close();
  }
}
