// The argument form's state as a pure reducer: values, the focused field and the cursor
// in it, list lengths (adding or removing an item rebuilds the fields), and the problem
// last reported when sending.
import type { Action } from '../keys/key-bindings.js';
import type { SchemaLookup } from '../../schema/lookup.js';
import type { JsonObject } from '../../protocol/json.js';
import { editLine, insertText } from '../text/line-edit.js';
import { buildFields, parentOf, valuesFromArgs, type FormField, type FormValues } from './form-model.js';

export interface FormState {
  lookup: SchemaLookup;
  command: string;
  fields: readonly FormField[];
  values: FormValues;
  focus: number;
  cursor: number;
  /** Set after a send attempt with problems: show every missing field. */
  triedSend: boolean;
}

export type FormAction =
  | { type: 'edit'; action: Action }
  | { type: 'insert'; text: string }
  | { type: 'focus'; delta: number }
  | { type: 'focus-path'; path: string }
  | { type: 'cycle'; delta: number }
  | { type: 'add-item' }
  | { type: 'remove-item' }
  | { type: 'tried-send' };

export function openForm(lookup: SchemaLookup, command: string, args?: JsonObject): FormState {
  const values = valuesFromArgs(lookup, command, args);
  const fields = buildFields(lookup, command, values.lists);
  const focus = Math.max(0, firstFocusable(fields));
  return { lookup, command, fields, values, focus, cursor: (values.texts[fields[focus]?.path ?? ''] ?? '').length, triedSend: false };
}

function focusable(f: FormField): boolean {
  return f.kind !== 'group';
}

function firstFocusable(fields: readonly FormField[]): number {
  const firstEmptyRequired = fields.findIndex((f) => focusable(f) && !f.optional && !f.item);
  return firstEmptyRequired >= 0 ? firstEmptyRequired : fields.findIndex(focusable);
}

export function focusedField(state: FormState): FormField | undefined {
  return state.fields[state.focus];
}

export function formReducer(state: FormState, action: FormAction): FormState {
  const field = focusedField(state);
  switch (action.type) {
    case 'focus': {
      const n = state.fields.length;
      if (n === 0) return state;
      let i = state.focus;
      for (let step = 0; step < n; step++) {
        i = (((i + action.delta) % n) + n) % n;
        if (focusable(state.fields[i]!)) break;
      }
      return withFocus(state, i);
    }
    case 'focus-path': {
      const i = state.fields.findIndex((f) => f.path === action.path);
      return i >= 0 ? withFocus(state, i) : state;
    }
    case 'edit': {
      if (field?.kind !== 'text') return state;
      const line = editLine({ value: state.values.texts[field.path] ?? '', cursor: state.cursor }, action.action);
      return line ? setText(state, field.path, line.value, line.cursor) : state;
    }
    case 'insert': {
      if (field?.kind === 'text') {
        const line = insertText({ value: state.values.texts[field.path] ?? '', cursor: state.cursor }, action.text);
        return setText(state, field.path, line.value, line.cursor);
      }
      if (field?.kind === 'choice') {
        // Typing picks the first choice that starts with what was typed.
        const i = field.choices.findIndex((c) => c.value.startsWith(action.text.trim()));
        return i >= 0 ? setPick(state, field.path, i) : state;
      }
      if (field?.kind === 'list' && action.text.trim() !== '') {
        // Typing on a list starts a new item with what was typed.
        const added = formReducer(state, { type: 'add-item' });
        const item = focusedField(added);
        return item && item !== field && (item.kind === 'text' || item.kind === 'choice') ? formReducer(added, action) : added;
      }
      return state;
    }
    case 'cycle': {
      if (field?.kind !== 'choice') return state;
      // Optional fields cycle through "unset" as well.
      const slots = field.choices.length + (field.optional ? 1 : 0);
      const current = state.values.picks[field.path];
      const slot = current === undefined ? (field.optional ? field.choices.length : -1) : current;
      const next = (((slot + action.delta) % slots) + slots) % slots;
      return setPick(state, field.path, next >= field.choices.length ? undefined : next);
    }
    case 'add-item': {
      const item = field ? enclosingItem(field.path) : undefined;
      const list = field?.kind === 'list' ? field.path : item ? parentOf(item) : undefined;
      if (list === undefined) return state;
      const n = state.values.lists[list] ?? 0;
      const lists = { ...state.values.lists, [list]: n + 1 };
      const fields = buildFields(state.lookup, state.command, lists);
      const next = { ...state, fields, values: { ...state.values, lists } };
      return withFocus(next, fields.findIndex((f) => f.path === `${list}[${n}]`));
    }
    case 'remove-item': {
      const item = field ? enclosingItem(field.path) : undefined;
      if (!item) return state;
      const list = parentOf(item);
      const index = Number(/\[(\d+)\]$/.exec(item)![1]);
      const values = removeItem(state.values, list, index);
      const fields = buildFields(state.lookup, state.command, values.lists);
      const n = values.lists[list] ?? 0;
      const target = n === 0 ? list : `${list}[${Math.min(index, n - 1)}]`;
      return withFocus({ ...state, fields, values }, fields.findIndex((f) => f.path === target));
    }
    case 'tried-send':
      return { ...state, triedSend: true };
  }
}

/** The list item a path is in: `items[1].id` -> `items[1]`; undefined outside lists. */
function enclosingItem(path: string): string | undefined {
  return /^(.*\[\d+\])/.exec(path)?.[1];
}

/** Focuses field `index`, or the first focusable one after it (a group header cannot take focus). */
function withFocus(state: FormState, index: number): FormState {
  let i = index;
  while (i >= 0 && i < state.fields.length - 1 && !focusable(state.fields[i]!)) i += 1;
  const focus = Math.max(0, Math.min(i, state.fields.length - 1));
  const path = state.fields[focus]?.path ?? '';
  return { ...state, focus, cursor: (state.values.texts[path] ?? '').length };
}

function setText(state: FormState, path: string, value: string, cursor: number): FormState {
  return { ...state, values: { ...state.values, texts: { ...state.values.texts, [path]: value } }, cursor };
}

function setPick(state: FormState, path: string, pick: number | undefined): FormState {
  const picks = { ...state.values.picks };
  if (pick === undefined) delete picks[path];
  else picks[path] = pick;
  return { ...state, values: { ...state.values, picks } };
}

/** Drops item `index` of `list` and renumbers the items after it, nested values included. */
export function removeItem(values: FormValues, list: string, index: number): FormValues {
  const prefix = `${list}[`;
  const remap = <T>(record: Readonly<Record<string, T>>): Record<string, T> => {
    const out: Record<string, T> = {};
    for (const [key, value] of Object.entries(record)) {
      if (!key.startsWith(prefix)) {
        out[key] = value;
        continue;
      }
      const m = /^\[(\d+)\](.*)$/.exec(key.slice(list.length));
      if (!m) continue;
      const i = Number(m[1]);
      if (i === index) continue;
      out[`${list}[${i > index ? i - 1 : i}]${m[2]}`] = value;
    }
    return out;
  };
  const lists = remap(values.lists);
  lists[list] = Math.max(0, (values.lists[list] ?? 0) - 1);
  return { texts: remap(values.texts), picks: remap(values.picks), lists };
}
