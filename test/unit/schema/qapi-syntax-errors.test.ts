// Lexer and parser errors: each one is a QapiSyntaxError whose message starts with the
// exact file:line:col of the offending text.
import { describe, expect, it } from 'vitest';
import { parseQapiText, QapiSyntaxError } from '../../../src/schema/qapi/read.js';

function errorOf(text: string): QapiSyntaxError {
  try {
    parseQapiText(text, 't.json');
  } catch (err) {
    expect(err).toBeInstanceOf(QapiSyntaxError);
    return err as QapiSyntaxError;
  }
  throw new Error('expected a QapiSyntaxError, but the text was accepted');
}

const cases: [string, string, string][] = [
  // [what, input, expected message]
  ['double quotes', `{ 'a': "b" }`, `t.json:1:8: strings must be in single quotes`],
  ['unterminated string', `{ 'struct': 'Foo }\n`, `t.json:1:13: string is not closed before the end of the line`],
  ['string cut by end of file', `{ 'struct': 'Foo`, `t.json:1:13: string is not closed before the end of the line`],
  ['escape other than \\\\', `{ 'a\\n': 'x' }`, `t.json:1:5: the only escape allowed in a string is '\\\\'`],
  ['non-ASCII in a string', `{ 'caf\u00e9': 'x' }`, `t.json:1:7: strings may hold printable ASCII characters only`],
  ['tab in a string', `{ 'a\tb': 'x' }`, `t.json:1:5: strings may hold printable ASCII characters only`],
  ['number', `{ 'a': 12 }`, `t.json:1:8: numbers are not allowed in a schema (found '12')`],
  ['null', `{ 'a': null }`, `t.json:1:8: unexpected word 'null': only quoted strings, true and false are values`],
  ['stray character', `{ 'a' = 'b' }`, `t.json:1:7: unexpected character "="`],
  ['text after an opening ##', `## heading\n# x\n##\n`, `t.json:1:3: unexpected text after '##'`],
  ['text after a closing ##', `##\n# x\n## end\n`, `t.json:3:3: unexpected text after '##'`],
  ['unclosed doc block', `\n##\n# @Foo:\n`, `t.json:2:1: doc comment is not closed by a '##' line`],
  ['doc line without #', `##\n# text\n  more text\n##\n`, `t.json:3:3: doc comment line must start with '#' (close the block with '##')`],
  ['doc line without a space', `##\n#text\n##\n`, `t.json:2:2: doc comment text must be separated from '#' by a space`],
  ['top-level list', `[ 'a' ]`, `t.json:1:1: a top-level expression must be an object, found '['`],
  ['top-level string', `\n  'a'`, `t.json:2:3: a top-level expression must be an object, found a string`],
  ['duplicate key', `{ 'a': 'b', 'a': 'c' }`, `t.json:1:13: duplicate key 'a'`],
  ['trailing comma in an object', `{ 'a': 'b', }`, `t.json:1:13: expected a key after ','; trailing commas are not allowed`],
  ['trailing comma in a list', `{ 'a': [ 'b', ] }`, `t.json:1:15: expected a value after ','; trailing commas are not allowed`],
  ['missing colon', `{ 'a' 'b' }`, `t.json:1:7: expected ':' after key 'a', found a string`],
  ['non-string key', `{ true: 'b' }`, `t.json:1:3: expected a string key, found 'true'`],
  ['missing comma', `{ 'a': 'b' 'c': 'd' }`, `t.json:1:12: expected ',' or '}', found a string`],
  ['missing comma in a list', `{ 'a': [ 'b' 'c' ] }`, `t.json:1:14: expected ',' or ']', found a string`],
  ['value cut by end of file', `{ 'a': `, `t.json:1:8: expected a value, found the end of the file`],
  ['object cut by end of file', `{ 'a': 'b'\n`, `t.json:2:1: expected ',' or '}', found the end of the file`],
  ['closing brace as a value', `{ 'a': }`, `t.json:1:8: expected a value, found '}'`],
  ['doc block inside an expression', `{ 'a':\n##\n# x\n##\n 'b' }`, `t.json:2:1: a '##' doc comment may only appear between top-level expressions`],
  ['doc block in key position', `{ 'a': 'b',\n  ##\n  # x\n  ##\n}`, `t.json:2:3: a '##' doc comment may only appear between top-level expressions`],
];

describe('QAPI syntax errors', () => {
  it.each(cases)('%s', (_what, input, message) => {
    expect(errorOf(input).message).toBe(message);
  });

  it('exposes file, line, column and the bare reason', () => {
    const err = errorOf(`{ 'struct': 'A',\n  'data': { 'x': 7 } }`);
    expect(err.name).toBe('QapiSyntaxError');
    expect([err.file, err.line, err.col]).toEqual(['t.json', 2, 18]);
    expect(err.reason).toBe("numbers are not allowed in a schema (found '7')");
    expect(err.message).toBe(`t.json:2:18: ${err.reason}`);
  });

  it('counts columns from the start of the line after a CRLF line ending', () => {
    expect(errorOf(`{ 'struct': 'A',\r\n    'data': null }`).message).toBe(
      "t.json:2:13: unexpected word 'null': only quoted strings, true and false are values",
    );
  });
});
