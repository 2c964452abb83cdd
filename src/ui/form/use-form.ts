// Maps the dispatcher's actions to the form's reducer actions. Send and Back leave the
// form, so they are returned for the shell to carry out.
import type { Action } from '../keys/key-bindings.js';
import { focusedField, type FormAction, type FormState } from './use-form-state.js';

export type FormKeyResult = { kind: 'update'; action: FormAction } | { kind: 'send' } | { kind: 'back' } | { kind: 'none' };

export function formKey(state: FormState, action: Action): FormKeyResult {
  const field = focusedField(state);
  switch (action) {
    case 'next-field':
      return { kind: 'update', action: { type: 'focus', delta: 1 } };
    case 'previous-field':
      return { kind: 'update', action: { type: 'focus', delta: -1 } };
    case 'send':
      return { kind: 'send' };
    case 'back':
      return { kind: 'back' };
    case 'toggle':
      if (field?.kind === 'text') return { kind: 'update', action: { type: 'insert', text: ' ' } };
      if (field?.kind === 'list') return { kind: 'update', action: { type: 'add-item' } };
      return { kind: 'update', action: { type: 'cycle', delta: 1 } };
    case 'choice-next':
      return field?.kind === 'choice' ? { kind: 'update', action: { type: 'cycle', delta: 1 } } : { kind: 'update', action: { type: 'edit', action: 'cursor-right' } };
    case 'choice-previous':
      return field?.kind === 'choice' ? { kind: 'update', action: { type: 'cycle', delta: -1 } } : { kind: 'update', action: { type: 'edit', action: 'cursor-left' } };
    case 'add-item':
      return { kind: 'update', action: { type: 'add-item' } };
    case 'remove-item':
      return { kind: 'update', action: { type: 'remove-item' } };
    case 'cursor-left':
    case 'cursor-right':
    case 'line-start':
    case 'line-end':
    case 'erase-back':
    case 'erase-forward':
    case 'kill-to-start':
    case 'kill-to-end':
    case 'erase-word':
      return { kind: 'update', action: { type: 'edit', action } };
    default:
      return { kind: 'none' };
  }
}
