// A line-mode prompt without the full-screen UI: for dumb terminals, screen readers and
// piping through `script`. Same syntax as `call` and batch; `:quit` or Ctrl+D leaves.
import { createInterface } from 'node:readline';
import { AgentError, asQemuHostError } from '../protocol/errors.js';
import { stringifyJson } from '../protocol/json.js';
import { parseCallLine } from '../schema/call-syntax.js';
import type { Session } from '../session/session.js';
import type { CliContext } from './context.js';
import { plannerFor } from './prepare.js';

export async function runPlainShell(ctx: CliContext, session: Session): Promise<number> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: 'qga> ' });
  session.on('state', (change) => {
    if (change.state === 'disconnected' && change.error) ctx.stderr.write(`\n[${change.error.describe()}]\n`);
  });
  ctx.stdout.write(`qemu-host: talking to ${session.transport.description}. Type a command (e.g. guest-info), :quit to leave.\n`);
  rl.prompt();
  for await (const line of rl) {
    const trimmed = line.trim();
    if (trimmed === ':quit' || trimmed === ':q') break;
    if (trimmed !== '' && !trimmed.startsWith('#')) {
      try {
        const planner = await plannerFor(ctx);
        const result = await planner.send(session, planner.prepare(parseCallLine(trimmed)));
        if (result.status === 'no-reply') ctx.stdout.write(`${result.detail}\n`);
        else ctx.stdout.write(`${stringifyJson(result.value, 2)}\n(${result.ms.toFixed(1)} ms)\n`);
      } catch (thrown) {
        const err = asQemuHostError(thrown);
        ctx.stderr.write(err instanceof AgentError ? `${err.describe()}\n` : `error: ${err.describe()}\n`);
      }
    }
    rl.prompt();
  }
  rl.close();
  return 0;
}
