// What `qemu-host info` does (declared in info.ts, loaded when it runs).
import { stringifyJson } from '../../protocol/json.js';
import { gatherInfo } from '../../verbs/info/gather.js';
import { overviewText } from '../../verbs/info/info-text.js';
import { overviewOf } from '../../verbs/info/overview.js';
import { contextFrom, openSession, requireEndpoint, type GlobalOptions } from '../context.js';
import { printError } from '../output.js';
import { StatusLine } from './verb-cli.js';

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
