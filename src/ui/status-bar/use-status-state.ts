// What the status bar shows, as a pure reducer fed by session events.
import type { SessionState } from '../../session/events.js';

export interface StatusState {
  state: SessionState;
  detail: string | undefined;
  /** The command in flight while busy. */
  busy: string | undefined;
  version: string | undefined;
  discardedBytes: number;
  discardedMessages: number;
  /** How many times the session synced (each one discards the answer to its flush byte). */
  syncs: number;
  rttMs: number | undefined;
}

export const INITIAL_STATUS: StatusState = {
  state: 'disconnected', detail: undefined, busy: undefined, version: undefined,
  discardedBytes: 0, discardedMessages: 0, syncs: 0, rttMs: undefined,
};

export type StatusAction =
  | { type: 'state'; state: SessionState; detail: string | undefined }
  | { type: 'stats'; discardedBytes: number; discardedMessages: number; syncs: number; rttMs: number | undefined }
  | { type: 'agent'; version: string };

export function statusReducer(s: StatusState, a: StatusAction): StatusState {
  switch (a.type) {
    case 'state':
      return { ...s, state: a.state, detail: a.detail, busy: a.state === 'busy' ? a.detail : undefined };
    case 'stats':
      if (s.discardedBytes === a.discardedBytes && s.discardedMessages === a.discardedMessages && s.syncs === a.syncs && s.rttMs === a.rttMs) return s;
      return { ...s, discardedBytes: a.discardedBytes, discardedMessages: a.discardedMessages, syncs: a.syncs, rttMs: a.rttMs };
    case 'agent':
      return { ...s, version: a.version };
  }
}
