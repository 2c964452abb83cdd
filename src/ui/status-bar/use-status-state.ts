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
  /** Connected through a qemu-host broker: how many clients share the agent. */
  shared: { clients: number; readOnly: boolean } | undefined;
}

export const INITIAL_STATUS: StatusState = {
  state: 'disconnected', detail: undefined, busy: undefined, version: undefined,
  discardedBytes: 0, discardedMessages: 0, syncs: 0, rttMs: undefined, shared: undefined,
};

export type StatusAction =
  | { type: 'state'; state: SessionState; detail: string | undefined }
  | { type: 'stats'; discardedBytes: number; discardedMessages: number; syncs: number; rttMs: number | undefined }
  | { type: 'agent'; version: string }
  | { type: 'shared'; shared: { clients: number; readOnly: boolean } | undefined };

export function statusReducer(s: StatusState, a: StatusAction): StatusState {
  switch (a.type) {
    case 'state':
      return { ...s, state: a.state, detail: a.detail, busy: a.state === 'busy' ? a.detail : undefined };
    case 'stats':
      if (s.discardedBytes === a.discardedBytes && s.discardedMessages === a.discardedMessages && s.syncs === a.syncs && s.rttMs === a.rttMs) return s;
      return { ...s, discardedBytes: a.discardedBytes, discardedMessages: a.discardedMessages, syncs: a.syncs, rttMs: a.rttMs };
    case 'agent':
      return { ...s, version: a.version };
    case 'shared':
      if (s.shared?.clients === a.shared?.clients && s.shared?.readOnly === a.shared?.readOnly) return s;
      return { ...s, shared: a.shared };
  }
}
