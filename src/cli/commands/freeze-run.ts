// What `qemu-host freeze` does (declared in freeze.ts, loaded when it runs).
import { stringifyJson } from '../../protocol/json.js';
import { FROZEN_REMINDER, freezeFilesystems, freezeStatus, frozenBanner, thawFilesystems } from '../../verbs/freeze/freeze.js';
import type { VerbSession } from '../../verbs/verb-session.js';
import { contextFrom, openSession, requireEndpoint, type CliContext, type GlobalOptions } from '../context.js';
import { printError } from '../output.js';
import { confirm, interactive } from './verb-confirm.js';
import { StatusLine, parseDuration } from './verb-cli.js';
import type { FreezeOptions } from './freeze.js';

export async function runFreeze(globals: GlobalOptions, mountpoints: string[], opts: FreezeOptions): Promise<number> {
  const ctx = contextFrom(globals);
  let holdMs: number | undefined;
  try {
    if (opts.for !== undefined) holdMs = parseDuration(opts.for, '--for');
  } catch (err) {
    return printError(ctx, err);
  }
  const session = openSession(requireEndpoint(globals));
  const callOpts = { callTimeoutMs: ctx.timeoutMs };
  try {
    if (opts.status) {
      const status = await freezeStatus(session, callOpts);
      ctx.stdout.write(ctx.json ? `${stringifyJson({ status })}\n` : `${status}\n`);
      return 0;
    }
    const what = mountpoints.length ? mountpoints.join(', ') : "every guest filesystem";
    if (!(await confirm(`Freeze ${what}? Writes in the guest will block until thawed.`, opts.yes, 'freeze'))) {
      ctx.stderr.write('qemu-host: not frozen\n');
      return 0;
    }
    const frozenAt = performance.now();
    const count = await freezeFilesystems(session, mountpoints, callOpts);
    const hold = holdMs !== undefined || (interactive() && !opts.leaveFrozen && !opts.yes);
    if (ctx.json && !hold) ctx.stdout.write(`${stringifyJson({ frozen: count })}\n`);
    ctx.stderr.write(`qemu-host: ${frozenBanner(0, count, `frozen at ${new Date().toISOString().slice(11, 19)}`)}\n  ${FROZEN_REMINDER}\n`);
    if (!hold) return 0;
    const thawed = await holdThenThaw(ctx, session, count, frozenAt, holdMs);
    if (ctx.json) ctx.stdout.write(`${stringifyJson({ frozen: count, thawed })}\n`);
    return 0;
  } catch (err) {
    return printError(ctx, err);
  } finally {
    session.close();
  }
}

/** Shows the timer until Enter, Ctrl+C or the --for time, then thaws. */
async function holdThenThaw(ctx: CliContext, session: VerbSession, count: number, frozenAt: number, holdMs: number | undefined): Promise<number> {
  const status = new StatusLine(process.stderr, true);
  const tail = holdMs === undefined ? 'press Enter or Ctrl+C to thaw' : `thaws by itself in ${Math.round(holdMs / 1000)} s (Enter or Ctrl+C: now)`;
  await new Promise<void>((resolve) => {
    const draw = (): void => status.show(frozenBanner(performance.now() - frozenAt, count, tail));
    draw();
    const timer = setInterval(draw, 1000);
    const deadline = holdMs === undefined ? undefined : setTimeout(done, holdMs);
    const onData = (): void => done();
    process.on('SIGINT', done);
    if (process.stdin.isTTY) process.stdin.on('data', onData).resume();
    function done(): void {
      clearInterval(timer);
      clearTimeout(deadline);
      process.off('SIGINT', done);
      process.stdin.off('data', onData).pause();
      resolve();
    }
  });
  status.clear();
  const thawed = await thawFilesystems(session, { callTimeoutMs: ctx.timeoutMs });
  const seconds = ((performance.now() - frozenAt) / 1000).toFixed(1);
  ctx.stderr.write(`qemu-host: thawed ${thawed} filesystem${thawed === 1 ? '' : 's'} after ${seconds} s frozen\n`);
  return thawed;
}
