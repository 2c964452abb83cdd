// Sends one agent command for the shell and keeps it in the history: a pending entry at
// once (its line and request with secrets replaced), then the reply, error or timeout in
// the same entry. Counts the calls in flight, which decide what Ctrl+C cancels and who
// reports a lost connection.
import type { JsonObject } from '../../protocol/json.js';
import { base64Members, redactRequest } from '../../schema/annotations.js';
import type { CallOptions } from '../../session/session.js';
import { itemId, type CallItem } from '../history/history-item.js';
import { fromError, fromResult } from './call-outcome.js';
import { displayLine } from './line-secrets.js';
import type { SendRequest } from './send-request.js';
import type { ShellPrefs } from './shell-prefs.js';
import type { ShellSession } from './shell-session.js';
import type { StateCell } from './state-cell.js';
import type { ShellVerbs } from './verbs/shell-verbs.js';

export class CallSender {
  private readonly cell: StateCell;
  private readonly session: ShellSession;
  private readonly prefs: ShellPrefs;
  private readonly verbs: ShellVerbs;
  private pending = 0;

  constructor(cell: StateCell, session: ShellSession, prefs: ShellPrefs, verbs: ShellVerbs) {
    this.cell = cell;
    this.session = session;
    this.prefs = prefs;
    this.verbs = verbs;
  }

  /** Calls sent and not settled yet. */
  get inFlight(): number {
    return this.pending;
  }

  /** Sends a call and tracks it in the history. Never rejects. */
  send(req: SendRequest, origin: CallItem['origin'] = 'user'): Promise<CallItem> {
    const preview: JsonObject = req.raw ?? (req.args === undefined ? { execute: req.command } : { execute: req.command, arguments: req.args });
    const item: CallItem = {
      kind: 'call', id: itemId(), command: req.command, line: displayLine(req.line), request: redactRequest(preview),
      origin, status: 'pending', startedAt: Date.now(), base64Members: base64Members(req.command, 'returns'),
    };
    this.cell.add(item);
    const options: CallOptions = {};
    const timeoutMs = this.prefs.timeoutMs;
    if (timeoutMs !== undefined) options.timeoutMs = timeoutMs;
    if (req.raw) options.raw = req.raw;
    const started = performance.now();
    this.pending += 1;
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
        this.pending -= 1;
        this.cell.history({ type: 'update', id: item.id, update: () => done });
        return done;
      });
  }
}
