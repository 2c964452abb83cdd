// Doc blocks in both generations of the format, written here from scratch: the current
// rST style (4-space continuations, `.. note::`, `.. qmp-example::`) and the older style
// (free continuations, `Note:`/`Notes:`/`Example:`/`Examples:` sections).
import { describe, expect, it } from 'vitest';
import type { Definition, Doc } from '../../../src/schema/model.js';
import { parseQapiText } from '../../../src/schema/qapi/read.js';

/** Wraps doc lines (without `# `) into a block documenting `definition`. */
function docFor(lines: string[], definition: string): Definition {
  const block = ['##', ...lines.map((l) => (l === '' ? '#' : `# ${l}`)), '##'].join('\n');
  const schema = parseQapiText(`${block}\n${definition}`, 'd.json');
  return schema.definitions[schema.definitions.length - 1]!;
}

function structDoc(lines: string[], members = `'a': 'int', '*b': 'str'`): Definition {
  return docFor(['@Thing:', ...lines], `{ 'struct': 'Thing', 'data': { ${members} } }`);
}

function docOf(lines: string[]): Doc {
  return structDoc(lines).doc;
}

describe('current (rST) doc format', () => {
  it('splits summary, body, members and tagged sections', () => {
    const def = structDoc([
      '', 'A thing that does', 'several things.', '', 'A second paragraph', 'of overview.', '',
      'A third one.', '', '@a: the first member, which is', '    described at length', '',
      '@b: the second member (since 2.4)', '', 'Returns: nothing much', '    really', '',
      'Errors:', '    - If it fails, GenericError', '', 'Since: 9.1',
    ]);
    expect(def.doc).toEqual({
      summary: 'A thing that does several things.',
      body: 'A second paragraph\nof overview.\n\nA third one.',
      members: { a: 'the first member, which is\ndescribed at length', b: 'the second member (since 2.4)' },
      returns: 'nothing much\nreally',
      errors: '- If it fails, GenericError',
      since: '9.1',
      notes: [],
      examples: [],
      features: {},
    });
    expect(def.since).toBe('9.1');
    expect(def.kind === 'struct' && def.members.map((m) => [m.name, m.doc, m.since])).toEqual([
      ['a', 'the first member, which is\ndescribed at length', undefined],
      ['b', 'the second member (since 2.4)', '2.4'],
    ]);
  });

  it('keeps nested list indentation and blank lines inside a member description', () => {
    const doc = docOf([
      '@a: choices:', '', '    - one:', '      first choice', '    - two', '', '    Trailing paragraph.', '',
      '@b:', '    * text on the next line',
    ]);
    expect(doc.members.a).toBe('choices:\n\n- one:\n  first choice\n- two\n\nTrailing paragraph.');
    expect(doc.members.b).toBe('* text on the next line');
  });

  it('takes .. note:: bodies, with several paragraphs, into notes', () => {
    const doc = docOf([
      'Summary.', '', '.. note:: First line', '   continues here.', '', '   Second paragraph.', '',
      'Back in the body.', '', '.. note::', '', '   Body on the next lines.', '', 'Since: 1.0',
    ]);
    expect(doc.notes).toEqual(['First line\ncontinues here.\n\nSecond paragraph.', 'Body on the next lines.']);
    expect(doc.summary).toBe('Summary.');
    expect(doc.body).toBe('Back in the body.');
  });

  it('keeps .. qmp-example:: bodies verbatim in examples', () => {
    const doc = docOf([
      'Summary.', '', '.. qmp-example::', '   :title: Asking politely', '',
      '  -> { "execute": "thing",', '       "arguments": { "a": 1 } }', '  <- { "return": {} }', '', 'Since: 1.0',
    ]);
    expect(doc.examples).toEqual([
      ' :title: Asking politely\n\n-> { "execute": "thing",\n     "arguments": { "a": 1 } }\n<- { "return": {} }',
    ]);
  });

  it('files other admonitions as notes and keeps unknown directives in the body', () => {
    const doc = docOf(['Summary.', '', '.. warning:: Mind the gap.', '', '.. code-block:: json', '', '   { "a": 1 }']);
    expect(doc.notes).toEqual(['Warning: Mind the gap.']);
    expect(doc.body).toBe('.. code-block:: json\n\n   { "a": 1 }');
  });

  it('reads TODO: into notes and Features: into features', () => {
    const def = docFor(
      ['@Thing:', '', 'Summary.', '', '@a: member', '', 'Features:', '', '@deprecated: use something else', '    instead.', '',
        'TODO: describe more', '', 'Since: 2.0'],
      `{ 'struct': 'Thing', 'data': { 'a': 'int' }, 'features': [ 'deprecated' ] }`,
    );
    expect(def.doc.features).toEqual({ deprecated: 'use something else\ninstead.' });
    expect(def.doc.members).toEqual({ a: 'member' });
    expect(def.doc.notes).toEqual(['TODO: describe more']);
  });

  it('treats lines ending in :: and tags in mid-line as plain text', () => {
    const doc = docOf(['Returns:: is not a section.', 'Also, Note: this is prose.', '', 'Example::', '', '   literal']);
    expect(doc.summary).toBe('Returns:: is not a section. Also, Note: this is prose.');
    expect(doc.body).toBe('Example::\n\n   literal');
    expect(doc.returns).toBeUndefined();
    expect(doc.notes).toEqual([]);
    expect(doc.examples).toEqual([]);
  });

  it('keeps the raw Since: text but takes the leading version for the definition', () => {
    const def = structDoc(['Since: 2.2; some values', '    since 2.4']);
    expect(def.doc.since).toBe('2.2; some values since 2.4');
    expect(def.since).toBe('2.2');
    expect(structDoc(['Since: a long time ago']).since).toBe('a long time ago');
  });
});

describe('older doc format', () => {
  it('continues members at any indentation, or none, and without blank lines between them', () => {
    const doc = docOf([
      '', 'Summary line.', '', '@a: first line', '           deep continuation', '@b:', '* bullet one', '* bullet two',
      '', 'Since: 1.1',
    ]);
    expect(doc.members).toEqual({ a: 'first line\ndeep continuation', b: '* bullet one\n* bullet two' });
  });

  it('collects Note:, Notes:, Example: and Examples: sections', () => {
    const doc = docOf([
      '', 'Summary line.', 'Returns: the answer', '         on two lines', '', 'Note: beware of', '      the dog.', '',
      'Notes:', '', 'First paragraph of notes.', '', 'Second paragraph of notes.', '',
      'Example:', '', '-> { "execute": "thing" }', '<- { "return": {} }', '',
      'Examples:', '   indented example', '', 'Since: 0.15.0',
    ]);
    expect(doc.summary).toBe('Summary line.');
    expect(doc.returns).toBe('the answer\non two lines');
    expect(doc.notes).toEqual(['beware of\nthe dog.', 'First paragraph of notes.\n\nSecond paragraph of notes.']);
    expect(doc.examples).toEqual(['-> { "execute": "thing" }\n<- { "return": {} }', 'indented example']);
    expect(doc.since).toBe('0.15.0');
    expect(doc.body).toBe('');
  });

  it('reads an indented Note: inside a section as part of that section', () => {
    const doc = docOf(['Returns: a list', '', '         Note: may be empty', '', 'Since: 2.3']);
    expect(doc.returns).toBe('a list\n\nNote: may be empty');
    expect(doc.notes).toEqual([]);
  });

  it('ends a member at a blank line followed by prose, which joins the body', () => {
    const doc = docOf(['@a: the member', '', 'Prose after the members.', '', 'More prose.', '', 'IMPORTANT: still prose']);
    expect(doc.members.a).toBe('the member');
    expect(doc.summary).toBe('Prose after the members.');
    expect(doc.body).toBe('More prose.\n\nIMPORTANT: still prose');
  });

  it('accepts text on the @name: line and a truly empty line inside the block', () => {
    const schema = parseQapiText(`##\n# @S: Summary on the first line.\n\n# @a: member\n##\n{ 'struct': 'S', 'data': { 'a': 'int' } }`, 'd.json');
    expect(schema.definitions[0]!.doc).toMatchObject({ summary: 'Summary on the first line.', members: { a: 'member' } });
  });

  it('extracts member versions in each inline spelling', () => {
    const def = structDoc(
      ['@a: one (since 1.7)', '@b: two (since: 0.15)', '@c: three (Since 2.4)', '@d: kernel feature (since Linux 2.6.11)', '@e: none'],
      `'a': 'int', 'b': 'int', 'c': 'int', 'd': 'int', 'e': 'int'`,
    );
    expect(def.kind === 'struct' && def.members.map((m) => m.since)).toEqual(['1.7', '0.15', '2.4', undefined, undefined]);
  });
});

describe('docs on values and branches', () => {
  it('copies value, branch and base member descriptions onto the model', () => {
    const schema = parseQapiText(`##
# @Kind:
#
# @disk: a disk
# @net: a network card
##
{ 'enum': 'Kind', 'data': [ 'disk', 'net' ] }
{ 'struct': 'Disk', 'data': {} }
##
# @Device:
#
# @kind: what it is
#
# @disk: the disk branch
##
{ 'union': 'Device', 'base': { 'kind': 'Kind' }, 'discriminator': 'kind', 'data': { 'disk': 'Disk' } }
##
# @Either:
#
# @n: a number
#
# @k: a kind
##
{ 'alternate': 'Either', 'data': { 'n': 'int', 'k': 'Kind' } }`, 'd.json');
    const [kind, , device, either] = schema.definitions;
    expect(kind).toMatchObject({ values: [{ name: 'disk', doc: 'a disk' }, { name: 'net', doc: 'a network card' }] });
    expect(device).toMatchObject({ base: [{ name: 'kind', doc: 'what it is' }], branches: [{ name: 'disk', doc: 'the disk branch' }] });
    expect(either).toMatchObject({ branches: [{ name: 'n', doc: 'a number' }, { name: 'k', doc: 'a kind' }] });
  });

  it('documents a command and leaves undocumented parts empty', () => {
    const def = docFor(['@do-it:', '', 'Does it.', '', '@x: the x', '', 'Returns: @Thing', '', 'Since: 1.0'],
      `{ 'command': 'do-it', 'data': { 'x': 'int', '*y': 'int' }, 'returns': 'int' }`);
    expect(def.kind === 'command' && def.args.map((m) => m.doc)).toEqual(['the x', undefined]);
    expect(def.doc.returns).toBe('@Thing');
  });
});
