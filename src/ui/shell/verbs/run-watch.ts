// :watch: repeats a read-only command through the watch verb until stopped (Ctrl+C, Esc
// or `:watch` alone), or --count ticks; each tick replaces the entry's series.
import { watchCommand } from '../../../verbs/watch/watch.js';
import type { VerbRun } from './verb-context.js';
import type { WatchBody } from './verb-item.js';
import type { VerbRequest } from './verb-plan.js';

export function watchRun(request: Extract<VerbRequest, { verb: 'watch' }>, typed: string): VerbRun {
  return async (ctx) => {
    let body: WatchBody = { verb: 'watch', command: typed, everyMs: request.everyMs };
    ctx.show(body);
    const ticks = watchCommand(ctx.session, request.command, request.args, {
      everyMs: request.everyMs,
      signal: ctx.signal,
      ...(request.count === undefined ? {} : { count: request.count }),
      ...(ctx.callTimeoutMs === undefined ? {} : { callTimeoutMs: ctx.callTimeoutMs }),
    });
    for await (const tick of ticks) {
      body = {
        ...body,
        tick: {
          n: tick.n, at: tick.at, ms: tick.ms,
          ...(tick.value === undefined ? {} : { value: tick.value }),
          ...(tick.error ? { error: `${tick.error.errorClass}: ${tick.error.desc}` } : {}),
          // The tracker keeps adding to its series: the entry holds a copy.
          series: tick.series.map((s) => ({ ...s, points: [...s.points] })),
        },
      };
      ctx.show(body);
    }
    // Stopping is how a watch normally ends: the entry says "stopped", not an error.
    if (ctx.signal.aborted) return { body, phase: 'cancelled' };
    return { body };
  };
}
