// How the screen is divided, from the bottom up: status bar, prompt (or search, or the
// confirmation), the completion list or the form, a separator, and the history with
// whatever height is left. One row short of the terminal, so that Ink redraws in place
// instead of clearing the screen on every frame.
import type { Completion } from '../../completion/types.js';
import { completionRows } from '../completion-list/completion-rows.js';
import { formLines } from '../form/form-rows.js';
import type { Line } from '../text/styled-line.js';
import type { ShellState } from './shell-state.js';

export const MAX_COMPLETION_ROWS = 8;
const MIN_HISTORY_ROWS = 3;

export interface ShellLayout {
  width: number;
  /** Rows the whole app uses. */
  total: number;
  historyHeight: number;
  /** Lines between the separator and the prompt: completion list or form. */
  middle: Line[];
  /** The row budget the middle was laid out with (views must pass the same). */
  budget: number;
}

export function computeLayout(state: ShellState, completion: Completion): ShellLayout {
  const width = Math.max(20, state.size.columns);
  const total = Math.max(6, state.size.rows - 1);
  const fixed = 3; // separator, prompt, status bar
  const room = Math.max(0, total - fixed - MIN_HISTORY_ROWS);
  let middle: Line[] = [];
  let budget = 0;
  if (state.form) {
    budget = Math.min(room, Math.max(6, Math.floor(total * 0.6)));
    middle = formLines(state.form, width, budget).slice(0, budget);
  } else if (!state.search && !state.confirm && state.prompt.listOpen) {
    budget = Math.min(MAX_COMPLETION_ROWS, room);
    middle = completionRows(completion, state.prompt.selected, budget, width);
  }
  return { width, total, historyHeight: total - fixed - middle.length, middle, budget };
}
