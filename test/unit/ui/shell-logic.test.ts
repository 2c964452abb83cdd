import { describe, expect, it } from 'vitest';
import { SchemaLookup } from '../../../src/schema/lookup.js';
import { loadShippedSchema } from '../../../src/schema/shipped.js';
import { displayLine, recallLine } from '../../../src/ui/shell/line-secrets.js';
import { planLine } from '../../../src/ui/shell/plan.js';
import { maskSecrets, promptLine } from '../../../src/ui/prompt/prompt-line.js';
import { lineOf } from '../../../src/ui/text/line-edit.js';

const lookup = new SchemaLookup(loadShippedSchema());

describe('planLine', () => {
  it('plans a call, with what it changes in the guest when it does', () => {
    expect(planLine('guest-ping', lookup)).toEqual({ kind: 'call', command: 'guest-ping', args: undefined, change: undefined });
    expect(planLine('guest-shutdown mode=reboot', lookup)).toEqual({ kind: 'call', command: 'guest-shutdown', args: { mode: 'reboot' }, change: 'reboots the guest' });
  });

  it('opens the form when required arguments are missing, keeping what was given', () => {
    expect(planLine('guest-file-open mode=r', lookup)).toEqual({ kind: 'form', command: 'guest-file-open', args: { mode: 'r' }, missing: ['path'] });
  });

  it('reports problems without sending: unknown commands, bad values, bad syntax', () => {
    expect(planLine('guest-pnig', lookup)).toMatchObject({ kind: 'problem', message: expect.stringContaining('guest-ping') });
    expect(planLine('guest-file-read handle=abc', lookup)).toMatchObject({ kind: 'problem', message: expect.stringContaining('handle') });
    expect(planLine("guest-ping 'oops", lookup)).toMatchObject({ kind: 'problem', message: expect.stringContaining('quote') });
  });

  it('sends raw JSON requests as written', () => {
    expect(planLine('{"execute":"guest-ping","id":1}', lookup)).toEqual({ kind: 'call', command: 'guest-ping', args: undefined, raw: { execute: 'guest-ping', id: 1 }, change: undefined });
  });

  it('knows the shell commands and their aliases', () => {
    expect(planLine(':help guest-exec', lookup)).toEqual({ kind: 'meta', name: 'help', arg: 'guest-exec' });
    expect(planLine(':q', lookup)).toEqual({ kind: 'meta', name: 'quit', arg: undefined });
    expect(planLine(':nope', lookup)).toMatchObject({ kind: 'problem', message: 'unknown shell command :nope' });
    expect(planLine('   ', lookup)).toEqual({ kind: 'empty' });
  });
});

describe('secrets on the line', () => {
  const typed = 'guest-set-user-password username=root password=hunter2 crypted=false';

  it('are replaced on display and dropped from recall', () => {
    expect(displayLine(typed)).toBe('guest-set-user-password username=root password=<redacted> crypted=false');
    expect(recallLine(typed)).toBe('guest-set-user-password username=root crypted=false');
    expect(recallLine("guest-set-user-password password='a b c' username=x")).toBe('guest-set-user-password username=x');
    expect(recallLine('guest-exec path=/bin/ls arg=\'["-l"]\'')).toBe('guest-exec path=/bin/ls arg=\'["-l"]\'');
  });

  it('are handled in raw JSON and in lines that do not parse', () => {
    const raw = '{"execute":"guest-set-user-password","arguments":{"username":"root","password":"aHVudGVyMg==","crypted":false}}';
    expect(displayLine(raw)).not.toContain('aHVudGVyMg==');
    expect(recallLine(raw)).toBe('{"execute":"guest-set-user-password","arguments":{"username":"root","crypted":false}}');
    expect(recallLine('{"execute":"guest-set-user-password","arguments":{"password":"aHVudGVy')).toBeUndefined();
    expect(recallLine("guest-set-user-password password='hunter2")).toBeUndefined();
  });

  it('are masked on the prompt while typing', () => {
    expect(maskSecrets(typed)).toBe('guest-set-user-password username=root password=••••••• crypted=false');
    expect(maskSecrets('guest-exec path=/bin/ls')).toBe('guest-exec path=/bin/ls');
    const line = promptLine(lineOf('guest-set-user-password password=abc'), 80, true);
    expect(line.map((s) => s.text).join('')).toBe('guest-set-user-password password=••• ');
    expect(line.at(-1)).toEqual({ text: ' ', role: 'cursor' });
  });
});
