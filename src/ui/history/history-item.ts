// What the history pane shows, as a tagged union. Items are immutable: an update (a reply
// arriving) replaces the item with a new object, which is what the layout cache keys on.
// Requests are stored with secrets already replaced: nothing secret ever enters this state.
import type { JsonObject, JsonValue } from '../../protocol/json.js';
import type { VerbItem } from '../shell/verbs/verb-item.js';

export type CallOutcome = 'pending' | 'ok' | 'agent-error' | 'no-reply' | 'timeout' | 'cancelled' | 'failed';

export interface CallItem {
  kind: 'call';
  id: number;
  command: string;
  /** What the user typed (secrets replaced), or a description for calls the shell made. */
  line: string;
  /** The request as sent (secrets replaced), including the id once known. */
  request: JsonObject;
  /** `shell`: sent by the shell itself (guest-info at connect); shown folded. */
  origin: 'user' | 'shell';
  status: CallOutcome;
  value?: JsonValue;
  /** For errors: the agent's error class, or the tool's error code. */
  errorClass?: string;
  message?: string;
  hint?: string;
  /** For no-reply commands: what the session concluded. */
  detail?: string;
  ms?: number;
  startedAt: number;
  /** Reply members to show decoded from base64 (matched by member name at any depth). */
  base64Members: readonly string[];
}

export interface NoticeItem {
  kind: 'notice';
  id: number;
  level: 'info' | 'ok' | 'warn' | 'error';
  text: string;
  /** Lines shown as they are, under the text (command lines to copy). */
  verbatim?: readonly string[];
  hint?: string;
}

export interface HelpItem {
  kind: 'help';
  id: number;
  command: string;
}

export interface ListItem {
  kind: 'commands' | 'keys';
  id: number;
}

export type HistoryItem = CallItem | NoticeItem | HelpItem | ListItem | VerbItem;

let nextId = 1;

/** A fresh item id (unique within the process). */
export function itemId(): number {
  return nextId++;
}

export function notice(level: NoticeItem['level'], text: string, hint?: string): NoticeItem {
  return hint === undefined ? { kind: 'notice', id: itemId(), level, text } : { kind: 'notice', id: itemId(), level, text, hint };
}
