// The clipboard sequence the shell writes for :copy (the tmux test reads it back for real).
import { describe, expect, it } from 'vitest';
import { osc52, terminalClipboard } from '../../../src/ui/shell/clipboard.js';

describe('the clipboard through the terminal', () => {
  it('is OSC 52 with the text as base64, UTF-8 kept', () => {
    expect(osc52('guest-ping é')).toBe(`\u001b]52;c;${Buffer.from('guest-ping é').toString('base64')}\u0007`);
  });

  it('is only offered when the output is a terminal', () => {
    const written: string[] = [];
    const tty = { isTTY: true, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream;
    terminalClipboard(tty)?.('x');
    expect(written).toEqual([osc52('x')]);
    expect(terminalClipboard({ isTTY: false } as unknown as NodeJS.WriteStream)).toBeUndefined();
  });
});
