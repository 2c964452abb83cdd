// The shell's state and behaviour, outside React: the one object the app and the tests
// hold. It puts the parts together (the snapshot and its frames in state-cell, the
// session's side in session-link, calls in call-sender, keys in key-router, lines and
// shell commands in shell-actions, the verbs) and is what React reads snapshots from with
// useSyncExternalStore; keys and session events all change the same snapshot.
import type { Completer } from '../../completion/complete.js';
import type { Completion } from '../../completion/types.js';
import type { SchemaLookup } from '../../schema/lookup.js';
import { focusedField } from '../form/use-form-state.js';
import type { CallItem, HistoryItem } from '../history/history-item.js';
import type { LayoutContext } from '../history/item-layout.js';
import { FOLLOW } from '../history/viewport.js';
import type { KeyPress } from '../keys/key-press.js';
import type { Line } from '../text/styled-line.js';
import type { WireEntry } from '../wire/wire-lines.js';
import { CallSender } from './call-sender.js';
import { DerivedState } from './derived-state.js';
import { KeyRouter } from './key-router.js';
import type { RecallStore } from './recall-store.js';
import { Scroller } from './scrolling.js';
import type { SendRequest } from './send-request.js';
import { SessionLink } from './session-link.js';
import type { SettingsPort } from './settings-port.js';
import { ShellActions } from './shell-actions.js';
import type { ShellLayout } from './shell-layout.js';
import { ShellPrefs } from './shell-prefs.js';
import type { ShellSession } from './shell-session.js';
import { initialState, type ShellState, type Size } from './shell-state.js';
import { StateCell } from './state-cell.js';
import { ShellVerbs } from './verbs/shell-verbs.js';

export interface ShellStoreOptions {
  session: ShellSession;
  lookup: SchemaLookup;
  readOnly: boolean;
  timeoutMs: number | undefined;
  recall: RecallStore;
  size: Size;
  initialItems?: readonly HistoryItem[];
  onExit?: () => void;
  /** Where :copy and Alt+C put a line (OSC 52 to the terminal); none when undefined. */
  clipboard?: (text: string) => void;
}

export class ShellStore {
  readonly session: ShellSession;
  readonly lookup: SchemaLookup;
  readonly readOnly: boolean;
  readonly completer: Completer;
  /** The verbs (:exec, :get, ...) and the freeze state: src/ui/shell/verbs. */
  readonly verbs: ShellVerbs;
  private readonly cell: StateCell;
  private readonly prefs: ShellPrefs;
  private readonly derived: DerivedState;
  private readonly sender: CallSender;
  private readonly link: SessionLink;
  private readonly actions: ShellActions;
  private readonly keys: KeyRouter;

  constructor(options: ShellStoreOptions) {
    const { session, lookup, readOnly } = options;
    this.session = session;
    this.lookup = lookup;
    this.readOnly = readOnly;
    const state = initialState(options.size);
    const cell = new StateCell({ ...state, status: { ...state.status, state: session.state }, history: { ...state.history, items: options.initialItems ?? [] } });
    const prefs = new ShellPrefs(options.recall, options.timeoutMs);
    const derived = new DerivedState(cell, lookup);
    const scroller = new Scroller(cell, derived);
    const verbs = new ShellVerbs({
      session,
      lookup,
      readOnly,
      callTimeoutMs: () => prefs.timeoutMs,
      add: (item) => {
        cell.add(item);
        scroller.setScroll(FOLLOW);
      },
      updateItem: (id, change) => cell.history({ type: 'update', id, update: change }),
      state: () => cell.state.verbs,
      setState: (next) => cell.update({ verbs: next }),
      confirm: (verb, line, change) => cell.update({ confirm: { request: { command: line.trim().split(/\s+/)[0]!, args: undefined, line }, change, verb } }),
      thawed: () => this.link.thawed(),
    });
    const sender = new CallSender(cell, session, prefs, verbs);
    const actions = new ShellActions({ cell, derived, scroller, sender, prefs, verbs, session, lookup, readOnly, onExit: options.onExit, clipboard: options.clipboard });
    this.cell = cell;
    this.prefs = prefs;
    this.derived = derived;
    this.completer = derived.completer;
    this.verbs = verbs;
    this.sender = sender;
    this.actions = actions;
    this.link = new SessionLink({ cell, session, lookup, derived, sender, verbs });
    this.keys = new KeyRouter({ cell, derived, scroller, actions, sender, prefs, verbs, session });
  }

  // ---- the external store React reads ----------------------------------------------------

  getSnapshot = (): ShellState => this.cell.state;

  subscribe = (listener: () => void): (() => void) => this.cell.subscribe(listener);

  // ---- session -------------------------------------------------------------------------------

  /** Subscribes to the session and connects. */
  start(options: { connect: boolean } = { connect: true }): void {
    this.link.start(options);
  }

  stop(): void {
    this.link.stop();
    this.cell.stop();
  }

  /** Sends a call and tracks it in the history. Never rejects. */
  send(req: SendRequest, origin: CallItem['origin'] = 'user'): Promise<CallItem> {
    return this.sender.send(req, origin);
  }

  /**
   * Switches to another recall store (the saved history, once the settings have loaded
   * after the first frame); lines entered before then move over to it.
   */
  useRecall(recall: RecallStore): void {
    this.prefs.useRecall(recall);
  }

  recallLines = (): readonly string[] => this.prefs.recall.lines();

  /** The user's settings, once loaded; `timeoutMs` applies unless --timeout was given. */
  useSettings(settings: SettingsPort, timeoutMs: number | undefined): void {
    this.prefs.useSettings(settings, timeoutMs);
  }

  add(item: HistoryItem): void {
    this.cell.add(item);
  }

  // ---- derived values ------------------------------------------------------------------------

  completion(): Completion {
    return this.derived.completion();
  }

  layout(): ShellLayout {
    return this.derived.layout();
  }

  layoutContext(): LayoutContext {
    return this.derived.layoutContext();
  }

  /** Lines of a history item at the current width (cached). */
  itemLines = (item: HistoryItem): Line[] => this.derived.itemLines(item);

  wireEntryLines = (entry: WireEntry): Line[] => this.derived.wireEntryLines(entry);

  resize(size: Size): void {
    const current = this.cell.state.size;
    if (size.columns === current.columns && size.rows === current.rows) return;
    this.cell.update({ size });
  }

  // ---- keys and lines ------------------------------------------------------------------------

  handleKey(press: KeyPress): void {
    this.keys.handleKey(press);
  }

  submit(line: string): void {
    this.actions.submit(line);
  }

  /** For tests and the bench: the focused form field's path. */
  focusedPath(): string | undefined {
    const form = this.cell.state.form;
    return form ? focusedField(form)?.path : undefined;
  }
}
