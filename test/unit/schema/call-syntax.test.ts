import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/protocol/errors.js';
import { parseCallLine, parseCallWords } from '../../../src/schema/call-syntax.js';
import { tokenize } from '../../../src/schema/tokenize.js';

describe('tokenize', () => {
  it('splits on blanks and honours quotes and backslashes', () => {
    expect(tokenize(`a  b\t'c d' "e \\"f\\"" g\\ h`)).toEqual(['a', 'b', 'c d', 'e "f"', 'g h']);
  });
  it('keeps shell operators and globs as plain text', () => {
    expect(tokenize('path=/tmp/a>b|c;* x')).toEqual(['path=/tmp/a>b|c;*', 'x']);
  });
  it('refuses an unterminated quote with a hint', () => {
    expect(() => tokenize("a 'b")).toThrow(UsageError);
    expect(() => tokenize('a "b')).toThrow(/unterminated " quote/);
  });
});

describe('parseCallLine', () => {
  it('gathers a key given again into a list of what was given, each with its typed text', () => {
    const parsed = parseCallLine('guest-exec path=/bin/ls arg=-l arg=123 arg=/tmp');
    expect(parsed.args).toEqual({ path: '/bin/ls', arg: ['-l', 123, '/tmp'] });
    expect(parsed.repeated).toEqual(new Set(['arg']));
    expect([...parsed.typed]).toEqual([['path', '/bin/ls'], ['arg[0]', '-l'], ['arg[1]', '123'], ['arg[2]', '/tmp']]);
    expect(parseCallLine('cmd a.b=1 a.b=2').args).toEqual({ a: { b: [1, 2] } });
    expect(parseCallLine('cmd a=1').repeated).toBeUndefined();
  });

  it('parses key=value pairs, JSON values, and strings otherwise', () => {
    const parsed = parseCallLine(`guest-exec path=/bin/ls arg='["-l","/"]' capture-output=true n=5 name=guest`);
    expect(parsed.command).toBe('guest-exec');
    expect(parsed.args).toEqual({ path: '/bin/ls', arg: ['-l', '/'], 'capture-output': true, n: 5, name: 'guest' });
    expect(parsed.typed.get('n')).toBe('5');
  });

  it('nests dotted keys', () => {
    expect(parseCallLine('cmd a.b.c=1 a.b.d=x a.e=[]').args).toEqual({ a: { b: { c: 1, d: 'x' }, e: [] } });
  });

  it('keeps integers beyond 2^53 exact', () => {
    expect(parseCallLine('guest-set-time time=1795603519181776123').args).toEqual({ time: 1795603519181776123n });
  });

  it('takes one JSON object after the command verbatim, double quotes included', () => {
    expect(parseCallLine('guest-file-open {"path": "/tmp/a b", "mode": "r"}').args).toEqual({ path: '/tmp/a b', mode: 'r' });
    expect(parseCallWords('guest-file-open', ['{"path":"/x"}']).args).toEqual({ path: '/x' });
  });

  it('treats a line that is a JSON object with execute as a raw request', () => {
    const parsed = parseCallLine('{"execute": "guest-ping", "id": 18446744073709551615, "exec-oob": 1}');
    expect(parsed.command).toBe('guest-ping');
    expect(parsed.raw).toEqual({ execute: 'guest-ping', id: 18446744073709551615n, 'exec-oob': 1 });
  });

  it('gives an empty string for key= and no arguments for a bare command', () => {
    expect(parseCallLine('cmd a=').args).toEqual({ a: '' });
    expect(parseCallLine('guest-ping').args).toBeUndefined();
  });

  it.each([
    ['guest-ping stray', /argument "stray" of guest-ping is not key=value/],
    ['cmd =1', /is not key=value/],
    ['cmd a..b=1', /"a..b" is not a valid argument name/],
    ['cmd a=1 a.b=2', /argument a of cmd is both a value and an object/],
    ['cmd {"a": ', /arguments of cmd is not valid JSON/],
    ['{"arguments": {}}', /needs an "execute" key/],
    ['{"execute": 5}', /needs an "execute" key/],
    ['   ', /empty command line/],
  ])('refuses %s with a clear message', (line, message) => {
    expect(() => parseCallLine(line)).toThrow(message);
    try {
      parseCallLine(line);
    } catch (err) {
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).exitCode).toBe(2);
    }
  });

  it('refuses a JSON array or scalar where an object is needed', () => {
    expect(() => parseCallWords('cmd', ['[1, 2]'])).toThrow(/is not key=value/);
    expect(() => parseCallWords('cmd', ['{"a": 1} '])).not.toThrow();
  });
});
