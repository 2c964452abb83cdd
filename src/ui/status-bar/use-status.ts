// Subscribes to the session's events and keeps the status bar's state.
import { useEffect, useReducer } from 'react';
import type { ShellSession } from '../shell/shell-session.js';
import { INITIAL_STATUS, statusReducer, type StatusState } from './use-status-state.js';

export function useStatus(session: ShellSession): StatusState {
  const [status, dispatch] = useReducer(statusReducer, { ...INITIAL_STATUS, state: session.state });
  useEffect(() => {
    const stats = (): void => {
      const s = session.stats;
      dispatch({ type: 'stats', discardedBytes: s.discardedBytes, discardedMessages: s.discardedMessages, rttMs: s.lastRttMs });
    };
    const offs = [
      session.on('state', (change) => {
        dispatch({ type: 'state', state: change.state, detail: change.detail });
        stats();
      }),
      session.on('call-end', stats),
      session.on('wire', (event) => {
        if (event.direction === 'discard') stats();
      }),
      session.on('agent-info', (info) => dispatch({ type: 'agent', version: info.version })),
    ];
    return () => offs.forEach((off) => off());
  }, [session]);
  return status;
}
