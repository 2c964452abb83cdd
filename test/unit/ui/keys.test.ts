import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { dispatchKey } from '../../../src/ui/keys/dispatch.js';
import { KEY_BINDINGS, bindingFor, keyLabel, keysFor, type Layer } from '../../../src/ui/keys/key-bindings.js';
import { toKeyPress, toKeyPresses } from '../../../src/ui/keys/key-press.js';

const NO_KEY: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
  super: false, hyper: false, capsLock: false, numLock: false,
};
const k = (over: Partial<Key>): Key => ({ ...NO_KEY, ...over });

describe('toKeyPress', () => {
  it('names keys with their modifiers', () => {
    expect(toKeyPress('r', k({ ctrl: true }))).toEqual({ name: 'ctrl+r', text: '' });
    expect(toKeyPress('', k({ tab: true, shift: true }))).toEqual({ name: 'shift+tab', text: '' });
    expect(toKeyPress('', k({ delete: true }))).toEqual({ name: 'backspace', text: '' });
    expect(toKeyPress('', k({ pageUp: true }))).toEqual({ name: 'pageup', text: '' });
    expect(toKeyPress('', k({ escape: true, meta: true }))).toEqual({ name: 'escape', text: '' });
    expect(toKeyPress('guest', NO_KEY)).toEqual({ name: 'text', text: 'guest' });
  });

  it('splits a chunk of typed keys with control characters into separate presses', () => {
    expect(toKeyPresses('guest-ping\r', NO_KEY)).toEqual([{ name: 'text', text: 'guest-ping' }, { name: 'return', text: '' }]);
    expect(toKeyPresses('ab\tc\u007f\u0012', NO_KEY).map((p) => p.name)).toEqual(['text', 'tab', 'text', 'backspace', 'ctrl+r']);
    // Escape sequences never reach the screen as text.
    expect(toKeyPresses('a\u009bb', NO_KEY)).toEqual([{ name: 'text', text: 'ab' }]);
  });
});

describe('dispatchKey', () => {
  const layers = (...l: Layer[]) => new Set(l);

  it('asks the layers in priority order', () => {
    const prompt = layers('completion', 'edit', 'prompt', 'global');
    expect(dispatchKey({ name: 'down', text: '' }, prompt, true)).toEqual({ type: 'action', action: 'select-next', layer: 'completion' });
    expect(dispatchKey({ name: 'down', text: '' }, layers('edit', 'prompt', 'global'), true)).toEqual({ type: 'action', action: 'recall-newer', layer: 'prompt' });
    expect(dispatchKey({ name: 'ctrl+c', text: '' }, prompt, true)).toMatchObject({ action: 'cancel', layer: 'global' });
    expect(dispatchKey({ name: 'right', text: '' }, layers('form', 'edit', 'global'), true)).toMatchObject({ action: 'choice-next', layer: 'form' });
  });

  it('lets a confirmation swallow everything but its answers', () => {
    const confirm = layers('confirm');
    expect(dispatchKey({ name: 'text', text: 'y' }, confirm, false)).toMatchObject({ action: 'confirm-yes' });
    expect(dispatchKey({ name: 'escape', text: '' }, confirm, false)).toMatchObject({ action: 'confirm-no' });
    expect(dispatchKey({ name: 'pageup', text: '' }, confirm, false)).toEqual({ type: 'none' });
    expect(dispatchKey({ name: 'text', text: 'x' }, confirm, false)).toEqual({ type: 'none' });
  });

  it('sends unbound printable input to the text field', () => {
    expect(dispatchKey({ name: 'text', text: 'y' }, layers('edit', 'prompt', 'global'), true)).toEqual({ type: 'text', text: 'y' });
    expect(dispatchKey({ name: 'text', text: ' ' }, layers('form', 'edit', 'global'), true)).toMatchObject({ action: 'toggle' });
  });
});

describe('the key binding table', () => {
  it('never binds one key to two actions in the same layer', () => {
    const seen = new Map<string, string>();
    for (const b of KEY_BINDINGS) {
      for (const key of b.keys) {
        const id = `${b.layer}:${key}`;
        expect(seen.get(id), `${id} is bound twice`).toBeUndefined();
        seen.set(id, b.action);
      }
    }
    expect(bindingFor('global', 'ctrl+t')).toBe('toggle-wire');
  });

  it('labels keys for people', () => {
    expect(keysFor('search')).toEqual(['Ctrl+R']);
    expect(keyLabel('shift+tab')).toBe('Shift+Tab');
    expect(keyLabel('pageup')).toBe('PgUp');
    expect(keyLabel(' ')).toBe('Space');
  });
});
