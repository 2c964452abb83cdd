// Asking the user before a verb changes the guest. Only a person at a terminal can say
// yes; anywhere else the verb needs --yes, so a script never changes a guest by accident.
import { createInterface } from 'node:readline/promises';
import { UsageError } from '../../protocol/errors.js';

export function interactive(): boolean {
  return process.stdin.isTTY === true && process.stderr.isTTY === true;
}

/** Resolves true when confirmed; throws UsageError when nobody can be asked and --yes is absent. */
export async function confirm(question: string, yes: boolean | undefined, verb: string): Promise<boolean> {
  if (yes) return true;
  if (!interactive()) {
    throw new UsageError(`${verb} changes the guest and there is no terminal to confirm it on`, { hint: `Add --yes to ${verb} from a script.` });
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
