import { describe, expect, it } from 'vitest';
import { historyReducer, INITIAL_HISTORY } from '../../../src/ui/history/use-history-state.js';
import { notice, type CallItem } from '../../../src/ui/history/history-item.js';
import { INITIAL_SEARCH, currentMatch, matches, searchReducer } from '../../../src/ui/search/use-search-state.js';
import { INITIAL_STATUS, statusReducer } from '../../../src/ui/status-bar/use-status-state.js';
import { INITIAL_WIRE, WIRE_CAPACITY, wireReducer } from '../../../src/ui/wire/use-wire-state.js';
import type { WireEvent } from '../../../src/session/events.js';

describe('historyReducer', () => {
  const call: CallItem = { kind: 'call', id: 7, command: 'guest-ping', line: 'guest-ping', request: { execute: 'guest-ping' }, origin: 'user', status: 'pending', startedAt: 0, base64Members: [] };

  it('adds, updates by id, toggles expansion and raw view, clears', () => {
    let s = historyReducer(INITIAL_HISTORY, { type: 'add', item: call });
    s = historyReducer(s, { type: 'add', item: notice('info', 'hello') });
    s = historyReducer(s, { type: 'update', id: 7, update: (item) => ({ ...(item as CallItem), status: 'ok', value: {} }) });
    expect(s.items[0]).toMatchObject({ id: 7, status: 'ok' });
    expect(historyReducer(s, { type: 'update', id: 999, update: () => call })).toBe(s);
    s = historyReducer(s, { type: 'toggle-expanded', id: 7 });
    expect(s.expanded.has(7)).toBe(true);
    expect(historyReducer(s, { type: 'toggle-expanded', id: 7 }).expanded.has(7)).toBe(false);
    expect(historyReducer(s, { type: 'toggle-raw' }).raw).toBe(true);
    expect(historyReducer(s, { type: 'clear' }).items).toEqual([]);
  });
});

describe('search', () => {
  const lines = ['guest-ping', 'guest-file-open path=/a', 'guest-info', 'guest-file-open path=/b', 'guest-ping'];

  it('finds matches newest first without repeats, and steps back through them', () => {
    expect(matches(lines, 'PING')).toEqual(['guest-ping']);
    let s = searchReducer(INITIAL_SEARCH, { type: 'type', text: 'file' });
    expect(currentMatch(s, lines)).toBe('guest-file-open path=/b');
    s = searchReducer(s, { type: 'older', lines });
    expect(currentMatch(s, lines)).toBe('guest-file-open path=/a');
    expect(searchReducer(s, { type: 'older', lines })).toBe(s);
    s = searchReducer(s, { type: 'erase' });
    expect(s).toEqual({ query: 'fil', skip: 0 });
  });
});

describe('statusReducer', () => {
  it('tracks state, the busy command, stats and the agent version', () => {
    let s = statusReducer(INITIAL_STATUS, { type: 'state', state: 'busy', detail: 'guest-exec' });
    expect(s.busy).toBe('guest-exec');
    s = statusReducer(s, { type: 'state', state: 'ready', detail: undefined });
    expect(s.busy).toBeUndefined();
    s = statusReducer(s, { type: 'stats', discardedBytes: 80, discardedMessages: 1, syncs: 1, rttMs: 0.4 });
    expect(statusReducer(s, { type: 'stats', discardedBytes: 80, discardedMessages: 1, syncs: 1, rttMs: 0.4 })).toBe(s);
    expect(statusReducer(s, { type: 'agent', version: '7.2.22' }).version).toBe('7.2.22');
  });
});

describe('wireReducer', () => {
  const out = (text: string): WireEvent => ({ direction: 'out', at: 0, text, bytes: text.length + 1, delimited: false });

  it('redacts secrets on the way in: the password never enters the wire log', () => {
    const s = wireReducer(INITIAL_WIRE, {
      type: 'events',
      events: [out('{"execute":"guest-set-user-password","arguments":{"username":"root","password":"aHVudGVyMg==","crypted":false},"id":"qh-1"}')],
    });
    expect(s.entries[0]!.event.text).not.toContain('aHVudGVyMg==');
    expect(s.entries[0]!.event.text).toContain('"password":"<redacted>"');
  });

  it('keeps at most WIRE_CAPACITY entries, keeping a scrolled window on the same entries', () => {
    const many = Array.from({ length: WIRE_CAPACITY }, (_, i) => out(`{"n":${i}}`));
    let s = wireReducer(INITIAL_WIRE, { type: 'events', events: many });
    s = wireReducer(s, { type: 'scroll', to: { follow: false, index: 100, line: 0 } });
    s = wireReducer(s, { type: 'events', events: [out('{"n":"new"}'), out('{"n":"newer"}')] });
    expect(s.entries.length).toBe(WIRE_CAPACITY);
    expect(s.entries[0]!.event.text).toBe('{"n":2}');
    expect(s.scroll.index).toBe(98);
    expect(s.entries[s.scroll.index]!.event.text).toBe('{"n":100}');
  });
});
