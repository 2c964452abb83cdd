// The verbs' part of the shell's snapshot: the verb running now (the prompt and status bar
// show it), what is known of the guest's freeze state (the FROZEN banner), and a clock
// that ticks once a second while the banner's timer runs.
import type { FreezeState } from './freeze-state.js';
import { UNKNOWN_FREEZE } from './freeze-state.js';
import type { RunningVerb } from './verb-runner.js';

export interface VerbsState {
  running: RunningVerb | undefined;
  freeze: FreezeState;
  /** Date.now() at the last tick (for the banner's timer). */
  now: number;
}

export const INITIAL_VERBS: VerbsState = { running: undefined, freeze: UNKNOWN_FREEZE, now: 0 };

/** What the prompt and the status bar say while a verb runs. */
export function runningText(running: RunningVerb): string {
  const what = running.line.length > 60 ? `${running.line.slice(0, 59)}…` : running.line;
  if (running.stopping) return `stopping ${what}…`;
  const keys = running.verb === 'watch' ? 'Ctrl+C or Esc stops it' : 'Ctrl+C stops it';
  return `running ${what} · ${keys}`;
}
