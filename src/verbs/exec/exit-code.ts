// How a guest process's end becomes this tool's exit status, the way a POSIX shell does
// it: its own exit code when it exited; 128 + N when signal N ended it; 124 when `exec
// --timeout` ran out (as timeout(1)); 130 when the user interrupted the wait (Ctrl+C).
import type { ExecResult } from './exec.js';

export const EXIT_TIMED_OUT = 124;
export const EXIT_INTERRUPTED = 130;

/** Linux signal numbers (x86, arm, most others), for naming a signal in a message. */
const LINUX_SIGNALS = [
  '', 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGKILL',
  'SIGUSR1', 'SIGSEGV', 'SIGUSR2', 'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGSTKFLT', 'SIGCHLD', 'SIGCONT',
  'SIGSTOP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU', 'SIGURG', 'SIGXCPU', 'SIGXFSZ', 'SIGVTALRM', 'SIGPROF',
  'SIGWINCH', 'SIGIO', 'SIGPWR', 'SIGSYS',
];

export function signalName(signal: number): string | undefined {
  return LINUX_SIGNALS[signal] || undefined;
}

export function exitCodeOf(result: ExecResult): number {
  if (result.ended === 'timed-out') return EXIT_TIMED_OUT;
  if (result.ended === 'interrupted') return EXIT_INTERRUPTED;
  if (result.signal !== undefined) return 128 + result.signal;
  return result.exitCode ?? 0;
}

/** One sentence about how the process ended, or undefined for a plain exit (no message needed). */
export function endMessage(result: ExecResult): string | undefined {
  const sig = result.signal === undefined ? '' : describeSignal(result.signal);
  switch (result.ended) {
    case 'exited':
      return undefined;
    case 'signalled':
      return `guest process ${result.pid} was killed by ${sig}`;
    case 'timed-out':
      return result.exited
        ? `guest process ${result.pid} ran past the --timeout and was stopped${sig ? ` with ${sig}` : ''}`
        : `guest process ${result.pid} ran past the --timeout and could not be stopped: ${result.note ?? 'it is still running'}`;
    case 'interrupted':
      return result.exited
        ? `interrupted: guest process ${result.pid} was stopped${sig ? ` with ${sig}` : ''}`
        : `interrupted: guest process ${result.pid} could not be stopped: ${result.note ?? 'it is still running'}`;
  }
}

function describeSignal(signal: number): string {
  const name = signalName(signal);
  return name ? `signal ${signal} (${name})` : `signal ${signal}`;
}
