// The shell's state and behaviour, outside React. Keys go through the one dispatcher and
// are applied to the latest state synchronously, one after another, so fast typing and
// pasted key sequences never act on a stale snapshot. Session events feed the same state.
// React reads snapshots with useSyncExternalStore and draws them.
import { Completer } from '../../completion/complete.js';
import type { AgentSupport, Completion } from '../../completion/types.js';
import { UNKNOWN_SUPPORT } from '../../completion/types.js';
import { asQemuHostError } from '../../protocol/errors.js';
import { isJsonObject, type JsonObject } from '../../protocol/json.js';
import { base64Members, changeOf, redactRequest } from '../../schema/annotations.js';
import { parseCallLine } from '../../schema/call-syntax.js';
import { Capabilities, parseAgentInfo } from '../../schema/capabilities.js';
import type { SchemaLookup } from '../../schema/lookup.js';
import type { StateChange, WireEvent } from '../../session/events.js';
import type { CallOptions } from '../../session/session.js';
import { callLine } from '../form/form-model.js';
import { checkForm } from '../form/form-rows.js';
import { focusedField, formReducer, openForm, type FormAction } from '../form/use-form-state.js';
import { formKey } from '../form/use-form.js';
import { itemId, notice, type CallItem, type HistoryItem } from '../history/history-item.js';
import { LayoutCache, type LayoutContext } from '../history/item-layout.js';
import { historyReducer, type HistoryAction } from '../history/use-history-state.js';
import { computeWindow, FOLLOW, HOME, scrollBy, scrollToItem, type ScrollPos } from '../history/viewport.js';
import { dispatchKey, type Dispatch } from '../keys/dispatch.js';
import type { Action, Layer } from '../keys/key-bindings.js';
import type { KeyPress } from '../keys/key-press.js';
import { promptReducer, type PromptAction } from '../prompt/use-prompt-state.js';
import { currentMatch, INITIAL_SEARCH, searchReducer } from '../search/use-search-state.js';
import { searchKey } from '../search/use-search.js';
import { statusReducer, type StatusAction } from '../status-bar/use-status-state.js';
import type { Line } from '../text/styled-line.js';
import { wireLines, type WireEntry } from '../wire/wire-lines.js';
import { wireReducer } from '../wire/use-wire-state.js';
import { fromError, fromResult } from './call-outcome.js';
import { BROKER_INFO_COMMAND, BrokerWatch } from './broker-watch.js';
import { copyNotice } from './copy-notice.js';
import { displayLine } from './line-secrets.js';
import { META_COMMANDS } from './meta-commands.js';
import { planLine, type MetaName } from './plan.js';
import type { RecallStore } from './recall-store.js';
import type { SendRequest } from './send-request.js';
import type { SettingsPort } from './settings-port.js';
import { computeLayout, type ShellLayout } from './shell-layout.js';
import type { ShellSession } from './shell-session.js';
import { initialState, type ShellState, type Size } from './shell-state.js';
import { isVerbName, type VerbName } from './verbs/verb-item.js';
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
}

const WIRE_FLUSH_MS = 30;
/** The shortest gap between two frames for updates that did not come from a key (60 Hz). */
const BACKGROUND_FRAME_MS = 16;
/** While a verb runs (hundreds of calls a second, each a state change): four frames a second show its progress. */
const VERB_FRAME_MS = 250;
/** How often a shared (brokered) shell asks how many clients are attached, when idle. */
const SHARED_REFRESH_MS = 15_000;

export class ShellStore {
  readonly session: ShellSession;
  readonly lookup: SchemaLookup;
  readonly readOnly: boolean;
  readonly completer: Completer;
  private readonly options: ShellStoreOptions;
  private state: ShellState;
  private readonly listeners = new Set<() => void>();
  private notifyQueued = false;
  private notifyTimer: NodeJS.Timeout | undefined;
  private lastNotify = 0;
  /** Handling a key press: its frame is drawn without waiting for the next frame slot. */
  private urgent = false;
  private readonly layoutCache = new LayoutCache();
  private readonly wireCache = new WeakMap<WireEntry, { width: number; lines: Line[] }>();
  private completionMemo: { key: string; value: Completion } | undefined;
  private support: AgentSupport = UNKNOWN_SUPPORT;
  private inFlight = 0;
  private offs: (() => void)[] = [];
  private wireBuffer: WireEvent[] = [];
  private wireTimer: NodeJS.Timeout | undefined;
  private needInfo = true;
  private lastError: string | undefined;
  private stopped = false;
  private recall: RecallStore;
  private settings: SettingsPort | undefined;
  private timeoutMs: number | undefined;
  /** The verbs (:exec, :get, ...) and the freeze state: src/ui/shell/verbs. */
  readonly verbs: ShellVerbs;
  private capsLearnedFrozen = false;
  private readonly brokerWatch: BrokerWatch;
  private sharedTimer: NodeJS.Timeout | undefined;

  constructor(options: ShellStoreOptions) {
    this.options = options;
    this.session = options.session;
    this.lookup = options.lookup;
    this.readOnly = options.readOnly;
    this.completer = new Completer(options.lookup, META_COMMANDS);
    this.recall = options.recall;
    this.timeoutMs = options.timeoutMs;
    this.brokerWatch = new BrokerWatch(options.session, (shared) => this.status({ type: 'shared', shared }));
    const state = initialState(options.size);
    this.state = { ...state, status: { ...state.status, state: options.session.state }, history: { ...state.history, items: options.initialItems ?? [] } };
    this.verbs = new ShellVerbs({
      session: options.session,
      lookup: options.lookup,
      readOnly: options.readOnly,
      callTimeoutMs: () => this.timeoutMs,
      add: (item) => {
        this.add(item);
        this.setScroll(FOLLOW);
      },
      updateItem: (id, change) => this.history({ type: 'update', id, update: change }),
      state: () => this.state.verbs,
      setState: (verbs) => this.update({ verbs }),
      confirm: (verb, line, change) => this.update({ confirm: { request: { command: line.trim().split(/\s+/)[0]!, args: undefined, line }, change, verb } }),
      thawed: () => {
        // Capabilities learned while frozen mark nearly every command disabled: ask again.
        if (this.capsLearnedFrozen && !this.stopped) void this.learnCapabilities('thawed');
      },
    });
  }

  // ---- the external store React reads ----------------------------------------------------

  getSnapshot = (): ShellState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(next: ShellState): void {
    if (next === this.state) return;
    this.state = next;
    if (this.notifyQueued) return;
    // Keys draw at once. What the session and the verbs report (state changes, stats, a
    // chunk copied) draws at most once a frame: a verb's hundreds of calls a second would
    // otherwise redraw the whole app for each one.
    const gap = this.state.verbs.running ? VERB_FRAME_MS : BACKGROUND_FRAME_MS;
    const wait = this.urgent ? 0 : this.lastNotify + gap - performance.now();
    if (wait > 0) {
      this.notifyTimer ??= setTimeout(() => this.notify(), wait);
      return;
    }
    this.notifyQueued = true;
    queueMicrotask(() => this.notify());
  }

  private notify(): void {
    clearTimeout(this.notifyTimer);
    this.notifyTimer = undefined;
    this.notifyQueued = false;
    this.lastNotify = performance.now();
    for (const l of [...this.listeners]) l();
  }

  private update(change: Partial<ShellState>): void {
    this.set({ ...this.state, ...change });
  }

  private history(action: HistoryAction): void {
    this.update({ history: historyReducer(this.state.history, action) });
  }

  private prompt(action: PromptAction): void {
    this.update({ prompt: promptReducer(this.state.prompt, action) });
  }

  private status(action: StatusAction): void {
    this.update({ status: statusReducer(this.state.status, action) });
  }

  // ---- session -------------------------------------------------------------------------------

  /** Subscribes to the session and connects. */
  start(options: { connect: boolean } = { connect: true }): void {
    const s = this.session;
    this.offs.push(
      s.on('state', (change) => this.onState(change)),
      s.on('wire', (event) => this.onWire(event)),
      s.on('call-end', (call) => {
        this.refreshStats();
        if (call.execute !== BROKER_INFO_COMMAND) this.brokerWatch.refreshSoon();
      }),
      s.on('agent-info', (info) => this.status({ type: 'agent', version: info.version })),
      this.verbs.attach(),
    );
    if (!options.connect) return;
    this.add(notice('info', `qemu-host shell · ${s.transport.description} · schema ${this.lookup.schema.qemuVersion ? `QEMU ${this.lookup.schema.qemuVersion}` : this.lookup.schema.origin}, ${this.lookup.commands().length} commands`,
      'Type a command: the list completes it (Tab accepts). Ctrl+O opens an argument form, Ctrl+G shows help, :keys lists the keys, Ctrl+D leaves.'));
    s.connect().catch((err: unknown) => {
      const e = asQemuHostError(err);
      if (!this.stopped && this.session.state !== 'disconnected') this.noteError(e.message, e.hint);
    });
  }

  stop(): void {
    this.stopped = true;
    this.verbs.stop();
    for (const off of this.offs.splice(0)) off();
    clearTimeout(this.wireTimer);
    clearTimeout(this.notifyTimer);
    clearInterval(this.sharedTimer);
    this.brokerWatch.stop();
  }

  private onState(change: StateChange): void {
    this.status({ type: 'state', state: change.state, detail: change.detail });
    this.refreshStats();
    if (change.state === 'connecting') {
      this.needInfo = true;
      this.brokerWatch.reset();
    }
    if (change.state === 'disconnected' && change.error) {
      // A command in flight reports the failure in its own entry; say it once.
      if (this.inFlight > 0 || this.verbs.running) this.lastError = change.error.message;
      else this.noteError(change.error.message, change.error.hint);
    }
    if (change.state === 'ready' && this.needInfo) {
      this.needInfo = false;
      this.lastError = undefined;
      void this.learnCapabilities();
    }
  }

  /** An error notice, once: a reconnect loop failing the same way does not repeat it. */
  private noteError(message: string, hint: string | undefined): void {
    if (this.lastError === message) return;
    this.lastError = message;
    this.add(notice('error', message, hint));
  }

  private refreshStats(): void {
    const s = this.session.stats;
    this.status({ type: 'stats', discardedBytes: s.discardedBytes, discardedMessages: s.discardedMessages, syncs: s.syncs, rttMs: s.lastRttMs });
  }

  private onWire(event: WireEvent): void {
    this.wireBuffer.push(event);
    if (event.direction === 'discard') this.refreshStats();
    this.wireTimer ??= setTimeout(() => {
      this.wireTimer = undefined;
      const events = this.wireBuffer;
      this.wireBuffer = [];
      this.update({ wire: wireReducer(this.state.wire, { type: 'events', events }) });
    }, WIRE_FLUSH_MS);
  }

  private async learnCapabilities(why: 'connected' | 'thawed' = 'connected'): Promise<void> {
    const done = await this.send({ command: 'guest-info', args: undefined, line: 'guest-info' }, 'shell');
    if (this.stopped || done.status !== 'ok' || !isJsonObject(done.value)) return;
    try {
      const info = parseAgentInfo(done.value);
      this.session.noteAgentInfo({ version: info.version, supported: done.value.supported_commands ?? [] });
      const caps = new Capabilities(this.lookup, info);
      this.support = { availability: (c) => mapAvailability(caps.availability(c)) };
      this.completionMemo = undefined;
      this.update({ capabilities: caps, epoch: this.state.epoch + 1 });
      const enabled = caps.all().filter((v) => v.availability === 'enabled').length;
      this.add(notice('ok', `${why === 'connected' ? 'Connected' : 'Thawed'}: qemu-ga ${info.version}, ${enabled} of ${info.commands.size} commands enabled.`));
      // Frozen filesystems make the agent refuse most commands: the banner must show it.
      if (why === 'connected' && caps.availability('guest-fsfreeze-status') === 'enabled') await this.verbs.checkFreeze();
      this.capsLearnedFrozen = this.state.verbs.freeze.status === 'frozen';
      if (why === 'connected') await this.learnSharing();
    } catch (err) {
      this.add(notice('warn', `guest-info answered something unexpected: ${asQemuHostError(err).message}`));
    }
  }

  /** Asks whether this is a broker's socket; while it is, keeps the client count fresh. */
  private async learnSharing(): Promise<void> {
    await this.brokerWatch.refresh(true);
    if (this.stopped || !this.brokerWatch.shared || this.sharedTimer) return;
    this.sharedTimer = setInterval(() => {
      if (this.session.state === 'ready' && this.brokerWatch.shared) void this.brokerWatch.refresh();
    }, SHARED_REFRESH_MS);
    this.sharedTimer.unref?.();
  }

  /** Sends a call and tracks it in the history. Never rejects. */
  send(req: SendRequest, origin: CallItem['origin'] = 'user'): Promise<CallItem> {
    const preview: JsonObject = req.raw ?? (req.args === undefined ? { execute: req.command } : { execute: req.command, arguments: req.args });
    const item: CallItem = {
      kind: 'call', id: itemId(), command: req.command, line: displayLine(req.line), request: redactRequest(preview),
      origin, status: 'pending', startedAt: Date.now(), base64Members: base64Members(req.command, 'returns'),
    };
    this.add(item);
    const options: CallOptions = {};
    if (this.timeoutMs !== undefined) options.timeoutMs = this.timeoutMs;
    if (req.raw) options.raw = req.raw;
    const started = performance.now();
    this.inFlight += 1;
    return this.session
      .call(req.command, req.args, options)
      .then((result) => fromResult(item, result), async (err: unknown) => {
        const ms = performance.now() - started;
        // "Disabled" may mean frozen, not policy: ask, and say which.
        const explained = await this.verbs.explain(err, req.command);
        const failed = fromError(item, explained, ms);
        return explained === err ? failed : { ...failed, message: explained.message };
      })
      .then((done) => {
        this.inFlight -= 1;
        this.history({ type: 'update', id: item.id, update: () => done });
        return done;
      });
  }

  /**
   * Switches to another recall store (the saved history, once the settings have loaded
   * after the first frame); lines entered before then move over to it.
   */
  useRecall(recall: RecallStore): void {
    const earlier = this.recall.lines();
    this.recall = recall;
    for (const line of earlier) recall.add(line);
  }

  recallLines = (): readonly string[] => this.recall.lines();

  /** The user's settings, once loaded; `timeoutMs` applies unless --timeout was given. */
  useSettings(settings: SettingsPort, timeoutMs: number | undefined): void {
    this.settings = settings;
    if (this.options.timeoutMs === undefined) this.timeoutMs = timeoutMs;
  }

  add(item: HistoryItem): void {
    this.history({ type: 'add', item });
  }

  // ---- derived values ------------------------------------------------------------------------

  completion(): Completion {
    const { line } = this.state.prompt;
    const key = `${line.cursor}\u0000${line.value}`;
    if (this.completionMemo?.key !== key) this.completionMemo = { key, value: this.completer.complete(line.value, line.cursor, this.support) };
    return this.completionMemo.value;
  }

  layout(): ShellLayout {
    return computeLayout(this.state, this.completion());
  }

  layoutContext(): LayoutContext {
    const s = this.state;
    return { lookup: this.lookup, capabilities: s.capabilities, width: Math.max(20, s.size.columns), raw: s.history.raw, expanded: s.history.expanded, epoch: s.epoch };
  }

  /** Lines of a history item at the current width (cached). */
  itemLines = (item: HistoryItem): Line[] => this.layoutCache.lines(item, this.layoutContext());

  wireEntryLines = (entry: WireEntry): Line[] => {
    const width = Math.max(20, this.state.size.columns);
    const hit = this.wireCache.get(entry);
    if (hit && hit.width === width) return hit.lines;
    const lines = wireLines(entry, width);
    this.wireCache.set(entry, { width, lines });
    return lines;
  };

  resize(size: Size): void {
    if (size.columns === this.state.size.columns && size.rows === this.state.size.rows) return;
    this.update({ size });
  }

  // ---- keys ----------------------------------------------------------------------------------

  private activeLayers(): Set<Layer> {
    const s = this.state;
    if (s.confirm) return new Set(['confirm']);
    if (s.search) return new Set(['search', 'edit', 'global']);
    if (s.form) return new Set(['form', 'edit', 'global']);
    const layers = new Set<Layer>(['edit', 'prompt', 'global']);
    if (s.prompt.listOpen && this.completion().candidates.length > 0) layers.add('completion');
    return layers;
  }

  handleKey(press: KeyPress): void {
    const layers = this.activeLayers();
    const d = dispatchKey(press, layers, !this.state.confirm);
    this.urgent = true;
    try {
      this.route(d);
    } finally {
      this.urgent = false;
    }
  }

  private route(d: Dispatch): void {
    if (d.type === 'none') return;
    const s = this.state;
    if (d.type === 'text') {
      if (s.search) this.update({ search: searchReducer(s.search, { type: 'type', text: d.text }) });
      else if (s.form) this.formAction({ type: 'insert', text: d.text });
      else this.prompt({ type: 'insert', text: d.text });
      return;
    }
    const { action, layer } = d;
    if (layer === 'confirm') return this.onConfirm(action);
    if (s.search && (layer === 'search' || layer === 'edit')) return this.onSearch(action);
    if (s.form && (layer === 'form' || layer === 'edit')) return this.onForm(action);
    if (layer === 'completion') return this.onCompletion(action);
    if (layer === 'edit') return this.prompt({ type: 'edit', action });
    if (layer === 'prompt') return this.onPrompt(action);
    return this.onGlobal(action);
  }

  private onConfirm(action: Action): void {
    const pending = this.state.confirm;
    if (!pending) return;
    this.update({ confirm: undefined });
    if (pending.verb) {
      if (action === 'confirm-yes') this.verbs.confirmed(pending.verb, pending.request.line);
      else this.add(notice('info', `${pending.request.command} not run; nothing was changed.`));
      return this.setScroll(FOLLOW);
    }
    if (action === 'confirm-yes') this.dispatchSend(pending.request);
    else this.add(notice('info', `${pending.request.command} not sent.`));
  }

  private onSearch(action: Action): void {
    const search = this.state.search!;
    const lines = this.recall.lines();
    switch (searchKey(action)) {
      case 'older':
        return this.update({ search: searchReducer(search, { type: 'older', lines }) });
      case 'erase':
        return this.update({ search: searchReducer(search, { type: 'erase' }) });
      case 'accept': {
        const match = currentMatch(search, lines);
        this.update({ search: undefined });
        if (match !== undefined) this.prompt({ type: 'set', value: match });
        return;
      }
      case 'abort':
        return this.update({ search: undefined });
      case 'none':
        return;
    }
  }

  private formAction(action: FormAction): void {
    if (this.state.form) this.update({ form: formReducer(this.state.form, action) });
  }

  private onForm(action: Action): void {
    const form = this.state.form!;
    const result = formKey(form, action);
    if (result.kind === 'update') return this.formAction(result.action);
    if (result.kind === 'back') {
      const { args } = checkForm(form, false);
      this.update({ form: undefined });
      this.prompt({ type: 'set', value: callLine(form.command, args) });
      return;
    }
    if (result.kind === 'send') {
      const check = checkForm(form, true);
      const firstBad = Object.keys(check.errors)[0];
      if (firstBad !== undefined || check.problem) {
        let next = formReducer(form, { type: 'tried-send' });
        if (firstBad !== undefined) next = formReducer(next, { type: 'focus-path', path: firstBad });
        this.update({ form: next });
        return;
      }
      this.update({ form: undefined });
      this.prompt({ type: 'clear' });
      const line = callLine(form.command, check.args);
      this.recall.add(line);
      this.request({ command: form.command, args: check.args, line }, changeOf(form.command, check.args));
    }
  }

  private onCompletion(action: Action): void {
    const completion = this.completion();
    const count = completion.candidates.length;
    switch (action) {
      case 'select-next':
        return this.prompt({ type: 'move', delta: 1, count });
      case 'select-previous':
        return this.prompt({ type: 'move', delta: -1, count });
      case 'accept':
        return this.acceptCandidate();
      case 'close':
        return this.prompt({ type: 'close-list' });
    }
  }

  private acceptCandidate(): void {
    const completion = this.completion();
    const candidate = completion.candidates[this.state.prompt.selected] ?? completion.candidates[0];
    if (!candidate) return;
    this.prompt({ type: 'accept', from: completion.from, to: completion.to, insert: candidate.insert, continues: candidate.continues });
  }

  private onPrompt(action: Action): void {
    const p = this.state.prompt;
    const recall = this.recall.lines();
    switch (action) {
      case 'submit':
        if (p.listOpen && p.moved && this.completion().candidates.length > 0) return this.acceptCandidate();
        return this.submit(p.line.value);
      case 'complete': {
        const candidates = this.completion().candidates;
        if (candidates.length === 1) return this.acceptCandidate();
        return this.prompt({ type: 'open-list' });
      }
      case 'recall-older':
        return this.prompt({ type: 'recall-older', lines: recall });
      case 'recall-newer':
        return this.prompt({ type: 'recall-newer', lines: recall });
      case 'search':
        return this.update({ search: INITIAL_SEARCH });
      case 'open-form':
        return this.openFormFromLine();
      case 'close':
        if (!p.listOpen && this.verbs.stopWatch()) return;
        return this.prompt({ type: 'close-list' });
      case 'quit':
        if (p.line.value === '') return this.exit();
        return this.prompt({ type: 'edit', action: 'erase-forward' });
    }
  }

  private onGlobal(action: Action): void {
    const s = this.state;
    switch (action) {
      case 'cancel':
        return this.cancel();
      case 'help':
        return this.showHelp(this.commandInFocus());
      case 'toggle-wire':
        return this.update({ view: s.view === 'wire' ? 'history' : 'wire' });
      case 'toggle-raw':
        return this.history({ type: 'toggle-raw' });
      case 'toggle-fold':
        return this.toggleFold();
      case 'page-up':
      case 'page-down': {
        const h = this.layout().historyHeight;
        return this.scroll(action === 'page-up' ? -(h - 1) : h - 1);
      }
      case 'scroll-top':
        return this.setScroll(HOME);
      case 'scroll-bottom':
        return this.setScroll(FOLLOW);
      case 'redraw':
        // A new snapshot makes Ink draw the frame again.
        return this.set({ ...s });
      case 'copy-as':
        return this.showCopy(s.form ? callLine(s.form.command, checkForm(s.form, false).args) : s.prompt.line.value);
    }
  }

  // ---- what actions do -------------------------------------------------------------------------

  private cancel(): void {
    const s = this.state;
    // A verb first: cancelling one of its calls instead would lose what that call carried.
    if (this.verbs.stop()) return;
    if (this.inFlight > 0 && this.session.cancel()) return;
    if (s.form) return this.onForm('back');
    if (s.search) return this.update({ search: undefined });
    if (s.prompt.line.value !== '') return this.prompt({ type: 'clear' });
    this.add(notice('info', 'Nothing to cancel. Ctrl+D or :quit leaves the shell.'));
  }

  private exit(): void {
    this.verbs.beforeQuit(() => this.options.onExit?.());
  }

  /** The command the user is looking at: the form's, the highlighted candidate, or the line's. */
  private commandInFocus(): string | undefined {
    const s = this.state;
    if (s.form) return s.form.command;
    const completion = this.completion();
    const candidate = completion.candidates[s.prompt.selected];
    if (s.prompt.listOpen && candidate?.kind === 'command') return candidate.label;
    const first = s.prompt.line.value.trim().split(/\s+/)[0];
    if (first && isVerbName(first.slice(1)) && first.startsWith(':')) return first;
    return first && !first.startsWith(':') ? first : completion.command;
  }

  private showHelp(arg: string | undefined): void {
    // `:help exec` means the verb unless a command has that name.
    const command = arg && isVerbName(arg.replace(/^:/, '')) && !this.lookup.command(arg) ? `:${arg.replace(/^:/, '')}` : arg;
    if (!command) {
      this.add({ kind: 'keys', id: itemId() });
      return this.setScroll(scrollToItem(this.state.history.items.length - 1));
    }
    this.add({ kind: 'help', id: itemId(), command });
    this.setScroll(scrollToItem(this.state.history.items.length - 1));
  }

  private openFormFromLine(): void {
    const s = this.state;
    const command = this.commandInFocus();
    if (!command || !this.lookup.command(command)) {
      this.add(notice('warn', command ? `No form: ${command} is not in the schema.` : 'Type a command first; Ctrl+O then opens its argument form.'));
      return;
    }
    let args: JsonObject | undefined;
    try {
      const parsed = parseCallLine(s.prompt.line.value);
      if (parsed.command === command) args = parsed.args;
    } catch {
      args = undefined;
    }
    this.update({ form: openForm(this.lookup, command, args) });
    this.prompt({ type: 'clear' });
  }

  submit(line: string): void {
    const plan = planLine(line, this.lookup);
    switch (plan.kind) {
      case 'empty':
        return this.prompt({ type: 'clear' });
      case 'problem':
        this.add(notice('error', plan.message, plan.hint));
        return this.setScroll(FOLLOW);
      case 'meta':
        if (isVerbName(plan.name) && this.verbs.busyReason(line) && !(plan.name === 'watch' && !plan.arg)) {
          this.add(notice('warn', this.verbs.busyReason(line)!));
          return this.setScroll(FOLLOW);
        }
        this.recall.add(line);
        this.prompt({ type: 'clear' });
        if (isVerbName(plan.name)) return this.verbs.submit(plan.name, plan.arg, line);
        return this.runMeta(plan.name, plan.arg);
      case 'form':
        this.add(notice('info', `${plan.command} needs ${plan.missing.join(', ')}: fill in the form (Enter sends, Esc returns to the line).`));
        this.update({ form: openForm(this.lookup, plan.command, plan.args) });
        this.prompt({ type: 'clear' });
        return this.setScroll(FOLLOW);
      case 'call': {
        const busy = this.verbs.busyReason(line);
        if (busy) {
          this.add(notice('warn', busy));
          return this.setScroll(FOLLOW);
        }
        this.recall.add(line);
        this.prompt({ type: 'clear' });
        return this.request(plan.raw ? { command: plan.command, args: plan.args, raw: plan.raw, line } : { command: plan.command, args: plan.args, line }, plan.change);
      }
    }
  }

  /** Sends, asks first, or refuses in read-only mode, depending on what the call changes. */
  private request(req: SendRequest, change: string | undefined): void {
    this.setScroll(FOLLOW);
    if (change === undefined) return this.dispatchSend(req);
    if (this.readOnly) {
      this.add(notice('warn', `Refused: ${req.command} ${change}, and the shell is read-only (--read-only). Nothing was sent.`));
      return;
    }
    this.update({ confirm: { request: req, change } });
  }

  private dispatchSend(req: SendRequest): void {
    this.setScroll(FOLLOW);
    void this.send(req);
  }

  private runMeta(name: Exclude<MetaName, VerbName>, arg: string | undefined): void {
    switch (name) {
      case 'help':
        return this.showHelp(arg);
      case 'commands':
        this.add({ kind: 'commands', id: itemId() });
        return this.setScroll(scrollToItem(this.state.history.items.length - 1));
      case 'keys':
        return this.showHelp(undefined);
      case 'form':
        if (!arg || !this.lookup.command(arg)) {
          this.add(notice('warn', arg ? `No form: ${arg} is not in the schema.` : 'Usage: :form COMMAND'));
          return;
        }
        return this.update({ form: openForm(this.lookup, arg) });
      case 'wire':
        return this.update({ view: this.state.view === 'wire' ? 'history' : 'wire' });
      case 'raw':
        return this.history({ type: 'toggle-raw' });
      case 'clear':
        return this.history({ type: 'clear' });
      case 'settings':
      case 'set':
      case 'profile':
        return this.runSettings(name, arg);
      case 'copy':
        return this.showCopy(arg ?? '');
      case 'quit':
        return this.exit();
    }
  }

  /** The request on `line` (or the last one sent) as virsh and socat lines, in a notice. */
  private showCopy(line: string): void {
    const last = this.state.history.items.findLast((item): item is CallItem => item.kind === 'call' && item.origin === 'user');
    this.add(copyNotice({ line, lookup: this.lookup, last: last?.request, endpoint: this.session.transport.description, timeoutMs: this.timeoutMs }));
    this.setScroll(FOLLOW);
  }

  private runSettings(name: 'settings' | 'set' | 'profile', arg: string | undefined): void {
    const settings = this.settings;
    if (!settings) {
      this.add(notice('warn', 'The settings have not loaded (see the notice above); nothing can be changed this time.'));
      return;
    }
    const [first = '', ...rest] = (arg ?? '').split(/\s+/).filter(Boolean);
    const value = rest.join(' ');
    try {
      if (name === 'settings') {
        this.add(notice('info', settings.describe().join('\n')));
      } else if (name === 'set') {
        if (!first || !value) throw new Error('usage: :set KEY VALUE (keys: theme, history-size, timeout, default-socket)');
        const message = settings.set(first, value);
        if (first === 'timeout' && this.options.timeoutMs === undefined) this.timeoutMs = value === 'none' ? undefined : Number(value);
        this.add(notice('ok', message));
      } else if (first === 'save' && value) {
        this.add(notice('ok', settings.saveProfile(value)));
      } else if ((first === 'rm' || first === 'remove') && value) {
        this.add(notice('ok', settings.removeProfile(value)));
      } else {
        throw new Error('usage: :profile save NAME, or :profile rm NAME');
      }
    } catch (err) {
      this.add(notice('error', (err as Error).message));
    }
    this.setScroll(FOLLOW);
  }

  // ---- scrolling -------------------------------------------------------------------------------

  private setScroll(to: ScrollPos): void {
    if (this.state.view === 'wire') this.update({ wire: wireReducer(this.state.wire, { type: 'scroll', to }) });
    else this.history({ type: 'scroll', to });
  }

  private scroll(delta: number): void {
    const height = this.layout().historyHeight;
    if (this.state.view === 'wire') {
      const { entries, scroll } = this.state.wire;
      return this.setScroll(scrollBy(scroll, delta, entries.length, (i) => this.wireEntryLines(entries[i]!).length, height));
    }
    const { items, scroll } = this.state.history;
    this.setScroll(scrollBy(scroll, delta, items.length, (i) => this.itemLines(items[i]!).length, height));
  }

  /** Expands or folds the call in view: the newest one whose first line is on screen. */
  private toggleFold(): void {
    const { items, scroll } = this.state.history;
    const height = this.layout().historyHeight;
    const window = computeWindow(items.length, (i) => this.itemLines(items[i]!).length, height, scroll);
    const calls = window.slices.filter((sl) => items[sl.index]?.kind === 'call' || items[sl.index]?.kind === 'verb');
    const target = [...calls].reverse().find((sl) => sl.from === 0) ?? calls[0];
    if (!target) return;
    const item = items[target.index]!;
    const expanding = !this.state.history.expanded.has(item.id);
    this.history({ type: 'toggle-expanded', id: item.id });
    if (expanding && this.itemLines(item).length > height) this.setScroll(scrollToItem(target.index));
  }

  /** For tests and the bench: the focused form field's path. */
  focusedPath(): string | undefined {
    return this.state.form ? focusedField(this.state.form)?.path : undefined;
  }
}

function mapAvailability(a: ReturnType<Capabilities['availability']>): ReturnType<AgentSupport['availability']> {
  if (a === 'unknown-to-agent') return 'absent';
  if (a === 'not-in-schema') return 'enabled';
  return a;
}
