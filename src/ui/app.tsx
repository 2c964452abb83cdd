// The interactive shell: history (or the wire view) above, the completion list or the
// argument form in the middle, the prompt and the status bar at the bottom. The view only
// draws the store's snapshot; every key goes to the store's one dispatcher.
import { Box, useInput, useStdout } from 'ink';
import { useEffect, useSyncExternalStore } from 'react';
import { CompletionList } from './completion-list/completion-list.js';
import { ConfirmBar } from './confirm/confirm-bar.js';
import { ArgumentForm } from './form/argument-form.js';
import { visibleLines, VirtualList } from './history/history-pane.js';
import { toKeyPresses } from './keys/key-press.js';
import { Prompt } from './prompt/prompt.js';
import { SearchBar } from './search/search-bar.js';
import { currentMatch } from './search/use-search-state.js';
import { separatorLine } from './shell/separator.js';
import type { ShellStore } from './shell/shell-store.js';
import { StatusBar } from './status-bar/status-bar.js';
import { StyledLine } from './text/styled-text.js';
import { ThemeContext } from './theme/theme-context.js';
import type { Theme } from './theme/theme.js';

export interface AppProps {
  store: ShellStore;
  theme: Theme;
  /** Follow the terminal's size (off in tests, which set the size on the store). */
  trackSize?: boolean;
}

export function App({ store, theme, trackSize = true }: AppProps) {
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const { stdout } = useStdout();
  useInput((input, key) => {
    for (const press of toKeyPresses(input, key)) store.handleKey(press);
  });

  useEffect(() => {
    if (!trackSize) return;
    const onResize = (): void => store.resize({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
    onResize();
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, store, trackSize]);

  const layout = store.layout();
  const { width } = layout;
  const completion = store.completion();
  const showWire = state.view === 'wire';
  const count = showWire ? state.wire.entries.length : state.history.items.length;
  const { window } = showWire
    ? visibleLines(state.wire.entries, store.wireEntryLines, state.wire.scroll, layout.historyHeight)
    : visibleLines(state.history.items, store.itemLines, state.history.scroll, layout.historyHeight);

  return (
    <ThemeContext.Provider value={theme}>
      <Box flexDirection="column" width={width} height={layout.total}>
        {showWire ? (
          <VirtualList items={state.wire.entries} lines={store.wireEntryLines} scroll={state.wire.scroll} height={layout.historyHeight} width={width} />
        ) : (
          <VirtualList
            items={state.history.items}
            lines={store.itemLines}
            scroll={state.history.scroll}
            height={layout.historyHeight}
            width={width}
            revision={[state.history.raw, state.history.expanded, state.epoch]}
          />
        )}
        <StyledLine line={separatorLine(state.view, window, count, width, state.history.raw)} />
        {state.form ? (
          <ArgumentForm state={state.form} width={width} maxRows={layout.budget} />
        ) : layout.middle.length > 0 ? (
          <CompletionList completion={completion} selected={state.prompt.selected} maxRows={layout.budget} width={width} />
        ) : null}
        {state.confirm ? (
          <ConfirmBar command={state.confirm.request.command} change={state.confirm.change} width={width} verb={state.confirm.verb !== undefined} />
        ) : state.search ? (
          <SearchBar query={state.search.query} match={currentMatch(state.search, store.recallLines())} width={width} />
        ) : (
          <Prompt line={state.prompt.line} width={width} focus={!state.form} placeholder={state.form ? 'the form has the keys: Enter sends, Esc returns here' : 'type a command · Tab completes · Ctrl+G help'} busy={store.verbs.promptBusy()} />
        )}
        <StatusBar status={state.status} endpoint={store.session.transport.description} readOnly={store.readOnly} view={state.view} width={width} banner={store.verbs.banner()} activity={store.verbs.promptBusy()} />
      </Box>
    </ThemeContext.Provider>
  );
}
