// What `qemu-host thaw` does (declared in thaw.ts, loaded when it runs).
import { stringifyJson } from '../../protocol/json.js';
import { thawFilesystems } from '../../verbs/freeze/freeze.js';
import { contextFrom, openSession, requireEndpoint, type GlobalOptions } from '../context.js';
import { printError } from '../output.js';

export async function runThaw(globals: GlobalOptions): Promise<number> {
  const ctx = contextFrom(globals);
  const session = openSession(requireEndpoint(globals));
  try {
    const thawed = await thawFilesystems(session, { callTimeoutMs: ctx.timeoutMs });
    if (ctx.json) ctx.stdout.write(`${stringifyJson({ thawed })}\n`);
    else ctx.stderr.write(thawed === 0 ? 'qemu-host: nothing was frozen\n' : `qemu-host: thawed ${thawed} filesystem${thawed === 1 ? '' : 's'}\n`);
    return 0;
  } catch (err) {
    return printError(ctx, err);
  } finally {
    session.close();
  }
}
