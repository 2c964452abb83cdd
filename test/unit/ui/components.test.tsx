import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { Completer } from '../../../src/completion/complete.js';
import { CompletionList } from '../../../src/ui/completion-list/completion-list.js';
import { ConfirmBar } from '../../../src/ui/confirm/confirm-bar.js';
import { ArgumentForm } from '../../../src/ui/form/argument-form.js';
import { formReducer, openForm } from '../../../src/ui/form/use-form-state.js';
import { VirtualList } from '../../../src/ui/history/history-pane.js';
import { FOLLOW } from '../../../src/ui/history/viewport.js';
import { Prompt } from '../../../src/ui/prompt/prompt.js';
import { SearchBar } from '../../../src/ui/search/search-bar.js';
import { StatusBar } from '../../../src/ui/status-bar/status-bar.js';
import { INITIAL_STATUS } from '../../../src/ui/status-bar/use-status-state.js';
import { lineOf } from '../../../src/ui/text/line-edit.js';
import { seg, type Line } from '../../../src/ui/text/styled-line.js';
import { mini as lookup } from './mini-schema.js';

const rows = (frame: string | undefined): string[] => (frame ?? '').split('\n').map((l) => l.trimEnd());

describe('Prompt', () => {
  it('shows the sign, the line and the cursor; secrets masked', () => {
    expect(render(<Prompt line={lineOf('guest-ping')} width={40} focus />).lastFrame()).toBe('qga› guest-ping');
    expect(render(<Prompt line={lineOf('guest-set-user-password password=hunter2', 5)} width={60} focus />).lastFrame()).toBe('qga› guest-set-user-password password=•••••••');
    expect(render(<Prompt line={lineOf('')} width={60} focus placeholder="type a command" />).lastFrame()).toBe('qga›  type a command');
  });

  it('scrolls sideways to keep the cursor in view on a long line', () => {
    const long = `guest-exec path=${'x'.repeat(80)}`;
    const frame = render(<Prompt line={lineOf(long)} width={40} focus />).lastFrame()!;
    expect(frame).toBe(`qga› …${'x'.repeat(32)}`);
  });
});

describe('CompletionList', () => {
  const completer = new Completer(lookup);

  it('lists candidates with their help, the highlighted one marked', () => {
    const completion = completer.complete('file-r');
    expect(rows(render(<CompletionList completion={completion} selected={0} maxRows={8} width={100} />).lastFrame())).toEqual([
      '› guest-file-read Read from a handle.',
    ]);
  });

  it('shows a window around the highlight and how many more there are', () => {
    const completion = completer.complete('guest-file');
    expect(rows(render(<CompletionList completion={completion} selected={3} maxRows={4} width={100} />).lastFrame())).toEqual([
      '  guest-file-seek  Move in a file.',
      '› guest-file-close Close a handle.',
      '  guest-file-write Write to a handle.',
      '  ↑2 more · ↑↓ move · Tab accepts · Esc closes',
    ]);
  });

  it('shows member types, enum values and the value hint', () => {
    const members = completer.complete('guest-file-open ');
    expect(rows(render(<CompletionList completion={members} selected={1} maxRows={8} width={100} />).lastFrame())).toEqual([
      '  path= str, required  File to open.',
      '› mode= str, optional  fopen() mode.',
    ]);
    const values = completer.complete('guest-file-seek whence=');
    expect(rows(render(<CompletionList completion={values} selected={0} maxRows={8} width={100} />).lastFrame())).toEqual([
      '› set from the start',
      '  cur from here',
      '  end from the end',
    ]);
    const hint = completer.complete('guest-file-open path=');
    expect(render(<CompletionList completion={hint} selected={0} maxRows={8} width={100} />).lastFrame()).toBe('  path: str, required — File to open.');
  });

  it('says when the agent has a command disabled or lacks it', () => {
    const support = { availability: (c: string) => (c === 'guest-shutdown' ? 'disabled' : c === 'guest-exec' ? 'absent' : 'enabled') as 'enabled' };
    const completion = completer.complete('guest-s', undefined, support);
    expect(rows(render(<CompletionList completion={completion} selected={0} maxRows={8} width={80} />).lastFrame())).toEqual([
      // Within a tier, commands the agent runs come first.
      '› guest-set-user-password Change a password.',
      '  guest-shutdown          Power the guest off.                disabled on agent',
    ]);
  });
});

describe('StatusBar', () => {
  it('shows state, endpoint, version, round trip and discarded bytes', () => {
    const status = { ...INITIAL_STATUS, state: 'ready' as const, version: '7.2.22', rttMs: 0.42, discardedBytes: 80 };
    expect(render(<StatusBar status={status} endpoint="unix:/tmp/qga.sock" readOnly={false} view="history" width={100} />).lastFrame()).toBe(
      ' ● ready │ unix:/tmp/qga.sock │ qemu-ga 7.2.22 │ rtt 0.42 ms │ stale 80 B       Ctrl+G help · :keys',
    );
    // Narrow: read-only and the view stay, the least important parts go.
    expect(render(<StatusBar status={status} endpoint="unix:/tmp/qga.sock" readOnly view="wire" width={60} />).lastFrame()).toBe(
      ' ● ready │ read-only │ wire view │ unix:/tmp/qga.sock',
    );
    const busy = { ...status, state: 'unresponsive' as const };
    expect(render(<StatusBar status={busy} endpoint="unix:/q" readOnly view="wire" width={100} />).lastFrame()).toBe(
      ' ● unresponsive (agent not answering) │ read-only │ wire view │ unix:/q │ qemu-ga 7.2.22',
    );
  });
});

describe('VirtualList', () => {
  it('renders 10,000 entries by laying out only the visible window', () => {
    const items = Array.from({ length: 10_000 }, (_, i) => i);
    const laidOut = new Set<number>();
    const lines = (i: number): Line[] => {
      laidOut.add(i);
      return [[seg(`entry ${i}`)], [seg(`  reply ${i}`)]];
    };
    const { lastFrame, rerender } = render(<VirtualList items={items} lines={lines} scroll={FOLLOW} height={5} width={40} />);
    expect(lastFrame()).toBe(['  reply 9997', 'entry 9998', '  reply 9998', 'entry 9999', '  reply 9999'].join('\n'));
    expect([...laidOut].sort()).toEqual([9997, 9998, 9999]);
    laidOut.clear();
    rerender(<VirtualList items={items} lines={lines} scroll={{ follow: false, index: 4321, line: 1 }} height={3} width={40} />);
    expect(lastFrame()).toBe(['  reply 4321', 'entry 4322', '  reply 4322'].join('\n'));
    expect([...laidOut].sort()).toEqual([4321, 4322]);
  });
});

describe('ArgumentForm', () => {
  it('shows each field with its type, the focused field help, and the exact JSON preview', () => {
    let state = openForm(lookup, 'guest-file-open');
    state = formReducer(state, { type: 'insert', text: '/etc/hostname' });
    expect(rows(render(<ArgumentForm state={state} width={100} maxRows={10} />).lastFrame())).toEqual([
      '┌ guest-file-open · Open a guest file.                          Tab/↑↓ move · Enter sends · Esc back',
      '› path      str     /etc/hostname',
      '│ mode      str',
      '│ path: File to open.',
      '└ → {"execute":"guest-file-open","arguments":{"path":"/etc/hostname"}}',
    ]);
  });

  it('shows lists, choices and their keys', () => {
    let state = openForm(lookup, 'guest-exec', { path: '/bin/ls', arg: ['-l'] });
    state = formReducer(state, { type: 'focus-path', path: 'capture-output' });
    state = formReducer(state, { type: 'cycle', delta: 1 });
    expect(rows(render(<ArgumentForm state={state} width={100} maxRows={10} />).lastFrame()).slice(1)).toEqual([
      '│ path            str     /bin/ls',
      '│ arg             [str]   1 item',
      '│   [0]           str     -l',
      '› capture-output  bool    unset [true] false',
      '│ capture-output: Keep output. (Space/←/→ choose)',
      '└ → {"execute":"guest-exec","arguments":{"path":"/bin/ls","arg":["-l"],"capture-output":true}}',
    ]);
  });

  it('masks secret fields and says what is missing after a send attempt', () => {
    let state = openForm(lookup, 'guest-set-user-password');
    state = formReducer(state, { type: 'focus-path', path: 'password' });
    state = formReducer(state, { type: 'insert', text: 'hunter2' });
    state = formReducer(state, { type: 'tried-send' });
    const frame = render(<ArgumentForm state={state} width={100} maxRows={10} />).lastFrame()!;
    expect(frame).not.toContain('hunter2');
    expect(rows(frame).slice(1)).toEqual([
      '│ username  str     required  ✗ required',
      '› password  str     •••••••',
      '│ crypted   bool    true false   ✗ required',
      '│ password: The new password. (secret: masked, never recorded)',
      '└ → {"execute":"guest-set-user-password","arguments":{"password":"<redacted>"}}',
      '  ✗ username: required',
    ]);
  });
});

describe('ConfirmBar and SearchBar', () => {
  it('name what will happen and how to answer', () => {
    expect(render(<ConfirmBar command="guest-shutdown" change="shuts the guest down" width={100} />).lastFrame()).toBe(
      '! guest-shutdown shuts the guest down. Send it? y sends · n or Esc keeps it unsent',
    );
    expect(render(<SearchBar query="file" match="guest-file-open path=/a" width={80} />).lastFrame()).toBe('search: file  → guest-file-open path=/a');
    expect(render(<SearchBar query="zzz" match={undefined} width={80} />).lastFrame()).toBe('search: zzz  → no match');
  });
});
