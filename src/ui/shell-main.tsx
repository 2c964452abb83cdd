// The full-screen shell (loaded by run-shell.ts). Takes over the terminal's alternate screen and gives it back on
// every way out: Ctrl+D, :quit, a crash, or a signal. The first frame is drawn before the
// settings and saved history are read; they arrive a few milliseconds later.
import { render } from 'ink';
import type { CliContext } from '../cli/context.js';
import { SchemaLookup } from '../schema/lookup.js';
import { loadShippedSchema } from '../schema/shipped.js';
import type { Session } from '../session/session.js';
import type { ThemeName } from '../settings/settings-store.js';
import { App } from './app.js';
import { notice } from './history/history-item.js';
import { terminalClipboard } from './shell/clipboard.js';
import { recallLine } from './shell/line-secrets.js';
import { memoryRecall } from './shell/recall-store.js';
import { loadSettings, settingsPort } from './settings-adapter.js';
import { ShellStore } from './shell/shell-store.js';
import { THEMES } from './theme/theme.js';

const ENTER_ALT_SCREEN = '\u001b[?1049h\u001b[H';
const LEAVE_ALT_SCREEN = '\u001b[?25h\u001b[?1049l';

export interface ShellOptions {
  readOnly: boolean;
  lookup?: SchemaLookup;
}

export async function startShell(ctx: CliContext, session: Session, options: ShellOptions): Promise<number> {
  const lookup = options.lookup ?? new SchemaLookup(loadShippedSchema());
  const stdout = process.stdout;
  const pickTheme = (name: ThemeName): ThemeName => (process.env.NO_COLOR ? 'mono' : name);

  let exit!: () => void;
  const exited = new Promise<void>((resolve) => {
    exit = resolve;
  });
  const store = new ShellStore({
    session,
    lookup,
    readOnly: options.readOnly,
    timeoutMs: ctx.timeoutMs,
    recall: memoryRecall([], recallLine),
    size: { columns: stdout.columns || 80, rows: stdout.rows || 24 },
    onExit: () => exit(),
    clipboard: terminalClipboard(stdout),
  });

  const restore = (): void => {
    stdout.write(LEAVE_ALT_SCREEN);
  };
  stdout.write(ENTER_ALT_SCREEN);
  process.once('exit', restore);
  const instance = render(<App store={store} theme={THEMES[pickTheme('dark')]} />, { exitOnCtrlC: false, patchConsole: true, maxFps: 60 });
  store.start({ connect: true });
  if (ctx.options.wire && process.stderr.isTTY) {
    store.add(notice('warn', '--wire writes every line to this terminal and will scramble the shell: Ctrl+T shows the same traffic in the wire view, or redirect it (2>wire.log).'));
  }
  if (ctx.options.record) store.add(notice('info', `Recording to ${ctx.options.record}: every request and reply, never a secret.`));
  loadSettings().then(
    (loaded) => {
      const settings = loaded.store.settings;
      const draw = (name: ThemeName): void => instance.rerender(<App store={store} theme={THEMES[pickTheme(name)]} />);
      store.useRecall(loaded.recall);
      store.useSettings(settingsPort(loaded, ctx, options.readOnly, draw), settings.timeoutMs);
      if (settings.theme !== 'dark') draw(settings.theme);
    },
    (err: unknown) => store.add(notice('warn', `Settings and history are not saved this time: ${(err as Error).message}`)),
  );
  try {
    await Promise.race([exited, instance.waitUntilExit()]);
  } finally {
    store.stop();
    instance.unmount();
    instance.cleanup();
    restore();
    process.off('exit', restore);
  }
  return 0;
}
