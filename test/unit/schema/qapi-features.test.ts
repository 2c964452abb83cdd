// Language features the qga files do not use (or use rarely) but the reader must accept,
// each shown with a small inline schema.
import { describe, expect, it } from 'vitest';
import type { Definition, Schema } from '../../../src/schema/model.js';
import { SchemaLookup } from '../../../src/schema/lookup.js';
import { parseQapiText } from '../../../src/schema/qapi/read.js';

function read(text: string): Schema {
  return parseQapiText(text, 'f.json');
}

function only(schema: Schema, name: string): Definition {
  const def = schema.definitions.find((d) => d.name === name);
  if (!def) throw new Error(`no ${name}`);
  return def;
}

describe('include', () => {
  const files: Record<string, string> = {
    'top/main.json': `{ 'include': 'sub/a.json' }\n{ 'include': 'common.json' }\n{ 'struct': 'Main', 'data': { 'a': 'A', 'c': 'Common' } }`,
    'top/sub/a.json': `{ 'include': '../common.json' }\n{ 'struct': 'A', 'data': { 'c': 'Common' } }`,
    'top/common.json': `{ 'include': 'main.json' }\n{ 'include': 'sub/a.json' }\n{ 'struct': 'Common', 'data': {} }`,
  };

  it('resolves paths against the including file, reads each file once and survives cycles', () => {
    const asked: string[] = [];
    const schema = parseQapiText(files['top/main.json']!, 'top/main.json', {
      readInclude: (p) => {
        asked.push(p);
        const text = files[p];
        if (text === undefined) throw new Error(`no file ${p}`);
        return text;
      },
    });
    expect(asked).toEqual(['top/sub/a.json', 'top/common.json']);
    expect(schema.definitions.map((d) => [d.name, d.source])).toEqual([
      ['Common', 'top/common.json:3'],
      ['A', 'top/sub/a.json:2'],
      ['Main', 'top/main.json:3'],
    ]);
    expect(schema.origin).toBe('top/main.json');
  });

  it('accepts gzip bytes from the include reader and a custom origin', () => {
    const bytes = new TextEncoder().encode(`{ 'enum': 'E', 'data': [ 'x' ] }`);
    const schema = parseQapiText(`{ 'include': 'e.json' }`, 'm.json', { readInclude: () => bytes, origin: 'test schema' });
    expect(schema.definitions.map((d) => d.name)).toEqual(['E']);
    expect(schema.origin).toBe('test schema');
  });

  it('settles a free-form doc block that precedes an include', () => {
    const schema = parseQapiText(`##\n# = Part two\n##\n{ 'include': 'two.json' }`, 'm.json', {
      readInclude: () => `{ 'struct': 'T', 'data': {} }`,
    });
    expect(schema.freeDocs).toEqual([{ text: '= Part two', source: 'm.json:1' }]);
    expect(only(schema, 'T').doc.summary).toBe('');
  });
});

describe('pragma', () => {
  it('records known pragmas, merges lists and skips unknown names', () => {
    const schema = read([
      `{ 'pragma': { 'doc-required': false } }`,
      `{ 'pragma': {`,
      `    # a comment between entries`,
      `    'command-returns-exceptions': [ 'a' ],`,
      `    'some-future-pragma': { 'anything': [ true ] },`,
      `    'returns-whitelist': [ 'old-name' ] } }`,
      `{ 'pragma': { 'command-returns-exceptions': [ 'b' ], 'doc-required': true } }`,
      `##\n# @S:\n##\n{ 'struct': 'S', 'data': {} }`,
    ].join('\n'));
    expect(schema.pragmas).toEqual({
      'doc-required': true,
      'command-returns-exceptions': ['a', 'b'],
      'returns-whitelist': ['old-name'],
    });
  });
});

describe('definitions', () => {
  it('reads struct bases and inherits members through the lookup', () => {
    const schema = read(`{ 'struct': 'Base', 'data': { 'id': 'int' } }
{ 'struct': 'Mid', 'base': 'Base', 'data': { '*label': 'str' } }
{ 'struct': 'Leaf', 'base': 'Mid', 'data': { 'tags': ['str'] } }`);
    const leaf = only(schema, 'Leaf');
    expect(leaf.kind === 'struct' && leaf.base).toBe('Mid');
    expect(new SchemaLookup(schema).structMembers('Leaf').map((m) => m.name)).toEqual(['id', 'label', 'tags']);
  });

  it('reads a union whose base is a named struct with its own base', () => {
    const schema = read(`{ 'enum': 'Kind', 'data': [ 'disk', 'net', 'other' ] }
{ 'struct': 'Root', 'data': { 'kind': 'Kind' } }
{ 'struct': 'Common', 'base': 'Root', 'data': { '*name': 'str' } }
{ 'struct': 'Disk', 'data': { 'size': 'size' } }
{ 'struct': 'Net', 'data': { 'mac': 'str' } }
{ 'union': 'Device', 'base': 'Common', 'discriminator': 'kind',
  'data': { 'disk': 'Disk', 'net': { 'type': 'Net', 'if': 'CONFIG_NET' } } }`);
    const device = only(schema, 'Device');
    expect(device).toMatchObject({
      kind: 'union', base: 'Common', discriminator: 'kind',
      branches: [{ name: 'disk', type: 'Disk' }, { name: 'net', type: 'Net', if: 'CONFIG_NET' }],
    });
    expect(new SchemaLookup(schema).structMembers('Device').map((m) => m.name)).toEqual(['kind', 'name']);
  });

  it('reads enum values in string and object form, with prefix and features', () => {
    const schema = read(`{ 'enum': 'Mode', 'prefix': 'MODE',
  'data': [ 'plain', { 'name': 'fancy', 'if': 'CONFIG_FANCY', 'features': [ 'unstable' ] }, '2nd' ] }`);
    expect(only(schema, 'Mode')).toMatchObject({
      kind: 'enum', prefix: 'MODE',
      values: [{ name: 'plain' }, { name: 'fancy', if: 'CONFIG_FANCY' }, { name: '2nd' }],
    });
  });

  it('reads alternates, including array and conditional branches', () => {
    const schema = read(`{ 'enum': 'Whence', 'data': [ 'set', 'cur' ] }
{ 'alternate': 'Offset', 'data': { 'n': 'int', 'named': 'Whence', 'many': [ 'int' ], 'text': { 'type': 'str', 'if': 'X' } } }`);
    expect(only(schema, 'Offset')).toMatchObject({
      kind: 'alternate',
      branches: [
        { name: 'n', type: 'int' }, { name: 'named', type: 'Whence' },
        { name: 'many', type: ['int'] }, { name: 'text', type: 'str', if: 'X' },
      ],
    });
  });

  it('reads events with inline data and with a boxed type', () => {
    const schema = read(`{ 'struct': 'Info', 'data': { 'why': 'str' } }
{ 'event': 'SHUTDOWN', 'data': { 'guest': 'bool', '*reason': 'str' } }
{ 'event': 'BOXED', 'data': 'Info', 'boxed': true, 'if': 'CONFIG_X' }`);
    expect(only(schema, 'SHUTDOWN')).toMatchObject({
      kind: 'event', args: [{ name: 'guest', type: 'bool', optional: false }, { name: 'reason', type: 'str', optional: true }],
    });
    expect(only(schema, 'BOXED')).toMatchObject({ kind: 'event', args: [], argsType: 'Info', boxed: true, if: 'CONFIG_X' });
  });

  it('reads commands with every optional key', () => {
    const schema = read(`{ 'struct': 'Args', 'data': { 'x': 'int' } }
{ 'command': 'do-it', 'data': 'Args', 'boxed': true, 'returns': [ 'Args' ], 'allow-oob': true,
  'allow-preconfig': false, 'coroutine': true, 'gen': false, 'success-response': true }
{ 'command': 'old-style', 'success-response': 'no' }`);
    expect(only(schema, 'do-it')).toMatchObject({
      kind: 'command', argsType: 'Args', boxed: true, returns: ['Args'], allowOob: true, successResponse: true, args: [],
    });
    expect(only(schema, 'old-style')).toMatchObject({ kind: 'command', successResponse: false, args: [] });
    const lookup = new SchemaLookup(schema);
    expect(lookup.commandArgs(lookup.command('do-it')!).map((m) => m.name)).toEqual(['x']);
  });

  it('reads features on definitions and members, and member objects', () => {
    const schema = read(`{ 'struct': 'S',
  'data': { 'a': { 'type': 'str', 'if': 'CONFIG_A', 'features': [ 'deprecated' ] }, '*b': { 'type': [ 'int' ] } },
  'features': [ 'unstable', { 'name': 'deprecated', 'if': { 'not': 'CONFIG_NEW' } } ] }`);
    expect(only(schema, 'S')).toMatchObject({
      features: ['unstable', 'deprecated'],
      members: [
        { name: 'a', type: 'str', optional: false, if: 'CONFIG_A', features: ['deprecated'] },
        { name: 'b', type: ['int'], optional: true },
      ],
    });
  });

  it("accepts the pre-2.4 'type' spelling of a struct", () => {
    expect(only(read(`{ 'type': 'Old', 'data': { 'a': 'int' } }`, ), 'Old')).toMatchObject({ kind: 'struct', members: [{ name: 'a' }] });
  });
});

describe('if conditions', () => {
  function conditionOf(cond: string): unknown {
    return only(read(`{ 'struct': 'S', 'data': {}, 'if': ${cond} }`), 'S').if;
  }

  it.each([
    ['a symbol', `'CONFIG_A'`, 'CONFIG_A'],
    ['all', `{ 'all': [ 'A', 'B' ] }`, { all: ['A', 'B'] }],
    ['any', `{ 'any': [ 'A', 'B', 'C' ] }`, { any: ['A', 'B', 'C'] }],
    ['not', `{ 'not': 'A' }`, { not: 'A' }],
    ['nested', `{ 'all': [ { 'any': [ 'A', { 'not': 'B' } ] }, 'C' ] }`, { all: [{ any: ['A', { not: 'B' }] }, 'C'] }],
    ['old defined()', `'defined(CONFIG_POSIX)'`, 'CONFIG_POSIX'],
    ['old defined without parentheses', `'defined CONFIG_POSIX'`, 'CONFIG_POSIX'],
    ['old list meaning all', `[ 'defined(A)', 'defined(B)' ]`, { all: ['A', 'B'] }],
    ['old list of one', `[ 'defined(A)' ]`, 'A'],
    ['old &&', `'defined(A) && defined(B)'`, { all: ['A', 'B'] }],
    ['old || and !', `'defined(A) || !defined(B)'`, { any: ['A', { not: 'B' }] }],
    ['old precedence and parentheses', `'defined(A) && (defined(B) || defined(C)) && !(defined(D))'`,
      { all: ['A', { any: ['B', 'C'] }, { not: 'D' }] }],
  ])('reads %s', (_what, cond, expected) => {
    expect(conditionOf(cond)).toEqual(expected);
  });

  it('puts conditions on members, enum values and branches', () => {
    const schema = read(`{ 'enum': 'E', 'data': [ { 'name': 'a', 'if': 'defined(X)' } ] }
{ 'struct': 'S', 'data': { 'm': { 'type': 'E', 'if': { 'any': [ 'X', 'Y' ] } } } }
{ 'alternate': 'Alt', 'data': { 'e': { 'type': 'E', 'if': { 'not': 'Z' } }, 's': 'str' } }`);
    expect(only(schema, 'E')).toMatchObject({ values: [{ name: 'a', if: 'X' }] });
    expect(only(schema, 'S')).toMatchObject({ members: [{ name: 'm', if: { any: ['X', 'Y'] } }] });
    expect(only(schema, 'Alt')).toMatchObject({ branches: [{ name: 'e', if: { not: 'Z' } }, { name: 's' }] });
  });
});

describe('lexical details', () => {
  it('allows comments inside expressions and between any two tokens', () => {
    const schema = read(`# file comment
{ # after the brace
  'struct' # after a key
  : # after the colon
  'S', 'data': { # in data
    'a': [ # in a list
      'str' # inside
    ] # after
  } } # trailing`);
    expect(only(schema, 'S')).toMatchObject({ members: [{ name: 'a', type: ['str'] }] });
  });

  it('accepts an indented top-level brace and records where it starts', () => {
    const schema = read(`\n   { 'enum': 'E', 'data': [ 'a' ] }\n\t{ 'struct': 'S', 'data': {} }`);
    expect(schema.definitions.map((d) => d.source)).toEqual(['f.json:2', 'f.json:3']);
  });

  it('turns a doubled backslash into one backslash', () => {
    const schema = read(`{ 'enum': 'E', 'prefix': 'A\\\\B', 'data': [ 'x' ] }`);
    expect(only(schema, 'E')).toMatchObject({ prefix: 'A\\B' });
  });

  it('reads an empty file, a comment-only file and CRLF line endings', () => {
    expect(read('')).toEqual({ origin: 'f.json', definitions: [], pragmas: {}, freeDocs: [] });
    expect(read('# nothing here\n\n# at all\n').definitions).toEqual([]);
    const crlf = read(`##\r\n# @S:\r\n#\r\n# Summary.\r\n##\r\n{ 'struct': 'S',\r\n  'data': {} }\r\n`);
    expect(only(crlf, 'S').doc.summary).toBe('Summary.');
  });

  it('keeps free-form doc blocks in order with their source', () => {
    const schema = read(`##\n# = First\n##\n\n##\n# Intro text.\n#\n# More.\n##\n{ 'struct': 'S', 'data': {} }`);
    expect(schema.freeDocs).toEqual([
      { text: '= First', source: 'f.json:1' },
      { text: 'Intro text.\n\nMore.', source: 'f.json:5' },
    ]);
  });
});
