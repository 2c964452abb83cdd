// The argument form laid out as lines: a title, one row per field (a window around the
// focused one when they do not all fit), help for the focused field, the exact JSON that
// will be sent, and what is wrong with it.
import { ArgumentError } from '../../protocol/errors.js';
import { stringifyJson, type JsonObject } from '../../protocol/json.js';
import { redactRequest } from '../../schema/annotations.js';
import { validateCall } from '../../schema/validate.js';
import { seg, wrapLine, type Line } from '../text/styled-line.js';
import { padTo, textWidth, truncate, visible } from '../text/width.js';
import { fieldType, formArgs, type FormField } from './form-model.js';
import type { FormState } from './use-form-state.js';

export interface FormCheck {
  args: JsonObject | undefined;
  /** Problems by field path. */
  errors: Record<string, string>;
  /** A problem for the whole call (from schema validation), if any. */
  problem: string | undefined;
}

/** The form's arguments and problems; `requireAll` reports missing required fields too. */
export function checkForm(state: FormState, requireAll: boolean): FormCheck {
  const { args, errors } = formArgs(state.fields, state.values, requireAll);
  let problem: string | undefined;
  if (Object.keys(errors).length === 0 && requireAll) {
    try {
      validateCall(state.lookup, { command: state.command, args, typed: new Map() });
    } catch (err) {
      if (!(err instanceof ArgumentError)) throw err;
      if (err.member && state.fields.some((f) => f.path === err.member)) errors[err.member] = err.message;
      else problem = err.message;
    }
  }
  return { args, errors, problem };
}

export function previewText(command: string, args: JsonObject | undefined): string {
  return stringifyJson(redactRequest(args === undefined ? { execute: command } : { execute: command, arguments: args }));
}

export function formLines(state: FormState, width: number, maxRows: number): Line[] {
  const check = checkForm(state, state.triedSend);
  const def = state.lookup.command(state.command);
  const out: Line[] = [];
  const keys = 'Tab/↑↓ move · Enter sends · Esc back';
  const title = `${state.command}${def?.doc.summary ? ` · ${def.doc.summary}` : ''}`;
  out.push([seg('┌ ', 'border'), seg(padTo(title, Math.max(0, width - keys.length - 3)), 'accent'), seg(' '), seg(keys, 'muted')]);

  const labelWidth = Math.min(28, Math.max(8, ...state.fields.map((f) => f.depth * 2 + textWidth(f.label))) + 2);
  const typeWidth = Math.min(22, Math.max(6, ...state.fields.map((f) => textWidth(fieldType(f)))) + 2);
  // Rows for fields: what is left after the title, help, preview and problem lines.
  const fieldRows = Math.max(1, maxRows - 4);
  const n = state.fields.length;
  let start = Math.max(0, Math.min(state.focus - Math.floor(fieldRows / 2), n - fieldRows));
  if (n <= fieldRows) start = 0;
  if (n === 0) out.push([seg('│ ', 'border'), seg('this command takes no arguments · Enter sends', 'muted')]);
  for (let i = start; i < Math.min(n, start + fieldRows); i++) {
    const f = state.fields[i]!;
    const focused = i === state.focus;
    const label = `${'  '.repeat(f.depth)}${f.label}`;
    const row: Line = [seg(focused ? '› ' : '│ ', focused ? 'accent' : 'border'), seg(padTo(label, labelWidth), focused ? 'selected' : f.optional || f.item ? 'text' : 'accent'), seg(padTo(fieldType(f), typeWidth), 'muted')];
    const room = Math.max(4, width - labelWidth - typeWidth - 2);
    row.push(...valueSegments(state, f, focused, room, check.errors[f.path]));
    out.push(row);
  }
  const focused = state.fields[state.focus];
  if (focused) {
    const help = focused.help || (focused.kind === 'list' ? 'A list: typing or Space adds an item (Ctrl+N another), Ctrl+X removes one.' : '');
    const extra = focused.kind === 'choice' ? ' (Space/←/→ choose)' : focused.secret ? ' (secret: masked, never recorded)' : '';
    if (help || extra) out.push([seg('│ ', 'border'), seg(truncate(`${focused.path}: ${help}${extra}`, width - 2), 'muted')]);
  }
  const preview = previewText(state.command, check.args);
  out.push(...wrapLine([seg('└ → ', 'border'), seg(preview, 'json-string')], width, 4).slice(0, 2));
  const firstError = Object.entries(check.errors)[0];
  if (firstError) out.push([seg('  ✗ ', 'error'), seg(truncate(`${firstError[0]}: ${firstError[1]}`, width - 4), 'error')]);
  else if (check.problem) out.push([seg('  ✗ ', 'error'), seg(truncate(check.problem, width - 4), 'error')]);
  return out;
}

function valueSegments(state: FormState, f: FormField, focused: boolean, room: number, error: string | undefined): Line {
  const err: Line = error ? [seg(`  ✗ ${error}`, 'error')] : [];
  switch (f.kind) {
    case 'group':
      return [seg(f.optional ? '(optional group)' : '', 'muted')];
    case 'list': {
      const n = state.values.lists[f.path] ?? 0;
      return [seg(n === 0 ? 'empty' : `${n} item${n === 1 ? '' : 's'}`, 'text'), seg(focused ? ' · type, or Space, to add an item' : '', 'muted'), ...err];
    }
    case 'choice': {
      const pick = state.values.picks[f.path];
      const out: Line = [];
      if (f.optional) out.push(seg(pick === undefined ? '[unset]' : 'unset', pick === undefined ? (focused ? 'selected' : 'accent') : 'muted'), seg(' '));
      f.choices.forEach((c, i) => {
        const on = pick === i;
        out.push(seg(on ? `[${c.value}]` : c.value, on ? (focused ? 'selected' : 'accent') : 'muted'), seg(' '));
      });
      return [...out, ...err];
    }
    case 'text': {
      const value = state.values.texts[f.path] ?? '';
      const shown = f.secret ? '•'.repeat([...value].length) : visible(value);
      if (!focused) {
        if (value === '') return [seg(f.optional ? '' : 'required', 'muted'), ...err];
        return [seg(truncate(shown, room), 'text'), ...err];
      }
      const cursor = f.secret ? [...value.slice(0, state.cursor)].length : [...visible(value.slice(0, state.cursor))].length;
      const chars = [...shown];
      const startAt = Math.max(0, cursor - room + 2);
      const before = chars.slice(startAt, cursor).join('');
      const under = chars[cursor] ?? ' ';
      const after = chars.slice(cursor + 1, startAt + room).join('');
      return [seg(before), seg(under, 'cursor'), seg(after), ...err];
    }
  }
}
