import { describe, expect, it } from 'vitest';
import { FROZEN_REMINDER, frozenBanner } from '../../../src/verbs/freeze/freeze.js';

describe('frozen banner', () => {
  it('shows the time frozen, the count and what to do', () => {
    expect(frozenBanner(65_400, 3, 'press Enter to thaw')).toBe('FROZEN 1:05  3 filesystems  press Enter to thaw');
    expect(frozenBanner(0, 1, 'x')).toBe('FROZEN 0:00  1 filesystem  x');
    expect(frozenBanner(5_000, undefined, 'x')).toBe('FROZEN 0:05  x');
  });

  it('reminds that a frozen guest refuses most commands', () => {
    expect(FROZEN_REMINDER).toMatch(/refuses most commands/);
    expect(FROZEN_REMINDER).toMatch(/qemu-host thaw/);
  });
});
