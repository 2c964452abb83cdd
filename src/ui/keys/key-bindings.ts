// The one table of key bindings: which keys do what, in which layer. The dispatcher reads
// it; `:keys` prints it; nothing else decides what a key means.
//
// Layers, highest priority first. Only the layers active in the current mode are consulted.
//   confirm    a "send this?" question is open
//   search     Ctrl+R history search
//   form       the argument form has focus
//   completion the completion list is open under the prompt
//   edit       line editing (prompt and form text fields)
//   prompt     the command line
//   global     always
export type Layer = 'confirm' | 'search' | 'form' | 'completion' | 'edit' | 'prompt' | 'global';

export type Action =
  // global
  | 'cancel' | 'quit' | 'toggle-wire' | 'toggle-raw' | 'toggle-fold' | 'help'
  | 'page-up' | 'page-down' | 'scroll-top' | 'scroll-bottom' | 'redraw' | 'copy-as'
  // prompt
  | 'submit' | 'complete' | 'recall-older' | 'recall-newer' | 'search' | 'open-form'
  // completion list
  | 'select-next' | 'select-previous' | 'accept' | 'close'
  // search
  | 'search-older' | 'search-accept' | 'search-abort'
  // form
  | 'next-field' | 'previous-field' | 'send' | 'back' | 'toggle' | 'choice-next' | 'choice-previous' | 'add-item' | 'remove-item'
  // confirm
  | 'confirm-yes' | 'confirm-no'
  // line editing
  | 'cursor-left' | 'cursor-right' | 'line-start' | 'line-end' | 'erase-back' | 'erase-forward'
  | 'kill-to-start' | 'kill-to-end' | 'erase-word';

export interface Binding {
  layer: Layer;
  action: Action;
  keys: readonly string[];
  help: string;
}

export const KEY_BINDINGS: readonly Binding[] = [
  { layer: 'confirm', action: 'confirm-yes', keys: ['y', 'Y'], help: 'send the command' },
  { layer: 'confirm', action: 'confirm-no', keys: ['n', 'N', 'escape', 'return', 'ctrl+c'], help: 'do not send it' },

  { layer: 'search', action: 'search-older', keys: ['ctrl+r', 'up'], help: 'older match' },
  { layer: 'search', action: 'search-accept', keys: ['return', 'tab', 'right'], help: 'put the match on the prompt' },
  { layer: 'search', action: 'search-abort', keys: ['escape', 'ctrl+c', 'ctrl+g'], help: 'leave the search' },

  { layer: 'form', action: 'next-field', keys: ['tab', 'down'], help: 'next field' },
  { layer: 'form', action: 'previous-field', keys: ['shift+tab', 'up'], help: 'previous field' },
  { layer: 'form', action: 'send', keys: ['return'], help: 'send the command' },
  { layer: 'form', action: 'back', keys: ['escape'], help: 'back to the prompt (the line keeps the arguments)' },
  { layer: 'form', action: 'toggle', keys: [' '], help: 'switch a yes/no or choice field; add an item to a list' },
  { layer: 'form', action: 'choice-next', keys: ['right'], help: 'next choice' },
  { layer: 'form', action: 'choice-previous', keys: ['left'], help: 'previous choice' },
  { layer: 'form', action: 'add-item', keys: ['ctrl+n'], help: 'add an item to the list' },
  { layer: 'form', action: 'remove-item', keys: ['ctrl+x'], help: 'remove this list item' },

  { layer: 'completion', action: 'select-next', keys: ['down', 'ctrl+n'], help: 'next candidate' },
  { layer: 'completion', action: 'select-previous', keys: ['up', 'ctrl+p'], help: 'previous candidate' },
  { layer: 'completion', action: 'accept', keys: ['tab'], help: 'accept the candidate' },
  { layer: 'completion', action: 'close', keys: ['escape'], help: 'close the list' },

  { layer: 'edit', action: 'cursor-left', keys: ['left', 'ctrl+b'], help: 'cursor left' },
  { layer: 'edit', action: 'cursor-right', keys: ['right', 'ctrl+f'], help: 'cursor right' },
  { layer: 'edit', action: 'line-start', keys: ['ctrl+a'], help: 'start of the line' },
  { layer: 'edit', action: 'line-end', keys: ['ctrl+e'], help: 'end of the line' },
  { layer: 'edit', action: 'erase-back', keys: ['backspace'], help: 'erase before the cursor' },
  { layer: 'edit', action: 'kill-to-start', keys: ['ctrl+u'], help: 'erase to the start' },
  { layer: 'edit', action: 'kill-to-end', keys: ['ctrl+k'], help: 'erase to the end' },
  { layer: 'edit', action: 'erase-word', keys: ['ctrl+w', 'meta+backspace'], help: 'erase the word before the cursor' },

  { layer: 'prompt', action: 'submit', keys: ['return'], help: 'run the line (a command missing arguments opens its form)' },
  { layer: 'prompt', action: 'complete', keys: ['tab'], help: 'complete (opens the list)' },
  { layer: 'prompt', action: 'recall-older', keys: ['up'], help: 'previous line from history' },
  { layer: 'prompt', action: 'recall-newer', keys: ['down'], help: 'next line from history' },
  { layer: 'prompt', action: 'search', keys: ['ctrl+r'], help: 'search history' },
  { layer: 'prompt', action: 'open-form', keys: ['ctrl+o'], help: 'argument form for the command on the line' },
  { layer: 'prompt', action: 'close', keys: ['escape'], help: 'close the completion list or hint' },
  { layer: 'prompt', action: 'quit', keys: ['ctrl+d'], help: 'leave (on an empty line; else erase under the cursor)' },

  { layer: 'global', action: 'cancel', keys: ['ctrl+c'], help: 'cancel the command in flight, or clear the line' },
  { layer: 'global', action: 'help', keys: ['ctrl+g'], help: 'help for the command on the line' },
  { layer: 'global', action: 'toggle-wire', keys: ['ctrl+t'], help: 'show or hide the wire view (raw lines in and out)' },
  { layer: 'global', action: 'toggle-raw', keys: ['ctrl+v'], help: 'base64 fields: decoded or raw' },
  { layer: 'global', action: 'toggle-fold', keys: ['ctrl+x'], help: 'expand or fold the reply in view' },
  { layer: 'global', action: 'page-up', keys: ['pageup'], help: 'scroll up' },
  { layer: 'global', action: 'page-down', keys: ['pagedown'], help: 'scroll down' },
  { layer: 'global', action: 'scroll-top', keys: ['home'], help: 'oldest entry' },
  { layer: 'global', action: 'scroll-bottom', keys: ['end'], help: 'newest entry' },
  { layer: 'global', action: 'redraw', keys: ['ctrl+l'], help: 'redraw the screen' },
  { layer: 'global', action: 'copy-as', keys: ['meta+c'], help: 'show the command on the line (or the last one sent) as virsh and socat lines' },
];

const INDEX = new Map<string, Action>();
for (const b of KEY_BINDINGS) for (const k of b.keys) {
  const id = `${b.layer}:${k}`;
  if (!INDEX.has(id)) INDEX.set(id, b.action);
}

/** The action a key has in a layer, if any. */
export function bindingFor(layer: Layer, key: string): Action | undefined {
  return INDEX.get(`${layer}:${key}`);
}

/** The keys bound to an action, as people write them ("Ctrl+R"). */
export function keysFor(action: Action): string[] {
  return KEY_BINDINGS.filter((b) => b.action === action).flatMap((b) => b.keys).map(keyLabel);
}

export function keyLabel(key: string): string {
  if (key === ' ') return 'Space';
  return key
    .split('+')
    .map((part) => (part.length === 1 ? part.toUpperCase() : part[0]!.toUpperCase() + part.slice(1)))
    .join('+')
    .replace('Pageup', 'PgUp')
    .replace('Pagedown', 'PgDn');
}
