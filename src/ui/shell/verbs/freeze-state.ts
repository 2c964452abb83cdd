// Whether the guest's filesystems are frozen, as far as this shell knows, learned from the
// session's call-end events: every guest-fsfreeze-freeze(-list), -thaw and -status that
// succeeded, whoever sent it (a verb, a line typed at the prompt, the shell at connect).
// Pure: a reducer over call records, and the banner text for the status bar.
import type { CallRecord } from '../../../session/events.js';
import { frozenBanner } from '../../../verbs/freeze/freeze.js';

export interface FreezeState {
  status: 'unknown' | 'thawed' | 'frozen';
  /** Date.now() when it was frozen (`froze`) or first found frozen (`found`). */
  since?: number;
  /** Filesystems frozen, when the freeze reply said. */
  count?: number;
  how?: 'froze' | 'found';
}

export const UNKNOWN_FREEZE: FreezeState = { status: 'unknown' };

export type FreezeCall = Pick<CallRecord, 'execute' | 'status' | 'value' | 'startedAt' | 'ms'>;

export function freezeReducer(state: FreezeState, call: FreezeCall): FreezeState {
  if (call.status !== 'ok') return state;
  const at = call.startedAt + call.ms;
  switch (call.execute) {
    case 'guest-fsfreeze-freeze':
    case 'guest-fsfreeze-freeze-list': {
      const count = typeof call.value === 'number' ? call.value : undefined;
      // Freezing a frozen guest is refused by the agent, so a success is a new freeze.
      return count === undefined ? { status: 'frozen', since: at, how: 'froze' } : { status: 'frozen', since: at, count, how: 'froze' };
    }
    case 'guest-fsfreeze-thaw':
      return { status: 'thawed' };
    case 'guest-fsfreeze-status':
      if (call.value === 'frozen') return state.status === 'frozen' ? state : { status: 'frozen', since: at, how: 'found' };
      if (call.value === 'thawed') return state.status === 'thawed' ? state : { status: 'thawed' };
      return state;
    default:
      return state;
  }
}

/** The status bar's banner while frozen ("FROZEN 1:05  1 filesystem  :thaw thaws"), else undefined. */
export function freezeBanner(state: FreezeState, now: number): string | undefined {
  if (state.status !== 'frozen' || state.since === undefined) return undefined;
  const tail = state.how === 'found' ? 'found frozen · :thaw thaws' : ':thaw thaws';
  return frozenBanner(Math.max(0, now - state.since), state.count, tail);
}
