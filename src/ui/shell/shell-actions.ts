// What a submitted line does, and the shell commands behind it: a call is sent, or asked
// about first when it changes the guest (refused when read-only); a verb goes to the verbs;
// a call missing required arguments opens its form; and the colon commands (:help, :form,
// :copy, :set, :quit, ...) act on the shell itself. Keys reach the same actions.
import type { JsonObject } from '../../protocol/json.js';
import { parseCallLine } from '../../schema/call-syntax.js';
import type { SchemaLookup } from '../../schema/lookup.js';
import { openForm } from '../form/use-form-state.js';
import { itemId, notice, type CallItem } from '../history/history-item.js';
import { FOLLOW } from '../history/viewport.js';
import type { CallSender } from './call-sender.js';
import { copyNotice } from './copy-notice.js';
import type { DerivedState } from './derived-state.js';
import { planLine, type MetaName } from './plan.js';
import type { Scroller } from './scrolling.js';
import type { SendRequest } from './send-request.js';
import type { ShellPrefs } from './shell-prefs.js';
import type { ShellSession } from './shell-session.js';
import type { StateCell } from './state-cell.js';
import { isVerbName, type VerbName } from './verbs/verb-item.js';
import type { ShellVerbs } from './verbs/shell-verbs.js';

export interface ShellActionsParts {
  cell: StateCell;
  derived: DerivedState;
  scroller: Scroller;
  sender: CallSender;
  prefs: ShellPrefs;
  verbs: ShellVerbs;
  session: ShellSession;
  lookup: SchemaLookup;
  readOnly: boolean;
  onExit: (() => void) | undefined;
  clipboard: ((text: string) => void) | undefined;
}

export class ShellActions {
  private readonly parts: ShellActionsParts;
  private readonly cell: StateCell;
  private readonly scroller: Scroller;

  constructor(parts: ShellActionsParts) {
    this.parts = parts;
    this.cell = parts.cell;
    this.scroller = parts.scroller;
  }

  submit(line: string): void {
    const { lookup, verbs } = this.parts;
    const plan = planLine(line, lookup);
    switch (plan.kind) {
      case 'empty':
        return this.cell.prompt({ type: 'clear' });
      case 'problem':
        this.cell.add(notice('error', plan.message, plan.hint));
        return this.scroller.setScroll(FOLLOW);
      case 'meta':
        if (isVerbName(plan.name) && verbs.busyReason(line) && !(plan.name === 'watch' && !plan.arg)) {
          this.cell.add(notice('warn', verbs.busyReason(line)!));
          return this.scroller.setScroll(FOLLOW);
        }
        this.parts.prefs.recall.add(line);
        this.cell.prompt({ type: 'clear' });
        if (isVerbName(plan.name)) return verbs.submit(plan.name, plan.arg, line);
        return this.runMeta(plan.name, plan.arg);
      case 'form':
        this.cell.add(notice('info', `${plan.command} needs ${plan.missing.join(', ')}: fill in the form (Enter sends, Esc returns to the line).`));
        this.cell.update({ form: openForm(lookup, plan.command, plan.args) });
        this.cell.prompt({ type: 'clear' });
        return this.scroller.setScroll(FOLLOW);
      case 'call': {
        const busy = verbs.busyReason(line);
        if (busy) {
          this.cell.add(notice('warn', busy));
          return this.scroller.setScroll(FOLLOW);
        }
        this.parts.prefs.recall.add(line);
        this.cell.prompt({ type: 'clear' });
        return this.request(plan.raw ? { command: plan.command, args: plan.args, raw: plan.raw, line } : { command: plan.command, args: plan.args, line }, plan.change);
      }
    }
  }

  /** Sends, asks first, or refuses in read-only mode, depending on what the call changes. */
  request(req: SendRequest, change: string | undefined): void {
    this.scroller.setScroll(FOLLOW);
    if (change === undefined) return this.dispatchSend(req);
    if (this.parts.readOnly) {
      this.cell.add(notice('warn', `Refused: ${req.command} ${change}, and the shell is read-only (--read-only). Nothing was sent.`));
      return;
    }
    this.cell.update({ confirm: { request: req, change } });
  }

  dispatchSend(req: SendRequest): void {
    this.scroller.setScroll(FOLLOW);
    void this.parts.sender.send(req);
  }

  exit(): void {
    this.parts.verbs.beforeQuit(() => this.parts.onExit?.());
  }

  showHelp(arg: string | undefined): void {
    // `:help exec` means the verb unless a command has that name.
    const command = arg && isVerbName(arg.replace(/^:/, '')) && !this.parts.lookup.command(arg) ? `:${arg.replace(/^:/, '')}` : arg;
    if (!command) {
      this.cell.add({ kind: 'keys', id: itemId() });
      return this.scroller.toNewest();
    }
    this.cell.add({ kind: 'help', id: itemId(), command });
    this.scroller.toNewest();
  }

  openFormFromLine(): void {
    const { lookup } = this.parts;
    const s = this.cell.state;
    const command = this.parts.derived.commandInFocus();
    if (!command || !lookup.command(command)) {
      this.cell.add(notice('warn', command ? `No form: ${command} is not in the schema.` : 'Type a command first; Ctrl+O then opens its argument form.'));
      return;
    }
    let args: JsonObject | undefined;
    try {
      const parsed = parseCallLine(s.prompt.line.value);
      if (parsed.command === command) args = parsed.args;
    } catch {
      args = undefined;
    }
    this.cell.update({ form: openForm(lookup, command, args) });
    this.cell.prompt({ type: 'clear' });
  }

  /** The request on `line` (or the last one sent) as virsh and socat lines, in a notice. */
  showCopy(line: string): void {
    const last = this.cell.state.history.items.findLast((item): item is CallItem => item.kind === 'call' && item.origin === 'user');
    this.cell.add(copyNotice({ line, lookup: this.parts.lookup, last: last?.request, endpoint: this.parts.session.transport.description, timeoutMs: this.parts.prefs.timeoutMs, clipboard: this.parts.clipboard }));
    this.scroller.setScroll(FOLLOW);
  }

  private runMeta(name: Exclude<MetaName, VerbName>, arg: string | undefined): void {
    switch (name) {
      case 'help':
        return this.showHelp(arg);
      case 'commands':
        this.cell.add({ kind: 'commands', id: itemId() });
        return this.scroller.toNewest();
      case 'keys':
        return this.showHelp(undefined);
      case 'form':
        if (!arg || !this.parts.lookup.command(arg)) {
          this.cell.add(notice('warn', arg ? `No form: ${arg} is not in the schema.` : 'Usage: :form COMMAND'));
          return;
        }
        return this.cell.update({ form: openForm(this.parts.lookup, arg) });
      case 'wire':
        return this.cell.update({ view: this.cell.state.view === 'wire' ? 'history' : 'wire' });
      case 'raw':
        return this.cell.history({ type: 'toggle-raw' });
      case 'clear':
        return this.cell.history({ type: 'clear' });
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

  private runSettings(name: 'settings' | 'set' | 'profile', arg: string | undefined): void {
    const { prefs } = this.parts;
    const settings = prefs.settings;
    if (!settings) {
      this.cell.add(notice('warn', 'The settings have not loaded (see the notice above); nothing can be changed this time.'));
      return;
    }
    const [first = '', ...rest] = (arg ?? '').split(/\s+/).filter(Boolean);
    const value = rest.join(' ');
    try {
      if (name === 'settings') {
        this.cell.add(notice('info', settings.describe().join('\n')));
      } else if (name === 'set') {
        if (!first || !value) throw new Error('usage: :set KEY VALUE (keys: theme, history-size, timeout, default-socket)');
        const message = settings.set(first, value);
        if (first === 'timeout') prefs.timeoutSet(value);
        this.cell.add(notice('ok', message));
      } else if (first === 'save' && value) {
        this.cell.add(notice('ok', settings.saveProfile(value)));
      } else if ((first === 'rm' || first === 'remove') && value) {
        this.cell.add(notice('ok', settings.removeProfile(value)));
      } else {
        throw new Error('usage: :profile save NAME, or :profile rm NAME');
      }
    } catch (err) {
      this.cell.add(notice('error', (err as Error).message));
    }
    this.scroller.setScroll(FOLLOW);
  }
}
