// A line-mode prompt without the full-screen UI: for dumb terminals, screen readers and
// piping through `script`. Same syntax as `call` and batch; `:quit` or Ctrl+D leaves.
// Commands that change the guest are confirmed at the same prompt.
import { createInterface } from 'node:readline/promises';
import { AgentError, UsageError, asQemuHostError } from '../protocol/errors.js';
import { stringifyJson, type JsonObject } from '../protocol/json.js';
import { changeOf } from '../schema/annotations.js';
import { parseCallLine } from '../schema/call-syntax.js';
import type { Session } from '../session/session.js';
import type { CliContext } from './context.js';
import { plannerFor } from './prepare.js';

export async function runPlainShell(ctx: CliContext, session: Session): Promise<number> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  let closed = false;
  rl.on('close', () => (closed = true));
  session.on('state', (change) => {
    if (change.state === 'disconnected' && change.error) ctx.stderr.write(`\n[${change.error.describe()}]\n`);
  });
  ctx.stdout.write(`qemu-host: talking to ${session.transport.description}. Type a command (e.g. guest-info), :quit to leave.\n`);
  const ask = (prompt: string): Promise<string | undefined> =>
    closed ? Promise.resolve(undefined) : rl.question(prompt).catch(() => undefined);

  for (let line = await ask('qga> '); line !== undefined; line = await ask('qga> ')) {
    const trimmed = line.trim();
    if (trimmed === ':quit' || trimmed === ':q') break;
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    try {
      const planner = await plannerFor(ctx);
      const parsed = parseCallLine(trimmed);
      const prepared = planner.prepare(parsed);
      const change = changeOf(prepared.command, prepared.args ?? (parsed.raw?.arguments as JsonObject | undefined));
      if (change !== undefined) {
        if (ctx.options.readOnly) throw new UsageError(`${prepared.command} ${change}: refused by --read-only; nothing was sent`);
        if (!ctx.options.yes) {
          const answer = await ask(`${prepared.command} ${change}. Send it? [y/N] `);
          if (!/^(y|yes)$/i.test(answer?.trim() ?? '')) throw new UsageError(`${prepared.command} not confirmed; nothing was sent`);
        }
      }
      const result = await planner.send(session, prepared);
      if (result.status === 'no-reply') ctx.stdout.write(`${result.detail}\n`);
      else ctx.stdout.write(`${stringifyJson(result.value, 2)}\n(${result.ms.toFixed(1)} ms)\n`);
    } catch (thrown) {
      const err = asQemuHostError(thrown);
      ctx.stderr.write(err instanceof AgentError ? `${err.describe()}\n` : `error: ${err.describe()}\n`);
    }
  }
  rl.close();
  return 0;
}
