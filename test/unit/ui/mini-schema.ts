// A small guest-agent schema with our own one-line docs, so that exact-frame tests do not
// change whenever the shipped schema's wording does.
import { SchemaLookup } from '../../../src/schema/lookup.js';
import type { CommandDef, Doc, Member, Schema } from '../../../src/schema/model.js';

function doc(summary: string, members: Record<string, string> = {}): Doc {
  return { summary, body: '', members, notes: [], examples: [], features: {} };
}

function command(name: string, summary: string, args: Member[] = [], extra: Partial<CommandDef> = {}): CommandDef {
  return { kind: 'command', name, doc: doc(summary), args, successResponse: true, ...extra };
}

const str = (name: string, optional: boolean, help: string): Member => ({ name, type: 'str', optional, doc: help });

export const MINI_SCHEMA: Schema = {
  origin: 'mini test schema',
  qemuVersion: '9.9',
  pragmas: {},
  freeDocs: [],
  definitions: [
    { kind: 'enum', name: 'GuestFileWhence', doc: doc('Where to seek from.'), values: [{ name: 'set', doc: 'from the start' }, { name: 'cur', doc: 'from here' }, { name: 'end', doc: 'from the end' }] },
    command('guest-ping', 'Check that the agent answers.'),
    command('guest-info', 'Agent version and commands.'),
    command('guest-file-open', 'Open a guest file.', [str('path', false, 'File to open.'), str('mode', true, 'fopen() mode.')]),
    command('guest-file-read', 'Read from a handle.', [{ name: 'handle', type: 'int', optional: false, doc: 'Open handle.' }, { name: 'count', type: 'int', optional: true, doc: 'Bytes to read.' }]),
    command('guest-file-close', 'Close a handle.', [{ name: 'handle', type: 'int', optional: false, doc: 'Open handle.' }]),
    command('guest-file-seek', 'Move in a file.', [
      { name: 'handle', type: 'int', optional: false, doc: 'Open handle.' },
      { name: 'offset', type: 'int', optional: false, doc: 'Bytes to move.' },
      { name: 'whence', type: 'GuestFileWhence', optional: false, doc: 'Where from.' },
    ]),
    command('guest-file-write', 'Write to a handle.', [{ name: 'handle', type: 'int', optional: false, doc: 'Open handle.' }, str('buf-b64', false, 'Data, base64.')]),
    command('guest-shutdown', 'Power the guest off.', [str('mode', true, 'powerdown, halt or reboot.')], { successResponse: false }),
    command('guest-set-user-password', 'Change a password.', [
      str('username', false, 'Who.'),
      str('password', false, 'The new password.'),
      { name: 'crypted', type: 'bool', optional: false, doc: 'Already hashed.' },
    ]),
    command('guest-exec', 'Run a program.', [
      str('path', false, 'Program.'),
      { name: 'arg', type: ['str'], optional: true, doc: 'Arguments.' },
      { name: 'capture-output', type: 'bool', optional: true, doc: 'Keep output.' },
    ]),
  ],
};

export const mini = new SchemaLookup(MINI_SCHEMA);
