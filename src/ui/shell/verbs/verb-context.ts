// What a running verb is given: the shell's session (only as a VerbSession: the verbs'
// public APIs take nothing else), the abort signal that Ctrl+C / Esc / `:watch` fire, the
// per-call deadline, and a way to replace its own history entry's body.
import type { VerbSession } from '../../../verbs/verb-session.js';
import type { VerbBody, VerbItem } from './verb-item.js';

export interface VerbContext {
  session: VerbSession;
  signal: AbortSignal;
  callTimeoutMs: number | undefined;
  /** Replaces the entry's body; the runner keeps the rest (phase, elapsed time). */
  show(body: VerbBody): void;
  /** The entry as it is now. */
  item(): VerbItem;
}

/** What a verb ends with: its final body, and for 'cancelled' / 'failed' the reason. */
export interface VerbEnd {
  body: VerbBody;
  phase?: 'done' | 'failed' | 'cancelled';
  message?: string;
  hint?: string;
}

export type VerbRun = (ctx: VerbContext) => Promise<VerbEnd>;

/** The options object the verbs' APIs take for the per-call deadline. */
export function callTimeout(ctx: VerbContext): { callTimeoutMs?: number } {
  return ctx.callTimeoutMs === undefined ? {} : { callTimeoutMs: ctx.callTimeoutMs };
}
