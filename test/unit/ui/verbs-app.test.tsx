// The shell verbs from keys to frames, with a session whose socket does not exist: the
// verb lines are planned, confirmed or refused exactly as with an agent, and a verb that
// runs fails the way it would for a user whose agent is gone.
import { render } from 'ink-testing-library';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Session } from '../../../src/session/session.js';
import { SocketTransport } from '../../../src/transport/socket-transport.js';
import { App } from '../../../src/ui/app.js';
import { ConfirmBar } from '../../../src/ui/confirm/confirm-bar.js';
import { Prompt } from '../../../src/ui/prompt/prompt.js';
import { recallLine } from '../../../src/ui/shell/line-secrets.js';
import { memoryRecall } from '../../../src/ui/shell/recall-store.js';
import { ShellStore } from '../../../src/ui/shell/shell-store.js';
import { StatusBar } from '../../../src/ui/status-bar/status-bar.js';
import { INITIAL_STATUS } from '../../../src/ui/status-bar/use-status-state.js';
import { lineOf } from '../../../src/ui/text/line-edit.js';
import { THEMES } from '../../../src/ui/theme/theme.js';
import { mini } from './mini-schema.js';

const NO_AGENT = '/nonexistent/qh-test/qga.sock';
const ENTER = '\r';
const ESC = '\u001b';
const TAB = '\t';
const CTRL = (c: string) => String.fromCharCode(c.charCodeAt(0) - 96);
const stores: ShellStore[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.stop();
});

function open(options: { readOnly?: boolean; rows?: number } = {}) {
  const store = new ShellStore({
    session: new Session(new SocketTransport({ kind: 'unix', path: NO_AGENT })), lookup: mini, readOnly: options.readOnly ?? false,
    timeoutMs: 2000, recall: memoryRecall([], recallLine), size: { columns: 100, rows: options.rows ?? 14 },
  });
  stores.push(store);
  store.start({ connect: false });
  const ink = render(<App store={store} theme={THEMES.mono} trackSize={false} />);
  return {
    store,
    frame: () => (ink.lastFrame() ?? '').split('\n').map((l) => l.trimEnd()).join('\n'),
    async type(...keys: string[]) {
      for (const key of keys) {
        ink.stdin.write(key);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
  };
}

async function waitFor(check: () => boolean, show: () => string): Promise<void> {
  const end = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`condition not met: ${check.toString()}\n${show()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('shell verbs, keys to frames', () => {
  it('completes the verbs after a colon, each with one line of help, and only read-only commands after :watch', async () => {
    const h = open({ rows: 16 });
    await h.type(':');
    expect(h.frame()).toContain('↓12 more · ↑↓ move · Tab accepts · Esc closes');
    await h.type('e');
    expect(h.frame().split('\n').slice(-3, -2)).toEqual([
      "› :exec run a program in the guest: :exec uname -a, :exec --shell 'ls | wc -l' (asks first)",
    ]);
    await h.type(CTRL('u'), ':wa');
    expect(h.frame()).toContain('› :watch repeat a read-only command with live sparklines: :watch guest-get-load (alone: stops it)');
    await h.type(TAB, 'guest-');
    const offered = h.frame().split('\n').filter((l) => /^[› ] guest-/.test(l)).map((l) => l.slice(2).split(' ')[0]);
    expect(offered.sort()).toEqual(['guest-info', 'guest-ping']);
  });

  it('asks before :exec, naming what runs, and runs nothing on n', async () => {
    const h = open();
    await h.type(':exec --stdin hi tr a-z A-Z', ENTER);
    // Too long for the width: the description is cut, never the question and its keys.
    expect(h.frame().split('\n').at(-2)).toBe('! :exec runs tr a-z A-Z in the guest (with the --stdin text… Run it? y runs · n or Esc does nothing');
    await h.type('n');
    expect(h.frame()).toContain('• :exec not run; nothing was changed.');
    expect(h.store.getSnapshot().history.items.filter((i) => i.kind === 'verb')).toEqual([]);
  });

  it('refuses :put, :exec, :freeze and :thaw when read-only, and says nothing was run', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'qh-verbs-app-'));
    writeFileSync(path.join(dir, 'f.txt'), 'abc');
    const h = open({ readOnly: true, rows: 20 });
    await h.type(`:put ${path.join(dir, 'f.txt')} /tmp/f.txt`, ENTER);
    expect(h.frame()).toContain('! Refused: :put writes guest:/tmp/f.txt (3 B from f.txt; replaces any file there), and the shell is');
    await h.type(':freeze', ENTER, ':thaw', ENTER, ':exec ls', ENTER);
    const frame = h.frame();
    expect(frame).toContain('! Refused: :freeze freezes every guest filesystem: writes in the guest block until they are thawed,');
    expect(frame).toContain("! Refused: :thaw thaws the guest's frozen filesystems, and the shell is read-only (--read-only).");
    expect(frame).toContain('! Refused: :exec runs ls in the guest, and the shell is read-only (--read-only). Nothing was run.');
    expect(frame).not.toContain('Run it?');
  });

  it('runs :info at once (it only reads) and shows why it failed', async () => {
    const h = open();
    await h.type(':info', ENTER);
    await waitFor(() => h.frame().includes('failed'), h.frame);
    expect(h.frame()).toMatch(/❯ :info +failed · [\d.]+ ms · \d\d:\d\d:\d\d\n {2}✗ no socket at \/nonexistent\/qh-test\/qga\.sock/);
    expect(h.frame().split('\n').at(-2)).toBe('qga›  type a command · Tab completes · Ctrl+G help');
  });

  it('shows problems with a verb line without running anything', async () => {
    const h = open();
    await h.type(':watch guest-file-read handle=1', ENTER);
    expect(h.frame()).toContain('✗ watch repeats only read-only commands; not guest-file-read: each read moves the file position');
    await h.type(':watch', ENTER);
    expect(h.frame()).toContain('• No watch is running. Start one with :watch COMMAND, e.g. :watch guest-get-load --every 1');
  });

  it(':help :exec and :help get explain the verbs; the key list names them', async () => {
    const h = open({ rows: 40 });
    await h.type(':help :exec', ENTER);
    expect(h.frame()).toContain("? :exec  shell verb");
    expect(h.frame()).toContain("  :exec [OPTIONS] CMD [ARGS...]   or   :exec [OPTIONS] --shell 'LINE'");
    expect(h.frame()).toContain('    --stdin TEXT      send TEXT and a newline as its stdin (quote it for spaces); without it stdin');
    await h.type(':help get', ENTER);
    expect(h.frame()).toContain('  :get GUEST_PATH [LOCAL] [--chunk SIZE] [--no-verify]');
    await h.type(':keys', ENTER);
    const keys = h.store.getSnapshot().history.items.at(-1)!;
    expect(h.store.itemLines(keys).map((l) => l.map((s) => s.text).join('')).slice(-2)).toEqual([
      '  Shell verbs: :exec, :get, :put, :info, :watch, :freeze, :thaw · :help :exec (and so on) explains',
      '  each',
    ]);
  });
});

describe('verb pieces of the screen', () => {
  const rows = (frame: string | undefined): string[] => (frame ?? '').split('\n').map((l) => l.trimEnd());

  it('the status bar shows the FROZEN banner first, and what a running verb does in place of busy/ready', () => {
    const status = { ...INITIAL_STATUS, state: 'ready' as const, version: '7.2.22' };
    expect(rows(render(<StatusBar status={status} endpoint="unix:/q.sock" readOnly={false} view="history" width={100} banner="FROZEN 1:05  1 filesystem  :thaw thaws" />).lastFrame())).toEqual([
      ' ● ready │  FROZEN 1:05  1 filesystem  :thaw thaws  │ unix:/q.sock │ qemu-ga 7.2.22 │ stale 0 B',
    ]);
    expect(rows(render(<StatusBar status={{ ...status, state: 'busy', busy: 'guest-exec-status' }} endpoint="unix:/q.sock" readOnly={false} view="history" width={100} activity="running :exec sleep 30 · Ctrl+C stops it" />).lastFrame())).toEqual([
      ' ● running :exec sleep 30 · Ctrl+C stops it │ unix:/q.sock │ qemu-ga 7.2.22 │ stale 0 B',
    ]);
    // A lost connection is news even while a verb runs.
    expect(rows(render(<StatusBar status={{ ...status, state: 'disconnected' }} endpoint="unix:/q.sock" readOnly={false} view="history" width={60} activity="running :info · Ctrl+C stops it" />).lastFrame())[0]).toMatch(/^ ● disconnected │/);
  });

  it('the prompt shows a running verb in its sign and on an empty line', () => {
    expect(render(<Prompt line={lineOf('')} width={70} focus busy="running :exec sleep 30 · Ctrl+C stops it" />).lastFrame()).toBe('qga⋯  running :exec sleep 30 · Ctrl+C stops it');
    expect(render(<Prompt line={lineOf('guest-ping')} width={40} focus busy="running :info" />).lastFrame()).toBe('qga⋯ guest-ping');
  });

  it('a verb confirmation asks to run, not to send', () => {
    expect(render(<ConfirmBar command=":freeze" change="freezes every guest filesystem" width={100} verb />).lastFrame()).toBe(
      '! :freeze freezes every guest filesystem. Run it? y runs · n or Esc does nothing',
    );
  });
});

it('Esc closes nothing and stops nothing when no watch runs', async () => {
  const h = open();
  await h.type('gu', ESC);
  expect(h.frame().split('\n').at(-2)).toBe('qga› gu');
});
