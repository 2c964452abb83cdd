// Entry point of the full-screen shell, loaded lazily by the CLI so that `call` and batch
// mode never load React.
import type { CliContext } from '../cli/context.js';
import type { Session } from '../session/session.js';
import type { ShellOptions } from './shell-main.js';

export type { ShellOptions } from './shell-main.js';

export async function runShell(ctx: CliContext, session: Session, options: ShellOptions): Promise<number> {
  // Ink decides when it is loaded whether it runs in CI (CI or CONTINUOUS_INTEGRATION set),
  // and then draws nothing until exit. Someone at a terminal asked for the interactive
  // shell, so those variables are cleared for this process before Ink is loaded.
  if (process.stdout.isTTY && process.stdin.isTTY) {
    delete process.env.CI;
    delete process.env.CONTINUOUS_INTEGRATION;
  }
  const { startShell } = await import('./shell-main.js');
  return startShell(ctx, session, options);
}
