import { describe, expect, it } from 'vitest';
import { INITIAL_PROMPT, promptReducer, type PromptAction, type PromptState } from '../../../src/ui/prompt/use-prompt-state.js';
import { editLine, lineOf } from '../../../src/ui/text/line-edit.js';

const run = (actions: PromptAction[], from: PromptState = INITIAL_PROMPT): PromptState => actions.reduce(promptReducer, from);

describe('promptReducer', () => {
  it('types, opens the list as you type, and keeps the cursor after the text', () => {
    const s = run([{ type: 'insert', text: 'guest-p' }]);
    expect(s.line).toEqual({ value: 'guest-p', cursor: 7 });
    expect(s.listOpen).toBe(true);
    expect(run([{ type: 'insert', text: '   ' }]).listOpen).toBe(false);
  });

  it('moves the highlight around the list, and marks that the user chose', () => {
    let s = run([{ type: 'insert', text: 'g' }, { type: 'move', delta: 1, count: 3 }]);
    expect([s.selected, s.moved]).toEqual([1, true]);
    s = run([{ type: 'move', delta: -1, count: 3 }, { type: 'move', delta: -1, count: 3 }], s);
    expect(s.selected).toBe(2);
    // Typing again starts from the top.
    expect(run([{ type: 'insert', text: 'u' }], s)).toMatchObject({ selected: 0, moved: false });
  });

  it('accepts a candidate over exactly the completed word and keeps the list open when completion continues', () => {
    const s = run([{ type: 'set', value: 'guest-file-open pa mode=r', cursor: 18 }, { type: 'accept', from: 16, to: 18, insert: 'path=', continues: true }]);
    expect(s.line).toEqual({ value: 'guest-file-open path= mode=r', cursor: 21 });
    expect(s.listOpen).toBe(true);
    expect(run([{ type: 'accept', from: 0, to: 0, insert: 'guest-ping ', continues: false }]).listOpen).toBe(false);
  });

  it('recalls older and newer lines, and gives back the unfinished line after the newest', () => {
    const lines = ['guest-info', 'guest-ping', 'guest-get-time'];
    let s = run([{ type: 'insert', text: 'draft' }, { type: 'recall-older', lines }]);
    expect(s.line.value).toBe('guest-get-time');
    s = run([{ type: 'recall-older', lines }, { type: 'recall-older', lines }, { type: 'recall-older', lines }], s);
    expect(s.line.value).toBe('guest-info');
    s = run([{ type: 'recall-newer', lines }], s);
    expect(s.line.value).toBe('guest-ping');
    s = run([{ type: 'recall-newer', lines }, { type: 'recall-newer', lines }], s);
    expect(s).toMatchObject({ line: { value: 'draft', cursor: 5 }, recall: undefined });
    expect(run([{ type: 'recall-older', lines: [] }])).toEqual(INITIAL_PROMPT);
  });

  it('edits like readline and clears', () => {
    const s = run([{ type: 'insert', text: 'guest-exec path=/bin/ls' }, { type: 'edit', action: 'erase-word' }]);
    expect(s.line.value).toBe('guest-exec ');
    expect(run([{ type: 'clear' }], s)).toEqual(INITIAL_PROMPT);
  });
});

describe('editLine', () => {
  it('moves and erases by code point, never splitting a surrogate pair', () => {
    const emoji = lineOf('a😀b', 3);
    expect(editLine(emoji, 'cursor-left')).toEqual({ value: 'a😀b', cursor: 1 });
    expect(editLine(emoji, 'erase-back')).toEqual({ value: 'ab', cursor: 1 });
    expect(editLine(lineOf('a😀b', 1), 'erase-forward')).toEqual({ value: 'ab', cursor: 1 });
    expect(editLine(lineOf('a😀b', 1), 'cursor-right')).toEqual({ value: 'a😀b', cursor: 3 });
  });

  it('kills to the start and to the end, and jumps to either end', () => {
    const line = lineOf('guest-exec path=/x', 11);
    expect(editLine(line, 'kill-to-start')).toEqual({ value: 'path=/x', cursor: 0 });
    expect(editLine(line, 'kill-to-end')).toEqual({ value: 'guest-exec ', cursor: 11 });
    expect(editLine(line, 'line-start')!.cursor).toBe(0);
    expect(editLine(line, 'line-end')!.cursor).toBe(18);
    expect(editLine(line, 'submit')).toBeUndefined();
  });
});
