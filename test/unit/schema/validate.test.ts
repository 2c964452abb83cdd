import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../src/protocol/errors.js';
import { parseJson, stringifyJson } from '../../../src/protocol/json.js';
import { parseCallLine, parseCallWords } from '../../../src/schema/call-syntax.js';
import { validateCall } from '../../../src/schema/validate.js';
import { fixture } from './validate-fixture.js';

/**
 * Validates a call line. `command {json}` is split here, as a shell would hand it to
 * `qemu-host call`: the JSON object as one word.
 */
function check(line: string): unknown {
  const json = /^(\S+) (\{.*)$/.exec(line);
  const parsed = json ? parseCallWords(json[1]!, [json[2]!]) : parseCallLine(line);
  return validateCall(fixture, parsed);
}

function failure(line: string): ArgumentError {
  try {
    check(line);
  } catch (err) {
    expect(err).toBeInstanceOf(ArgumentError);
    return err as ArgumentError;
  }
  throw new Error(`expected "${line}" to be rejected`);
}

describe('unknown commands', () => {
  it('rejects a typo with a did-you-mean from the command names', () => {
    const err = failure('guest-fle-open path=/x');
    expect(err.message).toBe('unknown command "guest-fle-open" (did you mean guest-file-open?)');
    expect(err.command).toBe('guest-fle-open');
    expect(err.member).toBe('');
    expect(err.exitCode).toBe(2);
    expect(err.hint).toBe('Run qemu-host commands for the list (schema: test fixture). To send it anyway, use call --raw or a raw JSON request.');
  });

  it('finds the command when the guest- prefix is left off or letters are swapped', () => {
    expect(failure('file-open').message).toBe('unknown command "file-open" (did you mean guest-file-open?)');
    expect(failure('guset-ping').message).toBe('unknown command "guset-ping" (did you mean guest-ping?)');
  });

  it('offers nothing when nothing is close', () => {
    expect(failure('reboot-the-world').message).toBe('unknown command "reboot-the-world"');
  });
});

describe('members', () => {
  it('rejects an unknown member with a did-you-mean among the command members', () => {
    const err = failure('guest-file-open pth=/etc/hostname');
    expect(err.message).toBe('guest-file-open: unknown member "pth" (did you mean path?)');
    expect(err.member).toBe('pth');
    expect(err.hint).toBe('guest-file-open takes path, mode.');
  });

  it('says when a command takes no arguments at all', () => {
    const err = failure('guest-ping verbose=1');
    expect(err.message).toBe('guest-ping: unknown member "verbose"');
    expect(err.hint).toBe('guest-ping takes no arguments.');
  });

  it('rejects a missing required member, naming its type and doc', () => {
    const err = failure('guest-file-open mode=r');
    expect(err.message).toBe('guest-file-open: missing required member "path" (str)');
    expect(err.member).toBe('path');
    expect(err.hint).toBe('guest-file-open needs path. path: Absolute path of the file.');
  });

  it('rejects a missing required member when no arguments were given at all', () => {
    expect(failure('guest-file-open').message).toBe('guest-file-open: missing required member "path" (str)');
  });

  it('returns undefined for no arguments and the object otherwise', () => {
    expect(check('guest-ping')).toBeUndefined();
    expect(check('guest-shutdown')).toBeUndefined();
    expect(check('guest-file-open path=/etc/hostname mode=r')).toEqual({ path: '/etc/hostname', mode: 'r' });
    expect(check('guest-ping {}')).toEqual({});
  });

  it('keeps the order the user wrote the members in', () => {
    expect(Object.keys(check('guest-file-open mode=r path=/x') as object)).toEqual(['mode', 'path']);
  });
});

describe('scalar types', () => {
  it('rejects a string where an integer is wanted, quoting what was given', () => {
    const err = failure('guest-file-read handle=1000 count=ten');
    expect(err.message).toBe('guest-file-read: member "count" must be an integer (int), got the string "ten"');
    expect(err.member).toBe('count');
  });

  it('rejects a fraction for an integer', () => {
    expect(failure('guest-file-read handle=1.5').message).toBe('guest-file-read: member "handle" must be an integer (int), got the number 1.5');
  });

  it('checks the range of every integer width', () => {
    const cases: [string, string][] = [
      ['i8=128', 'member "i8" must be an integer from -128 to 127 (int8), got 128'],
      ['i8=-129', 'member "i8" must be an integer from -128 to 127 (int8), got -129'],
      ['i16=32768', 'member "i16" must be an integer from -32768 to 32767 (int16), got 32768'],
      ['i32=2147483648', 'member "i32" must be an integer from -2147483648 to 2147483647 (int32), got 2147483648'],
      ['i64=9223372036854775808', 'member "i64" must be an integer from -9223372036854775808 to 9223372036854775807 (int64), got 9223372036854775808'],
      ['u8=256', 'member "u8" must be an integer from 0 to 255 (uint8), got 256'],
      ['u16=-1', 'member "u16" must be an integer from 0 to 65535 (uint16), got -1'],
      ['u32=4294967296', 'member "u32" must be an integer from 0 to 4294967295 (uint32), got 4294967296'],
      ['u64=-1', 'member "u64" must be an integer from 0 to 18446744073709551615 (uint64), got -1'],
      ['u64=18446744073709551616', 'member "u64" must be an integer from 0 to 18446744073709551615 (uint64), got 18446744073709551616'],
      ['sz=-5', 'member "sz" must be an integer from 0 to 18446744073709551615 (size), got -5'],
    ];
    for (const [arg, message] of cases) {
      expect(failure(`widths ${arg}`).message).toBe(`widths: ${message}`);
    }
    expect(check('widths i8=-128 i16=32767 u8=255 u16=0 u32=4294967295 i32=-2147483648')).toEqual({
      i8: -128, i16: 32767, u8: 255, u16: 0, u32: 4294967295, i32: -2147483648,
    });
  });

  it('rejects wrong kinds for bool, number, null', () => {
    expect(failure('widths flag=yes').message).toBe('widths: member "flag" must be true or false (bool), got the string "yes"');
    expect(failure('widths num=many').message).toBe('widths: member "num" must be a number (number), got the string "many"');
    expect(failure('widths nothing=0').message).toBe('widths: member "nothing" must be null (null), got the number 0');
    expect(check('widths flag=false num=2.5 nothing=null')).toEqual({ flag: false, num: 2.5, nothing: null });
  });

  it('rejects a non-string for str when the value came from JSON, not key=value', () => {
    expect(failure('guest-file-open {"path": 123}').message).toBe('guest-file-open: member "path" must be a string (str), got the number 123');
    expect(failure('guest-file-open {"path": ["a"]}').message).toBe('guest-file-open: member "path" must be a string (str), got a list');
  });

  it('accepts anything for any, and checks QType names', () => {
    expect(check('widths anything=\'{"a":[1,null]}\'')).toEqual({ anything: { a: [1, null] } });
    expect(check('widths qtype=qdict')).toEqual({ qtype: 'qdict' });
    expect(failure('widths qtype=dict').message).toBe(
      'widths: member "qtype" must be one of none, qnull, qnum, qstring, qdict, qlist, qbool (QType), got the string "dict" (did you mean qdict?)',
    );
  });
});

describe('coercion of typed text', () => {
  it('sends what was typed when the schema wants a string', () => {
    expect(check('guest-file-open path=123')).toEqual({ path: '123' });
    expect(check('guest-file-open path=true mode=null')).toEqual({ path: 'true', mode: 'null' });
    expect(check('guest-file-open path=007')).toEqual({ path: '007' });
    expect(check("guest-file-open path='[1, 2]'")).toEqual({ path: '[1, 2]' });
  });

  it('keeps JSON values where the schema wants them', () => {
    expect(check('guest-file-read handle=1000 count=4096')).toEqual({ handle: 1000, count: 4096 });
  });

  it('coerces typed text in nested dotted keys too', () => {
    expect(check('draw figure.kind=circle figure.radius=2 figure.label=42')).toEqual({
      figure: { kind: 'circle', radius: 2, label: '42' },
    });
  });

  it('uses the typed text for an enum (a value that happens to parse as JSON)', () => {
    expect(failure('guest-exec path=/bin/true capture-output=1').message).toBe(
      'guest-exec: member "capture-output" must be true/false or one of none, stdout, stderr, separated, merged (GuestExecCaptureOutput), got the number 1',
    );
  });
});

describe('enums', () => {
  it('lists the allowed values and suggests the closest', () => {
    const err = failure('draw figure.kind=squar figure.side=1');
    expect(err.message).toBe('draw: member "figure.kind" must be one of circle, square, point (Shape), got the string "squar" (did you mean square?)');
    expect(err.member).toBe('figure.kind');
  });
});

describe('alternates', () => {
  it('GuestExecCaptureOutput takes a bool or a mode name', () => {
    expect(check('guest-exec path=/bin/ls capture-output=true')).toEqual({ path: '/bin/ls', 'capture-output': true });
    expect(check('guest-exec path=/bin/ls capture-output=merged')).toEqual({ path: '/bin/ls', 'capture-output': 'merged' });
  });

  it('GuestExecCaptureOutput rejects anything else, listing both forms', () => {
    expect(failure('guest-exec path=/bin/ls capture-output=all').message).toBe(
      'guest-exec: member "capture-output" must be true/false or one of none, stdout, stderr, separated, merged (GuestExecCaptureOutput), got the string "all"',
    );
    expect(failure('guest-exec {"path": "/bin/ls", "capture-output": {"a": 1}}').message).toBe(
      'guest-exec: member "capture-output" must be true/false or one of none, stdout, stderr, separated, merged (GuestExecCaptureOutput), got an object',
    );
  });

  it('GuestFileWhence takes an integer or set/cur/end', () => {
    expect(check('guest-file-seek handle=1000 offset=0 whence=2')).toEqual({ handle: 1000, offset: 0, whence: 2 });
    expect(check('guest-file-seek handle=1000 offset=-4 whence=end')).toEqual({ handle: 1000, offset: -4, whence: 'end' });
    expect(failure('guest-file-seek handle=1000 offset=0 whence=start').message).toBe(
      'guest-file-seek: member "whence" must be an integer or one of set, cur, end (GuestFileWhence), got the string "start"',
    );
    expect(failure('guest-file-seek handle=1000 offset=0 whence=1.5').message).toBe(
      'guest-file-seek: member "whence" must be an integer or one of set, cur, end (GuestFileWhence), got the number 1.5',
    );
  });
});

describe('lists and nested structs', () => {
  it('checks every element, naming it by index', () => {
    const err = failure('guest-exec path=/bin/echo arg=\'["a", 2, "c"]\'');
    expect(err.message).toBe('guest-exec: member "arg[1]" must be a string (str), got the number 2');
    expect(err.member).toBe('arg[1]');
  });

  it('takes one key=value for a list as a list of one, and a key given again as the list of them', () => {
    expect(check('guest-exec path=/bin/ls arg=-l')).toEqual({ path: '/bin/ls', arg: ['-l'] });
    // Each item keeps the text typed for it where the list holds strings.
    expect(check('guest-exec path=/bin/ls arg=-l arg=123 arg=/tmp')).toEqual({ path: '/bin/ls', arg: ['-l', '123', '/tmp'] });
    expect(check('guest-exec path=/bin/ls arg=\'["-l","/"]\'')).toEqual({ path: '/bin/ls', arg: ['-l', '/'] });
  });

  it('wants a list where a JSON value is not one, with a hint showing how to write one', () => {
    const err = failure('guest-exec {"path": "/bin/ls", "arg": "-l"}');
    expect(err.message).toBe('guest-exec: member "arg" must be a list ([str]), got the string "-l"');
    expect(err.hint).toBe('Give a JSON list, e.g. arg=\'["a","b"]\', or the key once per item.');
  });

  it('refuses a key given twice where one value is wanted', () => {
    const err = failure('guest-exec path=/bin/ls path=/bin/cat');
    expect(err.message).toBe('guest-exec: member "path" is given 2 times, but takes one value: a string (str)');
    expect(err.member).toBe('path');
  });

  it('checks struct members including those of the base', () => {
    const ok = '{"mem-blks": [{"id": 1, "phys-index": 7, "online": true}]}';
    expect(check(`guest-set-memory-blocks ${ok}`)).toEqual(parseJson(ok));
    expect(failure('guest-set-memory-blocks {"mem-blks": [{"phys-index": 7, "online": true}]}').message).toBe(
      'guest-set-memory-blocks: missing required member "mem-blks[0].id" (int)',
    );
    expect(failure('guest-set-memory-blocks {"mem-blks": [{"id": 1, "phys-index": 7, "online": "yes"}]}').message).toBe(
      'guest-set-memory-blocks: member "mem-blks[0].online" must be true or false (bool), got the string "yes"',
    );
    const unknown = failure('guest-set-memory-blocks {"mem-blks": [{"id": 1, "phys-index": 7, "online": true, "onlin": 1}]}');
    expect(unknown.message).toBe('guest-set-memory-blocks: unknown member "mem-blks[0].onlin" (did you mean online?)');
    expect(unknown.hint).toBe('GuestMemoryBlock takes id, phys-index, online, can-offline.');
    expect(failure('guest-set-memory-blocks {"mem-blks": [5]}').message).toBe(
      'guest-set-memory-blocks: member "mem-blks[0]" must be an object (GuestMemoryBlock), got the number 5',
    );
  });

  it('rejects a scalar given where a struct is wanted', () => {
    expect(failure('draw figure=circle').message).toBe('draw: member "figure" must be an object (Figure), got the string "circle"');
  });
});

describe('unions', () => {
  it('lets the discriminator pick the branch', () => {
    expect(check('draw figure.kind=circle figure.radius=1.5')).toEqual({ figure: { kind: 'circle', radius: 1.5 } });
    expect(check('draw figure.kind=square figure.side=3')).toEqual({ figure: { kind: 'square', side: 3 } });
    expect(check('draw figure.kind=point')).toEqual({ figure: { kind: 'point' } });
  });

  it('rejects members of another branch and missing branch members', () => {
    expect(failure('draw figure.kind=circle figure.side=3').message).toBe('draw: unknown member "figure.side"');
    expect(failure('draw figure.kind=square').message).toBe('draw: missing required member "figure.side" (uint32)');
    expect(failure('draw figure.kind=point figure.radius=1').message).toBe('draw: unknown member "figure.radius"');
  });

  it('needs the discriminator', () => {
    expect(failure('draw figure.radius=1').message).toBe('draw: missing required member "figure.kind" (Shape)');
  });

  it('works inside lists and as the whole argument object', () => {
    expect(failure('draw {"figure": {"kind": "point"}, "more": [{"kind": "square", "side": -1}]}').message).toBe(
      'draw: member "more[0].side" must be an integer from 0 to 4294967295 (uint32), got -1',
    );
    expect(check('draw-boxed kind=square side=2')).toEqual({ kind: 'square', side: 2 });
    expect(failure('draw-boxed kind=square').message).toBe('draw-boxed: missing required member "side" (uint32)');
  });
});

describe('commands whose arguments are a named struct', () => {
  it('checks against the struct members', () => {
    expect(check('greet who=world times=3')).toEqual({ who: 'world', times: 3 });
    expect(failure('greet times=3').message).toBe('greet: missing required member "who" (str)');
    const err = failure('greet who=x tmes=2');
    expect(err.message).toBe('greet: unknown member "tmes" (did you mean times?)');
    expect(err.hint).toBe('NamedArgs takes who, times.');
  });
});

describe('integers beyond 2^53', () => {
  const roundTrip = (line: string): string => stringifyJson(check(line));

  it('keeps uint64 digits exact from typed text to the wire', () => {
    expect(roundTrip('widths u64=18446744073709551615')).toBe('{"u64":18446744073709551615}');
    expect(roundTrip('widths u64=9007199254740993')).toBe('{"u64":9007199254740993}');
    expect(roundTrip('widths sz=18446744073709551614')).toBe('{"sz":18446744073709551614}');
  });

  it('keeps int digits exact both ways, negative included', () => {
    expect(roundTrip('guest-set-time time=1732530000123456789')).toBe('{"time":1732530000123456789}');
    expect(roundTrip('widths i64=-9223372036854775808')).toBe('{"i64":-9223372036854775808}');
    expect(roundTrip('widths i64=9223372036854775807')).toBe('{"i64":9223372036854775807}');
    expect(roundTrip('widths i64=-9007199254740993')).toBe('{"i64":-9007199254740993}');
  });

  it('keeps them exact inside JSON arguments and nested lists', () => {
    const line = 'guest-set-memory-blocks {"mem-blks": [{"id": 1, "phys-index": 18446744073709551615, "online": false}]}';
    expect(roundTrip(line)).toBe('{"mem-blks":[{"id":1,"phys-index":18446744073709551615,"online":false}]}');
  });

  it('still rejects them out of range, with exact digits in the message', () => {
    expect(failure('guest-set-time time=9223372036854775808').message).toBe(
      'guest-set-time: member "time" must be an integer from -9223372036854775808 to 9223372036854775807 (int), got 9223372036854775808',
    );
  });
});

describe('raw calls', () => {
  it('bypass validation entirely', () => {
    const line = '{"execute": "guest-nonsense", "arguments": {"whatever": [1, 2]}, "id": 5}';
    expect(check(line)).toEqual({ whatever: [1, 2] });
    expect(check('{"execute": "guest-file-read", "arguments": {"handle": "x"}}')).toEqual({ handle: 'x' });
  });
});
