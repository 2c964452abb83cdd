// Commands that change the guest (shutdown, suspend, freeze, set-time, passwords, file
// writes, exec, ...) are sent only when the user has said so: asked on the terminal, or
// confirmed up front with --yes. --read-only refuses them outright. Either way, a refusal
// means nothing was sent.
import { UsageError } from '../protocol/errors.js';
import type { JsonObject } from '../protocol/json.js';
import { changeOf } from '../schema/annotations.js';
import type { GlobalOptions } from './context.js';

export interface ConfirmOptions {
  /** Whether a person may be asked on the terminal (not in batch mode). */
  mayAsk: boolean;
  input?: NodeJS.ReadableStream & { isTTY?: boolean };
  output?: NodeJS.WritableStream & { isTTY?: boolean };
}

/**
 * Without anyone to ask (batch mode): returns when the call may be sent; throws
 * UsageError (exit 2, nothing sent) when it changes the guest and was not confirmed.
 */
export function requireConfirmed(options: GlobalOptions, command: string, args: JsonObject | undefined): void {
  const change = changeOf(command, args);
  if (change === undefined) return;
  refuseIfReadOnly(options, command, change);
  if (!options.yes) notConfirmed(command, change);
}

/** Resolves when the call may be sent; throws UsageError (exit 2, nothing sent) when not. */
export async function confirmChange(
  options: GlobalOptions,
  command: string,
  args: JsonObject | undefined,
  how: ConfirmOptions,
): Promise<void> {
  const change = changeOf(command, args);
  if (change === undefined) return;
  refuseIfReadOnly(options, command, change);
  if (options.yes) return;
  const input = how.input ?? process.stdin;
  const output = how.output ?? process.stderr;
  if (!how.mayAsk || !input.isTTY || !output.isTTY) notConfirmed(command, change);
  // Only loaded when someone is asked: most runs never need it.
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input, output });
  try {
    const answer = await rl.question(`${command} ${change}. Send it? [y/N] `);
    if (!/^(y|yes)$/i.test(answer.trim())) throw new UsageError(`${command} not confirmed; nothing was sent`);
  } finally {
    rl.close();
  }
}

function refuseIfReadOnly(options: GlobalOptions, command: string, change: string): void {
  if (options.readOnly) {
    throw new UsageError(`${command} ${change}: refused by --read-only; nothing was sent`);
  }
}

function notConfirmed(command: string, change: string): never {
  throw new UsageError(`${command} ${change}: not confirmed; nothing was sent`, {
    hint: 'Commands that change the guest need --yes when there is no terminal to ask on.',
  });
}
