// Where a key press goes. The layers active now (a confirmation, the recall search, the
// form, the completion list, the prompt, the global keys) decide what the key means, and
// each layer's handler applies it to the latest snapshot at once, so keys typed or pasted
// quickly never act on a stale one.
import { changeOf } from '../../schema/annotations.js';
import { callLine } from '../form/form-model.js';
import { checkForm } from '../form/form-rows.js';
import { formReducer, type FormAction } from '../form/use-form-state.js';
import { formKey } from '../form/use-form.js';
import { notice } from '../history/history-item.js';
import { FOLLOW, HOME } from '../history/viewport.js';
import { dispatchKey, type Dispatch } from '../keys/dispatch.js';
import type { Action, Layer } from '../keys/key-bindings.js';
import type { KeyPress } from '../keys/key-press.js';
import { currentMatch, INITIAL_SEARCH, searchReducer } from '../search/use-search-state.js';
import { searchKey } from '../search/use-search.js';
import type { CallSender } from './call-sender.js';
import type { DerivedState } from './derived-state.js';
import type { Scroller } from './scrolling.js';
import type { ShellActions } from './shell-actions.js';
import type { ShellPrefs } from './shell-prefs.js';
import type { ShellSession } from './shell-session.js';
import type { StateCell } from './state-cell.js';
import type { ShellVerbs } from './verbs/shell-verbs.js';

export interface KeyRouterParts {
  cell: StateCell;
  derived: DerivedState;
  scroller: Scroller;
  actions: ShellActions;
  sender: CallSender;
  prefs: ShellPrefs;
  verbs: ShellVerbs;
  session: ShellSession;
}

export class KeyRouter {
  private readonly parts: KeyRouterParts;
  private readonly cell: StateCell;

  constructor(parts: KeyRouterParts) {
    this.parts = parts;
    this.cell = parts.cell;
  }

  handleKey(press: KeyPress): void {
    const layers = this.activeLayers();
    const d = dispatchKey(press, layers, !this.cell.state.confirm);
    this.cell.urgently(() => this.route(d));
  }

  private activeLayers(): Set<Layer> {
    const s = this.cell.state;
    if (s.confirm) return new Set(['confirm']);
    if (s.search) return new Set(['search', 'edit', 'global']);
    if (s.form) return new Set(['form', 'edit', 'global']);
    const layers = new Set<Layer>(['edit', 'prompt', 'global']);
    if (s.prompt.listOpen && this.parts.derived.completion().candidates.length > 0) layers.add('completion');
    return layers;
  }

  private route(d: Dispatch): void {
    if (d.type === 'none') return;
    const s = this.cell.state;
    if (d.type === 'text') {
      if (s.search) this.cell.update({ search: searchReducer(s.search, { type: 'type', text: d.text }) });
      else if (s.form) this.formAction({ type: 'insert', text: d.text });
      else this.cell.prompt({ type: 'insert', text: d.text });
      return;
    }
    const { action, layer } = d;
    if (layer === 'confirm') return this.onConfirm(action);
    if (s.search && (layer === 'search' || layer === 'edit')) return this.onSearch(action);
    if (s.form && (layer === 'form' || layer === 'edit')) return this.onForm(action);
    if (layer === 'completion') return this.onCompletion(action);
    if (layer === 'edit') return this.cell.prompt({ type: 'edit', action });
    if (layer === 'prompt') return this.onPrompt(action);
    return this.onGlobal(action);
  }

  private onConfirm(action: Action): void {
    const pending = this.cell.state.confirm;
    if (!pending) return;
    this.cell.update({ confirm: undefined });
    if (pending.verb) {
      if (action === 'confirm-yes') this.parts.verbs.confirmed(pending.verb, pending.request.line);
      else this.cell.add(notice('info', `${pending.request.command} not run; nothing was changed.`));
      return this.parts.scroller.setScroll(FOLLOW);
    }
    if (action === 'confirm-yes') this.parts.actions.dispatchSend(pending.request);
    else this.cell.add(notice('info', `${pending.request.command} not sent.`));
  }

  private onSearch(action: Action): void {
    const search = this.cell.state.search!;
    const lines = this.parts.prefs.recall.lines();
    switch (searchKey(action)) {
      case 'older':
        return this.cell.update({ search: searchReducer(search, { type: 'older', lines }) });
      case 'erase':
        return this.cell.update({ search: searchReducer(search, { type: 'erase' }) });
      case 'accept': {
        const match = currentMatch(search, lines);
        this.cell.update({ search: undefined });
        if (match !== undefined) this.cell.prompt({ type: 'set', value: match });
        return;
      }
      case 'abort':
        return this.cell.update({ search: undefined });
      case 'none':
        return;
    }
  }

  private formAction(action: FormAction): void {
    const form = this.cell.state.form;
    if (form) this.cell.update({ form: formReducer(form, action) });
  }

  private onForm(action: Action): void {
    const form = this.cell.state.form!;
    const result = formKey(form, action);
    if (result.kind === 'update') return this.formAction(result.action);
    if (result.kind === 'back') {
      const { args } = checkForm(form, false);
      this.cell.update({ form: undefined });
      this.cell.prompt({ type: 'set', value: callLine(form.command, args) });
      return;
    }
    if (result.kind === 'send') {
      const check = checkForm(form, true);
      const firstBad = Object.keys(check.errors)[0];
      if (firstBad !== undefined || check.problem) {
        let next = formReducer(form, { type: 'tried-send' });
        if (firstBad !== undefined) next = formReducer(next, { type: 'focus-path', path: firstBad });
        this.cell.update({ form: next });
        return;
      }
      this.cell.update({ form: undefined });
      this.cell.prompt({ type: 'clear' });
      const line = callLine(form.command, check.args);
      this.parts.prefs.recall.add(line);
      this.parts.actions.request({ command: form.command, args: check.args, line }, changeOf(form.command, check.args));
    }
  }

  private onCompletion(action: Action): void {
    const completion = this.parts.derived.completion();
    const count = completion.candidates.length;
    switch (action) {
      case 'select-next':
        return this.cell.prompt({ type: 'move', delta: 1, count });
      case 'select-previous':
        return this.cell.prompt({ type: 'move', delta: -1, count });
      case 'accept':
        return this.acceptCandidate();
      case 'close':
        return this.cell.prompt({ type: 'close-list' });
    }
  }

  private acceptCandidate(): void {
    const completion = this.parts.derived.completion();
    const candidate = completion.candidates[this.cell.state.prompt.selected] ?? completion.candidates[0];
    if (!candidate) return;
    this.cell.prompt({ type: 'accept', from: completion.from, to: completion.to, insert: candidate.insert, continues: candidate.continues });
  }

  private onPrompt(action: Action): void {
    const { derived, actions } = this.parts;
    const p = this.cell.state.prompt;
    const recall = this.parts.prefs.recall.lines();
    switch (action) {
      case 'submit':
        if (p.listOpen && p.moved && derived.completion().candidates.length > 0) return this.acceptCandidate();
        return actions.submit(p.line.value);
      case 'complete': {
        const candidates = derived.completion().candidates;
        if (candidates.length === 1) return this.acceptCandidate();
        return this.cell.prompt({ type: 'open-list' });
      }
      case 'recall-older':
        return this.cell.prompt({ type: 'recall-older', lines: recall });
      case 'recall-newer':
        return this.cell.prompt({ type: 'recall-newer', lines: recall });
      case 'search':
        return this.cell.update({ search: INITIAL_SEARCH });
      case 'open-form':
        return actions.openFormFromLine();
      case 'close':
        if (!p.listOpen && this.parts.verbs.stopWatch()) return;
        return this.cell.prompt({ type: 'close-list' });
      case 'quit':
        if (p.line.value === '') return actions.exit();
        return this.cell.prompt({ type: 'edit', action: 'erase-forward' });
    }
  }

  private onGlobal(action: Action): void {
    const { scroller, actions } = this.parts;
    const s = this.cell.state;
    switch (action) {
      case 'cancel':
        return this.cancel();
      case 'help':
        return actions.showHelp(this.parts.derived.commandInFocus());
      case 'toggle-wire':
        return this.cell.update({ view: s.view === 'wire' ? 'history' : 'wire' });
      case 'toggle-raw':
        return this.cell.history({ type: 'toggle-raw' });
      case 'toggle-fold':
        return scroller.toggleFold();
      case 'page-up':
      case 'page-down': {
        const h = this.parts.derived.layout().historyHeight;
        return scroller.scroll(action === 'page-up' ? -(h - 1) : h - 1);
      }
      case 'scroll-top':
        return scroller.setScroll(HOME);
      case 'scroll-bottom':
        return scroller.setScroll(FOLLOW);
      case 'redraw':
        // A new snapshot makes Ink draw the frame again.
        return this.cell.set({ ...s });
      case 'copy-as':
        return actions.showCopy(s.form ? callLine(s.form.command, checkForm(s.form, false).args) : s.prompt.line.value);
    }
  }

  private cancel(): void {
    const s = this.cell.state;
    // A verb first: cancelling one of its calls instead would lose what that call carried.
    if (this.parts.verbs.stop()) return;
    if (this.parts.sender.inFlight > 0 && this.parts.session.cancel()) return;
    if (s.form) return this.onForm('back');
    if (s.search) return this.cell.update({ search: undefined });
    if (s.prompt.line.value !== '') return this.cell.prompt({ type: 'clear' });
    this.cell.add(notice('info', 'Nothing to cancel. Ctrl+D or :quit leaves the shell.'));
  }
}
