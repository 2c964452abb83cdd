import { describe, expect, it } from 'vitest';
import { UNKNOWN_FREEZE, freezeBanner, freezeReducer, type FreezeCall, type FreezeState } from '../../../src/ui/shell/verbs/freeze-state.js';

const call = (execute: string, value: FreezeCall['value'], status: FreezeCall['status'] = 'ok', startedAt = 1_000_000): FreezeCall => ({ execute, status, value, startedAt, ms: 40 });
const run = (...calls: FreezeCall[]): FreezeState => calls.reduce(freezeReducer, UNKNOWN_FREEZE);

describe('the freeze state, learned from finished calls', () => {
  it('a successful freeze (all, or a list) starts the timer when its reply came, with the count', () => {
    expect(run(call('guest-fsfreeze-freeze', 2))).toEqual({ status: 'frozen', since: 1_000_040, count: 2, how: 'froze' });
    expect(run(call('guest-fsfreeze-freeze-list', 1))).toEqual({ status: 'frozen', since: 1_000_040, count: 1, how: 'froze' });
  });

  it('a thaw ends it; a failed freeze or thaw changes nothing', () => {
    expect(run(call('guest-fsfreeze-freeze', 1), call('guest-fsfreeze-thaw', 1))).toEqual({ status: 'thawed' });
    expect(run(call('guest-fsfreeze-freeze', undefined, 'agent-error'))).toBe(UNKNOWN_FREEZE);
    const frozen = run(call('guest-fsfreeze-freeze', 1));
    expect(freezeReducer(frozen, call('guest-fsfreeze-thaw', undefined, 'timeout'))).toBe(frozen);
  });

  it('guest-fsfreeze-status "frozen" is a freeze found, timed from then; it keeps an earlier known start', () => {
    expect(run(call('guest-fsfreeze-status', 'frozen'))).toEqual({ status: 'frozen', since: 1_000_040, how: 'found' });
    const frozen = run(call('guest-fsfreeze-freeze', 3, 'ok', 500));
    expect(freezeReducer(frozen, call('guest-fsfreeze-status', 'frozen'))).toBe(frozen);
    expect(freezeReducer(frozen, call('guest-fsfreeze-status', 'thawed'))).toEqual({ status: 'thawed' });
  });

  it('other commands and odd values change nothing', () => {
    expect(run(call('guest-ping', {}), call('guest-fsfreeze-status', 'maybe'))).toBe(UNKNOWN_FREEZE);
  });

  it('the banner counts minutes and seconds, with the count, and says when it was found rather than made', () => {
    expect(freezeBanner(run(call('guest-fsfreeze-freeze', 1)), 1_000_040 + 65_400)).toBe('FROZEN 1:05  1 filesystem  :thaw thaws');
    expect(freezeBanner(run(call('guest-fsfreeze-freeze', 3)), 1_000_040)).toBe('FROZEN 0:00  3 filesystems  :thaw thaws');
    expect(freezeBanner(run(call('guest-fsfreeze-status', 'frozen')), 1_000_040 + 7_000)).toBe('FROZEN 0:07  found frozen · :thaw thaws');
    expect(freezeBanner(run(call('guest-fsfreeze-thaw', 1)), 0)).toBeUndefined();
    expect(freezeBanner(UNKNOWN_FREEZE, 0)).toBeUndefined();
  });
});
