import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeadlineTimer } from '../../../src/session/deadline-timer.js';

describe('DeadlineTimer', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('ends a wait once its deadline has passed, not before', () => {
    let expired = 0;
    const timer = new DeadlineTimer(() => expired++);
    timer.start(performance.now() + 1000);
    vi.advanceTimersByTime(999);
    expect(expired).toBe(0);
    vi.advanceTimersByTime(1);
    expect(expired).toBe(1);
    vi.advanceTimersByTime(10_000);
    expect(expired).toBe(1);
  });

  it('serves later waits with the timer already armed, and re-arms for what is left', () => {
    let expired = 0;
    const timer = new DeadlineTimer(() => expired++);
    timer.start(performance.now() + 1000);
    vi.advanceTimersByTime(100);
    timer.stop();
    // Armed for t=1000; this wait lasts until t=1100.
    timer.start(performance.now() + 1000);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(900);
    expect(expired).toBe(0);
    vi.advanceTimersByTime(99);
    expect(expired).toBe(0);
    vi.advanceTimersByTime(1);
    expect(expired).toBe(1);
  });

  it('re-arms at once for a deadline earlier than the armed one', () => {
    let expired = 0;
    const timer = new DeadlineTimer(() => expired++);
    timer.start(performance.now() + 10_000);
    timer.stop();
    timer.start(performance.now() + 50);
    vi.advanceTimersByTime(50);
    expect(expired).toBe(1);
  });

  it('does nothing for a wait that ended in time, or after dispose', () => {
    let expired = 0;
    const timer = new DeadlineTimer(() => expired++);
    timer.start(performance.now() + 100);
    timer.stop();
    vi.advanceTimersByTime(1000);
    expect(expired).toBe(0);
    timer.start(performance.now() + 100);
    timer.dispose();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(1000);
    expect(expired).toBe(0);
  });
});
