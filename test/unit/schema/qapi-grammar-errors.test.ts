// Checker errors: well-formed syntax that breaks the QAPI grammar or refers to things that
// do not exist. Each asserts the exact `file:line:col: message`.
import { describe, expect, it } from 'vitest';
import { parseQapiText, QapiSyntaxError, type ParseQapiOptions } from '../../../src/schema/qapi/read.js';

function errorOf(text: string, opts?: ParseQapiOptions): string {
  try {
    parseQapiText(text, 's.json', opts);
  } catch (err) {
    expect(err).toBeInstanceOf(QapiSyntaxError);
    return (err as Error).message;
  }
  throw new Error('expected a QapiSyntaxError, but the text was accepted');
}

const KINDS = 'include, pragma, command, event, struct, enum, union, alternate';

const expressionCases: [string, string, string][] = [
  ['empty expression', `{ }`, `s.json:1:1: empty expression: expected a kind key such as 'struct' or 'command'`],
  ['unknown kind', `{ 'structure': 'Foo', 'data': {} }`, `s.json:1:3: unknown expression kind 'structure' (expected one of ${KINDS})`],
  ['two kind keys', `{ 'struct': 'A', 'enum': 'A', 'data': [] }`, `s.json:1:18: expression has both 'struct' and 'enum'; only one kind key is allowed`],
  ['kind name not a string', `{ 'command': ['x'] }`, `s.json:1:14: the name in a 'command' expression must be a string, not a list`],
  ['invalid definition name', `{ 'struct': 'Foo Bar', 'data': {} }`, `s.json:1:13: invalid name 'Foo Bar' for a struct`],
  ['missing data of a struct', `{ 'struct': 'Foo' }`, `s.json:1:1: struct 'Foo' is missing required key 'data'`],
  ['missing data of an enum', `\n  { 'enum': 'E' }`, `s.json:2:3: enum 'E' is missing required key 'data'`],
  ['missing discriminator', `{ 'union': 'U', 'base': { 'type': 'E' }, 'data': { 'a': 'S' } }`, `s.json:1:1: union 'U' is missing required key 'discriminator'`],
  ['unknown key', `{ 'struct': 'Foo', 'data': {}, 'bogus': true }`, `s.json:1:32: unknown key 'bogus' in struct 'Foo'`],
  ['struct data not an object', `{ 'struct': 'Foo', 'data': [] }`, `s.json:1:28: 'data' of struct 'Foo' must be an object, not a list`],
  ['enum data not a list', `{ 'enum': 'E', 'data': { 'a': 'b' } }`, `s.json:1:24: 'data' of enum 'E' must be a list, not an object`],
  ['duplicate enum value', `{ 'enum': 'E', 'data': [ 'a', 'b', 'a' ] }`, `s.json:1:36: duplicate value 'a' in enum 'E'`],
  ['enum value object without name', `{ 'enum': 'E', 'data': [ { 'if': 'X' } ] }`, `s.json:1:26: a value of enum 'E' is missing 'name'`],
  ['member optional and plain', `{ 'struct': 'S', 'data': { 'a': 'str', '*a': 'int' } }`, `s.json:1:40: duplicate member 'a' in struct 'S'`],
  ['invalid member name', `{ 'struct': 'S', 'data': { 'a b': 'str' } }`, `s.json:1:28: invalid name 'a b' for a member of struct 'S'`],
  ['array of two types', `{ 'struct': 'S', 'data': { 'a': [ 'str', 'int' ] } }`, `s.json:1:33: an array type for member 'a' of struct 'S' must be a list of exactly one type name`],
  ['member type a boolean', `{ 'struct': 'S', 'data': { 'a': true } }`, `s.json:1:33: the type of member 'a' of struct 'S' must be a type name or a one-element list, not a boolean`],
  ['member object without type', `{ 'struct': 'S', 'data': { 'a': { 'if': 'X' } } }`, `s.json:1:33: member 'a' of struct 'S' is missing 'type'`],
  ['unknown key in member object', `{ 'struct': 'S', 'data': { 'a': { 'type': 'str', 'default': 'x' } } }`, `s.json:1:50: unknown key 'default' in member 'a' of struct 'S'`],
  ['bad success-response', `{ 'command': 'c', 'success-response': 'maybe' }`, `s.json:1:39: 'success-response' of command 'c' must be true or false, not a string`],
  ['boxed without a type name', `{ 'command': 'c', 'data': { 'a': 'str' }, 'boxed': true }`, `s.json:1:52: 'boxed': true in command 'c' needs 'data' to be a type name`],
  ['command data a list', `{ 'command': 'c', 'data': [ 'x' ] }`, `s.json:1:27: 'data' of command 'c' (members or a type name) must be an object, not a list`],
  ['union without branches', `{ 'union': 'U', 'base': { 'type': 'E' }, 'discriminator': 'type', 'data': {} }`, `s.json:1:75: union 'U' needs at least one branch`],
  ['union branch an array', `{ 'union': 'U', 'base': { 'type': 'E' }, 'discriminator': 'type', 'data': { 'a': [ 'S' ] } }`, `s.json:1:82: branch 'a' of union 'U' must name a struct type, not an array`],
  ['features not a list', `{ 'struct': 'S', 'data': {}, 'features': 'f' }`, `s.json:1:42: 'features' of struct 'S' must be a list, not a string`],
  ['pragma not an object', `{ 'pragma': 'doc-required' }`, `s.json:1:13: the value of 'pragma' must be an object, not a string`],
  ['pragma with a wrong value', `{ 'pragma': { 'doc-required': 'yes' } }`, `s.json:1:31: pragma 'doc-required' must be true or false, not a string`],
  ['pragma list with a non-string', `{ 'pragma': { 'member-name-exceptions': [ true ] } }`, `s.json:1:43: an entry of pragma 'member-name-exceptions' must be a string, not a boolean`],
  ['pragma with another key', `{ 'pragma': {}, 'if': 'X' }`, `s.json:1:17: unknown key 'if' in a 'pragma' directive`],
];

const conditionCases: [string, string, string][] = [
  ['if is a boolean', `{ 'struct': 'S', 'data': {}, 'if': true }`, `s.json:1:36: an 'if' condition must be a string, a list or an object, not a boolean`],
  ['if symbol with a space', `{ 'struct': 'S', 'data': {}, 'if': 'CONFIG X' }`, `s.json:1:36: invalid 'if' condition 'CONFIG X': expected a config symbol such as CONFIG_LINUX`],
  ['if object with an unknown key', `{ 'struct': 'S', 'data': {}, 'if': { 'some': [ 'A' ] } }`, `s.json:1:38: unknown key 'some' in 'if' condition (expected 'all', 'any' or 'not')`],
  ['if object with two keys', `{ 'struct': 'S', 'data': {}, 'if': { 'all': [ 'A' ], 'any': [ 'B' ] } }`, `s.json:1:54: an 'if' object needs exactly one of 'all', 'any' or 'not', but also has 'any'`],
  ['if object empty', `{ 'struct': 'S', 'data': {}, 'if': {} }`, `s.json:1:36: an 'if' object needs exactly one of 'all', 'any' or 'not'`],
  ['if any with an empty list', `{ 'struct': 'S', 'data': {}, 'if': { 'any': [] } }`, `s.json:1:45: 'any' in an 'if' condition needs at least one condition`],
  ['if all not a list', `{ 'struct': 'S', 'data': {}, 'if': { 'all': 'A' } }`, `s.json:1:45: 'all' in an 'if' condition needs a list, not a string`],
  ['if nested bad form', `{ 'struct': 'S', 'data': {}, 'if': { 'not': { 'any': [ 'A', 1 ] } } }`, `s.json:1:61: numbers are not allowed in a schema (found '1')`],
  ['if empty list', `{ 'struct': 'S', 'data': {}, 'if': [] }`, `s.json:1:36: an 'if' list must not be empty`],
  ['old if without closing paren', `{ 'struct': 'S', 'data': {}, 'if': 'defined(CONFIG_A' }`, `s.json:1:53: cannot read the old-style 'if' condition 'defined(CONFIG_A': expected ')' at the end`],
  ['old if with a dangling operator', `{ 'struct': 'S', 'data': {}, 'if': 'defined(A) &&' }`, `s.json:1:50: cannot read the old-style 'if' condition 'defined(A) &&': unexpected end`],
  ['old if with a stray word', `{ 'struct': 'S', 'data': {}, 'if': 'defined(A) B' }`, `s.json:1:48: cannot read the old-style 'if' condition 'defined(A) B': unexpected 'B'`],
];

const referenceCases: [string, string, string][] = [
  ['duplicate definition', `{ 'struct': 'Foo', 'data': {} }\n{ 'enum': 'Foo', 'data': [] }`, `s.json:2:11: duplicate definition 'Foo' (first defined at s.json:1)`],
  ['command and type share one namespace', `{ 'command': 'x' }\n{ 'struct': 'x', 'data': {} }`, `s.json:2:13: duplicate definition 'x' (first defined at s.json:1)`],
  ['unknown member type', `{ 'struct': 'Foo',\n  'data': { 'a': 'Bar' } }`, `s.json:2:18: unknown type 'Bar' in member 'a' of struct 'Foo'`],
  ['unknown array element type', `{ 'command': 'x', 'returns': [ 'Nope' ] }`, `s.json:1:32: unknown type 'Nope' in the return value of command 'x'`],
  ['unknown argument type name', `{ 'command': 'x', 'data': 'Args' }`, `s.json:1:27: unknown type 'Args' in the arguments of command 'x'`],
  ['a command used as a type', `{ 'command': 'x' }\n{ 'struct': 'S', 'data': { 'a': 'x' } }`, `s.json:2:33: 'x' is a command, not a type (in member 'a' of struct 'S')`],
  ['struct base not a struct', `{ 'enum': 'E', 'data': [] }\n{ 'struct': 'S', 'base': 'E', 'data': {} }`, `s.json:2:26: the base of struct 'S' must be a struct, but 'E' is an enum`],
  ['struct base cycle', `{ 'struct': 'A', 'base': 'B', 'data': {} }\n{ 'struct': 'B', 'base': 'A', 'data': {} }`, `s.json:1:26: struct 'A' has a cycle in its chain of bases`],
  ['command data naming an enum', `{ 'enum': 'E', 'data': [] }\n{ 'command': 'c', 'data': 'E' }`, `s.json:2:27: 'data' of command 'c' must name a struct, but 'E' is an enum`],
  ['union base naming an enum', `{ 'enum': 'E', 'data': [ 'a' ] }\n{ 'union': 'U', 'base': 'E', 'discriminator': 'type', 'data': { 'a': 'E' } }`, `s.json:2:25: the base of union 'U' must be a struct, but 'E' is an enum`],
  ['discriminator not in the base', `{ 'enum': 'E', 'data': [ 'a' ] }\n{ 'struct': 'S', 'data': {} }\n{ 'union': 'U', 'base': { 'kind': 'E' }, 'discriminator': 'type', 'data': { 'a': 'S' } }`, `s.json:3:59: discriminator 'type' is not a member of the base of union 'U'`],
  ['optional discriminator', `{ 'enum': 'E', 'data': [ 'a' ] }\n{ 'struct': 'S', 'data': {} }\n{ 'union': 'U', 'base': { '*type': 'E' }, 'discriminator': 'type', 'data': { 'a': 'S' } }`, `s.json:3:60: discriminator 'type' of union 'U' must not be optional`],
  ['discriminator not an enum', `{ 'struct': 'S', 'data': {} }\n{ 'union': 'U', 'base': { 'type': 'str' }, 'discriminator': 'type', 'data': { 'a': 'S' } }`, `s.json:2:61: discriminator 'type' of union 'U' must have an enum type`],
  ['branch not an enum value', `{ 'enum': 'E', 'data': [ 'a' ] }\n{ 'struct': 'S', 'data': {} }\n{ 'union': 'U', 'base': { 'type': 'E' }, 'discriminator': 'type', 'data': { 'b': 'S' } }`, `s.json:3:77: branch 'b' of union 'U' is not a value of enum 'E'`],
  ['branch type not a struct', `{ 'enum': 'E', 'data': [ 'a' ] }\n{ 'union': 'U', 'base': { 'type': 'E' }, 'discriminator': 'type', 'data': { 'a': 'int' } }`, `s.json:2:82: branch 'a' of union 'U' must be a struct, but 'int' is a built-in type`],
];

const docCases: [string, string, string][] = [
  ['doc naming another definition', `##\n# @Foo:\n##\n{ 'struct': 'Bar', 'data': {} }`, `s.json:2:3: documentation is for 'Foo', but the definition that follows is struct 'Bar'`],
  ['definition doc followed by a doc block', `##\n# @Foo:\n##\n##\n# = Heading\n##\n{ 'struct': 'Foo', 'data': {} }`, `s.json:2:3: documentation for 'Foo' is not followed by its definition`],
  ['definition doc at the end of the file', `{ 'struct': 'Foo', 'data': {} }\n##\n# @Bar:\n##\n`, `s.json:3:3: documentation for 'Bar' is not followed by its definition`],
  ['definition doc before a pragma', `##\n# @Foo:\n##\n{ 'pragma': { 'doc-required': true } }`, `s.json:2:3: documentation for 'Foo' is not followed by its definition`],
  ['doc describing a missing member', `##\n# @S:\n#\n# @a: here\n# @b: not here\n##\n{ 'struct': 'S', 'data': { 'a': 'int' } }`, `s.json:5:3: documentation describes '@b', but struct 'S' has no member 'b'`],
  ['doc describing a missing enum value', `##\n# @E:\n#\n# @x: nope\n##\n{ 'enum': 'E', 'data': [ 'a' ] }`, `s.json:4:3: documentation describes '@x', but enum 'E' has no value 'x'`],
  ['doc describing a missing argument', `##\n# @cmd:\n#\n# @x: nope\n##\n{ 'command': 'cmd' }`, `s.json:4:3: documentation describes '@x', but command 'cmd' has no argument 'x'`],
  ['doc describing a missing feature', `##\n# @S:\n#\n# Features:\n#\n# @deprecated: old\n##\n{ 'struct': 'S', 'data': {} }`, `s.json:6:3: documentation describes feature '@deprecated', but struct 'S' has no such feature`],
  ['member described twice', `##\n# @S:\n#\n# @a: one\n#\n# @a: two\n##\n{ 'struct': 'S', 'data': { 'a': 'int' } }`, `s.json:6:3: '@a' is described twice`],
  ['two Since sections', `##\n# @S:\n#\n# Since: 1.0\n#\n# Since: 2.0\n##\n{ 'struct': 'S', 'data': {} }`, `s.json:6:3: duplicate 'Since:' section`],
  ['doc-required with an undocumented definition', `{ 'pragma': { 'doc-required': true } }\n##\n# @A:\n##\n{ 'struct': 'A', 'data': {} }\n\n  { 'struct': 'B', 'data': {} }`, `s.json:7:3: struct 'B' has no documentation comment, which pragma 'doc-required' demands`],
  ['doc-required with only a free-form block', `{ 'pragma': { 'doc-required': true } }\n##\n# = Heading\n##\n{ 'struct': 'A', 'data': {} }`, `s.json:5:1: struct 'A' has no documentation comment, which pragma 'doc-required' demands`],
];

const includeCases: [string, string, string, ParseQapiOptions | undefined][] = [
  ['include without a reader', `{ 'struct': 'A', 'data': {} }\n{ 'include': 'sub/x.json' }`, `s.json:2:14: cannot include 'sub/x.json': no include reader was given`, undefined],
  ['include the reader cannot find', `{ 'include': 'x.json' }`, `s.json:1:14: cannot read included file 'x.json': no such file`, { readInclude: () => { throw new Error('no such file'); } }],
  ['include with a non-string path', `{ 'include': [ 'x.json' ] }`, `s.json:1:14: the path of an 'include' directive must be a string, not a list`, undefined],
  ['include with another key', `{ 'include': 'x.json', 'if': 'A' }`, `s.json:1:24: unknown key 'if' in an 'include' directive`, undefined],
  ['error inside an included file', `{ 'include': 'inc/x.json' }`, `inc/x.json:2:18: unknown type 'Missing' in member 'm' of struct 'X'`, { readInclude: () => `{ 'struct': 'X',\n  'data': { 'm': 'Missing' } }` }],
];

describe('QAPI grammar errors', () => {
  it.each(expressionCases)('expression: %s', (_what, input, message) => {
    expect(errorOf(input)).toBe(message);
  });

  it.each(conditionCases)('condition: %s', (_what, input, message) => {
    expect(errorOf(input)).toBe(message);
  });

  it.each(referenceCases)('reference: %s', (_what, input, message) => {
    expect(errorOf(input)).toBe(message);
  });

  it.each(docCases)('doc: %s', (_what, input, message) => {
    expect(errorOf(input)).toBe(message);
  });

  it.each(includeCases)('include: %s', (_what, input, message, opts) => {
    expect(errorOf(input, opts)).toBe(message);
  });
});
