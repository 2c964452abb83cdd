// The one key dispatcher: looks a key press up in the active layers, highest priority
// first. A press no layer binds is typed text when a text field has focus.
import { bindingFor, type Action, type Layer } from './key-bindings.js';
import type { KeyPress } from './key-press.js';

export type Dispatch = { type: 'action'; action: Action; layer: Layer } | { type: 'text'; text: string } | { type: 'none' };

const LAYER_ORDER: readonly Layer[] = ['confirm', 'search', 'form', 'completion', 'edit', 'prompt', 'global'];

/**
 * `layers`: those active now. `textTarget`: whether typed characters go somewhere (the
 * prompt, a form text field, the search query). Single printable characters are looked up
 * by themselves ('y', ' ') before they count as text.
 */
export function dispatchKey(press: KeyPress, layers: ReadonlySet<Layer>, textTarget: boolean): Dispatch {
  const name = press.name === 'text' && [...press.text].length === 1 ? press.text : press.name;
  for (const layer of LAYER_ORDER) {
    if (!layers.has(layer)) continue;
    const action = bindingFor(layer, name);
    if (action) return { type: 'action', action, layer };
    // A modal layer swallows every other key.
    if (layer === 'confirm') return { type: 'none' };
  }
  if (press.name === 'text' && textTarget) return { type: 'text', text: press.text };
  return { type: 'none' };
}
