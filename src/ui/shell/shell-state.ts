// Everything the shell shows, in one immutable snapshot. Each part is owned by its
// component's pure reducer; the store composes them.
import type { Capabilities } from '../../schema/capabilities.js';
import type { HistoryState } from '../history/use-history-state.js';
import { INITIAL_HISTORY } from '../history/use-history-state.js';
import type { FormState } from '../form/use-form-state.js';
import { INITIAL_PROMPT, type PromptState } from '../prompt/use-prompt-state.js';
import type { SearchState } from '../search/use-search-state.js';
import { INITIAL_STATUS, type StatusState } from '../status-bar/use-status-state.js';
import { INITIAL_WIRE, type WireState } from '../wire/use-wire-state.js';
import type { SendRequest } from './send-request.js';
import type { VerbRequest } from './verbs/verb-plan.js';
import { INITIAL_VERBS, type VerbsState } from './verbs/verbs-state.js';

export interface Size {
  columns: number;
  rows: number;
}

export interface ConfirmState {
  request: SendRequest;
  change: string;
  /** A shell verb to run on yes (then `request` only names it: `:put`, the line typed). */
  verb?: VerbRequest;
}

export interface ShellState {
  prompt: PromptState;
  form: FormState | undefined;
  search: SearchState | undefined;
  confirm: ConfirmState | undefined;
  view: 'history' | 'wire';
  history: HistoryState;
  wire: WireState;
  status: StatusState;
  capabilities: Capabilities | undefined;
  size: Size;
  /** Bumped whenever layouts must be redone for reasons other than width (capabilities learned). */
  epoch: number;
  /** The running verb and the guest's freeze state (src/ui/shell/verbs). */
  verbs: VerbsState;
}

export function initialState(size: Size): ShellState {
  return {
    prompt: INITIAL_PROMPT, form: undefined, search: undefined, confirm: undefined, view: 'history',
    history: INITIAL_HISTORY, wire: INITIAL_WIRE, status: INITIAL_STATUS, capabilities: undefined, size, epoch: 0, verbs: INITIAL_VERBS,
  };
}
