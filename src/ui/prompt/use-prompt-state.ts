// The prompt's state as a pure reducer: the line being edited, recall through history
// (Up/Down, with the unfinished line kept as a draft), and the completion list's
// open/selected state. Candidates themselves are derived from the line, not stored.
import type { Action } from '../keys/key-bindings.js';
import { EMPTY_LINE, editLine, insertText, lineOf, replaceRange, type LineValue } from '../text/line-edit.js';

export interface PromptState {
  line: LineValue;
  /** Position in the recall list while recalling (0 = newest); undefined when editing. */
  recall: number | undefined;
  /** The line being typed before recall started. */
  draft: string;
  /** The completion list is showing. */
  listOpen: boolean;
  /** Highlighted candidate. */
  selected: number;
  /** The user moved the highlight: Enter then accepts instead of running. */
  moved: boolean;
}

export const INITIAL_PROMPT: PromptState = { line: EMPTY_LINE, recall: undefined, draft: '', listOpen: false, selected: 0, moved: false };

export type PromptAction =
  | { type: 'edit'; action: Action }
  | { type: 'insert'; text: string }
  | { type: 'set'; value: string; cursor?: number; keepListOpen?: boolean }
  | { type: 'recall-older'; lines: readonly string[] }
  | { type: 'recall-newer'; lines: readonly string[] }
  | { type: 'open-list' }
  | { type: 'close-list' }
  | { type: 'move'; delta: number; count: number }
  | { type: 'accept'; from: number; to: number; insert: string; continues: boolean }
  | { type: 'clear' };

export function promptReducer(state: PromptState, action: PromptAction): PromptState {
  switch (action.type) {
    case 'edit': {
      const line = editLine(state.line, action.action);
      if (!line) return state;
      const changed = line.value !== state.line.value;
      return { ...state, line, recall: changed ? undefined : state.recall, ...(changed ? typing(line) : {}) };
    }
    case 'insert': {
      const line = insertText(state.line, action.text);
      return { ...state, line, recall: undefined, ...typing(line) };
    }
    case 'set':
      return { ...INITIAL_PROMPT, line: lineOf(action.value, action.cursor), listOpen: action.keepListOpen === true };
    case 'recall-older': {
      const n = action.lines.length;
      if (n === 0) return state;
      const next = state.recall === undefined ? 0 : Math.min(state.recall + 1, n - 1);
      const draft = state.recall === undefined ? state.line.value : state.draft;
      return { ...state, recall: next, draft, line: lineOf(action.lines[n - 1 - next]!), listOpen: false };
    }
    case 'recall-newer': {
      if (state.recall === undefined) return state;
      if (state.recall === 0) return { ...state, recall: undefined, line: lineOf(state.draft), listOpen: false };
      const next = state.recall - 1;
      return { ...state, recall: next, line: lineOf(action.lines[action.lines.length - 1 - next] ?? ''), listOpen: false };
    }
    case 'open-list':
      return { ...state, listOpen: true, selected: 0, moved: false };
    case 'close-list':
      return { ...state, listOpen: false, moved: false };
    case 'move': {
      if (action.count === 0) return state;
      const selected = (((state.selected + action.delta) % action.count) + action.count) % action.count;
      return { ...state, selected, moved: true, listOpen: true };
    }
    case 'accept': {
      const line = replaceRange(state.line, action.from, action.to, action.insert);
      return { ...state, line, recall: undefined, listOpen: action.continues, selected: 0, moved: false };
    }
    case 'clear':
      return INITIAL_PROMPT;
  }
}

/** Typing opens the list when there is something to complete, and resets the highlight. */
function typing(line: LineValue): Partial<PromptState> {
  return { listOpen: line.value.trim() !== '', selected: 0, moved: false };
}
