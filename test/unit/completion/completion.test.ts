import { describe, expect, it } from 'vitest';
import { Completer, CommandIndex, splitForCompletion, supportFromGuestInfo } from '../../../src/completion/index.js';
import { SchemaLookup } from '../../../src/schema/lookup.js';
import { loadShippedSchema } from '../../../src/schema/shipped.js';

const lookup = new SchemaLookup(loadShippedSchema());
const completer = new Completer(lookup, [
  { name: ':help', help: 'show help', takesCommand: true },
  { name: ':quit', help: 'leave' },
]);
const labels = (line: string, cursor?: number): string[] => completer.complete(line, cursor).candidates.map((c) => c.label);

describe('CommandIndex ranking', () => {
  const index = new CommandIndex(lookup);
  const names = (q: string): string[] => index.search(q).map((c) => c.label);

  it('puts the exact name first, then names starting with the query', () => {
    expect(names('guest-exec').slice(0, 2)).toEqual(['guest-exec', 'guest-exec-status']);
    expect(names('guest-file-r')[0]).toBe('guest-file-read');
  });

  it('matches without the guest- prefix', () => {
    expect(names('exec').slice(0, 2)).toEqual(['guest-exec', 'guest-exec-status']);
    expect(names('ping')[0]).toBe('guest-ping');
  });

  it('ranks a dash-separated word before a fuzzy match', () => {
    const result = names('read');
    expect(result[0]).toBe('guest-file-read');
  });

  it('finds commands by a fuzzy name and by words of their summary', () => {
    expect(names('gfread')).toContain('guest-file-read');
    expect(names('hostname')).toContain('guest-get-host-name');
  });

  it('lists every command for an empty query, alphabetically', () => {
    const all = names('');
    expect(all.length).toBe(index.size);
    expect([...all].sort((a, b) => a.localeCompare(b))).toEqual(all);
  });

  it('orders commands the agent has enabled before disabled and absent ones within a tier', () => {
    const support = supportFromGuestInfo({
      version: '7.2',
      supported_commands: [
        { name: 'guest-exec', enabled: false, 'success-response': true },
        { name: 'guest-exec-status', enabled: true, 'success-response': true },
      ],
    });
    const result = index.search('exec', support);
    expect(result[0]).toMatchObject({ label: 'guest-exec', availability: 'disabled' });
    // Both start with the query; exact name wins over availability.
    const prefixed = index.search('guest-e', support).map((c) => [c.label, c.availability]);
    expect(prefixed.slice(0, 2)).toEqual([['guest-exec-status', 'enabled'], ['guest-exec', 'disabled']]);
  });
});

describe('Completer', () => {
  it('completes the command word and replaces exactly that word', () => {
    const c = completer.complete('  file-op');
    expect(c.context).toBe('command');
    expect(c.candidates[0]).toMatchObject({ label: 'guest-file-open', insert: 'guest-file-open ', continues: true });
    expect([c.from, c.to]).toEqual([2, 9]);
  });

  it('offers members after the command, required first, leaving out ones already given', () => {
    expect(labels('guest-file-open ')).toEqual(['path=', 'mode=']);
    expect(labels('guest-file-open path=/x ')).toEqual(['mode=']);
    expect(labels('guest-exec cap')).toEqual(['capture-output=']);
    const member = completer.complete('guest-file-open ').candidates[0]!;
    expect(member.detail).toBe('str, required');
    expect(member.help.length).toBeGreaterThan(0);
  });

  it('offers enum values after member=', () => {
    expect(labels('guest-file-seek handle=1 offset=0 whence=')).toEqual(['set', 'cur', 'end']);
    const c = completer.complete('guest-file-seek whence=c');
    expect(c.candidates.map((x) => x.insert)).toEqual(['whence=cur ']);
    expect(c.from).toBe('guest-file-seek '.length);
  });

  it('offers bool and enum choices of an alternate, and true/false for bools', () => {
    expect(labels('guest-exec capture-output=')).toEqual(
      expect.arrayContaining(['true', 'false', 'none', 'stdout', 'stderr', 'separated', 'merged']),
    );
    expect(labels('guest-set-user-password crypted=')).toEqual(['true', 'false']);
  });

  it('gives the member help as a hint when a value has no fixed choices', () => {
    const c = completer.complete('guest-file-open path=');
    expect(c.candidates).toEqual([]);
    expect(c.hint).toMatch(/^path: str, required — /);
    expect(completer.complete('guest-file-open nosuch=').hint).toBe('guest-file-open has no argument nosuch');
  });

  it('completes in the middle of a line, using the text before the cursor', () => {
    const line = 'guest-file-open pa mode=r';
    const c = completer.complete(line, 18);
    expect(c.candidates.map((x) => x.label)).toEqual(['path=']);
    expect([c.from, c.to]).toEqual([16, 18]);
  });

  it('completes shell commands, and command names after :help', () => {
    expect(labels(':')).toEqual([':help', ':quit']);
    expect(labels(':help guest-pi')[0]).toBe('guest-ping');
    expect(completer.complete(':help guest-pi').candidates[0]!.insert).toBe('guest-ping');
  });

  it('offers nothing inside a raw JSON request or after an unknown command', () => {
    expect(completer.complete('{"execute": "gu').candidates).toEqual([]);
    const c = completer.complete('nosuch-command ');
    expect(c).toMatchObject({ context: 'none', command: 'nosuch-command', candidates: [] });
  });

  it('keeps offering a list member that was given already, since it can be given again', () => {
    const labels = completer.complete('guest-exec path=/bin/ls arg=-l ').candidates.map((c) => c.label);
    expect(labels).toContain('arg=');
    expect(labels).not.toContain('path=');
  });

  it('takes words that name no command as a search over names and summaries, replacing them all', () => {
    const c = completer.complete('read file');
    expect(c).toMatchObject({ context: 'command', from: 0, to: 9, query: 'read file' });
    expect(c.candidates[0]?.label).toBe('guest-file-read');
    // Words in the summary count too; every word must be somewhere.
    expect(completer.complete('time zone').candidates.map((x) => x.label)).toContain('guest-get-timezone');
    expect(completer.complete('file nosuchword').candidates).toEqual([]);
    // An argument on the line means a mistyped command, not a search.
    expect(completer.complete('guest-fle-open path=/etc').context).toBe('none');
  });

  it('completes members of a nested struct by dotted path', () => {
    const small = new SchemaLookup({
      origin: 'test', pragmas: {}, freeDocs: [],
      definitions: [
        { kind: 'struct', name: 'Opts', doc: doc(), members: [{ name: 'depth', type: 'int', optional: true }, { name: 'follow', type: 'bool', optional: true }] },
        { kind: 'command', name: 'walk', doc: doc(), args: [{ name: 'root', type: 'str', optional: false }, { name: 'opts', type: 'Opts', optional: true }], successResponse: true },
      ],
    });
    const c = new Completer(small);
    expect(c.complete('walk ').candidates.map((x) => x.label)).toEqual(['root=', 'opts.']);
    expect(c.complete('walk opts.').candidates.map((x) => x.label)).toEqual(['opts.depth=', 'opts.follow=']);
    expect(c.complete('walk opts.follow=t').candidates.map((x) => x.insert)).toEqual(['opts.follow=true ']);
  });
});

describe('splitForCompletion', () => {
  it('keeps offsets and unquotes, and never throws on an open quote', () => {
    expect(splitForCompletion(`a 'b c' "d`)).toEqual({
      words: [
        { text: 'a', start: 0, end: 1 },
        { text: 'b c', start: 2, end: 7 },
        { text: 'd', start: 8, end: 10 },
      ],
      atNewWord: false,
    });
    expect(splitForCompletion('a ').atNewWord).toBe(true);
  });
});

describe('supportFromGuestInfo', () => {
  it('tells enabled, disabled, absent and unknown apart', () => {
    const support = supportFromGuestInfo({ supported_commands: [{ name: 'a', enabled: true }, { name: 'b', enabled: false }] });
    expect(['a', 'b', 'c'].map((n) => support.availability(n))).toEqual(['enabled', 'disabled', 'absent']);
    expect(supportFromGuestInfo({}).availability('a')).toBe('unknown');
  });
});

function doc() {
  return { summary: '', body: '', members: {}, notes: [], examples: [], features: {} };
}
