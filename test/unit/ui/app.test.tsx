import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { Session } from '../../../src/session/session.js';
import { SocketTransport } from '../../../src/transport/socket-transport.js';
import { App } from '../../../src/ui/app.js';
import { itemId, notice, type HistoryItem } from '../../../src/ui/history/history-item.js';
import { recallLine } from '../../../src/ui/shell/line-secrets.js';
import { memoryRecall } from '../../../src/ui/shell/recall-store.js';
import { ShellStore } from '../../../src/ui/shell/shell-store.js';
import { THEMES } from '../../../src/ui/theme/theme.js';
import { mini } from './mini-schema.js';

// A real session whose socket does not exist: nothing connects, and a command sent fails
// the way it would for a user whose agent is gone.
const NO_AGENT = '/nonexistent/qh-test/qga.sock';

interface Harness {
  store: ShellStore;
  frame(): string;
  frames(): string[];
  type(...keys: string[]): Promise<void>;
  exited(): boolean;
  recall: ReturnType<typeof memoryRecall>;
}

const opened: Harness[] = [];
afterEach(() => {
  for (const h of opened.splice(0)) h.store.stop();
});

function open(options: { rows?: number; readOnly?: boolean; items?: HistoryItem[]; recall?: string[] } = {}): Harness {
  const session = new Session(new SocketTransport({ kind: 'unix', path: NO_AGENT }));
  const recall = memoryRecall(options.recall ?? [], recallLine);
  let exited = false;
  const store = new ShellStore({
    session, lookup: mini, readOnly: options.readOnly ?? false, timeoutMs: 2000, recall,
    size: { columns: 100, rows: options.rows ?? 14 }, initialItems: options.items ?? [], onExit: () => (exited = true),
  });
  store.start({ connect: false });
  const ink = render(<App store={store} theme={THEMES.mono} trackSize={false} />);
  const settle = () => new Promise((r) => setTimeout(r, 5));
  const h: Harness = {
    store,
    frame: () => (ink.lastFrame() ?? '').split('\n').map((l) => l.trimEnd()).join('\n'),
    frames: () => ink.frames,
    async type(...keys) {
      for (const key of keys) {
        ink.stdin.write(key);
        await settle();
      }
    },
    exited: () => exited,
    recall,
  };
  opened.push(h);
  return h;
}

const TAB = '\t';
const ENTER = '\r';
const ESC = '\u001b';
const PGUP = '\u001b[5~';
const END = '\u001b[F';
const CTRL = (c: string) => String.fromCharCode(c.charCodeAt(0) - 96);

describe('the shell, keys to frames', () => {
  it('completes a command as you type and Tab accepts it, then offers its members', async () => {
    const h = open();
    await h.type('file-r');
    expect(h.frame()).toBe([
      ...Array(9).fill(''),
      '── history ─────────────────────────────────────────────────────────────────────────────────────────',
      '› guest-file-read Read from a handle.',
      'qga› file-r',
      ' ● disconnected │ unix:/nonexistent/qh-test/qga.sock │ stale 0 B                Ctrl+G help · :keys',
    ].join('\n'));
    await h.type(TAB);
    expect(h.frame().split('\n').slice(-5)).toEqual([
      '── history ─────────────────────────────────────────────────────────────────────────────────────────',
      '› handle= int, required  Open handle.',
      '  count=  int, optional  Bytes to read.',
      'qga› guest-file-read',
      ' ● disconnected │ unix:/nonexistent/qh-test/qga.sock │ stale 0 B                Ctrl+G help · :keys',
    ]);
  });

  it('opens the argument form for a command missing arguments, and Esc returns the one-line form', async () => {
    const h = open({ rows: 16 });
    await h.type('guest-file-open', ENTER);
    expect(h.frame().split('\n').slice(-9)).toEqual([
      '• guest-file-open needs path: fill in the form (Enter sends, Esc returns to the line).',
      '── history ─────────────────────────────────────────────────────────────────────────────── 1–1 of 1',
      '┌ guest-file-open · Open a guest file.                          Tab/↑↓ move · Enter sends · Esc back',
      '› path      str',
      '│ mode      str',
      '│ path: File to open.',
      '└ → {"execute":"guest-file-open"}',
      'qga› the form has the keys: Enter sends, Esc returns here',
      ' ● disconnected │ unix:/nonexistent/qh-test/qga.sock │ stale 0 B                Ctrl+G help · :keys',
    ]);
    await h.type('/etc/host name', TAB, 'r');
    expect(h.frame()).toContain('└ → {"execute":"guest-file-open","arguments":{"path":"/etc/host name","mode":"r"}}');
    await h.type(ESC);
    expect(h.frame().split('\n').at(-2)).toBe("qga› guest-file-open path='/etc/host name' mode=r");
  });

  it('asks before a command that changes the guest, and sends nothing on n', async () => {
    const h = open();
    await h.type('guest-shutdown mode=reboot', ENTER);
    expect(h.frame().split('\n').at(-2)).toBe('! guest-shutdown reboots the guest. Send it? y sends · n or Esc keeps it unsent');
    await h.type('n');
    expect(h.frame()).toContain('• guest-shutdown not sent.');
    expect(h.store.getSnapshot().history.items.filter((i) => i.kind === 'call')).toEqual([]);
  });

  it('refuses such a command in read-only mode', async () => {
    const h = open({ readOnly: true });
    await h.type('guest-shutdown', ENTER);
    expect(h.frame().split('\n').slice(-5)).toEqual([
      '! Refused: guest-shutdown shuts the guest down, and the shell is read-only (--read-only). Nothing',
      '  was sent.',
      '── history ─────────────────────────────────────────────────────────────────────────────── 1–1 of 1',
      'qga›  type a command · Tab completes · Ctrl+G help',
      ' ● disconnected │ read-only │ unix:/nonexistent/qh-test/qga.sock │ stale 0 B    Ctrl+G help · :keys',
    ]);
  });

  it('shows a problem without sending, and keeps the line to fix', async () => {
    const h = open();
    await h.type('guest-file-read handle=abc', ENTER);
    expect(h.frame()).toMatch(/✗ guest-file-read: member "handle" must be an integer/);
    expect(h.frame().split('\n').at(-2)).toBe('qga› guest-file-read handle=abc');
  });

  it('never shows, records or recalls a password after sending it', async () => {
    const h = open({ rows: 24 });
    await h.type('guest-set-user-password username=root password=hunter2 crypted=false');
    expect(h.frame().split('\n').at(-2)).toBe('qga› guest-set-user-password username=root password=••••••• crypted=false');
    await h.type(ENTER, 'y');
    // No agent: the call fails to connect, as it would for a user.
    await waitFor(() => h.frame().includes('failed'), 5000, h.frame);
    expect(h.frame()).toMatch(/❯ guest-set-user-password username=root password=<redacted> crypted=false\n {2}failed · /);
    expect(h.frame()).toContain('✗ no socket at /nonexistent/qh-test/qga.sock');
    expect(h.frames().join('\n')).not.toContain('hunter2');
    expect(JSON.stringify(h.store.getSnapshot())).not.toContain('hunter2');
    expect(h.recall.lines()).toEqual(['guest-set-user-password username=root crypted=false']);
    await h.type('\u001b[A');
    expect(h.frame().split('\n').at(-2)).toBe('qga› guest-set-user-password username=root crypted=false');
  });

  it('shows help for the command on the line, and the command list', async () => {
    const h = open({ rows: 30 });
    await h.type('guest-file-seek', CTRL('g'));
    expect(h.frame()).toContain('? guest-file-seek');
    expect(h.frame()).toContain('    whence  GuestFileWhence, required');
    expect(h.frame()).toContain('      one of: set, cur, end');
    await h.type(CTRL('u'), ':commands', ENTER);
    expect(h.frame()).toContain('? 10 commands');
  });

  it('scrolls a history of 10,000 entries page by page and back to the end', async () => {
    const items = Array.from({ length: 10_000 }, (_, i) => notice('info', `entry ${i}`));
    const h = open({ items });
    expect(h.frame().split('\n')[9]).toBe('• entry 9999');
    expect(h.frame()).toContain(' 9,991–10,000 of 10,000');
    await h.type(PGUP);
    expect(h.frame().split('\n').slice(0, 11)).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `• entry ${9981 + i}`),
      '── history ───────────────────────────────────────────── 9,982–9,991 of 10,000 · PgDn/End for newer',
    ]);
    await h.type(END);
    expect(h.frame().split('\n')[9]).toBe('• entry 9999');
  });

  it('searches the recall history with Ctrl+R and puts the match on the line', async () => {
    const h = open({ recall: ['guest-ping', 'guest-file-open path=/a', 'guest-info', 'guest-file-open path=/b'] });
    await h.type(CTRL('r'), 'file');
    expect(h.frame().split('\n').at(-2)).toBe('search: file  → guest-file-open path=/b');
    await h.type(CTRL('r'));
    expect(h.frame().split('\n').at(-2)).toBe('search: file  → guest-file-open path=/a');
    await h.type(ENTER);
    expect(h.frame().split('\n').at(-2)).toBe('qga› guest-file-open path=/a');
    await h.type(CTRL('u'), CTRL('r'), 'zzz');
    expect(h.frame().split('\n').at(-2)).toBe('search: zzz  → no match');
    await h.type(ESC);
    expect(h.frame().split('\n').at(-2)).toBe('qga›  type a command · Tab completes · Ctrl+G help');
  });

  it('folds a large reply and expands it with Ctrl+X', async () => {
    const big: HistoryItem = {
      kind: 'call', id: itemId(), command: 'guest-get-vcpus', line: 'guest-get-vcpus', request: { execute: 'guest-get-vcpus' }, origin: 'user',
      status: 'ok', value: Array.from({ length: 30 }, (_, i) => ({ 'logical-id': i, online: true })), ms: 1, startedAt: 0, base64Members: [],
    };
    const h = open({ rows: 30, items: [big] });
    expect(h.frame()).toContain('… 106 more lines · Ctrl+X expands');
    await h.type(CTRL('x'));
    expect(h.frame()).not.toContain('more lines');
    // Expanded past the window: the reply is shown from its first line.
    expect(h.frame().split('\n')[0]).toMatch(/^❯ guest-get-vcpus +ok/);
    expect(h.frame()).toContain('PgDn/End for newer');
    await h.type(CTRL('x'));
    expect(h.frame()).toContain('… 106 more lines · Ctrl+X expands');
  });

  it('leaves on Ctrl+D with an empty line and on :quit', async () => {
    const h = open();
    await h.type('x', CTRL('d'));
    expect(h.exited()).toBe(false);
    await h.type(CTRL('u'), CTRL('d'));
    expect(h.exited()).toBe(true);
    const q = open();
    await q.type(':quit', ENTER);
    expect(q.exited()).toBe(true);
  });
});

async function waitFor(check: () => boolean, ms = 5000, show?: () => string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`condition not met: ${check.toString()}\n${show?.() ?? ''}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
