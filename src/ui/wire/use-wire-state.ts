// The wire log: a capped ring of recent wire events (secrets redacted on entry) and the
// wire view's own scroll position.
import { FOLLOW, type ScrollPos } from '../history/viewport.js';
import { safeWireEvent, type WireEntry } from './wire-lines.js';
import type { WireEvent } from '../../session/events.js';

export const WIRE_CAPACITY = 5000;

export interface WireState {
  entries: readonly WireEntry[];
  scroll: ScrollPos;
  nextId: number;
}

export const INITIAL_WIRE: WireState = { entries: [], scroll: FOLLOW, nextId: 1 };

export type WireAction = { type: 'events'; events: readonly WireEvent[] } | { type: 'scroll'; to: ScrollPos } | { type: 'clear' };

export function wireReducer(state: WireState, action: WireAction): WireState {
  switch (action.type) {
    case 'events': {
      let id = state.nextId;
      const added = action.events.map((event) => ({ id: id++, event: safeWireEvent(event) }));
      const entries = [...state.entries, ...added];
      const dropped = Math.max(0, entries.length - WIRE_CAPACITY);
      // Keep the window still when old entries fall off the front.
      const scroll = state.scroll.follow || dropped === 0 ? state.scroll : { ...state.scroll, index: Math.max(0, state.scroll.index - dropped) };
      return { entries: dropped ? entries.slice(dropped) : entries, scroll, nextId: id };
    }
    case 'scroll':
      return { ...state, scroll: action.to };
    case 'clear':
      return { ...state, entries: [], scroll: FOLLOW };
  }
}
