import { describe, expect, it } from 'vitest';
import { SchemaLookup } from '../../../src/schema/lookup.js';
import { loadShippedSchema } from '../../../src/schema/shipped.js';
import { buildFields, callLine, formArgs, parseText, valuesFromArgs } from '../../../src/ui/form/form-model.js';
import { checkForm, previewText } from '../../../src/ui/form/form-rows.js';
import { formReducer, openForm, type FormAction, type FormState } from '../../../src/ui/form/use-form-state.js';
import { formKey } from '../../../src/ui/form/use-form.js';
import type { Schema } from '../../../src/schema/model.js';

const shipped = new SchemaLookup(loadShippedSchema());
const run = (s: FormState, actions: FormAction[]): FormState => actions.reduce(formReducer, s);
const doc = () => ({ summary: '', body: '', members: {}, notes: [], examples: [], features: {} });

// A small schema with a nested struct and a list of structs, to exercise every field kind.
const nested = new SchemaLookup({
  origin: 'test', pragmas: {}, freeDocs: [],
  definitions: [
    { kind: 'enum', name: 'Mode', doc: doc(), values: [{ name: 'fast' }, { name: 'slow' }] },
    { kind: 'struct', name: 'Item', doc: doc(), members: [{ name: 'id', type: 'uint8', optional: false }, { name: 'on', type: 'bool', optional: true }] },
    { kind: 'struct', name: 'Opts', doc: doc(), members: [{ name: 'depth', type: 'int', optional: true }, { name: 'mode', type: 'Mode', optional: true }] },
    {
      kind: 'command', name: 'work', doc: doc(), successResponse: true,
      args: [
        { name: 'name', type: 'str', optional: false },
        { name: 'items', type: ['Item'], optional: true },
        { name: 'opts', type: 'Opts', optional: true },
        { name: 'tags', type: ['str'], optional: true },
      ],
    },
  ],
} satisfies Schema);

describe('form model', () => {
  it('generates one field per member, with choices for enums, bools and alternates', () => {
    const fields = buildFields(shipped, 'guest-exec', {});
    expect(fields.map((f) => [f.path, f.kind, f.optional])).toEqual([
      ['path', 'text', false],
      ['arg', 'list', true],
      ['env', 'list', true],
      ['input-data', 'text', true],
      ['capture-output', 'choice', true],
    ]);
    expect(fields[4]!.choices.map((c) => c.value)).toEqual(['true', 'false', 'none', 'stdout', 'stderr', 'separated', 'merged']);
  });

  it('nests struct members and list items, and marks secret members', () => {
    const fields = buildFields(nested, 'work', { items: 2, tags: 1 });
    expect(fields.map((f) => `${'  '.repeat(f.depth)}${f.path}:${f.kind}`)).toEqual([
      'name:text', 'items:list', '  items[0]:group', '    items[0].id:text', '    items[0].on:choice',
      '  items[1]:group', '    items[1].id:text', '    items[1].on:choice',
      'opts:group', '  opts.depth:text', '  opts.mode:choice', 'tags:list', '  tags[0]:text',
    ]);
    const pw = buildFields(shipped, 'guest-set-user-password', {});
    expect(pw.map((f) => [f.path, f.secret])).toEqual([['username', false], ['password', true], ['crypted', false]]);
  });

  it('builds the arguments with the right JSON types, leaving empty optional members out', () => {
    const fields = buildFields(nested, 'work', { items: 1, tags: 2 });
    const result = formArgs(fields, {
      texts: { name: '7', 'items[0].id': '200', 'tags[0]': 'a b', 'tags[1]': 'c', 'opts.depth': '' },
      picks: { 'items[0].on': 1 },
      lists: { items: 1, tags: 2 },
    }, true);
    expect(result).toEqual({ args: { name: '7', items: [{ id: 200, on: false }], tags: ['a b', 'c'] }, errors: {} });
  });

  it('reports bad values as you type and missing ones when sending', () => {
    const fields = buildFields(nested, 'work', { items: 1 });
    const values = { texts: { 'items[0].id': '300' }, picks: {}, lists: { items: 1 } };
    expect(formArgs(fields, values, false).errors).toEqual({ 'items[0].id': 'out of range for uint8 (0 to 255)' });
    expect(formArgs(fields, { ...values, texts: {} }, true).errors).toEqual({ name: 'required', 'items[0].id': 'required' });
  });

  it('keeps integers beyond 2^53 exact', () => {
    expect(parseText('int', '1700000000123456789')).toEqual({ value: 1700000000123456789n });
    expect(parseText('int', '12x')).toEqual({ error: 'not a whole number' });
    expect(parseText('number', '1.5')).toEqual({ value: 1.5 });
    expect(parseText('any', '{"a":1}')).toEqual({ value: { a: 1 } });
    expect(parseText('any', 'plain')).toEqual({ value: 'plain' });
  });

  it('round-trips a typed line into form values and back to the one-line syntax, secrets left out', () => {
    const values = valuesFromArgs(shipped, 'guest-exec', { path: '/bin/sh', arg: ['-c', 'echo hi'], 'capture-output': true });
    expect(values).toEqual({ texts: { path: '/bin/sh', 'arg[0]': '-c', 'arg[1]': 'echo hi' }, picks: { 'capture-output': 0 }, lists: { arg: 2 } });
    const { args } = formArgs(buildFields(shipped, 'guest-exec', values.lists), values, true);
    expect(callLine('guest-exec', args)).toBe(`guest-exec path=/bin/sh arg='["-c","echo hi"]' capture-output=true`);
    expect(callLine('guest-set-user-password', { username: 'root', password: 'hunter2', crypted: false })).toBe('guest-set-user-password username=root crypted=false');
    expect(callLine('x', { s: "it's" })).toBe(`x s='it'\\''s'`);
  });
});

describe('formReducer', () => {
  it('opens focused on the first required field and edits its text', () => {
    const s = run(openForm(shipped, 'guest-file-open'), [{ type: 'insert', text: '/etc/hostnam' }, { type: 'insert', text: 'e' }]);
    expect(s.values.texts).toEqual({ path: '/etc/hostname' });
    expect(s.cursor).toBe(13);
    expect(run(s, [{ type: 'edit', action: 'erase-word' }]).values.texts.path).toBe('');
  });

  it('moves focus with wrap-around and skips group headers', () => {
    let s = openForm(nested, 'work', { opts: { depth: 1 } });
    const seen = [s.fields[s.focus]!.path];
    for (let i = 0; i < 5; i++) {
      s = run(s, [{ type: 'focus', delta: 1 }]);
      seen.push(s.fields[s.focus]!.path);
    }
    expect(seen).toEqual(['name', 'items', 'opts.depth', 'opts.mode', 'tags', 'name']);
    expect(run(s, [{ type: 'focus', delta: -1 }]).fields[run(s, [{ type: 'focus', delta: -1 }]).focus]!.path).toBe('tags');
  });

  it('cycles choices through unset for optional members, and picks by typing', () => {
    let s = run(openForm(shipped, 'guest-exec'), [{ type: 'focus-path', path: 'capture-output' }]);
    s = run(s, [{ type: 'cycle', delta: 1 }]);
    expect(s.values.picks['capture-output']).toBe(0);
    s = run(s, [{ type: 'cycle', delta: -1 }]);
    expect(s.values.picks['capture-output']).toBeUndefined();
    s = run(s, [{ type: 'insert', text: 'm' }]);
    expect(s.fields[s.focus]!.choices[s.values.picks['capture-output']!]!.value).toBe('merged');
  });

  it('adds list items and removes one, renumbering the rest with their nested values', () => {
    let s = run(openForm(nested, 'work'), [{ type: 'focus-path', path: 'items' }, { type: 'add-item' }, { type: 'focus-path', path: 'items' }, { type: 'add-item' }, { type: 'focus-path', path: 'items' }, { type: 'add-item' }]);
    expect(s.values.lists.items).toBe(3);
    s = run(s, [{ type: 'focus-path', path: 'items[0].id' }, { type: 'insert', text: '10' }, { type: 'focus-path', path: 'items[1].id' }, { type: 'insert', text: '11' }, { type: 'focus-path', path: 'items[2].id' }, { type: 'insert', text: '12' }]);
    // Removing from a field inside an item removes the whole item.
    s = run(s, [{ type: 'focus-path', path: 'items[1].id' }, { type: 'remove-item' }]);
    expect(s.values).toMatchObject({ texts: { 'items[0].id': '10', 'items[1].id': '12' }, lists: { items: 2 } });
    expect(s.fields[s.focus]!.path).toBe('items[1].id');
    expect(s.fields.filter((f) => f.path.startsWith('items[')).map((f) => f.path)).toEqual(['items[0]', 'items[0].id', 'items[0].on', 'items[1]', 'items[1].id', 'items[1].on']);
    const tagState = run(openForm(nested, 'work', { tags: ['a', 'b', 'c'] }), [{ type: 'focus-path', path: 'tags[1]' }, { type: 'remove-item' }]);
    expect(tagState.values).toMatchObject({ texts: { 'tags[0]': 'a', 'tags[1]': 'c' }, lists: { tags: 2 } });
    expect(tagState.fields[tagState.focus]!.path).toBe('tags[1]');
  });

  it('starts a list item with what is typed on the list, in a list of strings or of structs', () => {
    let s = run(openForm(shipped, 'guest-exec'), [{ type: 'insert', text: '/bin/ls' }, { type: 'focus-path', path: 'arg' }, { type: 'insert', text: '-l' }]);
    expect(s.values).toMatchObject({ texts: { path: '/bin/ls', 'arg[0]': '-l' }, lists: { arg: 1 } });
    expect(s.fields[s.focus]!.path).toBe('arg[0]');
    s = run(s, [{ type: 'insert', text: 'a' }, { type: 'focus-path', path: 'arg' }, { type: 'insert', text: '/' }]);
    expect(checkForm(s, true).args).toEqual({ path: '/bin/ls', arg: ['-la', '/'] });
    const items = run(openForm(nested, 'work'), [{ type: 'focus-path', path: 'items' }, { type: 'insert', text: '7' }]);
    expect(items.values).toMatchObject({ texts: { 'items[0].id': '7' }, lists: { items: 1 } });
    // A space typed on the list is Space: it adds an empty item (see the key map below).
    expect(run(openForm(shipped, 'guest-exec'), [{ type: 'focus-path', path: 'arg' }, { type: 'insert', text: ' ' }]).values.lists.arg ?? 0).toBe(0);
  });

  it('maps keys: Space types in text fields, cycles choices, adds to lists; arrows move the cursor in text', () => {
    const s = openForm(shipped, 'guest-exec');
    expect(formKey(s, 'toggle')).toEqual({ kind: 'update', action: { type: 'insert', text: ' ' } });
    expect(formKey(run(s, [{ type: 'focus-path', path: 'arg' }]), 'toggle')).toEqual({ kind: 'update', action: { type: 'add-item' } });
    expect(formKey(run(s, [{ type: 'focus-path', path: 'capture-output' }]), 'choice-next')).toEqual({ kind: 'update', action: { type: 'cycle', delta: 1 } });
    expect(formKey(s, 'choice-previous')).toEqual({ kind: 'update', action: { type: 'edit', action: 'cursor-left' } });
    expect(formKey(s, 'send')).toEqual({ kind: 'send' });
    expect(formKey(s, 'back')).toEqual({ kind: 'back' });
  });

  it('checks the whole call against the schema and previews the exact JSON with secrets redacted', () => {
    const s = run(openForm(shipped, 'guest-set-user-password'), [{ type: 'insert', text: 'root' }, { type: 'focus', delta: 1 }, { type: 'insert', text: 'hunter2' }]);
    const check = checkForm(s, true);
    expect(check.errors).toEqual({ crypted: 'required' });
    const done = run(s, [{ type: 'focus', delta: 1 }, { type: 'cycle', delta: 1 }]);
    expect(checkForm(done, true)).toEqual({ args: { username: 'root', password: 'hunter2', crypted: true }, errors: {}, problem: undefined });
    expect(previewText('guest-set-user-password', checkForm(done, true).args)).toBe('{"execute":"guest-set-user-password","arguments":{"username":"root","password":"<redacted>","crypted":true}}');
  });
});
