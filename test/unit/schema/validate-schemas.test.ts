// Validation against the real schemas: the shipped one, QEMU 10.2's QAPI file (GPL test
// data, read here only) and Debian's QEMU 7.2 schema as installed with qemu-guest-agent.
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../src/protocol/errors.js';
import { stringifyJson } from '../../../src/protocol/json.js';
import { parseCallLine, parseCallWords } from '../../../src/schema/call-syntax.js';
import { SchemaLookup } from '../../../src/schema/lookup.js';
import { readQapiFile } from '../../../src/schema/qapi/read.js';
import { loadShippedSchema } from '../../../src/schema/shipped.js';
import { validateCall } from '../../../src/schema/validate.js';

const QAPI_10_2 = '/work/shared/qapi/qga-qapi-schema.json';
const DEBIAN_7_2 = '/usr/share/doc/qemu-guest-agent/qapi-schema.json.gz';

function requireFile(path: string, install: string): void {
  if (!existsSync(path)) throw new Error(`${path} is missing: ${install}`);
}

function rejection(lookup: SchemaLookup, line: string): string {
  try {
    validateCall(lookup, parseCallLine(line));
  } catch (err) {
    expect(err).toBeInstanceOf(ArgumentError);
    return (err as Error).message;
  }
  throw new Error(`expected "${line}" to be rejected`);
}

const sources: [string, () => Promise<SchemaLookup>][] = [
  ['the shipped schema', () => Promise.resolve(new SchemaLookup(loadShippedSchema()))],
  ['QEMU 10.2 qga/qapi-schema.json', async () => {
    requireFile(QAPI_10_2, 'the shared QAPI test data belongs in /work/shared/qapi/.');
    return new SchemaLookup(await readQapiFile(QAPI_10_2));
  }],
];

describe.each(sources)('%s', (_name, load) => {
  let lookup: SchemaLookup;
  beforeAll(async () => {
    lookup = await load();
  });

  it('takes capture-output as a bool or a mode name', () => {
    expect(validateCall(lookup, parseCallLine('guest-exec path=/bin/ls capture-output=true'))).toEqual({ path: '/bin/ls', 'capture-output': true });
    expect(validateCall(lookup, parseCallLine('guest-exec path=/bin/ls capture-output=merged'))).toEqual({ path: '/bin/ls', 'capture-output': 'merged' });
    expect(rejection(lookup, 'guest-exec path=/bin/ls capture-output=both')).toBe(
      'guest-exec: member "capture-output" must be true/false or one of none, stdout, stderr, separated, merged (GuestExecCaptureOutput), got the string "both"',
    );
  });

  it('takes whence as an integer or set/cur/end', () => {
    expect(validateCall(lookup, parseCallLine('guest-file-seek handle=1000 offset=0 whence=cur'))).toEqual({ handle: 1000, offset: 0, whence: 'cur' });
    expect(validateCall(lookup, parseCallLine('guest-file-seek handle=1000 offset=0 whence=1'))).toEqual({ handle: 1000, offset: 0, whence: 1 });
    expect(rejection(lookup, 'guest-file-seek handle=1000 offset=0 whence=top')).toBe(
      'guest-file-seek: member "whence" must be an integer or one of set, cur, end (GuestFileWhence), got the string "top"',
    );
  });

  it('keeps a uint64 phys-index exact and rejects a negative one', () => {
    const ok = parseCallWords('guest-set-memory-blocks', ['{"mem-blks": [{"phys-index": 18446744073709551615, "online": true}]}']);
    expect(stringifyJson(validateCall(lookup, ok))).toBe('{"mem-blks":[{"phys-index":18446744073709551615,"online":true}]}');
    const negative = parseCallWords('guest-set-memory-blocks', ['{"mem-blks": [{"phys-index": -1, "online": true}]}']);
    expect(() => validateCall(lookup, negative)).toThrow(
      'guest-set-memory-blocks: member "mem-blks[0].phys-index" must be an integer from 0 to 18446744073709551615 (uint64), got -1',
    );
  });

  it('names what is missing and what is unknown', () => {
    expect(rejection(lookup, 'guest-set-user-password username=root password=aGk=')).toBe(
      'guest-set-user-password: missing required member "crypted" (bool)',
    );
    expect(rejection(lookup, 'guest-ssh-add-authorized-keys username=root key=x')).toBe(
      'guest-ssh-add-authorized-keys: unknown member "key" (did you mean keys?)',
    );
    expect(rejection(lookup, 'guest-get-tme')).toBe('unknown command "guest-get-tme" (did you mean guest-get-time?)');
  });

  it('checks every command without crashing: bare calls either pass or name a missing member', () => {
    for (const command of lookup.commands()) {
      try {
        validateCall(lookup, parseCallLine(command.name));
      } catch (err) {
        expect(err).toBeInstanceOf(ArgumentError);
        expect((err as Error).message).toMatch(new RegExp(`^${command.name}: missing required member "[a-z-]+" \\(`));
      }
    }
  });
});

describe("Debian's QEMU 7.2 schema (qemu-guest-agent package)", () => {
  let lookup: SchemaLookup;
  beforeAll(async () => {
    requireFile(DEBIAN_7_2, 'install it with apt-get install -y qemu-guest-agent.');
    lookup = new SchemaLookup(await readQapiFile(DEBIAN_7_2));
  });

  it('knows capture-output only as a bool, as 7.2 did', () => {
    expect(validateCall(lookup, parseCallLine('guest-exec path=/bin/ls capture-output=true'))).toEqual({ path: '/bin/ls', 'capture-output': true });
    expect(rejection(lookup, 'guest-exec path=/bin/ls capture-output=merged')).toBe(
      'guest-exec: member "capture-output" must be true or false (bool), got the string "merged"',
    );
  });

  it('does not know commands added after 7.2', () => {
    expect(rejection(lookup, 'guest-get-load')).toBe('unknown command "guest-get-load"');
  });
});

describe('secrets in error messages', () => {
  const lookup = new SchemaLookup(loadShippedSchema());

  it('never quote the value given for a secret member', () => {
    const words = parseCallWords('guest-set-user-password', ['{"username": "root", "password": 123456789, "crypted": false}']);
    expect(() => validateCall(lookup, words)).toThrow(
      'guest-set-user-password: member "password" must be a string (str), got a number (not shown: it is a secret)',
    );
    const list = parseCallWords('guest-set-user-password', ['{"username": "root", "password": ["hunter2"], "crypted": false}']);
    let message = '';
    try {
      validateCall(lookup, list);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toBe('guest-set-user-password: member "password" must be a string (str), got a list (not shown: it is a secret)');
    expect(message).not.toContain('hunter2');
  });

  it('still name what is wrong with the other members', () => {
    expect(rejection(lookup, 'guest-set-user-password username=root password=aGk= crypted=maybe')).toBe(
      'guest-set-user-password: member "crypted" must be true or false (bool), got the string "maybe"',
    );
  });
});
