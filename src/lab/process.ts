// Watching a process we may not be the parent of (a detached VM started by an earlier run).
import { readFileSync } from 'node:fs';

/** True when no such process exists, or it is a zombie waiting to be reaped. */
export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/** The process's command line, or undefined when it is gone. */
export function commandLineOf(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return undefined;
  }
}

export async function waitForPidExit(pid: number, timeoutMs: number, gone: () => boolean = () => processGone(pid)): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!gone()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

/** Waits for exit, then escalates SIGTERM and SIGKILL. */
export async function stopWithSignals(pid: number | undefined, gone: () => boolean = () => pid === undefined || processGone(pid)): Promise<void> {
  if (pid === undefined) return;
  for (const [signal, waitMs] of [[undefined, 5000], ['SIGTERM', 3000], ['SIGKILL', 3000]] as const) {
    if (signal && !gone()) {
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
    }
    if (await waitForPidExit(pid, waitMs, gone)) return;
  }
}
